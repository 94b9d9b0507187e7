/**
 * Contract: the official @slack/web-api client, pointed at the sandbox, sees what it would see from slack.com —
 * result shapes its types promise, its own error classes for API errors, and its rate-limit handling driven by the
 * sandbox's 429 + Retry-After.
 */
import { ErrorCode, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { BLOCK_KIT_LIMITS, SEED_IDS, startSlackSandbox, type SlackSandbox } from '../sandboxes/slack';
import { approvalBlocks, client, rejection } from './helpers';

const { users: U, channels: C, usergroups: S } = SEED_IDS;
const TS = /^\d{10}\.\d{6}$/;
/** Slack's invalid_blocks answer carries `errors`, which the SDK's result type does not declare. */
type BlocksErrorData = WebAPIPlatformError['data'] & { errors?: string[] };

let sb: SlackSandbox;
beforeAll(async () => {
	sb = await startSlackSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

describe('methods succeed with the shapes the SDK types describe', () => {
	test('auth.test identifies the bot and the workspace', async () => {
		const r = await client(sb).auth.test();
		expect(r).toMatchObject({ ok: true, team_id: 'T0ODOOOPS', user_id: SEED_IDS.bot.userId, bot_id: SEED_IDS.bot.botId, url: 'https://odoo-ops.slack.com/' });
		// buildResult copies the scope headers; their presence shows the SDK parsed a normal Slack answer.
		expect(r.response_metadata?.scopes).toContain('chat:write');
	});

	test('chat.postMessage returns channel, a string ts and the stored message with block ids filled in', async () => {
		const r = await client(sb).chat.postMessage({ channel: C.finance, text: 'Approve INV/2026/0042?', blocks: approvalBlocks() as never });
		expect(r.ok).toBe(true);
		expect(r.channel).toBe(C.finance);
		expect(typeof r.ts).toBe('string');
		expect(r.ts).toMatch(TS);
		expect(r.message).toMatchObject({ type: 'message', text: 'Approve INV/2026/0042?', user: SEED_IDS.bot.userId, bot_id: SEED_IDS.bot.botId, ts: r.ts });
		for (const b of r.message?.blocks ?? []) expect(typeof b.block_id).toBe('string');
		const [stored] = sb.messages(C.finance);
		expect(stored).toMatchObject({ ts: r.ts, text: 'Approve INV/2026/0042?' });
		expect(stored.history).toHaveLength(1);
	});

	test('channel names and #names resolve to the channel id; a user id opens the DM', async () => {
		const c = client(sb);
		expect((await c.chat.postMessage({ channel: '#approvals-ops', text: 'a' })).channel).toBe(C.ops);
		expect((await c.chat.postMessage({ channel: 'command-room', text: 'b' })).channel).toBe(C.command);
		expect((await c.chat.postMessage({ channel: U.alice, text: 'c' })).channel).toBe('D0ALICE');
		expect(sb.messages('approvals-ops')).toHaveLength(1);
	});

	test('threads: reply carries the parent ts; the parent counts replies; a reply to a reply lands in the parent thread', async () => {
		const c = client(sb);
		const parent = await c.chat.postMessage({ channel: C.finance, text: 'parent' });
		const reply = await c.chat.postMessage({ channel: C.finance, text: 'reply', thread_ts: parent.ts });
		expect(reply.message?.thread_ts).toBe(parent.ts);
		const nested = await c.chat.postMessage({ channel: C.finance, text: 'nested', thread_ts: reply.ts });
		expect(nested.message?.thread_ts).toBe(parent.ts);
		expect(sb.message(C.finance, parent.ts!)).toMatchObject({ thread_ts: parent.ts, reply_count: 2, latest_reply: nested.ts });
	});

	test('a well-formed thread_ts that matches nothing is accepted but orphaned, as slack.com does; a malformed one is refused', async () => {
		const c = client(sb);
		const parent = await c.chat.postMessage({ channel: C.finance, text: 'parent' });
		// The float trap: Number("1732800000.000100") prints as 1732800000.0001.
		const rounded = String(Number(parent.ts));
		const lost = await c.chat.postMessage({ channel: C.finance, text: 'lost', thread_ts: rounded });
		expect(lost.ok).toBe(true);
		expect(sb.message(C.finance, lost.ts!)?.orphan).toBe(true);
		expect(sb.message(C.finance, parent.ts!)?.reply_count).toBeUndefined();
		const e = await rejection<WebAPIPlatformError>(c.chat.postMessage({ channel: C.finance, text: 'x', thread_ts: 'abc' }));
		expect(e.data.error).toBe('invalid_thread_ts');
	});

	test('chat.update replaces text and blocks, keeps the history, and an empty blocks array removes the buttons', async () => {
		const c = client(sb);
		const posted = await c.chat.postMessage({ channel: C.finance, text: 'Approve?', blocks: approvalBlocks() as never });
		const r = await c.chat.update({ channel: C.finance, ts: posted.ts!, text: 'Approved by <@U0ALICE>', blocks: [] });
		expect(r).toMatchObject({ ok: true, channel: C.finance, ts: posted.ts, text: 'Approved by <@U0ALICE>' });
		expect(r.message?.blocks).toBeUndefined();
		const stored = sb.message(C.finance, posted.ts!)!;
		expect(stored.history.map((v) => v.via)).toEqual(['chat.postMessage', 'chat.update']);
		expect(stored.history[0].blocks).toHaveLength(2);
		expect(stored.edited?.user).toBe(SEED_IDS.bot.userId);
		// Omitted blocks are retained, per Slack's documented chat.update rule.
		await c.chat.update({ channel: C.finance, ts: posted.ts!, blocks: approvalBlocks() as never, text: 'again' });
		await c.chat.update({ channel: C.finance, ts: posted.ts!, text: 'text only' });
		expect(sb.message(C.finance, posted.ts!)?.blocks).toHaveLength(2);
	});

	test('chat.postEphemeral returns message_ts and is recorded for that user only', async () => {
		const r = await client(sb).chat.postEphemeral({ channel: C.finance, user: U.dave, text: 'You are not an approver for this request.' });
		expect(r.ok).toBe(true);
		expect(r.message_ts).toMatch(TS);
		expect(sb.ephemeral(U.dave)).toEqual([expect.objectContaining({ channel: C.finance, text: 'You are not an approver for this request.', via: 'chat.postEphemeral' })]);
		expect(sb.messages()).toHaveLength(0);
	});

	test('chat.getPermalink gives a Slack-shaped link, with thread_ts and cid for replies', async () => {
		const c = client(sb);
		const parent = await c.chat.postMessage({ channel: C.finance, text: 'parent' });
		const reply = await c.chat.postMessage({ channel: C.finance, text: 'reply', thread_ts: parent.ts });
		const p = await c.chat.getPermalink({ channel: C.finance, message_ts: parent.ts! });
		expect(p).toMatchObject({ ok: true, channel: C.finance, permalink: `https://odoo-ops.slack.com/archives/C0FINANCE/p${parent.ts!.replace('.', '')}` });
		const r = await c.chat.getPermalink({ channel: C.finance, message_ts: reply.ts! });
		expect(r.permalink).toBe(`https://odoo-ops.slack.com/archives/C0FINANCE/p${reply.ts!.replace('.', '')}?thread_ts=${parent.ts}&cid=C0FINANCE`);
	});

	test('conversations.info, users.info and usergroups.users.list return the seeded workspace', async () => {
		const c = client(sb);
		const ch = await c.conversations.info({ channel: C.finance, include_num_members: true });
		expect(ch.channel).toMatchObject({ id: C.finance, name: 'approvals-finance', is_channel: true, is_private: false, is_member: true, num_members: 5 });
		expect((await c.conversations.info({ channel: C.general })).channel?.is_member).toBe(false);
		const u = await c.users.info({ user: U.alice });
		expect(u.user).toMatchObject({ id: U.alice, name: 'alice', real_name: 'Alice Martin', team_id: 'T0ODOOOPS', deleted: false, is_bot: false });
		expect(u.user?.profile?.real_name).toBe('Alice Martin');
		expect((await c.users.info({ user: U.gone })).user?.deleted).toBe(true);
		expect((await c.usergroups.users.list({ usergroup: S.approvers })).users).toEqual([U.alice, U.bob]);
		expect((await c.usergroups.users.list({ usergroup: S.empty })).users).toEqual([]);
	});
});

describe("API errors are HTTP 200 {ok:false} and become the SDK's platform error", () => {
	async function platformError(p: Promise<unknown>): Promise<string> {
		const e = await rejection<WebAPIPlatformError>(p);
		expect(e.code).toBe(ErrorCode.PlatformError);
		expect(e.code).toBe('slack_webapi_platform_error');
		return e.data.error;
	}

	test('chat.postMessage to an unknown channel: channel_not_found', async () => {
		const e = await rejection<WebAPIPlatformError>(client(sb).chat.postMessage({ channel: 'C0NOPE', text: 'x' }));
		expect(e.code).toBe('slack_webapi_platform_error');
		expect(e.data.error).toBe('channel_not_found');
		expect(e.data.ok).toBe(false);
		expect(sb.calls('chat.postMessage')).toEqual([expect.objectContaining({ status: 200, ok: false, error: 'channel_not_found' })]);
	});

	test('visibility and membership errors', async () => {
		const c = client(sb);
		expect(await platformError(c.chat.postMessage({ channel: C.general, text: 'x' }))).toBe('not_in_channel');
		expect(await platformError(c.conversations.info({ channel: C.secret }))).toBe('channel_not_found');
		expect(await platformError(c.chat.postEphemeral({ channel: C.finance, user: U.erin, text: 'x' }))).toBe('user_not_in_channel');
		expect(await platformError(c.chat.postEphemeral({ channel: C.finance, user: 'U0NOPE', text: 'x' }))).toBe('user_not_found');
		expect(await platformError(c.users.info({ user: 'U0NOPE' }))).toBe('user_not_found');
		expect(await platformError(c.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
	});

	test('message errors: message_not_found, cant_update_message, no_text', async () => {
		const c = client(sb);
		expect(await platformError(c.chat.update({ channel: C.finance, ts: '1732800000.000100', text: 'x' }))).toBe('message_not_found');
		expect(await platformError(c.chat.getPermalink({ channel: C.finance, message_ts: '1732800000.000100' }))).toBe('message_not_found');
		const human = sb.postAs(U.carol, C.finance, 'please approve my expense');
		expect(await platformError(c.chat.update({ channel: C.finance, ts: human.ts, text: 'hijacked' }))).toBe('cant_update_message');
		expect(await platformError(c.chat.postMessage({ channel: C.finance, text: '' }))).toBe('no_text');
		const posted = await c.chat.postMessage({ channel: C.finance, text: 'x' });
		expect(await platformError(c.chat.update({ channel: C.finance, ts: posted.ts! } as never))).toBe('no_text');
	});

	test('a wrong token gives invalid_auth, no token not_authed', async () => {
		expect(await platformError(client(sb, { token: 'xoxb-not-the-token' }).auth.test())).toBe('invalid_auth');
		expect(await platformError(client(sb, { token: null }).auth.test())).toBe('not_authed');
		expect(sb.messages()).toHaveLength(0);
	});

	test('injected API errors surface as platform errors for the targeted method only', async () => {
		sb.inject({ kind: 'error', error: 'channel_not_found', method: 'chat.postMessage', times: 1 });
		const c = client(sb);
		expect((await c.auth.test()).ok).toBe(true);
		expect(await platformError(c.chat.postMessage({ channel: C.finance, text: 'x' }))).toBe('channel_not_found');
		expect((await c.chat.postMessage({ channel: C.finance, text: 'x' })).ok).toBe(true);
	});
});

describe('Block Kit limits give invalid_blocks with Slack json-pointers', () => {
	const over = [
		['action_id', { actionId: 'a'.repeat(BLOCK_KIT_LIMITS.actionId + 1) }, '/blocks/1/elements/0/action_id', 'must be less than 256 characters'],
		['value', { value: 'v'.repeat(BLOCK_KIT_LIMITS.buttonValue + 1) }, '/blocks/1/elements/0/value', 'must be less than 2001 characters'],
		['url', { url: `https://odoo.example/${'u'.repeat(BLOCK_KIT_LIMITS.buttonUrl)}` }, '/blocks/1/elements/0/url', 'must be less than 3001 characters'],
	] as const;

	test.each(over)('button %s over the limit', async (_name, opts, pointer, reason) => {
		const e = await rejection<WebAPIPlatformError>(client(sb).chat.postMessage({ channel: C.finance, text: 'x', blocks: approvalBlocks(opts) as never }));
		expect(e.code).toBe('slack_webapi_platform_error');
		expect(e.data.error).toBe('invalid_blocks');
		expect((e.data as BlocksErrorData).errors).toEqual([`${reason} [json-pointer:${pointer}]`]);
		expect(e.data.response_metadata?.messages).toEqual([`[ERROR] ${reason} [json-pointer:${pointer}]`]);
		expect(sb.messages()).toHaveLength(0);
	});

	test('exactly at the limits is accepted, also by chat.update and chat.postEphemeral', async () => {
		const c = client(sb);
		const atLimit = approvalBlocks({ actionId: 'a'.repeat(255), value: 'v'.repeat(2000), url: `https://o.example/${'u'.repeat(3000 - 'https://o.example/'.length)}` });
		expect((atLimit as Array<{ elements?: Array<{ url?: string }> }>)[1].elements![0].url).toHaveLength(3000);
		const posted = await c.chat.postMessage({ channel: C.finance, text: 'x', blocks: atLimit as never });
		expect(posted.ok).toBe(true);
		const bad = approvalBlocks({ value: 'v'.repeat(2001) }) as never;
		expect((await rejection<WebAPIPlatformError>(c.chat.update({ channel: C.finance, ts: posted.ts!, text: 'x', blocks: bad }))).data.error).toBe('invalid_blocks');
		expect((await rejection<WebAPIPlatformError>(c.chat.postEphemeral({ channel: C.finance, user: U.alice, text: 'x', blocks: bad }))).data.error).toBe('invalid_blocks');
		expect(sb.message(C.finance, posted.ts!)?.history).toHaveLength(1);
	});

	test('malformed blocks: unknown type, missing text, duplicate block_id; unparseable JSON is invalid_blocks_format', async () => {
		const c = client(sb);
		const err = async (blocks: unknown): Promise<BlocksErrorData> => (await rejection<WebAPIPlatformError>(c.chat.postMessage({ channel: C.finance, text: 'x', blocks: blocks as never }))).data;
		expect((await err([{ type: 'banner' }])).errors).toEqual(['unsupported type: banner [json-pointer:/blocks/0/type]']);
		expect((await err([{ type: 'section' }])).error).toBe('invalid_blocks');
		expect((await err([{ type: 'divider', block_id: 'x' }, { type: 'divider', block_id: 'x' }])).errors?.[0]).toMatch(/duplicate block_id/);
		expect((await err([{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'mrkdwn', text: '*A*' } }] }])).errors).toEqual(['must be a valid enum value [json-pointer:/blocks/0/elements/0/text/type]']);
		expect((await err('[{"type":')).error).toBe('invalid_blocks_format');
	});
});

describe('rate limits: HTTP 429 with Retry-After', () => {
	test('the SDK waits Retry-After seconds and retries, then succeeds', async () => {
		sb.inject({ kind: 'rate-limit', retryAfter: 1, times: 1, method: 'chat.postMessage' });
		const c = client(sb, { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 } });
		const started = Date.now();
		const r = await c.chat.postMessage({ channel: C.finance, text: 'after the storm' });
		expect(r.ok).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sb.calls('chat.postMessage').map((x) => x.status)).toEqual([429, 200]);
		expect(sb.messages()).toHaveLength(1);
	});

	test('rejectRateLimitedCalls: the SDK rejects at once with its rate-limited error and the Retry-After value', async () => {
		sb.inject({ kind: 'rate-limit', retryAfter: 7, times: 1 });
		const c = client(sb, { rejectRateLimitedCalls: true, retryConfig: { retries: 3 } });
		const started = Date.now();
		const e = await rejection<WebAPIRateLimitedError>(c.chat.postMessage({ channel: C.finance, text: 'x' }));
		expect(e.code).toBe(ErrorCode.RateLimitedError);
		expect(e.code).toBe('slack_webapi_rate_limited_error');
		expect(e.retryAfter).toBe(7);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(sb.calls()).toEqual([expect.objectContaining({ status: 429, error: 'ratelimited' })]);
		expect(sb.messages()).toHaveLength(0);
	});

	test('the raw 429 carries Retry-After and Slack\'s ratelimited body', async () => {
		sb.inject({ kind: 'rate-limit', retryAfter: 30, method: 'auth.test' });
		const res = await fetch(`${sb.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${sb.botToken}` } });
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('30');
		expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
	});

	test('an injected delay holds the answer (for client timeouts)', async () => {
		sb.inject({ kind: 'delay', ms: 400, method: 'auth.test' });
		const e = await rejection<{ code: string }>(client(sb, { timeout: 100 }).auth.test());
		expect(e.code).toBe(ErrorCode.RequestError);
		const started = Date.now();
		expect((await client(sb).auth.test()).ok).toBe(true);
		expect(Date.now() - started).toBeLessThan(300);
	});

	test('an injected 503 is an HTTP error for the SDK', async () => {
		sb.inject({ kind: 'http', status: 503, method: 'users.info' });
		const e = await rejection<WebAPIHTTPError>(client(sb).users.info({ user: U.alice }));
		expect(e.code).toBe(ErrorCode.HTTPError);
		expect(e.statusCode).toBe(503);
	});
});

describe('wire formats other than the SDK', () => {
	const post = (method: string, body: string, headers: Record<string, string>) => fetch(`${sb.url}${method}`, { method: 'POST', body, headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

	test('form body with the token as a field', async () => {
		const r = await post('chat.postMessage', new URLSearchParams({ token: sb.botToken, channel: C.ops, text: 'form', blocks: JSON.stringify(approvalBlocks()) }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
		expect(r).toMatchObject({ status: 200, body: { ok: true, channel: C.ops } });
		expect(sb.messages(C.ops)[0].blocks).toHaveLength(2);
	});

	test('JSON body: token only through Authorization; no charset earns the missing_charset warning', async () => {
		const body = JSON.stringify({ token: sb.botToken, channel: C.ops, text: 'json', blocks: approvalBlocks() });
		expect((await post('chat.postMessage', body, { 'content-type': 'application/json' })).body).toMatchObject({ ok: false, error: 'not_authed' });
		const r = await post('chat.postMessage', body, { 'content-type': 'application/json', authorization: `Bearer ${sb.botToken}` });
		expect(r.body).toMatchObject({ ok: true, warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } });
		const r2 = await post('chat.postMessage', body, { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${sb.botToken}` });
		expect(r2.body.warning).toBeUndefined();
	});

	test('unknown method', async () => {
		const r = await post('chat.nope', '', { authorization: `Bearer ${sb.botToken}` });
		expect(r).toEqual({ status: 404, body: { ok: false, error: 'unknown_method', req_method: 'chat.nope' } });
	});
});
