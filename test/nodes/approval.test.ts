import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { APPROVAL_BLOCK_ID, APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../lib/approvals';
import { decodeButtonValue, signResumeBody } from '../../lib/n8n/approvalProtocol';
import { setSlackRetryOverride } from '../../lib/n8n/slack';
import { OdooOpsApproval } from '../../nodes/OdooOpsApproval/OdooOpsApproval.node';
import { fakeExecuteFunctions } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';
import { SEED_IDS, startSlackSandbox, type SlackSandbox } from '../sandboxes/slack';
import { runUntilWait, startWaitingWebhooks, type WaitingWebhooks } from '../helpers/approvalHarness';

const node = new OdooOpsApproval();
const odoo = useOdooSandbox();
const { users: U, channels: C, usergroups: G } = SEED_IDS;

let slack: SlackSandbox;
let waiting: WaitingWebhooks;
let credentials: ICredentialDataDecryptedObject;

beforeAll(async () => {
	setSlackRetryOverride({ retries: 0 });
	slack = await startSlackSandbox();
	waiting = await startWaitingWebhooks();
	credentials = { ...credentialsFor(odoo.get()), botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.url };
});
afterAll(async () => {
	setSlackRetryOverride(undefined);
	await waiting.close();
	await slack.close();
});
beforeEach(() => slack.reset());

const HELPDESK_ROW = {
	app: 'Helpdesk',
	status: 'mapped',
	gate: 'Legal/financial/customer-facing actions need approval.',
	actions: ['legal', 'payment', 'customer-facing'],
	channel: C.ops,
	models: ['helpdesk.ticket'],
	approvers: { users: [U.bob], usergroups: [G.finance] },
};
const TABLE = JSON.stringify([HELPDESK_ROW]);

function requestParams(extra: INodeParameters = {}): INodeParameters {
	return {
		operation: 'sendAndWait',
		gateTableSource: 'custom',
		gateTable: TABLE,
		app: 'Helpdesk',
		actionKind: 'customer-facing',
		recordModel: 'helpdesk.ticket',
		recordId: 1,
		description: 'Offer the customer a replacement printer',
		requester: U.carol,
		limitAmount: 2,
		limitUnit: 'hours',
		...extra,
	};
}

async function run(parameters: INodeParameters) {
	const { context } = fakeExecuteFunctions({ nodeType: node, parameters, credentials });
	return await node.execute.call(context);
}

const chatter = (model: string, id: number) =>
	odoo
		.get()
		.records('mail.message')
		.filter((m: Record<string, unknown>) => m.model === model && m.res_id === id)
		.map((m: Record<string, unknown>) => String(m.body));

describe('Evaluate Gate and Command Room Status', () => {
	it('answers from the default gate table', async () => {
		const [[item]] = await run({ operation: 'evaluateGate', app: 'Invoicing', actionKind: 'send' });
		expect(item.json).toMatchObject({ needsApproval: true, app: 'Accounting / Invoicing / Expenses', channel: '#mlg-finance-review', status: 'mapped' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('uses a custom table, with the threshold', async () => {
		const table = JSON.stringify([{ app: 'Purchase', status: 'pending', actions: ['purchase-over-threshold'], channel: '#fin', approvers: { users: [U.alice] }, threshold: 1000, currency: 'EUR' }]);
		const [[under]] = await run({ operation: 'evaluateGate', gateTableSource: 'custom', gateTable: table, app: 'Purchase', actionKind: 'purchase-over-threshold', amount: 900 });
		expect(under.json).toMatchObject({ needsApproval: false });
		const [[over]] = await run({ operation: 'evaluateGate', gateTableSource: 'custom', gateTable: table, app: 'Purchase', actionKind: 'purchase-over-threshold', amount: 1500 });
		expect(over.json).toMatchObject({ needsApproval: true, channel: '#fin', approvers: { users: [U.alice], usergroups: [] } });
	});

	it('names the bad row of an invalid table', async () => {
		const bad = JSON.stringify([HELPDESK_ROW, { app: 'Sign', status: 'maybe', actions: ['sign'], channel: '#x', approvers: {} }]);
		await expect(run({ operation: 'evaluateGate', gateTableSource: 'custom', gateTable: bad, app: 'Sign', actionKind: 'sign' })).rejects.toThrow(/Row 2 \(app 'Sign'\): 'status'/);
	});

	it('builds the command room status from the table in use', async () => {
		const [[item]] = await run({ operation: 'commandRoomStatus' });
		expect(item.json).toMatchObject({ appsTracked: 10, appsMapped: 3, appsPending: 6, appsInReview: 1, flowsMapped: 3 });
		expect(String(item.json.markdown)).toContain('| Odoo apps tracked | 10 |');
	});
});

describe('Post Message and Update Message', () => {
	it('posts, replies in the thread and updates', async () => {
		const [[posted]] = await run({ operation: 'postMessage', channel: C.ops, text: 'Patch window opens at 22:00' });
		const ts = String(posted.json.ts);
		await run({ operation: 'postMessage', channel: C.ops, text: 'Started', threadTs: ts });
		await run({ operation: 'updateMessage', channel: C.ops, ts, text: 'Patch window closed', blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: '*closed*' } }]) });
		const [parent, reply] = slack.messages(C.ops);
		expect(parent.text).toBe('Patch window closed');
		expect(reply.thread_ts).toBe(ts);
		expect(reply.orphan).toBeUndefined();
	});

	it("turns Slack's error into a message that says what to do", async () => {
		await expect(run({ operation: 'postMessage', channel: C.general, text: 'hi' })).rejects.toThrow(/invite the bot/);
	});
});

describe('Request Approval: record first', () => {
	it('refuses a record that does not exist and posts nothing', async () => {
		await expect(run(requestParams({ recordId: 99999 }))).rejects.toThrow(/helpdesk.ticket #99999 does not exist.*Nothing was posted to Slack/);
		expect(slack.messages()).toHaveLength(0);
		expect(slack.calls('chat.postMessage')).toHaveLength(0);
	});

	it('refuses a record without evidence and posts nothing', async () => {
		await expect(run(requestParams({ recordId: 3 }))).rejects.toThrow(/has no evidence attached/);
		expect(slack.calls('chat.postMessage')).toHaveLength(0);
	});

	it('refuses an unknown model with the Odoo error, posting nothing', async () => {
		await expect(run(requestParams({ recordModel: 'no.such.model' }))).rejects.toThrow(/Record first: could not read no.such.model #1/);
		expect(slack.calls('chat.postMessage')).toHaveLength(0);
	});

	it('refuses when the gate names nobody who could approve', async () => {
		await expect(run(requestParams({ gateTableSource: 'default' }))).rejects.toThrow(/names no approvers/);
		expect(slack.calls('chat.postMessage')).toHaveLength(0);
	});

	it('posts the request with a token on both buttons and waits until the limit', async () => {
		const before = Date.now();
		const r = await runUntilWait(waiting, { nodeType: node, parameters: requestParams(), credentials });
		expect(r.output).toEqual([[], [], []]);
		expect(r.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 2 * 3600_000);
		expect(r.waitTill!.getTime()).toBeLessThan(Date.now() + 2 * 3600_000 + 1000);

		const [message] = slack.messages(C.ops);
		const text = JSON.stringify(message.blocks);
		expect(text).toContain('Printer does not print');
		expect(text).toContain('printer-error.png');
		expect(text).toContain(`<@${U.carol}>`);
		const actions = (message.blocks as Array<IDataObject>).find((b) => b.block_id === APPROVAL_BLOCK_ID) as { elements: Array<{ action_id: string; value: string; url?: string }> };
		expect(actions.elements.map((e) => e.action_id)).toEqual([APPROVE_ACTION_ID, REJECT_ACTION_ID]);
		const value = actions.elements[0].value;
		expect(actions.elements[1].value).toBe(value);
		expect(actions.elements[0].url).toBeUndefined();
		expect(value.length).toBeLessThanOrEqual(2000);

		const decoded = decodeButtonValue(value, slack.signingSecret, Date.now());
		if (!decoded.ok) throw new Error(decoded.reason);
		expect(decoded.claims).toMatchObject({ model: 'helpdesk.ticket', id: 1, expires: r.waitTill!.getTime() });
		expect(decoded.executionId).toBe(r.execution!.executionId);
		expect(decoded.context).toMatchObject({ r: U.carol, au: [U.bob], ag: [G.finance], s: false });
		expect(decoded.context.u).toBe(waiting.signedResumeUrl(r.execution!.executionId, r.execution!.nodeId));
		expect(decodeButtonValue(value, 'another-signing-secret-0000', Date.now())).toMatchObject({ ok: false, code: 'forged' });
		expect(decodeButtonValue(value, slack.signingSecret, r.waitTill!.getTime() + 1)).toMatchObject({ ok: false, code: 'expired' });
	});

	it('accepts an explicit "no evidence needed" reason', async () => {
		await runUntilWait(waiting, { nodeType: node, parameters: requestParams({ recordId: 3, noEvidenceReason: 'Phone call, nothing to attach' }), credentials });
		expect(JSON.stringify(slack.messages(C.ops)[0].blocks)).toContain('None needed: Phone call, nothing to attach');
	});
});

describe('Request Approval: resume', () => {
	async function waitingRequest(parameters: INodeParameters = requestParams()) {
		const r = await runUntilWait(waiting, { nodeType: node, parameters, credentials });
		const message = slack.messages(C.ops).at(-1)!;
		const actions = (message.blocks as Array<IDataObject>).find((b) => b.block_id === APPROVAL_BLOCK_ID) as { elements: Array<{ value: string; url?: string }> };
		return { ...r, message, value: actions.elements[0].value, urls: actions.elements.map((e) => e.url) };
	}

	const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('an authenticated decision resumes on Approved, closes the Slack message and writes the chatter', async () => {
		const r = await waitingRequest();
		const ctx = decodeButtonValue(r.value, slack.signingSecret, Date.now());
		if (!ctx.ok) throw new Error(ctx.reason);
		const body = signResumeBody({ v: 1, decision: 'approved', value: r.value, user: { id: U.alice, name: 'alice' }, channel: r.message.channel, ts: r.message.ts, decidedAt: new Date().toISOString() }, slack.signingSecret);
		const res = await post(ctx.context.u, body);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ resumed: true, decision: 'approved' });

		const [approved, rejected, timedOut] = r.execution!.outputs!;
		expect(rejected).toEqual([]);
		expect(timedOut).toEqual([]);
		expect(approved[0].pairedItem).toEqual({ item: 0 });
		expect(approved[0].json).toMatchObject({
			decision: 'approved',
			approver: 'identified',
			decidedBy: { slackUserId: U.alice, name: 'Alice Martin' },
			slack: { channel: C.ops, ts: r.message.ts, permalink: expect.stringContaining('/archives/C0OPS/p') },
			record: { model: 'helpdesk.ticket', id: 1, name: 'HT00001 - Printer does not print', url: expect.stringContaining('/odoo/helpdesk.ticket/1') },
			finalized: true,
		});
		expect(approved[0].json.warnings).toBeUndefined();

		const updated = slack.message(C.ops, r.message.ts)!;
		expect(JSON.stringify(updated.blocks)).not.toContain(APPROVAL_BLOCK_ID);
		expect(updated.text).toMatch(/^Approved by Alice Martin/);
		const reply = slack.messages(C.ops).find((m) => m.thread_ts === r.message.ts && m.ts !== r.message.ts)!;
		expect(reply.text).toContain(`Approved by <@${U.alice}>`);
		const entry = chatter('helpdesk.ticket', 1).at(-1)!;
		expect(entry).toContain('Slack approval: approved');
		expect(entry).toContain('Alice Martin (Slack U0ALICE)');
		expect(entry).toContain('<a href="https://odoo-ops.slack.com/archives/C0OPS/p');

		// n8n lets a resume URL work once; the node is not called again.
		const again = await post(ctx.context.u, body);
		expect(await again.text()).toContain('No action required');
		expect(r.execution!.calls).toHaveLength(1);
	});

	it('refuses a decision not signed with our key, a stale one, or one for another approval, and keeps waiting', async () => {
		const a = await waitingRequest();
		const b = await waitingRequest();
		const chatterBefore = chatter('helpdesk.ticket', 1).length;
		const decode = (v: string) => {
			const d = decodeButtonValue(v, slack.signingSecret, Date.now());
			if (!d.ok) throw new Error(d.reason);
			return d.context.u;
		};
		const base = { v: 1 as const, decision: 'approved' as const, value: a.value, user: { id: U.alice }, channel: C.ops, ts: a.message.ts, decidedAt: new Date().toISOString() };
		const forged = signResumeBody(base, 'not-the-slack-signing-secret');
		const unsigned = { ...base, mac: undefined };
		const stale = signResumeBody({ ...base, decidedAt: new Date(Date.now() - 10 * 60_000).toISOString() }, slack.signingSecret);
		const otherApproval = signResumeBody(base, slack.signingSecret);
		const tampered = { ...signResumeBody(base, slack.signingSecret), user: { id: U.bob } };

		for (const body of [forged, unsigned, stale, tampered]) {
			const res = await post(decode(a.value), body);
			expect(res.status).toBe(403);
		}
		const res = await post(decode(b.value), otherApproval);
		expect(res.status).toBe(403);
		expect(await res.json()).toMatchObject({ resumed: false, reason: 'The approval decision belongs to another approval' });

		// A plain GET of the URL (someone who read it out of the button) cannot decide either.
		const get = await fetch(decode(a.value));
		expect(get.status).toBe(403);

		expect(a.execution!.state).toBe('waiting');
		expect(b.execution!.state).toBe('waiting');
		expect(slack.calls('chat.update')).toHaveLength(0);
		expect(chatter('helpdesk.ticket', 1)).toHaveLength(chatterBefore);
	});

	it('a rejection leaves on Rejected', async () => {
		const r = await waitingRequest();
		const d = decodeButtonValue(r.value, slack.signingSecret, Date.now());
		if (!d.ok) throw new Error(d.reason);
		await post(d.context.u, signResumeBody({ v: 1, decision: 'rejected', value: r.value, user: { id: U.bob }, channel: C.ops, ts: r.message.ts, decidedAt: new Date().toISOString() }, slack.signingSecret));
		const [approved, rejected] = r.execution!.outputs!;
		expect(approved).toEqual([]);
		expect(rejected[0].json).toMatchObject({ decision: 'rejected', decidedBy: { slackUserId: U.bob, name: 'Bob Okafor' } });
		expect(chatter('helpdesk.ticket', 1).at(-1)).toContain('Slack approval: rejected');
	});

	it('a timeout leaves on Timed Out, and Record Timeout closes the message and the chatter', async () => {
		const r = await waitingRequest();
		const [approved, rejected, timedOut] = r.timeOut();
		expect(approved).toEqual([]);
		expect(rejected).toEqual([]);
		expect(timedOut[0].json).toMatchObject({
			decision: 'timed-out',
			decidedBy: null,
			approver: 'none',
			decidedAt: r.waitTill!.toISOString(),
			slack: { channel: C.ops, ts: r.message.ts },
			record: { model: 'helpdesk.ticket', id: 1 },
			finalized: false,
		});

		const { context } = fakeExecuteFunctions({ nodeType: node, parameters: { operation: 'recordTimeout' }, credentials, items: timedOut });
		const [[closed]] = await node.execute.call(context);
		expect(closed.json).toMatchObject({ decision: 'timed-out', finalized: true });
		const updated = slack.message(C.ops, r.message.ts)!;
		expect(updated.text).toMatch(/^Timed out/);
		expect(JSON.stringify(updated.blocks)).not.toContain(APPROVAL_BLOCK_ID);
		expect(chatter('helpdesk.ticket', 1).at(-1)).toContain('Slack approval: timed out');
	});

	it('link-button fallback: the signed link decides, recorded as an unknown approver', async () => {
		const r = await waitingRequest(requestParams({ approveVia: 'link' }));
		const [approveUrl, rejectUrl] = r.urls as string[];
		expect(approveUrl).toContain('decision=approved');
		expect(rejectUrl).toContain('decision=rejected');
		expect(approveUrl).toContain(`ts=${r.message.ts}`);

		const tampered = approveUrl.replace('decision=approved', 'decision=rejected');
		expect((await fetch(tampered)).status).toBe(401);

		const res = await fetch(approveUrl);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Approved: HT00001 - Printer does not print');
		const [approved] = r.execution!.outputs!;
		expect(approved[0].json).toMatchObject({ decision: 'approved', approver: 'unknown', decidedBy: null });
		expect(chatter('helpdesk.ticket', 1).at(-1)).toContain('unknown (link button');
		expect(slack.message(C.ops, r.message.ts)!.text).toMatch(/^Approved by an unknown approver/);

		expect(await (await fetch(rejectUrl)).text()).toContain('No action required');
	});
});
