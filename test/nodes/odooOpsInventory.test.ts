/**
 * The Odoo Ops Inventory node against the Odoo sandbox over HTTP, on a Community homelab (no governance world, so
 * assets live in maintenance.equipment), with a fixed clock. Each describe runs its steps in order on one sandbox:
 * ensure fields → assets → credential references → runbook (attachment) → patch cycle → snapshots; then, on a sandbox
 * with OCA document_page, runbooks as knowledge pages. Every effect is checked in Odoo's own records.
 */
import { NodeOperationError, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { OdooOpsInventory } from '../../nodes/OdooOpsInventory/OdooOpsInventory.node';
import { fakeExecuteFunctions, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox, type Sandbox } from '../helpers/odooSandbox';

const node = new OdooOpsInventory();
type Row = Record<string, any>;
const EQUIPMENT = 'maintenance.equipment';
const NOW = '2026-11-23T06:00:00Z';

interface RunOptions {
	inputs?: Array<Record<string, unknown>>;
	perItem?: (i: number) => INodeParameters;
	continueOnFail?: boolean;
}

function harness(sandbox: { get: () => Sandbox }) {
	const run = async (parameters: INodeParameters, options: RunOptions = {}): Promise<INodeExecutionData[]> => {
		const { context } = fakeExecuteFunctions({
			nodeType: node,
			parameters,
			perItem: options.perItem,
			items: options.inputs?.map((json) => ({ json: json as never })) ?? [{ json: {} }],
			credentials: credentialsFor(sandbox.get()),
			continueOnFail: options.continueOnFail,
		});
		return await runNode(node, context);
	};
	/** A model the pack has not created yet (x_ops_credential_ref before the first reference) holds nothing. */
	const rows = (model: string): Row[] => {
		try {
			return sandbox.get().records(model) as Row[];
		} catch {
			return [];
		}
	};
	const writes = () => {
		const by = sandbox.get().stats.byMethod;
		return (by.create ?? 0) + (by.write ?? 0) + (by.unlink ?? 0) + (by.message_post ?? 0);
	};
	const notesOn = (model: string, id: number, text: string) => rows('mail.message').filter((m) => m.model === model && m.res_id === id && String(m.body).includes(text));
	return { run, rows, writes, notesOn };
}

/** The error a run fails with (the run must fail). */
async function failure(promise: Promise<unknown>): Promise<NodeOperationError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('expected the node to fail');
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json as Row);
const paired = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);

const HOMELAB = [
	{ name: 'pfSense', hostname: 'pfsense.lab', ip: '10.0.0.1', vlan: '1', os: 'pfSense CE', osVersion: '2.7.2', kind: 'network', patchGroup: 'network', lastPatched: '2026-10-01', owner: 'admin' },
	{ name: 'switchOTS', hostname: 'switch.lab', ip: '10.0.0.2', vlan: 1, os: 'SwitchOS', osVersion: '2.16', kind: 'network', patchGroup: 'network', lastPatched: '2026-11-20' },
	{ name: 'pve01', hostname: 'pve01.lab', ip: '10.0.10.11', vlan: '10', os: 'Proxmox VE', osVersion: '8.2.4', kind: 'compute', patchGroup: 'hypervisors', owner: 'demo' },
	{ name: 'odoo01', hostname: 'odoo01.lab', ip: '10.0.20.20', vlan: '20', os: 'Debian', osVersion: '12', kind: 'vm', patchGroup: 'servers', lastPatched: '2026-10-20', purpose: 'Odoo' },
];

const asset = { resource: 'asset' } as const;

describe('Odoo Ops Inventory node (maintenance.equipment, no document.page)', () => {
	const sandbox = useOdooSandbox({ governance: false });
	const { run, rows, writes, notesOn } = harness(sandbox);
	const equipment = () => rows(EQUIPMENT);
	const byHost = (hostname: string) => equipment().find((row) => row.x_hostname === hostname);
	const idOf = (hostname: string) => byHost(hostname)!.id as number;

	beforeAll(() => sandbox.get().setClock(new Date(NOW)));

	describe('Asset: Ensure Fields', () => {
		it('before the fields exist, Upsert names the missing field and says to run Ensure Fields', async () => {
			const error = await failure(run({ ...asset, operation: 'upsert' }, { inputs: [HOMELAB[0]] }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/'x_hostname'.*does not exist on 'maintenance.equipment'/);
			expect(error.description).toMatch(/Run 'Ensure Fields' once/);
		});

		it("creates the pack's x_ fields once; a second run creates none", async () => {
			const [first] = await run({ ...asset, operation: 'ensureFields' });
			expect(first.pairedItem).toEqual({ item: 0 });
			expect(first.json).toMatchObject({ model: EQUIPMENT, fields: { name: 'name', owner: 'owner_user_id', hostname: 'x_hostname', vlan: 'x_vlan' } });
			const expected = ['x_hostname', 'x_ip', 'x_vlan', 'x_os', 'x_os_version', 'x_purpose', 'x_docs_url', 'x_last_patched', 'x_patch_group', 'x_asset_kind'];
			expect([...(first.json.created as string[])].sort()).toEqual([...expected].sort());
			const inOdoo = rows('ir.model.fields').filter((row) => row.model === EQUIPMENT && String(row.name).startsWith('x_'));
			expect(inOdoo.map((row) => row.name).sort()).toEqual([...expected].sort());
			expect(inOdoo.find((row) => row.name === 'x_last_patched')).toMatchObject({ ttype: 'date' });

			sandbox.get().resetStats();
			const [second] = await run({ ...asset, operation: 'ensureFields' });
			expect(second.json.created).toEqual([]);
			expect(writes()).toBe(0);
			expect(rows('ir.model.fields').filter((row) => row.model === EQUIPMENT && String(row.name).startsWith('x_'))).toHaveLength(expected.length);
		});
	});

	describe('Asset: Upsert', () => {
		it("creates one asset per input item from the item's fields, each output paired with its input", async () => {
			const before = equipment().length;
			const out = await run({ ...asset, operation: 'upsert' }, { inputs: HOMELAB });
			expect(paired(out)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(json(out).map((r) => [r.action, r.key])).toEqual(HOMELAB.map((a) => ['created', a.hostname]));
			expect(new Set(json(out).map((r) => r.id)).size).toBe(4);
			expect(equipment()).toHaveLength(before + 4);
			expect(byHost('pfsense.lab')).toMatchObject({
				id: out[0].json.id,
				name: 'pfSense',
				x_ip: '10.0.0.1',
				x_vlan: '1',
				x_os: 'pfSense CE',
				x_os_version: '2.7.2',
				x_asset_kind: 'network',
				x_patch_group: 'network',
				x_last_patched: '2026-10-01',
				owner_user_id: 2,
			});
			// A number VLAN is stored like a text one; 'demo' resolves to its user.
			expect(byHost('switch.lab')).toMatchObject({ x_vlan: '1' });
			expect(byHost('pve01.lab')).toMatchObject({ owner_user_id: 6 });
			expect(byHost('pve01.lab')!.x_last_patched || null).toBeNull();
		});

		it('re-run: every asset unchanged and nothing written; a changed value updates only that asset', async () => {
			sandbox.get().resetStats();
			const again = await run({ ...asset, operation: 'upsert' }, { inputs: HOMELAB });
			expect(json(again).map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
			expect(paired(again)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(writes()).toBe(0);

			const changed = HOMELAB.map((a) => (a.hostname === 'odoo01.lab' ? { ...a, osVersion: '13' } : a));
			const out = await run({ ...asset, operation: 'upsert' }, { inputs: changed });
			expect(json(out).map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'updated']);
			expect(out[3].json).toMatchObject({ id: idOf('odoo01.lab'), key: 'odoo01.lab', changed: ['osVersion'] });
			expect(byHost('odoo01.lab')!.x_os_version).toBe('13');
		});

		it('takes the asset from Asset (JSON) when asked to, one per item', async () => {
			const out = await run(
				{ ...asset, operation: 'upsert', assetInput: 'json' },
				{ inputs: [{}, {}], perItem: (i) => ({ assetJson: JSON.stringify({ name: `nas0${i}`, hostname: `nas0${i}.lab`, kind: 'endpoint', patchGroup: 'storage', lastPatched: '2026-11-22' }) }) },
			);
			expect(json(out).map((r) => [r.action, r.key])).toEqual([
				['created', 'nas00.lab'],
				['created', 'nas01.lab'],
			]);
			expect(paired(out)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(byHost('nas01.lab')).toMatchObject({ name: 'nas01', x_asset_kind: 'endpoint' });
		});

		it.each([
			['a password field', { name: 'fw', hostname: 'fw.lab', password: 'hunter2-very-secret' }, 'password', 'hunter2'],
			[
				'a PEM private key in notes',
				{ name: 'vpn', hostname: 'vpn.lab', notes: 'Key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----' },
				'notes',
				'b3BlbnNzaC1rZXkt',
			],
		])('refuses the whole batch when one item carries %s, naming the field, never the secret, writing nothing', async (_label, secretItem, field, secret) => {
			const before = equipment();
			sandbox.get().resetStats();
			const error = await failure(run({ ...asset, operation: 'upsert' }, { inputs: [{ name: 'new-ok', hostname: 'newok.lab', kind: 'vm' }, HOMELAB[3], secretItem] }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toContain(`Asset 3 ('${secretItem.hostname}'): '${field}' looks like a secret`);
			expect(error.message).toContain('nothing was written to Odoo');
			expect(error.description).toMatch(/keep the secret in your vault and store its path/);
			for (const text of [error.message, String(error.description), String(error.stack), JSON.stringify(error.context ?? {})]) expect(text).not.toContain(secret);
			expect(writes()).toBe(0);
			expect(equipment()).toEqual(before);
			expect(byHost('newok.lab')).toBeUndefined();
		});

		it('refuses a bad VLAN naming the field; the fix is the description, not repeated in the message', async () => {
			sandbox.get().resetStats();
			const error = await failure(run({ ...asset, operation: 'upsert' }, { inputs: [{ hostname: 'ap01.lab' }, { hostname: 'sw02.lab', vlan: 5000 }] }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe("Asset 2 ('sw02.lab'): 'vlan' 5000 is not a VLAN id");
			expect(error.description).toBe('Use a whole number from 1 to 4094 (the 802.1Q VLAN id), e.g. 20');
			expect(writes()).toBe(0);
			expect(byHost('ap01.lab')).toBeUndefined();
		});
	});

	describe('Asset: Get Many and Get Due', () => {
		it('gets every asset as one item with its ref, and filters with a domain', async () => {
			const all = await run({ ...asset, operation: 'getMany' });
			const refs = equipment().map((row) => `${EQUIPMENT},${row.id}`);
			expect(json(all).map((r) => r.ref).sort()).toEqual(refs.sort());
			expect(all.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			const pfsense = json(all).find((r) => r.hostname === 'pfsense.lab')!;
			expect(pfsense).toMatchObject({ ref: `${EQUIPMENT},${idOf('pfsense.lab')}`, id: idOf('pfsense.lab'), model: EQUIPMENT, name: 'pfSense', vlan: '1', lastPatched: '2026-10-01', kind: 'network', owner: { id: 2 } });

			const servers = await run({ ...asset, operation: 'getMany', assetDomain: JSON.stringify([['x_patch_group', '=', 'servers']]) });
			expect(json(servers).map((r) => r.hostname)).toEqual(['odoo01.lab']);
		});

		it('gets the assets due at a fixed As Of, each with its ref and reason', async () => {
			const due = await run({ ...asset, operation: 'getDue', asOf: NOW, minDaysSincePatch: 25 });
			// Patch group, then name: hypervisors, network, servers. switch.lab (3 days) and the nas (1 day) are not due.
			expect(json(due).map((r) => [r.hostname, r.ref, r.reason, r.daysSincePatch])).toEqual([
				['pve01.lab', `${EQUIPMENT},${idOf('pve01.lab')}`, 'never patched', null],
				['pfsense.lab', `${EQUIPMENT},${idOf('pfsense.lab')}`, 'last patched 53 days ago (2026-10-01)', 53],
				['odoo01.lab', `${EQUIPMENT},${idOf('odoo01.lab')}`, 'last patched 34 days ago (2026-10-20)', 34],
			]);
			expect(paired(due)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		});

		it('applies Minimum Days Since Last Patch, Patch Groups and OS Contains', async () => {
			const strict = await run({ ...asset, operation: 'getDue', asOf: NOW, minDaysSincePatch: 40 });
			expect(json(strict).map((r) => r.hostname)).toEqual(['pve01.lab', 'pfsense.lab']);
			const network = await run({ ...asset, operation: 'getDue', asOf: NOW, minDaysSincePatch: 0, patchGroups: 'network, storage' });
			expect(json(network).map((r) => r.hostname)).toEqual(['pfsense.lab', 'switch.lab', 'nas00.lab', 'nas01.lab']);
			const debian = await run({ ...asset, operation: 'getDue', asOf: NOW, osMatch: 'debian, windows' });
			expect(json(debian).map((r) => r.hostname)).toEqual(['odoo01.lab']);
		});

		it('refuses an As Of that is not a date, naming it', async () => {
			const error = await failure(run({ ...asset, operation: 'getDue', asOf: 'next tuesday' }));
			expect(error.message).toMatch(/^asOf: expected a date/);
			expect(error.description).toMatch(/ISO 8601/);
		});
	});

	describe('Credential Reference', () => {
		const references = () => [
			{ name: 'pfsense_admin', vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-06-01', owner: 'admin', assetRef: `${EQUIPMENT},${idOf('pfsense.lab')}` },
			{ name: 'pve_root', vaultPath: 'vaultwarden://Collections/Homelab/pve_root', rotationPolicy: 'monthly', lastRotation: '2026-10-10', owner: 'demo' },
			{ name: 'odoo_db', vaultPath: 'vaultwarden://Collections/Homelab/odoo_db', rotationPolicy: '90d', lastRotation: '2026-10-01', owner: 'demo' },
		];

		it('upserts references from items (created, then unchanged), paired with their items', async () => {
			const out = await run({ resource: 'credentialReference', operation: 'upsert' }, { inputs: references() });
			expect(json(out).map((r) => [r.name, r.action])).toEqual([
				['pfsense_admin', 'created'],
				['pve_root', 'created'],
				['odoo_db', 'created'],
			]);
			expect(paired(out)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			const stored = rows('x_ops_credential_ref');
			expect(stored).toHaveLength(3);
			expect(stored.find((r) => r.x_name === 'pfsense_admin')).toMatchObject({
				x_vault_path: 'vaultwarden://Collections/Homelab/pfsense_admin',
				x_rotation_policy: 'quarterly',
				x_mfa_required: true,
				x_last_rotation: '2026-06-01',
				x_owner_id: 2,
				x_asset_ref: `${EQUIPMENT},${idOf('pfsense.lab')}`,
			});

			sandbox.get().resetStats();
			const again = await run({ resource: 'credentialReference', operation: 'upsert' }, { inputs: references() });
			expect(json(again).map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
			expect(writes()).toBe(0);
		});

		it('refuses a reference carrying a secret, naming the field, writing nothing', async () => {
			sandbox.get().resetStats();
			const error = await failure(
				run({ resource: 'credentialReference', operation: 'upsert' }, { inputs: [{ name: 'wifi_psk', vaultPath: 'vaultwarden://Collections/Homelab/wifi', rotationPolicy: 'yearly', password: 'Tr0ub4dor&3-horse' }] }),
			);
			expect(error.message).toContain("Credential reference 1 ('wifi_psk'): 'password' looks like a secret");
			expect(error.message).not.toContain('Tr0ub4dor');
			expect(writes()).toBe(0);
			expect(rows('x_ops_credential_ref')).toHaveLength(3);
		});

		it('gets every reference, by name', async () => {
			const out = await run({ resource: 'credentialReference', operation: 'getMany' });
			expect(json(out).map((r) => r.name)).toEqual(['odoo_db', 'pfsense_admin', 'pve_root']);
			expect(out[1].json).toMatchObject({ vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-06-01', owner: { id: 2 } });
			expect(paired(out)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		});

		it('creates one rotation task per due reference, assigned to its owner; a second run creates none', async () => {
			const ref = (name: string) => rows('x_ops_credential_ref').find((r) => r.x_name === name)!.id as number;
			const [first] = await run({ resource: 'credentialReference', operation: 'createRotationTasks', asOf: '2026-11-23T06:00:00.000+01:00' });
			// quarterly from 06-01 → due 09-01; monthly from 10-10 → due 11-10; 90d from 10-01 → 12-30, not yet.
			expect(first.json).toMatchObject({ asOf: '2026-11-23', created: 2, existing: 0, skipped: [] });
			const keys = [`rotation:${ref('pfsense_admin')}:2026-09-01`, `rotation:${ref('pve_root')}:2026-11-10`];
			expect((first.json.tasks as Row[]).map((t) => [t.key, t.ownerId, t.action])).toEqual([
				[keys[0], 2, 'created'],
				[keys[1], 6, 'created'],
			]);
			const project = rows('project.project').find((p) => p.name === 'Credential rotation')!;
			expect(first.json.projectId).toBe(project.id);
			const tasks = rows('project.task').filter((t) => keys.includes(t.x_ops_key));
			expect(tasks.map((t) => [t.name, t.project_id, t.user_ids]).sort()).toEqual([
				['Rotate pfsense_admin', project.id, [2]],
				['Rotate pve_root', project.id, [6]],
			]);
			expect(String(tasks.find((t) => t.name === 'Rotate pfsense_admin')!.description)).toContain('vaultwarden://Collections/Homelab/pfsense_admin');

			const taskCount = rows('project.task').length;
			const [second] = await run({ resource: 'credentialReference', operation: 'createRotationTasks', asOf: '2026-11-24T06:00:00Z' });
			expect(second.json).toMatchObject({ created: 0, existing: 2 });
			expect(rows('project.task')).toHaveLength(taskCount);
		});
	});

	describe('Runbook without document.page', () => {
		const files = () => rows('ir.attachment').filter((file) => file.name === 'Restore pfSense.html');

		it('keeps the runbook as an HTML file on the first asset and notes each asset (refs as model,id and as plain ids)', async () => {
			const pf = idOf('pfsense.lab');
			const sw = idOf('switch.lab');
			const [out] = await run({ resource: 'runbook', operation: 'upsert', title: 'Restore pfSense', body: '# Restore\n1. Boot the installer\n2. Recover config.xml', assetRefs: `${EQUIPMENT},${pf}; ${sw}` });
			expect(out.json).toMatchObject({ kind: 'attachment', model: 'ir.attachment', action: 'created' });
			expect(out.json.links).toEqual([
				{ assetRef: `${EQUIPMENT},${pf}`, note: 'posted', docsUrlSet: true },
				{ assetRef: `${EQUIPMENT},${sw}`, note: 'posted', docsUrlSet: true },
			]);
			const [file] = files();
			expect(file).toMatchObject({ id: out.json.id, res_model: EQUIPMENT, res_id: pf, mimetype: 'text/html' });
			expect(Buffer.from(String(file.datas), 'base64').toString('utf8')).toContain('<ol><li>Boot the installer</li><li>Recover config.xml</li></ol>');
			for (const id of [pf, sw]) expect(notesOn(EQUIPMENT, id, 'Restore pfSense')).toHaveLength(1);
			expect(byHost('pfsense.lab')!.x_docs_url).toBe(out.json.url);

			sandbox.get().resetStats();
			const [again] = await run({ resource: 'runbook', operation: 'upsert', title: 'Restore pfSense', body: '# Restore\n1. Boot the installer\n2. Recover config.xml', assetRefs: `${pf} ${EQUIPMENT},${sw}` });
			expect(again.json).toMatchObject({ action: 'unchanged', id: out.json.id, links: [{ note: 'already', docsUrlSet: false }, { note: 'already', docsUrlSet: false }] });
			expect(writes()).toBe(0);
			expect(files()).toHaveLength(1);
			for (const id of [pf, sw]) expect(notesOn(EQUIPMENT, id, 'Restore pfSense')).toHaveLength(1);
		});

		it("accepts the refs as the field's placeholder writes them (comma and space)", async () => {
			const pf = idOf('pfsense.lab');
			const sw = idOf('switch.lab');
			const [out] = await run({ resource: 'runbook', operation: 'upsert', title: 'Restore pfSense', body: '# Restore\n1. Boot the installer\n2. Recover config.xml', assetRefs: `${EQUIPMENT},${pf}, ${EQUIPMENT},${sw}` });
			expect((out.json.links as Row[]).map((link) => link.assetRef)).toEqual([`${EQUIPMENT},${pf}`, `${EQUIPMENT},${sw}`]);
			// Plain ids with commas, and a list an expression joined ('m,3,m,4').
			for (const assetRefs of [`${pf}, ${sw}`, `${pf},${sw}`, `${EQUIPMENT},${pf},${EQUIPMENT},${sw}`]) {
				const [again] = await run({ resource: 'runbook', operation: 'upsert', title: 'Restore pfSense', body: '# Restore\n1. Boot the installer\n2. Recover config.xml', assetRefs });
				expect(again.json).toMatchObject({ action: 'unchanged' });
				expect((again.json.links as Row[]).map((link) => link.assetRef)).toEqual([`${EQUIPMENT},${pf}`, `${EQUIPMENT},${sw}`]);
			}
		});

		it('refuses a reference that is not an asset, naming the parameter, writing nothing', async () => {
			sandbox.get().resetStats();
			const error = await failure(run({ resource: 'runbook', operation: 'upsert', title: 'Patch pve', body: 'apt full-upgrade', assetRefs: 'pve01' }));
			expect(error.message).toBe(`Runbook 'Patch pve': asset "pve01" is not an asset reference`);
			expect(error.description).toMatch(/model,id/);
			expect(writes()).toBe(0);
		});
	});

	describe('Patch Cycle', () => {
		let projectId: number;
		const stageName = (id: unknown) => String(rows('project.task.type').find((s) => s.id === id)?.name ?? '');
		const cycleTasks = (key: string) => rows('project.task').filter((t) => String(t.x_ops_key ?? '').startsWith(`patch:${key}:`));

		it('plans the monthly cycle: one project, one Planned task per due asset, awaiting a decision', async () => {
			const [out] = await run({ resource: 'patchCycle', operation: 'plan', asOf: NOW, minDaysSincePatch: 25 });
			expect(out.json).toMatchObject({
				key: 'Patch 2026-11',
				needsDecision: true,
				counts: { due: 3, tasks: 3, created: 3, repaired: 0, unchanged: 0, kept: 0, awaitingDecision: 3 },
				evidence: { name: 'Patch 2026-11 tasks.csv', action: 'created' },
			});
			expect(out.json.summary).toMatch(/^Patch 2026-11: 3 assets \(3 new\); windows sat 2026-11-28 22:00–sun 2026-11-29 02:00 UTC ×3\. Awaiting change approval\.$/);
			projectId = (out.json.project as Row).id;
			expect(rows('project.project').find((p) => p.id === projectId)!.name).toBe('Patch 2026-11');
			const tasks = cycleTasks('Patch 2026-11');
			expect(tasks.map((t) => t.x_asset_ref).sort()).toEqual(['pfsense.lab', 'pve01.lab', 'odoo01.lab'].map((h) => `${EQUIPMENT},${idOf(h)}`).sort());
			expect(tasks.every((t) => t.project_id === projectId && stageName(t.stage_id) === 'Planned')).toBe(true);
			// The owner patches it.
			expect(tasks.find((t) => t.x_asset_ref === `${EQUIPMENT},${idOf('pve01.lab')}`)!.user_ids).toEqual([6]);

			const [again] = await run({ resource: 'patchCycle', operation: 'plan', asOf: '2026-11-23T07:00:00Z' });
			expect(again.json).toMatchObject({ key: 'Patch 2026-11', needsDecision: true, counts: { created: 0, unchanged: 3 } });
			expect(cycleTasks('Patch 2026-11')).toHaveLength(3);
		});

		it("refuses a decision word it does not know, naming 'Decision'", async () => {
			const error = await failure(run({ resource: 'patchCycle', operation: 'applyDecision', cycle: 'Patch 2026-11', decision: 'maybe' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe("'Decision' must be approved, rejected or timed out, not 'maybe'");
			expect(error.description).toMatch(/approval node's 'decision' field/);
			expect(cycleTasks('Patch 2026-11').every((t) => stageName(t.stage_id) === 'Planned')).toBe(true);
		});

		it('applies an approval by cycle key (tasks to Scheduled), and again by project id (nothing moves)', async () => {
			const [byKey] = await run({ resource: 'patchCycle', operation: 'applyDecision', cycle: 'Patch 2026-11', decision: 'approved', decidedBy: 'alice' });
			expect(byKey.json).toMatchObject({ key: 'Patch 2026-11', projectId, decision: 'approved', counts: { tasks: 3, changed: 3, unchanged: 0, closed: 0 }, notePosted: true });
			expect(cycleTasks('Patch 2026-11').map((t) => stageName(t.stage_id))).toEqual(['Scheduled', 'Scheduled', 'Scheduled']);
			expect(notesOn('project.project', projectId, 'Change decision: approved by alice')).toHaveLength(1);

			const [byId] = await run({ resource: 'patchCycle', operation: 'applyDecision', cycle: String(projectId), decision: 'approved' });
			expect(byId.json).toMatchObject({ key: 'Patch 2026-11', projectId, counts: { changed: 0, unchanged: 3 }, notePosted: false });
			expect(cycleTasks('Patch 2026-11').map((t) => stageName(t.stage_id))).toEqual(['Scheduled', 'Scheduled', 'Scheduled']);

			const [replanned] = await run({ resource: 'patchCycle', operation: 'plan', asOf: NOW });
			expect(replanned.json).toMatchObject({ needsDecision: false, counts: { awaitingDecision: 0, created: 0 } });
		});

		it("maps the approval node's 'timed-out' on a weekly cycle: tasks cancelled with the reason", async () => {
			const [plan] = await run({ resource: 'patchCycle', operation: 'plan', asOf: NOW, cadence: 'weekly', patchGroups: 'network' });
			expect(plan.json).toMatchObject({ key: 'Patch 2026-W48', needsDecision: true, counts: { due: 1, created: 1 } });
			const [decided] = await run({ resource: 'patchCycle', operation: 'applyDecision', cycle: 'Patch 2026-W48', decision: 'timed-out', reason: 'nobody answered' });
			expect(decided.json).toMatchObject({ decision: 'timedOut', counts: { changed: 1 } });
			const [task] = cycleTasks('Patch 2026-W48');
			expect(stageName(task.stage_id)).toBe('Cancelled');
			expect(notesOn('project.task', task.id, 'Reason: nobody answered')).toHaveLength(1);
		});

		it('refuses a malformed Change Windows (JSON), naming it', async () => {
			const error = await failure(run({ resource: 'patchCycle', operation: 'plan', asOf: NOW, changeWindows: '{"default": ' }));
			expect(error.message).toMatch(/^Invalid JSON in 'Change Windows \(JSON\)'/);
			expect(error.description).toMatch(/Expected a JSON object, for example \{"default": \{"weekday": "sat"/);
		});
	});

	describe('Snapshot', () => {
		it('takes a first snapshot, then on the next day describes what changed since', async () => {
			const count = equipment().length;
			const [first] = await run({ resource: 'snapshot', operation: 'take', asOf: NOW });
			expect(first.json).toMatchObject({ snapshot: { name: 'Inventory 2026-11-23', created: true }, previous: null, diff: null, assets: count, message: `Inventory 2026-11-23: first snapshot, ${count} assets` });
			const snapshotTask = rows('project.task').find((t) => t.x_ops_key === 'snapshot:2026-11-23')!;
			expect(rows('ir.attachment').filter((a) => a.res_model === 'project.task' && a.res_id === snapshotTask.id).map((a) => a.name).sort()).toEqual(['inventory-2026-11-23.csv', 'inventory-2026-11-23.json']);

			// Between the two days: odoo01 moves to Debian 14, a new host appears.
			sandbox.get().setClock(new Date('2026-11-24T06:00:00Z'));
			const change = await run({ ...asset, operation: 'upsert' }, { inputs: [{ hostname: 'odoo01.lab', osVersion: '14' }, { name: 'dc01', hostname: 'dc01.lab', kind: 'vm' }] });
			expect(json(change).map((r) => r.action)).toEqual(['updated', 'created']);

			const [second] = await run({ resource: 'snapshot', operation: 'take', asOf: '2026-11-24T06:00:00Z' });
			expect(second.json).toMatchObject({ snapshot: { name: 'Inventory 2026-11-24', created: true }, previous: { name: 'Inventory 2026-11-23' }, assets: count + 1 });
			expect(second.json.message).toBe(`Inventory 2026-11-24: ${count + 1} assets; 1 added (dc01), 1 changed (odoo01: osVersion '13' → '14') since Inventory 2026-11-23`);
			const secondTask = rows('project.task').find((t) => t.x_ops_key === 'snapshot:2026-11-24')!;
			// The chatter note says it too (Odoo escapes the quotes of a plain-text note).
			expect(notesOn('project.task', secondTask.id, '1 added (dc01), 1 changed (odoo01: osVersion')).toHaveLength(1);
		});
	});

	describe('Parameters and errors', () => {
		it("refuses a malformed 'Field Mapping (JSON)', naming the parameter, per item and for a batch", async () => {
			const perItem = await failure(run({ ...asset, operation: 'ensureFields', fieldMap: '{bad' }));
			expect(perItem).toBeInstanceOf(NodeOperationError);
			expect(perItem.message).toMatch(/^Invalid JSON in 'Field Mapping \(JSON\)'/);
			expect(perItem.description).toMatch(/Expected a JSON object, for example \{"hostname": "x_fqdn"\}/);
			expect(perItem.context.itemIndex).toBe(0);

			sandbox.get().resetStats();
			const batch = await failure(run({ ...asset, operation: 'upsert', fieldMap: '{bad' }, { inputs: [{ hostname: 'x1.lab' }] }));
			expect(batch.message).toMatch(/^Invalid JSON in 'Field Mapping \(JSON\)'/);
			expect(writes()).toBe(0);

			const array = await failure(run({ ...asset, operation: 'getMany', fieldMap: '["hostname"]' }));
			expect(array.message).toBe("'Field Mapping (JSON)' must be a JSON object");
		});

		it("shows a lib input error's fix as the description, once", async () => {
			const error = await failure(run({ ...asset, operation: 'getMany', fieldMap: JSON.stringify({ colour: 'x_colour' }) }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe("Field mapping names 'colour', which is not an asset fact");
			expect(error.description).toBe('Map only name, hostname, ip, vlan, os, osVersion, owner, purpose, docsUrl, lastPatched, patchGroup, kind');
			expect(error.message).not.toContain('Map only');
		});

		it('with Continue On Fail, a per-item operation gives the failed item an error and goes on', async () => {
			const out = await run(
				{ ...asset, operation: 'getDue' },
				{ inputs: [{}, {}], continueOnFail: true, perItem: (i) => ({ asOf: i === 0 ? 'someday' : NOW, patchGroups: 'network', minDaysSincePatch: 40 }) },
			);
			expect(out[0]).toEqual({ json: { error: expect.stringMatching(/^asOf: expected a date/) }, pairedItem: { item: 0 } });
			expect(out.slice(1).map((item) => [item.json.hostname, item.pairedItem])).toEqual([['pfsense.lab', { item: 1 }]]);
		});
	});
});

describe('Odoo Ops Inventory node: runbooks as knowledge pages (document.page)', () => {
	const sandbox = useOdooSandbox({ modules: { documentPage: true }, governance: false });
	const { run, rows, writes, notesOn } = harness(sandbox);
	let ids: number[] = [];
	const runbook = (assetRefs: string, body = '# Restore\n1. Boot the installer\n2. Recover config.xml') => run({ resource: 'runbook', operation: 'upsert', title: 'Restore pfSense', body, assetRefs });

	beforeAll(async () => {
		sandbox.get().setClock(new Date(NOW));
		await run({ ...asset, operation: 'ensureFields' });
		const out = await run({ ...asset, operation: 'upsert' }, { inputs: [HOMELAB[0], { ...HOMELAB[2], docsUrl: 'https://wiki.lab.example.com/pve01' }] });
		ids = out.map((item) => item.json.id as number);
	});

	it('makes a page and a chatter note on each asset (refs as model,id and as plain ids)', async () => {
		const [out] = await runbook(`${EQUIPMENT},${ids[0]} ${ids[1]}`);
		expect(out.json).toMatchObject({ kind: 'page', model: 'document.page', action: 'created', warnings: [] });
		expect(out.json.url).toBe(`${sandbox.get().url}/odoo/action-document_page.action_page/${out.json.id}`);
		expect(out.json.links).toEqual([
			{ assetRef: `${EQUIPMENT},${ids[0]}`, note: 'posted', docsUrlSet: true },
			{ assetRef: `${EQUIPMENT},${ids[1]}`, note: 'posted', docsUrlSet: false },
		]);
		const pages = rows('document.page');
		expect(pages).toHaveLength(1);
		expect(pages[0]).toMatchObject({ id: out.json.id, name: 'Restore pfSense', content: '<h1>Restore</h1>\n<ol><li>Boot the installer</li><li>Recover config.xml</li></ol>' });
		for (const id of ids) {
			const notes = notesOn(EQUIPMENT, id, 'Restore pfSense');
			expect(notes).toHaveLength(1);
			expect(String(notes[0].body)).toContain(`linked (rev ${out.json.revision})`);
		}
		const equipment = rows(EQUIPMENT);
		expect(equipment.find((r) => r.id === ids[0])!.x_docs_url).toBe(out.json.url);
		expect(equipment.find((r) => r.id === ids[1])!.x_docs_url).toBe('https://wiki.lab.example.com/pve01');
		// No file fallback when the Knowledge app is there.
		expect(rows('ir.attachment').filter((a) => a.name === 'Restore pfSense.html')).toHaveLength(0);
	});

	it('changes nothing when run again', async () => {
		sandbox.get().resetStats();
		const [again] = await runbook(`${ids[0]}; ${EQUIPMENT},${ids[1]}`);
		expect(again.json).toMatchObject({ action: 'unchanged', links: [{ note: 'already', docsUrlSet: false }, { note: 'already', docsUrlSet: false }] });
		expect(writes()).toBe(0);
		expect(rows('document.page')).toHaveLength(1);
		for (const id of ids) expect(notesOn(EQUIPMENT, id, 'Restore pfSense')).toHaveLength(1);
	});

	it('updates the page and notes the assets again when the text changes', async () => {
		const [changed] = await runbook(`${ids[0]} ${ids[1]}`, '# Restore\n1. Boot the installer\n2. Recover config.xml\n3. Reboot');
		expect(changed.json.action).toBe('updated');
		expect(String(rows('document.page')[0].content)).toContain('<li>Reboot</li>');
		for (const id of ids) expect(notesOn(EQUIPMENT, id, `updated (rev ${changed.json.revision})`)).toHaveLength(1);
	});

	it('refuses a body with a secret, naming the field and writing nothing', async () => {
		sandbox.get().resetStats();
		const error = await failure(runbook(String(ids[0]), 'Log in as admin, password: Pf5ense!2026x'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain("Runbook 'Restore pfSense': 'body' looks like a secret");
		expect(error.message).not.toContain('Pf5ense');
		expect(error.description).toMatch(/vault/);
		expect(writes()).toBe(0);
	});
});
