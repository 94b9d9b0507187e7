/**
 * Slack request verification (signing secret v0) and the `block_actions` payload, the trust boundary of the
 * interactivity webhook: nothing in a click is believed before the signature over the raw bytes matched.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Slack's own replay window, both ways (a clock far ahead is as suspicious as one far behind). */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export type SlackHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

export type SlackVerification =
	| { ok: true; timestamp: number }
	| { ok: false; code: 'missing-headers' | 'bad-timestamp' | 'stale' | 'future' | 'bad-signature' | 'no-secret'; reason: string };

function header(headers: SlackHeaders, name: string): string | undefined {
	if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
	const h = headers as Record<string, string | string[] | undefined>;
	const key = Object.keys(h).find((k) => k.toLowerCase() === name);
	const v = key === undefined ? undefined : h[key];
	return Array.isArray(v) ? v[0] : v;
}

/**
 * `now` is unix milliseconds or a Date. The signature is checked over the bytes as received: re-serialising a parsed
 * body changes them (spacing, key order, encoding of "+") and a correct request would fail.
 */
export function verifySlackRequest(rawBody: Buffer | string, headers: SlackHeaders, signingSecret: string, now: number | Date): SlackVerification {
	if (!signingSecret) return { ok: false, code: 'no-secret', reason: 'No Slack signing secret is configured, so no request can be trusted' };
	const tsHeader = header(headers, 'x-slack-request-timestamp');
	const sigHeader = header(headers, 'x-slack-signature');
	const missing = [!tsHeader && 'X-Slack-Request-Timestamp', !sigHeader && 'X-Slack-Signature'].filter(Boolean);
	if (missing.length || !tsHeader || !sigHeader) return { ok: false, code: 'missing-headers', reason: `Not a signed Slack request: missing ${missing.join(' and ')}` };
	if (!/^\d{1,12}$/.test(tsHeader.trim())) return { ok: false, code: 'bad-timestamp', reason: `X-Slack-Request-Timestamp is not a unix time in seconds: ${JSON.stringify(tsHeader.slice(0, 40))}` };
	const timestamp = Number(tsHeader.trim());
	const nowSec = Math.floor((now instanceof Date ? now.getTime() : now) / 1000);
	if (nowSec - timestamp > SLACK_MAX_SKEW_SECONDS) {
		return { ok: false, code: 'stale', reason: `The Slack request is ${nowSec - timestamp} s old (over ${SLACK_MAX_SKEW_SECONDS} s): rejected as a possible replay` };
	}
	if (timestamp - nowSec > SLACK_MAX_SKEW_SECONDS) {
		return { ok: false, code: 'future', reason: `The Slack request is timestamped ${timestamp - nowSec} s in the future (over ${SLACK_MAX_SKEW_SECONDS} s): check the server clock` };
	}
	const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
	const expected = createHmac('sha256', signingSecret).update(`v0:${tsHeader.trim()}:`).update(body).digest();
	const m = /^v0=([0-9a-f]{64})$/i.exec(sigHeader.trim());
	const given = m ? Buffer.from(m[1], 'hex') : Buffer.alloc(0);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return { ok: false, code: 'bad-signature', reason: 'The Slack signature does not match: the request was not signed with this app\'s signing secret, or it was changed on the way' };
	}
	return { ok: true, timestamp };
}

// ---------------------------------------------------------------------------------------------------------------------

const actionSchema = z
	.object({
		type: z.string(),
		action_id: z.string().min(1).max(255),
		block_id: z.string().max(255).optional(),
		value: z.string().max(2000).optional(),
		action_ts: z.string().optional(),
		url: z.string().optional(),
	})
	.passthrough();

const blockActionsSchema = z
	.object({
		type: z.literal('block_actions'),
		user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional(), team_id: z.string().optional() }).passthrough(),
		team: z.object({ id: z.string(), domain: z.string().optional() }).passthrough().nullable().optional(),
		api_app_id: z.string().optional(),
		channel: z.object({ id: z.string().min(1), name: z.string().optional() }).passthrough().optional(),
		container: z
			.object({ type: z.string(), message_ts: z.string().optional(), channel_id: z.string().optional(), thread_ts: z.string().optional(), is_ephemeral: z.boolean().optional() })
			.passthrough()
			.optional(),
		message: z.object({ ts: z.string().optional(), thread_ts: z.string().optional(), text: z.string().optional() }).passthrough().optional(),
		response_url: z.string().url().optional(),
		trigger_id: z.string().optional(),
		actions: z.array(actionSchema).min(1, 'must contain at least one action'),
	})
	.passthrough();

export type BlockActionsPayload = z.infer<typeof blockActionsSchema>;
export type BlockAction = z.infer<typeof actionSchema>;

export type ParsedInteraction = { ok: true; payload: BlockActionsPayload } | { ok: false; reason: string };

/**
 * The `payload` field of Slack's form-encoded interaction request, as a validated `block_actions` payload. Other
 * interaction types (view_submission, shortcuts) are refused by name so the router can say what arrived.
 */
export function parseInteraction(rawBody: Buffer | string): ParsedInteraction {
	const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
	const payloadField = new URLSearchParams(text).get('payload');
	if (payloadField === null) return { ok: false, reason: "The request has no 'payload' field: Slack sends interactions as application/x-www-form-urlencoded with payload=<json>" };
	let json: unknown;
	try {
		json = JSON.parse(payloadField);
	} catch (e) {
		return { ok: false, reason: `The 'payload' field is not valid JSON (${(e as Error).message})` };
	}
	if (json && typeof json === 'object' && typeof (json as { type?: unknown }).type === 'string' && (json as { type: string }).type !== 'block_actions') {
		return { ok: false, reason: `Unsupported interaction type '${(json as { type: string }).type}': only block_actions (button clicks) are handled` };
	}
	const parsed = blockActionsSchema.safeParse(json);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'payload'}: ${i.code === 'invalid_type' && i.received === 'undefined' ? 'is required' : i.message}`);
		return { ok: false, reason: `Invalid block_actions payload: ${problems.join('; ')}` };
	}
	return { ok: true, payload: parsed.data };
}
