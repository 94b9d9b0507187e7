/**
 * The shipped "Record-first approval" sub-workflow and "Slack interactivity router" in a real n8n with the packed pack,
 * against the Odoo and Slack sandboxes: approvals decided by real (sandbox) Slack users clicking signed buttons, the
 * attacks on the interactivity URL, the chatter entries on the Odoo records, and an n8n restart while an approval waits.
 *
 * One n8n for the whole file. A test-only caller workflow (Webhook → Execute Workflow, not waiting) starts approvals,
 * as a pipeline would. The timeout case starts first (one-minute limit) and is checked later, so its wait overlaps
 * the other cases.
 *
 * The harness cannot restart an n8n on the same user folder (startN8n always makes a new folder), so the restart case
 * keeps the folder (`keepFolder`), stops n8n, and starts `n8n start` again itself on the same folder, port and
 * encryption key (restartN8n below); the handle's API helpers keep working because the API key lives in the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

import { GOVERNANCE_WORLD as W, startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { SEED_IDS, startSlackSandbox, type SlackSandbox } from '../sandboxes/slack';
import { E2E_ENCRYPTION_KEY, freePort, loadWorkflow, log, N8nHandle, packPack, QUIET_ENV, sleep, startN8n, stopAllN8n, type WorkflowJson } from './harness';

jest.setTimeout(10 * 60_000);

const { users: U, channels: C } = SEED_IDS;
const CALLER_PATH = 'e2e-start-record-first-approval';
type Row = Record<string, any>;

interface StartInput {
	app: string;
	action: string;
	model: string;
	id: number;
	requester: string;
	login_partner_id: number;
	description: string;
	no_evidence_reason?: string;
	follow_up_method?: string;
	wait_minutes?: number;
}

describe('Record-first approval in a real n8n', () => {
	let odoo: OdooSandbox;
	let slack: SlackSandbox;
	let n8n: N8nHandle;
	let subId = '';
	let routerId = '';
	let interactivityUrl = '';
	let restarted: ChildProcess | undefined;
	let keptFolder = '';
	const t0 = Date.now();

	// ---- helpers -----------------------------------------------------------------------------------------------
	const start = async (input: StartInput) => {
		const r = await n8n.runWebhook(CALLER_PATH, input);
		expect(r.status).toBe(200);
	};
	const requests = (): Row[] => slack.messages().filter((m) => !m.thread_ts || m.thread_ts === m.ts) as Row[];
	const requestFor = (description: string): Row | undefined =>
		(slack.messages(C.ops) as Row[]).find((m) => (!m.thread_ts || m.thread_ts === m.ts) && JSON.stringify(m.history?.[0] ?? m).includes(description));
	const waitForRequest = async (description: string, timeoutMs = 30_000): Promise<Row> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const m = requestFor(description);
			if (m) return m;
			if (Date.now() > deadline) throw new Error(`no approval request in Slack for "${description}"; messages: ${JSON.stringify(slack.messages().map((x: Row) => x.text))}`);
			await sleep(250);
		}
	};
	const hasButtons = (m: Row | undefined) => JSON.stringify(m?.blocks ?? []).includes('"odoo_ops_approve"');
	const inputOf = (e: Row): Row | undefined => e.data?.resultData?.runData?.Start?.[0]?.data?.main?.[0]?.[0]?.json;
	const executionFor = async (description: string): Promise<Row | undefined> =>
		(await n8n.executions(subId)).find((e) => inputOf(e)?.description === description);
	const waitForExecution = async (description: string, statuses: string[], timeoutMs = 60_000): Promise<Row> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const e = await executionFor(description);
			if (e && statuses.includes(e.status)) return e;
			if (Date.now() > deadline) throw new Error(`execution for "${description}" not in ${statuses.join('/')} after ${timeoutMs / 1000}s: ${e ? e.status : 'none'}`);
			await sleep(1000);
		}
	};
	const ran = (e: Row): string[] => Object.keys(e.data?.resultData?.runData ?? {});
	const out = (e: Row, node: string, output = 0): Row[] => (e.data?.resultData?.runData?.[node]?.at(-1)?.data?.main?.[output] ?? []).map((i: Row) => i.json);
	const chatter = (model: string, id: number): string[] =>
		(odoo.records('mail.message') as Row[]).filter((m) => m.model === model && m.res_id === id).map((m) => String(m.body));
	const click = (message: Row, user: string, actionId: 'odoo_ops_approve' | 'odoo_ops_reject', extra: Record<string, unknown> = {}) =>
		slack.sendBlockAction({ url: interactivityUrl, user, channel: C.ops, messageTs: message.ts, actionId, ...extra } as any);
	const ephemeralTo = (user: string): string[] => (slack.ephemeral(user) as Row[]).map((e) => String(e.text));
	const routerResults = async (): Promise<string[]> =>
		(await n8n.executions(routerId)).map((e: Row) => e.data?.resultData?.runData?.['Slack Interaction Trigger']?.[0]?.data?.main?.[0]?.[0]?.json?.result);

	const base = { app: 'Helpdesk', action: 'customer-facing', model: 'helpdesk.ticket', requester: U.carol };
	const APPROVE = { ...base, id: W.ticket.DECO_PRINTER, login_partner_id: W.person.FLOYD_STEWARD, description: 'Offer a replacement printer to Deco Addict', follow_up_method: 'action_archive' };
	const REJECT = { ...base, id: W.ticket.WOOD_WEBSITE, login_partner_id: W.person.GORDON_OWENS, description: 'Refund the mailbox migration', no_evidence_reason: 'Goodwill gesture agreed on the phone' };
	const TIMEOUT = { ...base, id: W.ticket.DECO_MAILBOX, login_partner_id: W.person.DOUGLAS_FLETCHER, description: 'Send the mailbox quota warning', wait_minutes: 1 };
	const RESTART = { ...base, id: W.ticket.DECO_MAILBOX, login_partner_id: W.person.DOUGLAS_FLETCHER, description: 'Extend the mailbox quota (across a restart)' };

	beforeAll(async () => {
		const [tgz, o, s] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: 10 }), startSlackSandbox()]);
		odoo = o;
		slack = s;
		// Evidence for ticket 7 (ticket 1 has printer-error.png from the seed).
		odoo.database()!.call('ir.attachment', 'create', [{ name: 'mailbox-quota.png', datas: 'iVBORw0KGgo=', res_model: 'helpdesk.ticket', res_id: W.ticket.DECO_MAILBOX }], {}, 2);
		n8n = await startN8n({ tarballs: [tgz], keepFolder: true });
		keptFolder = n8n.userFolder;
		await n8n.createCredential({ name: 'Odoo Ops (sandbox)', type: 'odooOpsApi', data: { url: odoo.url, db: odoo.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' } });
		await n8n.createCredential({ name: 'Slack Ops (sandbox)', type: 'slackOpsApi', data: { botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.url } });

		const router = loadWorkflow('workflows/slack-interactivity-router.json');
		routerId = (await n8n.importWorkflow(router)).id;
		await n8n.publish(routerId);
		const trigger = router.nodes.find((n) => n.type === 'n8n-nodes-odoo-ops.slackInteractionTrigger')!;
		interactivityUrl = `${n8n.url}/webhook/${trigger.webhookId as string}/slack-interactivity`;

		subId = (await n8n.importWorkflow(loadWorkflow('workflows/record-first-approval.json'))).id;
		await n8n.publish(subId);

		const caller: WorkflowJson = {
			name: 'e2e: start a record-first approval',
			nodes: [
				{ id: 'c1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'c0ffee00-0000-4000-8000-00000000e2e1', parameters: { httpMethod: 'POST', path: CALLER_PATH, responseMode: 'onReceived', options: {} } },
				{ id: 'c2', name: 'Inputs', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'raw', jsonOutput: '={{ JSON.stringify($json.body) }}', options: {} } },
				{
					id: 'c3',
					name: 'Record-first Approval',
					type: 'n8n-nodes-base.executeWorkflow',
					typeVersion: 1.2,
					position: [400, 0],
					parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: subId }, options: { waitForSubWorkflow: false } },
				},
			],
			connections: {
				Webhook: { main: [[{ node: 'Inputs', type: 'main', index: 0 }]] },
				Inputs: { main: [[{ node: 'Record-first Approval', type: 'main', index: 0 }]] },
			},
		};
		await n8n.publish((await n8n.importWorkflow(caller)).id);
		// The timeout case waits a minute (n8n's wait tracker may add up to another): start it now, check it last.
		await start(TIMEOUT);
		log(`record-first approval: set up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	});

	afterAll(async () => {
		if (restarted?.pid) {
			try {
				process.kill(-restarted.pid, 'SIGTERM');
			} catch {
				/* gone */
			}
			await new Promise((r) => setTimeout(r, 3000));
			try {
				process.kill(-restarted.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
		await stopAllN8n();
		if (keptFolder && process.env.ODOO_OPS_E2E_KEEP !== '1') rmSync(keptFolder, { recursive: true, force: true, maxRetries: 3 });
		await odoo?.close();
		await slack?.close();
		log(`record-first approval: whole file ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	});

	it('ships two workflows made of the pack\'s and n8n\'s node types, with a note first and the sandbox credentials', () => {
		for (const [file, name] of [['workflows/record-first-approval.json', 'Record-first approval'], ['workflows/slack-interactivity-router.json', 'Slack interactivity router']]) {
			const json = loadWorkflow(file);
			expect(json.name).toBe(name);
			expect(json.nodes[0].type).toBe('n8n-nodes-base.stickyNote');
			for (const node of json.nodes) {
				expect(node.type).toMatch(/^n8n-nodes-(base|odoo-ops)\./);
				if (node.credentials?.odooOpsApi) expect(node.credentials.odooOpsApi).toEqual({ id: 'odooOpsSandbox01', name: 'Odoo Ops (sandbox)' });
				if (node.credentials?.slackOpsApi) expect(node.credentials.slackOpsApi).toEqual({ id: 'slackOpsSandbox01', name: 'Slack Ops (sandbox)' });
			}
		}
	});

	let approval: Row;
	let aliceClick: Awaited<ReturnType<SlackSandbox['sendBlockAction']>>;

	it('posts the request for an existing record with evidence, and waits', async () => {
		await start(APPROVE);
		approval = await waitForRequest(APPROVE.description);
		expect(approval.channel).toBe(C.ops);
		expect(hasButtons(approval)).toBe(true);
		const text = JSON.stringify(approval.blocks);
		expect(text).toContain('HT00001');
		expect(text).toContain('printer-error.png');
		expect(text).toContain(U.carol);
		const e = await waitForExecution(APPROVE.description, ['waiting']);
		expect(ran(e)).toEqual(expect.arrayContaining(['Start', 'Get Record', 'Governance Check', 'Evaluate Gate', 'Request Approval']));
	});

	it('refuses a forged signature with 401 and changes nothing', async () => {
		const forged = await click(approval, U.alice, 'odoo_ops_approve', { signingSecret: 'f'.repeat(32) });
		expect(forged.status).toBe(401);
		const tampered = await click(approval, U.dave, 'odoo_ops_approve', { tamper: 'body' });
		expect(tampered.status).toBe(401);
		expect(hasButtons(slack.message(C.ops, approval.ts))).toBe(true);
		expect((await executionFor(APPROVE.description))?.status).toBe('waiting');
	});

	it('refuses a replayed request older than 5 minutes', async () => {
		const old = await click(approval, U.alice, 'odoo_ops_approve', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
		expect(old.status).toBe(401);
		expect(old.body).toMatch(/old|window|timestamp|stale|replay/i);
		await sleep(1000);
		expect(hasButtons(slack.message(C.ops, approval.ts))).toBe(true);
		expect((await executionFor(APPROVE.description))?.status).toBe('waiting');
	});

	it("ignores a non-approver's click and tells them why", async () => {
		const dave = await click(approval, U.dave, 'odoo_ops_approve');
		expect(dave.status).toBe(200);
		expect(dave.acknowledgedInTime).toBe(true);
		const deadline = Date.now() + 10_000;
		while (ephemeralTo(U.dave).length === 0 && Date.now() < deadline) await sleep(200);
		expect(ephemeralTo(U.dave).join('\n')).toMatch(/changed nothing.*not an approver/i);
		const carol = await click(approval, U.carol, 'odoo_ops_approve');
		expect(carol.status).toBe(200);
		while (ephemeralTo(U.carol).length === 0 && Date.now() < deadline) await sleep(200);
		expect(ephemeralTo(U.carol).join('\n')).toMatch(/changed nothing/i);
		expect(hasButtons(slack.message(C.ops, approval.ts))).toBe(true);
		expect((await executionFor(APPROVE.description))?.status).toBe('waiting');
		expect(chatter('helpdesk.ticket', APPROVE.id).join('\n')).not.toContain('Slack approval');
	});

	it('approves (Alice): the execution leaves through Approved, runs the follow-up, updates Slack and the chatter', async () => {
		const alice = await click(approval, U.alice, 'odoo_ops_approve');
		aliceClick = alice;
		expect(alice.status).toBe(200);
		expect(alice.acknowledgedInTime).toBe(true);
		const e = await waitForExecution(APPROVE.description, ['success', 'error'], 30_000);
		expect(e.status).toBe('success');
		const decided = out(e, 'Request Approval', 0);
		expect(decided).toHaveLength(1);
		expect(decided[0]).toMatchObject({ decision: 'approved', approver: 'identified', decidedBy: { slackUserId: U.alice, name: 'Alice Martin' }, record: { model: 'helpdesk.ticket', id: APPROVE.id } });
		expect(out(e, 'Request Approval', 1)).toHaveLength(0);
		expect(ran(e)).toEqual(expect.arrayContaining(['Run Follow-up', 'Note Executed']));
		expect(ran(e)).not.toContain('Note Rejected');
		// The follow-up ran on the record.
		expect((odoo.records('helpdesk.ticket') as Row[]).find((t) => t.id === APPROVE.id)?.active).toBe(false);
		// Slack: buttons gone, outcome and who shown, thread reply.
		const updated = slack.message(C.ops, approval.ts)!;
		expect(hasButtons(updated)).toBe(false);
		expect(updated.text).toMatch(/Approved by Alice Martin/);
		expect(slack.messages(C.ops).some((m: Row) => m.thread_ts === approval.ts && m.ts !== approval.ts && /Approved by <@U0ALICE>/.test(m.text))).toBe(true);
		// Chatter: the decision (who, when, link) and the execution note.
		const notes = chatter('helpdesk.ticket', APPROVE.id);
		const decision = notes.find((b) => b.includes('Slack approval: approved'))!;
		expect(decision).toContain('Alice Martin (Slack U0ALICE)');
		expect(decision).toMatch(/When: 20\d\d-\d\d-\d\dT/);
		expect(decision).toContain(`https://odoo-ops.slack.com/archives/${C.ops}/p${String(approval.ts).replace('.', '')}`);
		expect(notes.some((b) => b.includes('Executed action_archive') && b.includes('Approved by Alice Martin'))).toBe(true);
		expect(await routerResults()).toContain('resumed');
	});

	it('a second click (Bob) and a replay of Alice\'s click change nothing', async () => {
		const before = chatter('helpdesk.ticket', APPROVE.id).length;
		const bob = await click(approval, U.bob, 'odoo_ops_reject');
		expect(bob.status).toBe(200);
		const deadline = Date.now() + 10_000;
		while (ephemeralTo(U.bob).length === 0 && Date.now() < deadline) await sleep(200);
		expect(ephemeralTo(U.bob).join('\n')).toMatch(/already been decided|no longer waiting/);
		// The same signed bytes again within the window: the approval is no longer waiting.
		expect(ephemeralTo(U.alice)).toHaveLength(0);
		const alice = await slack.resend(aliceClick.request);
		expect(alice.status).toBe(200);
		while (ephemeralTo(U.alice).length === 0 && Date.now() < deadline + 10_000) await sleep(200);
		expect(ephemeralTo(U.alice).join('\n')).toMatch(/no longer waiting|already been decided/);
		expect(chatter('helpdesk.ticket', APPROVE.id)).toHaveLength(before);
		const e = await executionFor(APPROVE.description);
		expect(e?.status).toBe('success');
		expect(out(e!, 'Request Approval', 0)[0].decidedBy.slackUserId).toBe(U.alice);
		expect(slack.message(C.ops, approval.ts)!.text).toMatch(/Approved by Alice Martin/);
		expect((await routerResults()).filter((r) => r === 'resumed')).toHaveLength(1);
	});

	it('rejects (Bob): the execution leaves through Rejected and the chatter says why nothing was done', async () => {
		await start(REJECT);
		const m = await waitForRequest(REJECT.description);
		expect(JSON.stringify(m.blocks)).toContain('Goodwill gesture agreed on the phone');
		await waitForExecution(REJECT.description, ['waiting']);
		const bob = await click(m, U.bob, 'odoo_ops_reject');
		expect(bob.status).toBe(200);
		const e = await waitForExecution(REJECT.description, ['success', 'error'], 30_000);
		expect(e.status).toBe('success');
		expect(out(e, 'Request Approval', 1)[0]).toMatchObject({ decision: 'rejected', decidedBy: { slackUserId: U.bob } });
		expect(ran(e)).toContain('Note Rejected');
		expect(ran(e)).not.toContain('Run Follow-up');
		expect(hasButtons(slack.message(C.ops, m.ts))).toBe(false);
		expect(slack.message(C.ops, m.ts)!.text).toMatch(/Rejected by Bob Okafor/);
		const notes = chatter('helpdesk.ticket', REJECT.id);
		expect(notes.some((b) => b.includes('Slack approval: rejected') && b.includes('Bob Okafor (Slack U0BOB)'))).toBe(true);
		expect(notes.some((b) => b.includes('Not executed: Refund the mailbox migration') && b.includes('Rejected by Bob Okafor'))).toBe(true);
		expect((odoo.records('helpdesk.ticket') as Row[]).find((t) => t.id === REJECT.id)?.active).not.toBe(false);
	});

	it('two approvers clicking at the same moment: one decision wins, once, and the other is told', async () => {
		const RACE = { ...REJECT, description: 'Replace the mailbox quota warning text (two clicks at once)' };
		await start(RACE);
		const m = await waitForRequest(RACE.description);
		await waitForExecution(RACE.description, ['waiting']);
		const decisionsBefore = chatter('helpdesk.ticket', RACE.id).filter((b) => b.includes('Slack approval:')).length;
		const [alice, bob] = await Promise.all([click(m, U.alice, 'odoo_ops_approve'), click(m, U.bob, 'odoo_ops_reject')]);
		expect([alice.status, bob.status]).toEqual([200, 200]);
		const e = await waitForExecution(RACE.description, ['success', 'error'], 30_000);
		expect(e.status).toBe('success');
		const approved = out(e, 'Request Approval', 0).length;
		const rejected = out(e, 'Request Approval', 1).length;
		expect(approved + rejected).toBe(1);
		const winner = approved ? { user: U.alice, loser: U.bob, text: /Approved by Alice Martin/ } : { user: U.bob, loser: U.alice, text: /Rejected by Bob Okafor/ };
		expect(out(e, 'Request Approval', approved ? 0 : 1)[0].decidedBy.slackUserId).toBe(winner.user);
		// The losing click may still be on its way through the router: give it time to be refused.
		const deadline = Date.now() + 15_000;
		while (ephemeralTo(winner.loser).length === 0 && Date.now() < deadline) await sleep(200);
		expect(ephemeralTo(winner.loser).join('\n')).toMatch(/already been decided|no longer waiting/);
		await sleep(1000);
		expect(chatter('helpdesk.ticket', RACE.id).filter((b) => b.includes('Slack approval:'))).toHaveLength(decisionsBefore + 1);
		expect(slack.message(C.ops, m.ts)!.text).toMatch(winner.text);
		expect(hasButtons(slack.message(C.ops, m.ts))).toBe(false);
	});

	it('posts nothing to Slack for a record that does not exist, one without evidence, or a requester governance denies', async () => {
		const before = requests().length;
		const missing = { ...base, id: 999, login_partner_id: W.person.FLOYD_STEWARD, description: 'Approve a ticket that does not exist' };
		const noEvidence = { ...base, id: W.ticket.GEMINI_INVOICE, login_partner_id: W.person.OSCAR_MORGAN, description: 'Credit the Gemini invoice without evidence' };
		const denied = { ...base, id: W.ticket.DECO_PRINTER, login_partner_id: W.person.FUNMILAYO_ADEYEMI, description: 'Approve a Deco ticket from Wood Corner' };
		await Promise.all([start(missing), start(noEvidence), start(denied)]);
		const [m, ne, d] = await Promise.all([
			waitForExecution(missing.description, ['error', 'success', 'waiting'], 30_000),
			waitForExecution(noEvidence.description, ['error', 'success', 'waiting'], 30_000),
			waitForExecution(denied.description, ['error', 'success', 'waiting'], 30_000),
		]);
		expect([m.status, ne.status, d.status]).toEqual(['error', 'error', 'error']);
		expect(m.data.resultData.lastNodeExecuted).toBe('Get Record');
		expect(m.data.resultData.error.message).toMatch(/999|does not exist/);
		expect(ne.data.resultData.lastNodeExecuted).toBe('Request Approval');
		expect(ne.data.resultData.error.message).toMatch(/no evidence attached.*Nothing was posted to Slack/);
		expect(d.data.resultData.lastNodeExecuted).toBe('Governance Denied');
		expect(d.data.resultData.error.message).toMatch(/Governance denied/);
		expect(ran(d)).not.toContain('Request Approval');
		await sleep(500);
		expect(requests().length).toBe(before);
		for (const x of [missing, noEvidence, denied]) expect(JSON.stringify(slack.messages())).not.toContain(x.description);
	});

	it('times out (one-minute limit): Timed Out, Slack closed, chatter notes', async () => {
		const m = await waitForRequest(TIMEOUT.description);
		const e = await waitForExecution(TIMEOUT.description, ['success', 'error'], 150_000);
		expect(e.status).toBe('success');
		expect(out(e, 'Request Approval', 2)[0]).toMatchObject({ decision: 'timed-out', approver: 'none', finalized: false });
		expect(out(e, 'Request Approval', 0)).toHaveLength(0);
		expect(ran(e)).toEqual(expect.arrayContaining(['Record Timeout', 'Note Timed Out']));
		expect(ran(e)).not.toContain('Run Follow-up');
		expect(hasButtons(slack.message(C.ops, m.ts))).toBe(false);
		const notes = chatter('helpdesk.ticket', TIMEOUT.id);
		expect(notes.some((b) => b.includes('Slack approval: timed-out') || /timed out/i.test(b))).toBe(true);
		expect(notes.some((b) => b.includes('Not executed: Send the mailbox quota warning') && b.includes('Nobody decided'))).toBe(true);
		// A click after the timeout changes nothing.
		const told = ephemeralTo(U.alice).length;
		const late = await click(m, U.alice, 'odoo_ops_approve');
		expect(late.status).toBe(200);
		const deadline = Date.now() + 10_000;
		while (ephemeralTo(U.alice).length === told && Date.now() < deadline) await sleep(200);
		expect(ephemeralTo(U.alice).slice(told).join('\n')).toMatch(/expired|already been decided|no longer waiting/);
		expect((await executionFor(TIMEOUT.description))?.status).toBe('success');
	});

	it('survives an n8n restart while the approval waits, then finishes when approved', async () => {
		await start(RESTART);
		const m = await waitForRequest(RESTART.description);
		await waitForExecution(RESTART.description, ['waiting']);
		const t = Date.now();
		await n8n.stop();
		restarted = await restartN8n(n8n);
		log(`record-first approval: n8n restarted on the same folder in ${((Date.now() - t) / 1000).toFixed(1)}s`);
		expect((await executionFor(RESTART.description))?.status).toBe('waiting');
		// The router's webhook is registered again once the published workflows are activated.
		let alice;
		const deadline = Date.now() + 60_000;
		for (;;) {
			alice = await click(m, U.alice, 'odoo_ops_approve');
			if (alice.status !== 404 || Date.now() > deadline) break;
			await sleep(1000);
		}
		expect(alice.status).toBe(200);
		const e = await waitForExecution(RESTART.description, ['success', 'error'], 60_000);
		expect(e.status).toBe('success');
		expect(out(e, 'Request Approval', 0)[0]).toMatchObject({ decision: 'approved', decidedBy: { slackUserId: U.alice } });
		expect(ran(e)).toContain('Note Executed');
		expect(hasButtons(slack.message(C.ops, m.ts))).toBe(false);
		expect(chatter('helpdesk.ticket', RESTART.id).some((b) => b.includes('Slack approval: approved') && b.includes('Extend the mailbox quota'))).toBe(true);
	});
});

/**
 * `n8n start` again on a stopped handle's folder and port, with the harness's settings (QUIET_ENV and the encryption
 * key). Resolves once n8n is ready; the caller kills the group.
 */
async function restartN8n(h: N8nHandle): Promise<ChildProcess> {
	const url = h.url;
	const env: NodeJS.ProcessEnv = {
		...h.runtime.env,
		...QUIET_ENV,
		HOME: h.userFolder,
		N8N_USER_FOLDER: h.userFolder,
		N8N_PORT: String(h.port),
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	const child = spawn(h.runtime.node, [h.runtime.n8nBin, 'start'], { cwd: h.userFolder, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	const keep = (d: Buffer) => {
		output += d.toString();
		if (process.env.ODOO_OPS_E2E_VERBOSE === '1') process.stderr.write(d);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`restarted n8n exited ${child.exitCode}:\n${output.slice(-3000)}`);
		try {
			const r = await fetch(`${url}/healthz/readiness`);
			if (r.status === 200) {
				const api = await h.api('GET', '/workflows?limit=1', undefined, true);
				if (api.status === 200) return child;
			}
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				/* gone */
			}
			throw new Error(`restarted n8n not ready after 180 s:\n${output.slice(-3000)}`);
		}
		await sleep(500);
	}
}
