import { parseInteraction, verifySlackRequest } from '../../../lib/slack';
import { encodeInteractionBody, signRequest, slackSignature } from '../../sandboxes/slack';

const SECRET = '8f742231b10e8888abcd99edabcd00d1';
const NOW_S = 1_795_000_000;
const NOW = NOW_S * 1000;

const payload = {
	type: 'block_actions',
	user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0ODOOOPS' },
	api_app_id: 'A0ODOOOPS',
	team: { id: 'T0ODOOOPS', domain: 'odoo-ops' },
	channel: { id: 'C0FINANCE', name: 'approvals-finance' },
	container: { type: 'message', message_ts: '1795000000.000100', channel_id: 'C0FINANCE', is_ephemeral: false },
	message: { type: 'message', ts: '1795000000.000100', text: 'Approve?' },
	response_url: 'http://127.0.0.1:1/__sandbox/response/abc',
	trigger_id: '1.2.3',
	actions: [{ type: 'button', action_id: 'odoo_ops_approve', block_id: 'odoo_ops_approval', value: 'v1.x.y', action_ts: '1795000001.000200' }],
};
// A "+" and "%2B" in the form body: re-encoding a parsed body would change these bytes.
const body = `${encodeInteractionBody({ ...payload, message: { ...payload.message, text: 'a+b c&d' } })}`;
const signed = (over: Parameters<typeof signRequest>[2] = { secret: SECRET, timestamp: NOW_S }) => signRequest('http://n8n/webhook', body, over);

describe('verifySlackRequest', () => {
	test('a request signed with the app secret passes, from a string or the raw Buffer', () => {
		const r = signed();
		expect(verifySlackRequest(r.body, r.headers, SECRET, NOW)).toEqual({ ok: true, timestamp: NOW_S });
		expect(verifySlackRequest(Buffer.from(r.body), r.headers, SECRET, new Date(NOW)).ok).toBe(true);
	});

	test('header names are matched case-insensitively, also through a Headers object and array values', () => {
		const r = signed();
		const upper = { 'X-Slack-Request-Timestamp': [r.headers['x-slack-request-timestamp']], 'X-Slack-Signature': r.headers['x-slack-signature'] };
		expect(verifySlackRequest(r.body, upper, SECRET, NOW).ok).toBe(true);
		expect(verifySlackRequest(r.body, new Headers(r.headers), SECRET, NOW).ok).toBe(true);
	});

	test('a tampered body (clicker rewritten) fails', () => {
		const r = signed({ secret: SECRET, timestamp: NOW_S, tamper: 'body', tamperBody: (b) => b.replace('U0ALICE', 'U0BOB__') });
		expect(verifySlackRequest(r.body, r.headers, SECRET, NOW)).toMatchObject({ ok: false, code: 'bad-signature' });
	});

	test('the same bytes re-encoded after parsing fail: the check is over the raw body', () => {
		const r = signed();
		const reencoded = new URLSearchParams(Object.fromEntries(new URLSearchParams(r.body))).toString().replace(/\+/g, '%20');
		expect(reencoded).not.toBe(r.body);
		expect(verifySlackRequest(reencoded, r.headers, SECRET, NOW).ok).toBe(false);
	});

	test('a wrong secret, a changed signature digit or a moved timestamp fail', () => {
		const forged = signed({ secret: 'not-the-app-secret', timestamp: NOW_S });
		expect(verifySlackRequest(forged.body, forged.headers, SECRET, NOW)).toMatchObject({ ok: false, code: 'bad-signature' });
		const digit = signed({ secret: SECRET, timestamp: NOW_S, tamper: 'signature' });
		expect(verifySlackRequest(digit.body, digit.headers, SECRET, NOW)).toMatchObject({ ok: false, code: 'bad-signature' });
		const moved = signed({ secret: SECRET, timestamp: NOW_S, tamper: 'timestamp' });
		expect(verifySlackRequest(moved.body, moved.headers, SECRET, NOW)).toMatchObject({ ok: false, code: 'bad-signature' });
	});

	test('timestamps: 5 minutes old passes, older is a replay; 5 minutes ahead passes, further is refused', () => {
		const at = (ts: number) => signed({ secret: SECRET, timestamp: ts });
		const check = (ts: number) => {
			const r = at(ts);
			return verifySlackRequest(r.body, r.headers, SECRET, NOW);
		};
		expect(check(NOW_S - 300).ok).toBe(true);
		expect(check(NOW_S - 301)).toMatchObject({ ok: false, code: 'stale', reason: expect.stringMatching(/301 s old/) });
		expect(check(NOW_S + 300).ok).toBe(true);
		expect(check(NOW_S + 301)).toMatchObject({ ok: false, code: 'future' });
	});

	test('a replay inside the window verifies again: single use is the caller\'s (approval state keyed by the token nonce)', () => {
		const r = signed();
		expect(verifySlackRequest(r.body, r.headers, SECRET, NOW + 60_000).ok).toBe(true);
		expect(verifySlackRequest(r.body, r.headers, SECRET, NOW + 301_000).ok).toBe(false);
	});

	test('missing or malformed headers, and no secret configured', () => {
		const r = signed();
		expect(verifySlackRequest(r.body, {}, SECRET, NOW)).toMatchObject({ ok: false, code: 'missing-headers', reason: expect.stringMatching(/X-Slack-Request-Timestamp and X-Slack-Signature/) });
		expect(verifySlackRequest(r.body, { 'x-slack-signature': r.headers['x-slack-signature'] }, SECRET, NOW)).toMatchObject({ code: 'missing-headers' });
		expect(verifySlackRequest(r.body, { ...r.headers, 'x-slack-request-timestamp': '17e8' }, SECRET, NOW)).toMatchObject({ code: 'bad-timestamp' });
		expect(verifySlackRequest(r.body, { ...r.headers, 'x-slack-signature': 'v1=abc' }, SECRET, NOW)).toMatchObject({ code: 'bad-signature' });
		expect(verifySlackRequest(r.body, { ...r.headers, 'x-slack-signature': slackSignature(SECRET, NOW_S, r.body).toUpperCase().replace('V0=', 'v0=') }, SECRET, NOW).ok).toBe(true);
		expect(verifySlackRequest(r.body, r.headers, '', NOW)).toMatchObject({ ok: false, code: 'no-secret' });
	});
});

describe('parseInteraction', () => {
	test('a block_actions payload comes back typed, unknown fields kept', () => {
		const r = parseInteraction(Buffer.from(encodeInteractionBody(payload)));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.payload.user.id).toBe('U0ALICE');
		expect(r.payload.actions[0]).toMatchObject({ action_id: 'odoo_ops_approve', value: 'v1.x.y' });
		expect(r.payload.container?.message_ts).toBe('1795000000.000100');
		expect((r.payload as Record<string, unknown>).trigger_id).toBe('1.2.3');
	});

	test('errors say what is wrong', () => {
		expect(parseInteraction('foo=bar')).toEqual({ ok: false, reason: expect.stringMatching(/no 'payload' field/) });
		expect(parseInteraction('payload=%7Bnope')).toEqual({ ok: false, reason: expect.stringMatching(/not valid JSON/) });
		expect(parseInteraction(encodeInteractionBody({ type: 'view_submission' }))).toEqual({ ok: false, reason: "Unsupported interaction type 'view_submission': only block_actions (button clicks) are handled" });
		const noUser = parseInteraction(encodeInteractionBody({ ...payload, user: undefined, actions: [] }));
		expect(noUser).toEqual({ ok: false, reason: 'Invalid block_actions payload: user: is required; actions: must contain at least one action' });
		const longValue = parseInteraction(encodeInteractionBody({ ...payload, actions: [{ ...payload.actions[0], value: 'x'.repeat(2001) }] }));
		expect(longValue).toMatchObject({ ok: false, reason: expect.stringMatching(/actions\.0\.value/) });
	});
});
