/**
 * The whole click path over real HTTP: the Slack sandbox delivers signed block_actions to the trigger's webhook(), the
 * trigger resumes the waiting Request Approval through its signed URL, and the approval's webhook() closes the request
 * in Slack and Odoo.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { APPROVAL_BLOCK_ID, APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../lib/approvals';
import { encodeButtonValue } from '../../lib/n8n/approvalProtocol';
import { setSlackRetryOverride } from '../../lib/n8n/slack';
import { OdooOpsApproval } from '../../nodes/OdooOpsApproval/OdooOpsApproval.node';
import { SlackInteractionTrigger } from '../../nodes/SlackInteractionTrigger/SlackInteractionTrigger.node';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';
import { SEED_IDS, startSlackSandbox, type SlackSandbox } from '../sandboxes/slack';
import { runUntilWait, startTriggerEndpoint, startWaitingWebhooks, type WaitingWebhooks } from '../helpers/approvalHarness';

const approvalNode = new OdooOpsApproval();
const triggerNode = new SlackInteractionTrigger();
const odoo = useOdooSandbox();
const { users: U, channels: C, usergroups: G } = SEED_IDS;

let slack: SlackSandbox;
let waiting: WaitingWebhooks;
let trigger: Awaited<ReturnType<typeof startTriggerEndpoint>>;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	setSlackRetryOverride({ retries: 0 });
	slack = await startSlackSandbox();
	waiting = await startWaitingWebhooks();
	credentials = { ...credentialsFor(odoo.get()), botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.url };
	trigger = await startTriggerEndpoint({ nodeType: triggerNode, parameters: {}, credentials, nodeId: 'trigger-node' });
});
afterAll(async () => {
	setSlackRetryOverride(undefined);
	await trigger.close();
	await waiting.close();
	await slack.close();
});
beforeEach(() => {
	slack.reset();
	trigger.calls.length = 0;
});

function table(row: IDataObject = {}): string {
	return JSON.stringify([
		{ app: 'Helpdesk', status: 'mapped', actions: ['customer-facing'], channel: C.ops, models: ['helpdesk.ticket'], approvers: { users: [U.bob], usergroups: [G.finance] }, ...row },
	]);
}

async function request(parameters: INodeParameters = {}) {
	const r = await runUntilWait(waiting, {
		nodeType: approvalNode,
		credentials,
		parameters: {
			operation: 'sendAndWait',
			gateTableSource: 'custom',
			gateTable: table(),
			app: 'Helpdesk',
			actionKind: 'customer-facing',
			recordModel: 'helpdesk.ticket',
			recordId: 2,
			description: 'Refund the VPN subscription',
			requester: U.carol,
			limitAmount: 1,
			limitUnit: 'hours',
			...parameters,
		},
	});
	const message = slack.messages(C.ops).at(-1)!;
	return { ...r, ts: message.ts };
}

const click = (ts: string, user: string, actionId = APPROVE_ACTION_ID, extra: Partial<Parameters<SlackSandbox['sendBlockAction']>[0]> = {}) =>
	slack.sendBlockAction({ url: trigger.url, user, channel: C.ops, messageTs: ts, actionId, ...extra });

const emitted = (i: number) => trigger.calls[i].result?.workflowData?.[0][0].json;

describe('Slack Interaction Trigger', () => {
	it('an approver in the user group approves: acknowledged at once, resumed on Approved, with who decided', async () => {
		const r = await request();
		const delivered = await click(r.ts, U.alice);
		expect(delivered.status).toBe(200);
		expect(delivered.acknowledgedInTime).toBe(true);
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'resumed', decision: 'approved', user: { id: U.alice }, via: 'usergroup', group: G.finance, approval: { model: 'helpdesk.ticket', id: 2 } });

		expect(r.execution!.state).toBe('resumed');
		const [approved] = r.execution!.outputs!;
		expect(approved[0].json).toMatchObject({ decision: 'approved', decidedBy: { slackUserId: U.alice, name: 'Alice Martin' }, slack: { channel: C.ops, ts: r.ts } });
		expect(JSON.stringify(slack.message(C.ops, r.ts)!.blocks)).not.toContain(APPROVAL_BLOCK_ID);
		const entry = odoo
			.get()
			.records('mail.message')
			.filter((m: Record<string, unknown>) => m.model === 'helpdesk.ticket' && m.res_id === 2)
			.map((m: Record<string, unknown>) => String(m.body))
			.at(-1);
		expect(entry).toContain('Slack approval: approved');
		expect(entry).toContain('Alice Martin (Slack U0ALICE)');
	});

	it('a named approver rejects: resumed on Rejected', async () => {
		const r = await request();
		await click(r.ts, U.bob, REJECT_ACTION_ID);
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'resumed', decision: 'rejected', via: 'user' });
		expect(r.execution!.outputs![1][0].json).toMatchObject({ decision: 'rejected', decidedBy: { slackUserId: U.bob } });
	});

	it.each([
		['a forged signature', { signingSecret: 'not-the-app-signing-secret-0000' }],
		['a body changed after signing (impersonating an approver)', { tamper: 'body' as const }],
		['a request older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
		['a moved timestamp', { tamper: 'timestamp' as const }],
	])('%s gets 401 and changes nothing', async (_name, extra) => {
		const r = await request();
		const delivered = await click(r.ts, U.dave, APPROVE_ACTION_ID, extra);
		expect(delivered.status).toBe(401);
		await trigger.settled(1);
		expect(trigger.calls[0].result?.workflowData).toBeUndefined();
		expect(r.execution!.state).toBe('waiting');
		expect(r.execution!.calls).toHaveLength(0);
		expect(slack.calls('chat.update')).toHaveLength(0);
	});

	it('a replay of a valid click after 5 minutes is refused', async () => {
		const r = await request();
		const first = await click(r.ts, U.dave);
		await trigger.settled(1);
		// The same bytes, but signed as if 6 minutes ago: what a captured request looks like later.
		const old = await click(r.ts, U.alice, APPROVE_ACTION_ID, { timestamp: Math.floor(Date.now() / 1000) - 360 });
		expect(first.status).toBe(200);
		expect(old.status).toBe(401);
		expect(r.execution!.state).toBe('waiting');
	});

	it('an outsider is told why, and nothing changes', async () => {
		const r = await request();
		expect((await click(r.ts, U.dave)).status).toBe(200);
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'refused', code: 'not-an-approver' });
		expect(slack.ephemeral(U.dave)[0].text).toMatch(/You are not an approver for this gate/);
		expect(r.execution!.state).toBe('waiting');
		expect(r.execution!.calls).toHaveLength(0);
		expect(slack.message(C.ops, r.ts)!.history).toHaveLength(1);
	});

	it('the requester cannot approve their own request unless the gate allows it', async () => {
		const r = await request({ requester: U.bob });
		await click(r.ts, U.bob);
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'refused', code: 'not-an-approver' });
		expect(slack.ephemeral(U.bob)[0].text).toMatch(/You asked for this approval/);
		expect(r.execution!.state).toBe('waiting');

		const allowed = await request({ requester: U.bob, gateTable: table({ allowSelfApproval: true }) });
		await click(allowed.ts, U.bob);
		await trigger.settled(2);
		expect(emitted(1)).toMatchObject({ result: 'resumed' });
		expect(allowed.execution!.state).toBe('resumed');
	});

	it('a second click after the decision changes nothing, whether Slack sends the old or the new message', async () => {
		const r = await request();
		const first = await click(r.ts, U.alice);
		await trigger.settled(1);
		// Bob's client still shows the buttons: Slack sends the updated message, which has none.
		const late = await click(r.ts, U.bob, REJECT_ACTION_ID);
		expect(late.staleButton).toBe(true);
		await trigger.settled(2);
		expect(emitted(1)).toMatchObject({ result: 'refused', code: 'already-decided' });
		expect(slack.ephemeral(U.bob)[0].text).toMatch(/already been decided/);
		// The very same request again within the window (its message copy still shows buttons): n8n's resume URL is spent.
		await slack.resend(first.request);
		await trigger.settled(3);
		expect(emitted(2)).toMatchObject({ result: 'refused', code: 'not-waiting' });
		expect(r.execution!.calls).toHaveLength(1);
		expect(r.execution!.outputs![0]).toHaveLength(1);
		expect(r.execution!.outputs![1]).toHaveLength(0);
	});

	it("a token lifted from another approval's message is refused", async () => {
		const a = await request();
		const b = await request();
		const valueA = (slack.message(C.ops, a.ts)!.blocks as Array<{ block_id?: string; elements?: Array<{ value: string }> }>).find((x) => x.block_id === APPROVAL_BLOCK_ID)!.elements![0].value;
		await click(b.ts, U.alice, APPROVE_ACTION_ID, { value: valueA, force: true });
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'refused', code: 'other-approval' });
		expect(a.execution!.state).toBe('waiting');
		expect(b.execution!.state).toBe('waiting');
	});

	it('a forged or expired token gets an ephemeral explanation and no resume', async () => {
		const r = await request();
		const value = (slack.message(C.ops, r.ts)!.blocks as Array<{ block_id?: string; elements?: Array<{ value: string }> }>).find((x) => x.block_id === APPROVAL_BLOCK_ID)!.elements![0].value;
		const parts = value.split('.');
		parts[2] = `${parts[2][0] === 'A' ? 'B' : 'A'}${parts[2].slice(1)}`;
		await click(r.ts, U.alice, APPROVE_ACTION_ID, { value: parts.join('.'), force: true });
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'refused', code: 'forged' });
		expect(slack.ephemeral(U.alice)[0].text).toMatch(/cannot be used/);

		const expired = encodeButtonValue({ executionId: r.execution!.executionId, nodeId: r.execution!.nodeId, model: 'helpdesk.ticket', id: 2, expires: Date.now() - 1000, context: { u: 'http://127.0.0.1:1/', au: [U.alice], ag: [], s: false } }, slack.signingSecret);
		await click(r.ts, U.alice, APPROVE_ACTION_ID, { value: expired, force: true });
		await trigger.settled(2);
		expect(emitted(1)).toMatchObject({ result: 'refused', code: 'expired' });
		expect(r.execution!.state).toBe('waiting');
	});

	it('clicks on buttons that are not approvals are acknowledged and ignored', async () => {
		const posted = await slack.postAs(U.carol, C.ops, 'hello');
		const res = await click(posted.ts, U.alice, 'something_else', { force: true, value: 'x' });
		expect(res.status).toBe(200);
		await trigger.settled(1);
		expect(emitted(0)).toMatchObject({ result: 'ignored' });
	});
});
