/**
 * The IT-glue workflows of seed 002 in a real n8n with the packed pack, against the Odoo and Slack sandboxes, with a
 * fixed clock (the sandbox's clock and each run's `as_of`):
 *   - the asset inventory written through the Odoo Ops Inventory node (twice: nothing changes the second time);
 *   - "Patch cycle": a first cycle approved in Slack, a re-run that creates nothing, a cycle whose task creation fails
 *     half-way (Odoo committed, the answer was lost) and is repaired by the re-run, then rejected;
 *   - "Inventory snapshot": a first snapshot, a changed inventory, a second snapshot with the difference;
 *   - "Credential rotation reminders": one task per due reference, once; a secret refused before anything is written.
 *
 * Test-only workflows start the shipped ones the way a user's pipeline would: a Webhook and an Execute Workflow node.
 */
import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { SEED_IDS, startSlackSandbox, type SlackSandbox } from '../sandboxes/slack';
import { loadWorkflow, log, N8nHandle, packPack, sleep, startN8n, type WorkflowJson } from './harness';

jest.setTimeout(10 * 60_000);

const { users: U, channels: C } = SEED_IDS;
type Row = Record<string, any>;

const HOMELAB = [
	{ name: 'pfSense', hostname: 'pfsense.lab', ip: '10.0.0.1', vlan: '1', os: 'pfSense CE', osVersion: '2.7.2', kind: 'network', patchGroup: 'network', lastPatched: '2026-10-01', purpose: 'Edge firewall' },
	{ name: 'switchOTS', hostname: 'switch.lab', ip: '10.0.0.2', vlan: '1', os: 'SwitchOS', osVersion: '2.16', kind: 'network', patchGroup: 'network', lastPatched: '2026-11-20', purpose: 'Core switch' },
	{ name: 'pve01', hostname: 'pve01.lab', ip: '10.0.10.11', vlan: '10', os: 'Proxmox VE', osVersion: '8.2.4', kind: 'compute', patchGroup: 'hypervisors', purpose: 'Hypervisor' },
	{ name: 'dc01', hostname: 'dc01.lab', ip: '10.0.20.10', vlan: '20', os: 'Windows Server', osVersion: '2022', kind: 'vm', patchGroup: 'servers', lastPatched: '2026-09-15', purpose: 'Domain controller' },
	{ name: 'odoo01', hostname: 'odoo01.lab', ip: '10.0.20.20', vlan: '20', os: 'Debian', osVersion: '12', kind: 'vm', patchGroup: 'servers', lastPatched: '2026-10-20', purpose: 'Odoo' },
	{ name: 'mon01', hostname: 'mon01.lab', ip: '10.0.20.40', vlan: '20', os: 'Debian', osVersion: '12', kind: 'vm', patchGroup: 'servers', lastPatched: '2026-11-25', purpose: 'Monitoring' },
];
const DUE_IN_NOVEMBER = ['pfSense', 'pve01', 'dc01', 'odoo01'];
const TIMEOUT_AS_OF = '2027-01-04T06:00:00Z';

describe('Inventory, patch cycle, snapshot and rotation workflows in a real n8n', () => {
	let odoo: OdooSandbox;
	let slack: SlackSandbox;
	let n8n: N8nHandle;
	let interactivityUrl = '';
	const ids: Record<string, string> = {};
	const t0 = Date.now();

	// ---- helpers -----------------------------------------------------------------------------------------------
	const webhookWorkflow = (name: string, path: string, nodes: WorkflowJson['nodes'], respond: 'onReceived' | 'lastNode' = 'lastNode'): WorkflowJson => {
		const all = [
			{ id: `${path}-hook`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `c0ffee00-0000-4000-8000-${Buffer.from(path).toString('hex').slice(0, 12).padEnd(12, '0')}`, parameters: { httpMethod: 'POST', path, responseMode: respond, responseData: 'allEntries', options: {} } },
			...nodes,
		];
		const connections: Record<string, unknown> = {};
		for (let index = 0; index < all.length - 1; index++) connections[all[index].name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
		return { name, nodes: all, connections, settings: { executionOrder: 'v1' } } as WorkflowJson;
	};
	const bodyAsItem = (id: string) => ({ id, name: 'Body', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'raw', jsonOutput: '={{ JSON.stringify($json.body) }}', options: {} } });
	const inventoryNode = (id: string, name: string, parameters: Row) => ({ id, name, type: 'n8n-nodes-odoo-ops.odooOpsInventory', typeVersion: 1, position: [400, 0], parameters, credentials: { odooOpsApi: { id: 'odooOpsSandbox01', name: 'Odoo Ops (sandbox)' } } });
	const caller = (workflowId: string, path: string, wait: boolean) =>
		webhookWorkflow(
			`e2e: start ${path}`,
			path,
			[
				bodyAsItem(`${path}-body`),
				{ id: `${path}-exec`, name: 'Run', type: 'n8n-nodes-base.executeWorkflow', typeVersion: 1.2, position: [400, 0], parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: workflowId }, options: { waitForSubWorkflow: wait } } },
			],
			wait ? 'lastNode' : 'onReceived',
		);

	const setClock = (iso: string) => odoo.setClock(new Date(iso));
	const records = (model: string): Row[] => {
		// A model the pack has not created yet (x_ops_credential_ref before the first reference) holds nothing.
		try {
			return odoo.records(model) as Row[];
		} catch {
			return [];
		}
	};
	const projectNamed = (name: string): Row | undefined => records('project.project').find((p) => p.name === name);
	const tasksOf = (projectId: number): Row[] => records('project.task').filter((t) => t.project_id === projectId);
	const stageName = (id: unknown): string => String(records('project.task.type').find((s) => s.id === id)?.name ?? '');
	const chatter = (model: string, id: number): string[] => records('mail.message').filter((m) => m.model === model && m.res_id === id).map((m) => String(m.body));
	const attachmentsOf = (model: string, id: number): Row[] => records('ir.attachment').filter((a) => a.res_model === model && a.res_id === id);
	const topLevel = (channel: string): Row[] => (slack.messages(channel) as Row[]).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
	const requestsFor = (text: string): Row[] => topLevel(C.ops).filter((m) => JSON.stringify(m.history?.[0] ?? m).includes(text));
	const waitFor = async <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await probe();
			if (value) return value;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await sleep(300);
		}
	};
	const executionsOf = async (workflowId: string): Promise<Row[]> => await n8n.executions(workflowId);
	/** The finished patch-cycle execution started with this `as_of` (runs overlap: the timeout case waits meanwhile). */
	const cycleRun = async (asOf: string, timeoutMs = 60_000): Promise<Row> =>
		await waitFor(
			`the finished patch cycle run for ${asOf}`,
			async () =>
				(await executionsOf(ids.patch)).find(
					(e) => ['success', 'error', 'crashed'].includes(e.status) && e.data?.resultData?.runData?.['Run Now']?.[0]?.data?.main?.[0]?.[0]?.json?.as_of === asOf,
				),
			timeoutMs,
		);
	/** A webhook answer, failing with the execution's own error when n8n answered 500. */
	const post = async (path: string, body: unknown, workflowName: string): Promise<Row> => {
		const answer = await n8n.runWebhook(path, body);
		if (answer.status !== 200) {
			const [latest] = await executionsOf(ids[workflowName]);
			const error = latest?.data?.resultData?.error;
			throw new Error(`${path} answered ${answer.status}: ${error?.message ?? JSON.stringify(answer.body)} ${error?.description ?? ''}`);
		}
		return answer;
	};
	const ran = (e: Row): string[] => Object.keys(e.data?.resultData?.runData ?? {});
	const out = (e: Row, node: string, output = 0): Row[] => (e.data?.resultData?.runData?.[node]?.at(-1)?.data?.main?.[output] ?? []).map((i: Row) => i.json);
	const click = (message: Row, user: string, actionId: 'odoo_ops_approve' | 'odoo_ops_reject') =>
		slack.sendBlockAction({ url: interactivityUrl, user, channel: C.ops, messageTs: message.ts, actionId } as any);

	beforeAll(async () => {
		// A Community homelab: no ov.asset (the governance world), so the inventory lives in maintenance.equipment.
		const [tgz, o, s] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: 10, governance: false }), startSlackSandbox()]);
		odoo = o;
		slack = s;
		setClock('2026-11-23T06:00:00Z');
		n8n = await startN8n({ tarballs: [tgz] });
		await n8n.createCredential({ name: 'Odoo Ops (sandbox)', type: 'odooOpsApi', data: { url: odoo.url, db: odoo.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' } });
		await n8n.createCredential({ name: 'Slack Ops (sandbox)', type: 'slackOpsApi', data: { botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.url } });

		const router = loadWorkflow('workflows/slack-interactivity-router.json');
		ids.router = (await n8n.importWorkflow(router)).id;
		await n8n.publish(ids.router);
		const trigger = router.nodes.find((n) => n.type === 'n8n-nodes-odoo-ops.slackInteractionTrigger')!;
		interactivityUrl = `${n8n.url}/webhook/${trigger.webhookId as string}/slack-interactivity`;

		for (const [key, file] of [['patch', 'patch-cycle'], ['snapshot', 'inventory-snapshot'], ['rotation', 'credential-rotation']] as const) {
			ids[key] = (await n8n.importWorkflow(loadWorkflow(`workflows/${file}.json`))).id;
			await n8n.publish(ids[key]);
		}
		const extra: WorkflowJson[] = [
			caller(ids.patch, 'e2e-patch-cycle', false),
			caller(ids.snapshot, 'e2e-inventory-snapshot', true),
			caller(ids.rotation, 'e2e-credential-rotation', true),
			// Ensure Fields first: the pack adds its x_ fields to maintenance.equipment only when asked to.
			webhookWorkflow('e2e: upsert assets', 'e2e-assets', [
				inventoryNode('as-ensure', 'Ensure Asset Fields', { resource: 'asset', operation: 'ensureFields', assetModel: 'auto', fieldMap: '{}' }),
				{ id: 'as-body', name: 'Body', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'raw', jsonOutput: "={{ JSON.stringify($('Webhook').first().json.body) }}", options: {} } },
				{ id: 'as-split', name: 'Each Asset', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'assets', options: {} } },
				inventoryNode('as-upsert', 'Upsert Assets', { resource: 'asset', operation: 'upsert', assetModel: 'auto', fieldMap: '{}', assetInput: 'item' }),
			]),
			webhookWorkflow('e2e: upsert credential references', 'e2e-references', [
				{ id: 'cr-split', name: 'Each Reference', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.references', options: {} } },
				inventoryNode('cr-upsert', 'Upsert References', { resource: 'credentialReference', operation: 'upsert', referenceInput: 'item' }),
			]),
		];
		for (const workflow of extra) {
			const { id } = await n8n.importWorkflow(workflow);
			ids[workflow.name] = id;
			await n8n.publish(id);
		}
		// The timeout case: a one-minute limit (n8n's wait tracker may add up to another); started now, checked last.
		await post('e2e-assets', { assets: HOMELAB }, 'e2e: upsert assets');
		expect((await n8n.runWebhook('e2e-patch-cycle', { as_of: TIMEOUT_AS_OF, wait_minutes: 1 })).status).toBe(200);
		log(`inventory e2e: set up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	});

	afterAll(async () => {
		await n8n?.stop();
		await odoo?.close();
		await slack?.close();
		log(`inventory e2e: whole file ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	});

	it('ships the three workflows with a note first, a schedule and a Run Now entry, and the sandbox credentials', () => {
		for (const [file, name] of [['patch-cycle', 'Patch cycle'], ['inventory-snapshot', 'Inventory snapshot'], ['credential-rotation', 'Credential rotation reminders']]) {
			const json = loadWorkflow(`workflows/${file}.json`);
			expect(json.name).toBe(name);
			expect(json.nodes[0].type).toBe('n8n-nodes-base.stickyNote');
			const types = json.nodes.map((n) => n.type);
			expect(types).toContain('n8n-nodes-base.scheduleTrigger');
			expect(types).toContain('n8n-nodes-base.executeWorkflowTrigger');
			expect(types).toContain('n8n-nodes-odoo-ops.odooOpsInventory');
			for (const node of json.nodes) {
				if (node.credentials?.odooOpsApi) expect(node.credentials.odooOpsApi).toEqual({ id: 'odooOpsSandbox01', name: 'Odoo Ops (sandbox)' });
				if (node.credentials?.slackOpsApi) expect(node.credentials.slackOpsApi).toEqual({ id: 'slackOpsSandbox01', name: 'Slack Ops (sandbox)' });
			}
		}
	});

	it('writes the inventory through the node, and a second identical run changes nothing', async () => {
		// beforeAll wrote the inventory once already (the timeout case needed it early); check that write.
		const created = (await executionsOf(ids['e2e: upsert assets'])).at(-1)!;
		expect(out(created, 'Upsert Assets').map((r) => r.action)).toEqual(HOMELAB.map(() => 'created'));
		const equipment = records('maintenance.equipment');
		expect(equipment.map((e) => e.name).sort()).toEqual(HOMELAB.map((a) => a.name).sort());
		const pve01 = equipment.find((e) => e.name === 'pve01')!;
		expect(pve01).toMatchObject({ x_hostname: 'pve01.lab', x_os: 'Proxmox VE', x_patch_group: 'hypervisors' });
		expect(pve01.x_last_patched ?? false).toBe(false);

		const again = await n8n.runWebhook('e2e-assets', { assets: HOMELAB });
		expect((again.body as Row[]).map((r) => r.action)).toEqual(HOMELAB.map(() => 'unchanged'));
		expect(records('maintenance.equipment')).toHaveLength(HOMELAB.length);
	});

	let novemberApproval: Row;
	it('first cycle: one project, one task per due asset in its window, the task list as evidence, approval asked in Slack', async () => {
		expect((await n8n.runWebhook('e2e-patch-cycle', { as_of: '2026-11-23T06:00:00Z' })).status).toBe(200);
		novemberApproval = await waitFor('the November approval request', () => requestsFor('Patch 2026-11')[0]);
		const project = projectNamed('Patch 2026-11')!;
		expect(project).toBeDefined();
		const tasks = tasksOf(project.id);
		expect(tasks.map((t) => t.name).sort()).toEqual(DUE_IN_NOVEMBER.map((n) => `Patch ${n}`).sort());
		expect(tasks.every((t) => stageName(t.stage_id) === 'Planned')).toBe(true);
		expect(tasks.every((t) => typeof t.date_deadline === 'string' && t.date_deadline >= '2026-11-23')).toBe(true);
		const evidence = attachmentsOf('project.project', project.id).find((a) => a.name === 'Patch 2026-11 tasks.csv');
		expect(Buffer.from(String(evidence?.datas), 'base64').toString()).toContain('pve01.lab');
		expect(JSON.stringify(novemberApproval.blocks)).toContain('Patch 2026-11 tasks.csv');
	});

	it('approved in Slack: the tasks move to Scheduled, the summary goes to the thread and the chatter', async () => {
		const project = projectNamed('Patch 2026-11')!;
		const clicked = await click(novemberApproval, U.bob, 'odoo_ops_approve');
		expect(clicked.status).toBe(200);
		const execution = await cycleRun('2026-11-23T06:00:00Z');
		expect(execution.status).toBe('success');
		expect(ran(execution)).toEqual(expect.arrayContaining(['Schedule Tasks', 'Post Summary']));
		expect(tasksOf(project.id).every((t) => stageName(t.stage_id) === 'Scheduled' && t.state === '03_approved')).toBe(true);
		expect(chatter('project.project', project.id).some((b) => b.includes('Change decision: approved'))).toBe(true);
		const thread = (slack.messages(C.ops) as Row[]).filter((m) => m.thread_ts === novemberApproval.ts && m.ts !== novemberApproval.ts);
		expect(thread.map((m) => String(m.text)).join('\n')).toMatch(/Patch 2026-11: change approved/);
	});

	it('re-running the same cycle creates nothing and asks nothing', async () => {
		const project = projectNamed('Patch 2026-11')!;
		const before = { tasks: tasksOf(project.id).length, requests: requestsFor('Patch 2026-11').length, attachments: attachmentsOf('project.project', project.id).length };
		setClock('2026-11-24T06:00:00Z');
		expect((await n8n.runWebhook('e2e-patch-cycle', { as_of: '2026-11-24T06:00:00Z' })).status).toBe(200);
		const latest = await cycleRun('2026-11-24T06:00:00Z');
		expect(latest.status).toBe('success');
		expect(ran(latest)).toContain('Nothing to Decide');
		expect(out(latest, 'Plan Patch Cycle')[0].counts).toMatchObject({ created: 0, repaired: 0, awaitingDecision: 0 });
		expect(tasksOf(project.id)).toHaveLength(before.tasks);
		expect(requestsFor('Patch 2026-11')).toHaveLength(before.requests);
		expect(attachmentsOf('project.project', project.id)).toHaveLength(before.attachments);
		expect(records('project.project').filter((p) => p.name === 'Patch 2026-11')).toHaveLength(1);
	});

	it('a cycle whose task creation fails half-way is repaired by the re-run, then rejected with the reason', async () => {
		setClock('2026-12-07T06:00:00Z');
		// Odoo commits the tasks but the answer never arrives: the run fails after the write.
		odoo.inject({ kind: 'http', status: 502, times: 1, method: 'create', model: 'project.task', phase: 'after' });
		expect((await n8n.runWebhook('e2e-patch-cycle', { as_of: '2026-12-07T06:00:00Z' })).status).toBe(200);
		const failed = await cycleRun('2026-12-07T06:00:00Z');
		expect(failed.status).toBe('error');
		const project = projectNamed('Patch 2026-12')!;
		const afterFailure = tasksOf(project.id);
		expect(requestsFor('Patch 2026-12')).toHaveLength(0);

		expect((await n8n.runWebhook('e2e-patch-cycle', { as_of: '2026-12-07T07:00:00Z' })).status).toBe(200);
		const request = await waitFor('the December approval request', () => requestsFor('Patch 2026-12')[0]);
		const tasks = tasksOf(project.id);
		expect(tasks.map((t) => t.name).sort()).toEqual(DUE_IN_NOVEMBER.map((n) => `Patch ${n}`).sort());
		expect(tasks.map((t) => t.id).sort()).toEqual(afterFailure.map((t) => t.id).sort());
		expect(attachmentsOf('project.project', project.id).filter((a) => a.name === 'Patch 2026-12 tasks.csv')).toHaveLength(1);

		expect((await click(request, U.bob, 'odoo_ops_reject')).status).toBe(200);
		const rejected = await cycleRun('2026-12-07T07:00:00Z');
		expect(rejected.status).toBe('success');
		expect(ran(rejected)).toContain('Cancel Tasks');
		for (const task of tasksOf(project.id)) {
			expect(stageName(task.stage_id)).toBe('Cancelled');
			expect(task.state).toBe('1_canceled');
			expect(chatter('project.task', task.id).join('\n')).toMatch(/Rejected in Slack by/);
		}
		expect(chatter('project.project', project.id).some((b) => b.includes('Change decision: rejected'))).toBe(true);
	});

	it('snapshots the inventory as CSV and JSON, then reports what changed in the next one', async () => {
		setClock('2026-12-08T05:00:00Z');
		const first = await n8n.runWebhook('e2e-inventory-snapshot', { as_of: '2026-12-08T05:00:00Z' });
		expect(first.status).toBe(200);
		const snapshots = () => tasksOf(projectNamed('Inventory snapshots')!.id);
		expect(snapshots().map((t) => t.name)).toEqual(['Inventory 2026-12-08']);
		const day1 = snapshots()[0];
		const files = attachmentsOf('project.task', day1.id).map((a) => a.name).sort();
		expect(files).toEqual(['inventory-2026-12-08.csv', 'inventory-2026-12-08.json']);

		// The inventory changes: odoo01 moves to Debian 13, a new VM appears, mon01 is retired.
		const changed = HOMELAB.filter((a) => a.name !== 'mon01').map((a) => (a.name === 'odoo01' ? { ...a, osVersion: '13' } : a));
		await n8n.runWebhook('e2e-assets', { assets: [...changed, { name: 'vault01', hostname: 'vault01.lab', ip: '10.0.20.30', vlan: '20', os: 'Debian', osVersion: '12', kind: 'vm', patchGroup: 'servers', purpose: 'Vaultwarden' }] });
		const mon01 = records('maintenance.equipment').find((e) => e.name === 'mon01')!;
		odoo.database()!.call('maintenance.equipment', 'write', [[mon01.id], { active: false }], {}, 2);

		setClock('2026-12-09T05:00:00Z');
		await n8n.runWebhook('e2e-inventory-snapshot', { as_of: '2026-12-09T05:00:00Z' });
		expect(snapshots().map((t) => t.name).sort()).toEqual(['Inventory 2026-12-08', 'Inventory 2026-12-09']);
		const day2 = snapshots().find((t) => t.name === 'Inventory 2026-12-09')!;
		const note = chatter('project.task', day2.id).join('\n');
		expect(note).toMatch(/1 added \(vault01\)/);
		expect(note).toMatch(/1 removed \(mon01\)/);
		expect(note).toMatch(/odoo01/);
		expect(attachmentsOf('project.task', day1.id)).toHaveLength(2);
		const posted = (slack.messages(C.ops) as Row[]).map((m) => String(m.text)).filter((t) => t.startsWith('Inventory 2026-12-09'));
		expect(posted).toHaveLength(1);
		expect(posted[0]).toMatch(/vault01/);
	});

	it('an approval nobody answers times out: the message is closed and the tasks are cancelled', async () => {
		const run = await cycleRun(TIMEOUT_AS_OF, 4 * 60_000);
		expect(run.status).toBe('success');
		expect(ran(run)).toEqual(expect.arrayContaining(['Record Timeout', 'Cancel Tasks (Timed Out)', 'Post Summary']));
		const project = projectNamed('Patch 2027-01')!;
		for (const task of tasksOf(project.id)) expect(stageName(task.stage_id)).toBe('Cancelled');
		expect(chatter('project.project', project.id).some((b) => b.includes('Change decision: timed out'))).toBe(true);
		const request = requestsFor('Patch 2027-01')[0];
		const closed = (slack.messages(C.ops) as Row[]).find((m) => m.ts === request.ts)!;
		expect(JSON.stringify(closed.blocks ?? [])).not.toContain('odoo_ops_approve');
	});

	it('refuses a secret where a credential reference belongs, and writes nothing', async () => {
		const before = records('x_ops_credential_ref').length;
		await n8n.runWebhook('e2e-references', {
			references: [
				{ name: 'pve_root', vaultPath: 'vaultwarden://Collections/Homelab/pve_root', rotationPolicy: 'quarterly', mfaRequired: true },
				{ name: 'pfsense_admin', vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', password: 'Tr0ub4dor&3-horse-battery' },
			],
		});
		const [execution] = await waitFor('the refused upsert', async () => (await executionsOf(ids['e2e: upsert credential references'])).filter((e) => e.status === 'error'));
		const message = String(execution.data?.resultData?.error?.message ?? '');
		expect(message).toMatch(/password/);
		expect(message).not.toContain('Tr0ub4dor');
		expect(records('x_ops_credential_ref')).toHaveLength(before);
		expect(JSON.stringify(records('x_ops_credential_ref'))).not.toContain('Tr0ub4dor');
	});

	it('makes one rotation task per due reference, assigned to its owner, once per due date', async () => {
		await post('e2e-references', {
			references: [
				{ name: 'pfsense_admin', vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-08-01', owner: 'admin' },
				{ name: 'pve_root', vaultPath: 'vaultwarden://Collections/Homelab/pve_root', rotationPolicy: 'yearly', mfaRequired: true, lastRotation: '2026-06-01', owner: 'admin' },
			],
		}, 'e2e: upsert credential references');
		setClock('2026-12-09T07:00:00Z');
		await post('e2e-credential-rotation', { as_of: '2026-12-09T07:00:00Z' }, 'e2e: start e2e-credential-rotation');
		const rotation = () => tasksOf(projectNamed('Credential rotation')!.id);
		expect(rotation().map((t) => t.name)).toEqual(['Rotate pfsense_admin']);
		expect(rotation()[0].user_ids).toEqual([2]);
		expect(String(rotation()[0].description)).toContain('vaultwarden://Collections/Homelab/pfsense_admin');

		await n8n.runWebhook('e2e-credential-rotation', { as_of: '2026-12-10T07:00:00Z' });
		expect(rotation()).toHaveLength(1);
		expect((slack.messages(C.ops) as Row[]).filter((m) => String(m.text).startsWith('Credential rotation due'))).toHaveLength(1);
	});
});
