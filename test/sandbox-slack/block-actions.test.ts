/**
 * sendBlockAction delivers what Slack delivers: a form body with one JSON `payload` field, signed with the app's
 * signing secret. The receiver here verifies with node:crypto alone (not with sandbox code), so a sandbox that
 * signed wrongly could not pass its own test.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEED_IDS, startSlackSandbox, type BlockActionsPayload, type SlackSandbox } from '../sandboxes/slack';
import { approvalBlocks, client } from './helpers';

const { users: U, channels: C } = SEED_IDS;

interface Received {
	raw: string;
	headers: http.IncomingHttpHeaders;
	verdict: 'ok' | 'bad_signature' | 'stale';
	payload?: BlockActionsPayload;
}

/** A minimal Slack app endpoint: verify over the raw bytes, 5-minute window, constant-time compare. */
function startReceiver(secret: string, opts: { delayMs?: number; onPayload?: (p: BlockActionsPayload) => Promise<void> } = {}) {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
			const sig = String(req.headers['x-slack-signature'] ?? '');
			const expected = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${raw}`).digest('hex')}`;
			const sigOk = sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
			const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
			const r: Received = { raw, headers: req.headers, verdict: !sigOk ? 'bad_signature' : !fresh ? 'stale' : 'ok' };
			if (r.verdict === 'ok') r.payload = JSON.parse(new URLSearchParams(raw).get('payload') ?? 'null');
			received.push(r);
			if (opts.delayMs) await new Promise((d) => setTimeout(d, opts.delayMs));
			if (r.payload && opts.onPayload) await opts.onPayload(r.payload);
			res.writeHead(r.verdict === 'ok' ? 200 : 401, { 'content-type': 'text/plain' });
			res.end(r.verdict === 'ok' ? '' : r.verdict);
		});
	});
	return new Promise<{ url: string; received: Received[]; close: () => Promise<void> }>((resolve) => {
		server.listen(0, '127.0.0.1', () =>
			resolve({
				url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/slack-interactivity`,
				received,
				close: () => new Promise((r) => server.close(() => r())),
			}),
		);
	});
}

let sb: SlackSandbox;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let ts: string;

beforeAll(async () => {
	sb = await startSlackSandbox();
	rx = await startReceiver(sb.signingSecret);
});
afterAll(async () => {
	await rx.close();
	await sb.close();
});
beforeEach(async () => {
	sb.reset();
	rx.received.length = 0;
	ts = (await client(sb).chat.postMessage({ channel: C.finance, text: 'Approve INV/2026/0042?', blocks: approvalBlocks({ value: 'tok-123' }) as never })).ts!;
});

const click = (extra: Partial<Parameters<SlackSandbox['sendBlockAction']>[0]> = {}) =>
	sb.sendBlockAction({ url: rx.url, user: U.alice, channel: C.finance, messageTs: ts, actionId: 'approve', ...extra });

test('a click arrives signed, form-encoded, with the block_actions payload Slack sends', async () => {
	const r = await click();
	expect(r.status).toBe(200);
	expect(r.acknowledgedInTime).toBe(true);
	expect(typeof r.elapsedMs).toBe('number');
	const [got] = rx.received;
	expect(got.verdict).toBe('ok');
	expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
	expect(got.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
	expect([...new URLSearchParams(got.raw).keys()]).toEqual(['payload']);
	const p = got.payload!;
	expect(p).toMatchObject({
		type: 'block_actions',
		user: { id: U.alice, username: 'alice', name: 'alice', team_id: 'T0ODOOOPS' },
		team: { id: 'T0ODOOOPS', domain: 'odoo-ops' },
		channel: { id: C.finance, name: 'approvals-finance' },
		container: { type: 'message', message_ts: ts, channel_id: C.finance, is_ephemeral: false },
		api_app_id: SEED_IDS.bot.appId,
		token: sb.verificationToken,
	});
	expect(p.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
	expect(p.response_url).toMatch(new RegExp(`^${sb.origin}/__sandbox/response/[0-9a-f]+$`));
	const stored = sb.message(C.finance, ts)!;
	expect(p.message).toMatchObject({ ts, text: 'Approve INV/2026/0042?', bot_id: SEED_IDS.bot.botId, blocks: stored.blocks });
	expect(p.actions).toHaveLength(1);
	const blockId = (stored.blocks![1] as { block_id: string }).block_id;
	expect(p.actions[0]).toMatchObject({ type: 'button', action_id: 'approve', block_id: blockId, value: 'tok-123', style: 'primary', text: { type: 'plain_text', text: 'Approve' } });
	expect(p.actions[0].action_ts).toMatch(/^\d{10}\.\d{6}$/);
	expect(r.payload).toEqual(p);
});

test('tamper: signature, body (clicker rewritten to an approver) and timestamp all fail verification', async () => {
	const sig = await click({ user: U.dave, tamper: 'signature' });
	const body = await click({ user: U.dave, tamper: 'body' });
	const time = await click({ user: U.dave, tamper: 'timestamp' });
	expect([sig.status, body.status, time.status]).toEqual([401, 401, 401]);
	expect(rx.received.map((x) => x.verdict)).toEqual(['bad_signature', 'bad_signature', 'bad_signature']);
	// The tampered body is the attack a verifier must stop: it names Alice although Dave clicked.
	const forged = JSON.parse(new URLSearchParams(rx.received[1].raw).get('payload')!);
	expect(forged.user.id).toBe(U.alice);
	expect(body.payload.user.id).toBe(U.dave);
});

test('a wrong signing secret is a forgery', async () => {
	const r = await click({ signingSecret: 'not-the-app-secret' });
	expect(r.status).toBe(401);
	expect(rx.received[0].verdict).toBe('bad_signature');
});

test('an old timestamp is validly signed but outside the 5-minute window', async () => {
	const old = Math.floor(Date.now() / 1000) - 301;
	const r = await click({ timestamp: old });
	expect(r.status).toBe(401);
	expect(rx.received[0].verdict).toBe('stale');
	expect(rx.received[0].headers['x-slack-request-timestamp']).toBe(String(old));
});

test('resend replays the exact same bytes and headers', async () => {
	const first = await click();
	const again = await sb.resend(first.request);
	expect(again.status).toBe(200);
	expect(rx.received).toHaveLength(2);
	expect(rx.received[1].raw).toBe(rx.received[0].raw);
	for (const h of ['x-slack-signature', 'x-slack-request-timestamp', 'content-type', 'content-length']) expect(rx.received[1].headers[h]).toBe(rx.received[0].headers[h]);
});

test('Slack-impossible clicks are refused unless forced', async () => {
	await expect(click({ actionId: 'nope' })).rejects.toThrow(/no button with action_id nope/);
	await expect(click({ messageTs: '1732800000.000100' })).rejects.toThrow(/no message/);
	await expect(click({ value: 'tok-of-another-approval' })).rejects.toThrow(/carries value/);
	await expect(click({ user: U.erin })).rejects.toThrow(/not in C0FINANCE/);
	await expect(click({ user: 'U0NOPE' })).rejects.toThrow(/unknown/);
	expect(rx.received).toHaveLength(0);
	const forced = await click({ value: 'tok-of-another-approval', force: true });
	expect(forced.status).toBe(200);
	expect(rx.received[0].payload?.actions[0].value).toBe('tok-of-another-approval');
});

test('blockId selects the button; a link button still sends its url in the payload', async () => {
	const posted = await client(sb).chat.postMessage({ channel: C.ops, text: 'x', blocks: approvalBlocks({ blockId: 'decide', url: 'https://odoo.example/odoo/action-123' }) as never });
	const r = await sb.sendBlockAction({ url: rx.url, user: U.bob, channel: C.ops, messageTs: posted.ts!, actionId: 'approve', blockId: 'decide' });
	expect(r.payload.actions[0]).toMatchObject({ block_id: 'decide', url: 'https://odoo.example/odoo/action-123', value: 'tok-approve' });
	await expect(sb.sendBlockAction({ url: rx.url, user: U.bob, channel: C.ops, messageTs: posted.ts!, actionId: 'approve', blockId: 'other' })).rejects.toThrow(/in block other/);
});

test('a second click after the buttons were removed still arrives, from the old version, flagged stale', async () => {
	const first = await click();
	expect(first.staleButton).toBe(false);
	await client(sb).chat.update({ channel: C.finance, ts, text: 'Approved by Alice', blocks: [] });
	const second = await click({ user: U.bob, actionId: 'reject' });
	expect(second.status).toBe(200);
	expect(second.staleButton).toBe(true);
	expect(second.payload.actions[0]).toMatchObject({ action_id: 'reject', value: 'tok-reject' });
	expect(second.payload.message.text).toBe('Approved by Alice');
	expect(second.payload.message.blocks).toBeUndefined();
});

test('a click on a thread reply names the thread in the container', async () => {
	const reply = await client(sb).chat.postMessage({ channel: C.finance, thread_ts: ts, text: 'x', blocks: approvalBlocks() as never });
	const r = await click({ messageTs: reply.ts! });
	expect(r.payload.container).toMatchObject({ message_ts: reply.ts, thread_ts: ts });
});

test('acknowledgedInTime is false when the app answers after 3 s', async () => {
	const slow = await startReceiver(sb.signingSecret, { delayMs: 3100 });
	try {
		const r = await sb.sendBlockAction({ url: slow.url, user: U.alice, channel: C.finance, messageTs: ts, actionId: 'approve' });
		expect(r.status).toBe(200);
		expect(r.elapsedMs).toBeGreaterThan(3000);
		expect(r.acknowledgedInTime).toBe(false);
	} finally {
		await slow.close();
	}
});

describe('response_url', () => {
	const respond = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));

	test('replace_original updates the message (recorded in its history); the default answer is ephemeral to the clicker', async () => {
		const { responseUrl } = await click({ user: U.dave });
		expect(await respond(responseUrl, { text: 'Only approvers can decide.' })).toEqual({ status: 200, body: { ok: true } });
		expect(sb.ephemeral(U.dave)).toEqual([expect.objectContaining({ text: 'Only approvers can decide.', via: 'response_url', channel: C.finance })]);
		expect(await respond(responseUrl, { replace_original: true, text: 'Approved by Alice', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Approved' } }] })).toMatchObject({ status: 200 });
		const m = sb.message(C.finance, ts)!;
		expect(m.text).toBe('Approved by Alice');
		expect(m.history.map((v) => v.via)).toEqual(['chat.postMessage', 'response_url']);
		expect(sb.responses().map((r) => r.effect)).toEqual(['ephemeral', 'replace_original']);
	});

	test('in_channel posts a new message, delete_original removes the message, invalid blocks are refused', async () => {
		const { responseUrl } = await click();
		await respond(responseUrl, { response_type: 'in_channel', text: 'Decision recorded', thread_ts: ts });
		expect(sb.messages(C.finance).find((m) => m.text === 'Decision recorded')?.thread_ts).toBe(ts);
		expect(await respond(responseUrl, { replace_original: true, text: 'x', blocks: approvalBlocks({ value: 'v'.repeat(2001) }) })).toEqual({ status: 400, body: { ok: false, error: 'invalid_blocks' } });
		await respond(responseUrl, { delete_original: true });
		expect(sb.message(C.finance, ts)?.deleted).toBe(true);
		expect(sb.messages(C.finance).filter((m) => !m.deleted)).toHaveLength(1);
	});

	test('usable five times, then used_url; unknown ids are expired', async () => {
		const { responseUrl } = await click();
		for (let i = 0; i < 5; i++) expect((await respond(responseUrl, { text: `n${i}` })).status).toBe(200);
		expect(await respond(responseUrl, { text: 'sixth' })).toEqual({ status: 404, body: { ok: false, error: 'used_url' } });
		expect((await respond(`${sb.origin}/__sandbox/response/abc123`, { text: 'x' })).body.error).toBe('expired_url');
	});
});
