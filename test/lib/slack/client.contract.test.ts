/**
 * lib/slack/client.ts against the Slack sandbox (which answers like slack.com): the calls the approval pipeline makes,
 * Slack's errors turned into messages a workflow builder can act on, and rate limits retried after Retry-After.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	APPROVE_ACTION_ID,
	approvalMessage,
	checkApprover,
	createApprovalToken,
	decisionMessage,
	deriveApprovalSecret,
	verifyApprovalToken,
	type RecordSnapshot,
} from '../../../lib/approvals';
import { SlackOpsError, createSlackClient, parseInteraction, verifySlackRequest, type SlackOpsClient } from '../../../lib/slack';
import { SEED_IDS, startSlackSandbox, validateBlocks, type SlackSandbox } from '../../sandboxes/slack';

const { users: U, channels: C, usergroups: S } = SEED_IDS;

let sb: SlackSandbox;
let slack: SlackOpsClient;
beforeAll(async () => {
	sb = await startSlackSandbox();
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.reset();
	slack = createSlackClient({ token: sb.botToken, apiUrl: sb.url, retries: 2, minRetryDelayMs: 10, maxRetryDelayMs: 20 });
});

async function failure(p: Promise<unknown>): Promise<SlackOpsError> {
	try {
		await p;
	} catch (e) {
		expect(e).toBeInstanceOf(SlackOpsError);
		return e as SlackOpsError;
	}
	throw new Error('expected a SlackOpsError');
}

describe('calls', () => {
	test('authTest identifies the bot', async () => {
		expect(await slack.authTest()).toEqual({ teamId: 'T0ODOOOPS', team: 'Odoo Ops', userId: SEED_IDS.bot.userId, botId: SEED_IDS.bot.botId, url: 'https://odoo-ops.slack.com/' });
	});

	test('postMessage returns the channel id and a string ts; updateMessage with blocks: [] removes the buttons', async () => {
		const posted = await slack.postMessage({ channel: '#approvals-finance', text: 'Approve?', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Approve' }, value: 't' }] }] });
		expect(posted.channel).toBe(C.finance);
		expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
		const updated = await slack.updateMessage({ channel: posted.channel, ts: posted.ts, text: 'Approved', blocks: [] });
		expect(updated).toEqual(posted);
		const stored = sb.message(C.finance, posted.ts)!;
		expect(stored.blocks).toBeUndefined();
		expect(stored.history.map((h) => h.via)).toEqual(['chat.postMessage', 'chat.update']);
	});

	test('a thread reply with the parent ts as a string lands in the thread (not orphaned)', async () => {
		const parent = await slack.postMessage({ channel: C.finance, text: 'parent' });
		const reply = await slack.postMessage({ channel: C.finance, text: 'reply', threadTs: parent.ts });
		const stored = sb.message(C.finance, reply.ts)!;
		expect(stored.thread_ts).toBe(parent.ts);
		expect(stored.orphan).toBeUndefined();
		expect(sb.message(C.finance, parent.ts)?.reply_count).toBe(1);
	});

	test('a numeric thread ts is refused before it reaches Slack (where it would be silently orphaned)', async () => {
		const parent = await slack.postMessage({ channel: C.finance, text: 'parent' });
		const e = await failure(slack.postMessage({ channel: C.finance, text: 'reply', threadTs: Number(parent.ts) as unknown as string }));
		expect(e.kind).toBe('invalid-argument');
		expect(e.message).toMatch(/must be a Slack ts string/);
		expect(sb.calls('chat.postMessage')).toHaveLength(1);
	});

	test('postEphemeral reaches one user; permalink; usergroup members; user info', async () => {
		const posted = await slack.postMessage({ channel: C.finance, text: 'Approve?' });
		const eph = await slack.postEphemeral({ channel: C.finance, user: U.dave, text: 'You are not an approver', threadTs: posted.ts });
		expect(eph.messageTs).toMatch(/^\d{10}\.\d{6}$/);
		expect(sb.ephemeral(U.dave)).toEqual([expect.objectContaining({ channel: C.finance, text: 'You are not an approver', thread_ts: posted.ts })]);
		expect(await slack.permalink(C.finance, posted.ts)).toBe(`https://odoo-ops.slack.com/archives/${C.finance}/p${posted.ts.replace('.', '')}`);
		expect(await slack.usergroupMembers(S.approvers)).toEqual([U.alice, U.bob]);
		expect(await slack.usergroupMembers(S.empty)).toEqual([]);
		expect(await slack.userInfo(U.alice)).toEqual({ id: U.alice, name: 'alice', realName: 'Alice Martin', deleted: false, isBot: false, teamId: 'T0ODOOOPS', email: 'alice@odoo-ops.example' });
		expect((await slack.userInfo(U.gone)).deleted).toBe(true);
	});

	test('the base URL may omit its trailing slash', async () => {
		const c = createSlackClient({ token: sb.botToken, apiUrl: sb.url.replace(/\/$/, ''), retries: 0 });
		expect((await c.authTest()).teamId).toBe('T0ODOOOPS');
	});
});

describe('errors in words a builder can act on', () => {
	test('channel_not_found (unknown, or private without the bot): invite the bot', async () => {
		for (const channel of ['C0NOPE', C.secret]) {
			const e = await failure(slack.postMessage({ channel, text: 'x' }));
			expect(e).toMatchObject({ kind: 'platform', code: 'channel_not_found', method: 'chat.postMessage' });
			expect(e.message).toBe(`Slack channel ${channel} not found or the bot is not in it: invite the bot`);
		}
	});

	test('not_in_channel, user_not_in_channel, no_such_subteam, message_not_found, user_not_found', async () => {
		expect((await failure(slack.postMessage({ channel: C.general, text: 'x' }))).message).toMatch(/^The bot is not a member of Slack channel C0GENERAL: invite the bot/);
		expect((await failure(slack.postEphemeral({ channel: C.finance, user: U.erin, text: 'x' }))).message).toBe('Slack user U0ERIN is not in channel C0FINANCE, so an ephemeral message cannot reach them');
		expect((await failure(slack.usergroupMembers('S0NOPE'))).message).toBe('Slack user group S0NOPE not found');
		expect((await failure(slack.updateMessage({ channel: C.finance, ts: '1700000000.000100', text: 'x' }))).message).toBe('Slack message 1700000000.000100 not found in channel C0FINANCE');
		expect((await failure(slack.userInfo('U0NOPE'))).message).toBe('Slack user U0NOPE not found');
	});

	test('a bad token points at the credential', async () => {
		const c = createSlackClient({ token: 'xoxb-wrong', apiUrl: sb.url, retries: 0 });
		const e = await failure(c.authTest());
		expect(e).toMatchObject({ code: 'invalid_auth', message: 'Slack rejected the bot token (invalid_auth): check the Slack Ops API credential' });
	});

	test('invalid_blocks carries Slack\'s json-pointers', async () => {
		const e = await failure(slack.postMessage({ channel: C.finance, text: 'x', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'A' }, value: 'v'.repeat(2001) }] }] }));
		expect(e.code).toBe('invalid_blocks');
		expect(e.message).toMatch(/^Slack refused the message blocks \(invalid_blocks\): .*json-pointer:\/blocks\/0\/elements\/0\/value/);
	});
});

describe('rate limits and transient failures', () => {
	test('a 429 is retried after Retry-After, and the call succeeds', async () => {
		sb.inject({ kind: 'rate-limit', retryAfter: 1, times: 1, method: 'chat.postMessage' });
		const started = Date.now();
		const posted = await slack.postMessage({ channel: C.finance, text: 'after the limit' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
		expect(sb.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
		expect(sb.messages(C.finance)).toHaveLength(1);
	});

	test('when 429s outlast the retries the error says so', async () => {
		const c = createSlackClient({ token: sb.botToken, apiUrl: sb.url, retries: 1, minRetryDelayMs: 10, maxRetryDelayMs: 10 });
		sb.inject({ kind: 'rate-limit', retryAfter: 1, times: 5, method: 'auth.test' });
		const e = await failure(c.authTest());
		expect(e).toMatchObject({ kind: 'rate-limited', retriable: true, message: 'Slack rate-limited auth.test and the retries ran out: try again later' });
		expect(sb.calls('auth.test')).toHaveLength(2);
	});

	test('a 503 is retried; one that persists becomes an http error', async () => {
		sb.inject({ kind: 'http', status: 503, times: 1, method: 'auth.test' });
		expect((await slack.authTest()).teamId).toBe('T0ODOOOPS');
		sb.inject({ kind: 'http', status: 503, times: 10, method: 'auth.test' });
		expect(await failure(slack.authTest())).toMatchObject({ kind: 'http', code: '503', retriable: true });
	});
});

describe('the approval messages and tokens through the sandbox and a signed click', () => {
	let hook: http.Server;
	let hookUrl: string;
	let received: Array<{ raw: Buffer; headers: http.IncomingHttpHeaders }> = [];
	beforeAll(async () => {
		hook = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ raw: Buffer.concat(chunks), headers: req.headers });
				res.writeHead(200).end();
			});
		});
		await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
		hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
	});
	afterAll(() => new Promise<void>((r) => hook.close(() => r())));
	beforeEach(() => {
		received = [];
	});

	const record: RecordSnapshot = { model: 'account.move', id: 42, name: 'INV/2026/0042', amount: 1250, currency: 'EUR', partner: 'Azure Interior' };

	test('post the request, click as an approver, verify it all, then replace it with the decision', async () => {
		const key = deriveApprovalSecret(sb.signingSecret);
		const approvalId = 'exec-77:Request Approval';
		const token = createApprovalToken({ approvalId, model: record.model, id: record.id, expires: Date.now() + 600_000 }, key);
		const request = approvalMessage({ odooUrl: 'https://erp.example.com', record, action: { kind: 'send', description: 'Send the invoice' }, evidence: [{ id: 7, name: 'PO.pdf' }], requester: { slackUserId: U.carol }, token });
		const posted = await slack.postMessage({ channel: C.finance, ...request });

		const click = await sb.sendBlockAction({ url: hookUrl, user: U.alice, channel: C.finance, messageTs: posted.ts, actionId: APPROVE_ACTION_ID });
		expect(click.status).toBe(200);
		const [{ raw, headers }] = received;
		expect(verifySlackRequest(raw, headers, sb.signingSecret, Date.now())).toMatchObject({ ok: true });
		const parsed = parseInteraction(raw);
		if (!parsed.ok) throw new Error(parsed.reason);
		const action = parsed.payload.actions[0];
		expect(verifyApprovalToken(action.value, key, Date.now(), { approvalId, model: 'account.move', id: 42 })).toMatchObject({ ok: true });
		const verdict = checkApprover({ userId: parsed.payload.user.id, requesterId: U.carol, approvers: { users: [], usergroups: [S.approvers] }, allowSelfApproval: false, groupMembers: { [S.approvers]: await slack.usergroupMembers(S.approvers) } });
		expect(verdict).toEqual({ allowed: true, via: 'usergroup', group: S.approvers });

		const decided = decisionMessage({ odooUrl: 'https://erp.example.com', record, action: { description: 'Send the invoice' }, outcome: 'approved', decidedBy: { slackUserId: parsed.payload.user.id }, decidedAt: Date.now() });
		await slack.updateMessage({ channel: posted.channel, ts: posted.ts, ...decided });
		const stored = sb.message(C.finance, posted.ts)!;
		expect(JSON.stringify(stored.blocks)).not.toContain(APPROVE_ACTION_ID);
		expect(validateBlocks(stored.blocks ?? [])).toEqual([]);
	});

	test('forged, replayed-late and impersonating clicks fail verification; a token from another approval is refused', async () => {
		const key = deriveApprovalSecret(sb.signingSecret);
		const other = createApprovalToken({ approvalId: 'exec-1:Other', model: 'account.move', id: 42, expires: Date.now() + 600_000 }, key);
		const mine = createApprovalToken({ approvalId: 'exec-2:Mine', model: 'account.move', id: 42, expires: Date.now() + 600_000 }, key);
		const posted = await slack.postMessage({ channel: C.finance, ...approvalMessage({ odooUrl: 'https://erp.example.com', record, action: { description: 'Pay' }, evidence: [], noEvidenceReason: 'test', token: mine }) });
		const click = (o: Partial<Parameters<SlackSandbox['sendBlockAction']>[0]>) => sb.sendBlockAction({ url: hookUrl, user: U.bob, channel: C.finance, messageTs: posted.ts, actionId: APPROVE_ACTION_ID, ...o });

		await click({ signingSecret: 'someone-elses-secret' });
		await click({ timestamp: Math.floor(Date.now() / 1000) - 301 });
		await click({ tamper: 'body' });
		const checks = received.map((r) => verifySlackRequest(r.raw, r.headers, sb.signingSecret, Date.now()));
		expect(checks.map((c) => (c.ok ? 'ok' : c.code))).toEqual(['bad-signature', 'stale', 'bad-signature']);

		received = [];
		await click({ value: other, force: true });
		const parsed = parseInteraction(received[0].raw);
		if (!parsed.ok) throw new Error(parsed.reason);
		expect(verifySlackRequest(received[0].raw, received[0].headers, sb.signingSecret, Date.now()).ok).toBe(true);
		expect(verifyApprovalToken(parsed.payload.actions[0].value, key, Date.now(), { approvalId: 'exec-2:Mine' })).toMatchObject({ ok: false, code: 'other-approval' });
	});
});
