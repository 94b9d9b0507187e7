/**
 * The Slack side of interactivity: how Slack encodes, signs and delivers a `block_actions` request to the app's
 * Request URL. Verification is deliberately absent — that is the product's job (lib/approvals) and must not be
 * borrowed from the sandbox that attacks it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** One HTTP request exactly as it went on the wire, so it can be replayed byte for byte. */
export interface SignedRequest {
	url: string;
	body: string;
	headers: Record<string, string>;
}

export interface DeliveryResult {
	status: number;
	body: string;
	headers: Record<string, string>;
	elapsedMs: number;
	/** Slack shows the user an error when the app takes longer than 3 s to answer. */
	acknowledgedInTime: boolean;
	request: SignedRequest;
}

export const ACK_DEADLINE_MS = 3000;

export function slackSignature(secret: string, timestamp: string | number, rawBody: string): string {
	return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Slack's form encoding of interaction payloads: a single `payload` field holding JSON. */
export function encodeInteractionBody(payload: unknown): string {
	return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type Tamper = 'signature' | 'body' | 'timestamp';

export interface SignOptions {
	secret: string;
	/** Unix seconds put in X-Slack-Request-Timestamp (and signed); an old one makes a replay. */
	timestamp?: number;
	/**
	 * Breaks one part after signing, the way an attacker without the secret would have to:
	 * - signature: one hex digit of the signature changed;
	 * - body: the body changed after signing (`tamperBody` decides how);
	 * - timestamp: the header moved one second after signing (replay-window bypass attempt).
	 */
	tamper?: Tamper;
	tamperBody?: (body: string) => string;
}

export function signRequest(url: string, body: string, opts: SignOptions): SignedRequest {
	const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
	let signature = slackSignature(opts.secret, ts, body);
	let sentTs = ts;
	let sentBody = body;
	if (opts.tamper === 'signature') {
		const last = signature[signature.length - 1];
		signature = signature.slice(0, -1) + (last === '0' ? '1' : '0');
	} else if (opts.tamper === 'body') {
		sentBody = (opts.tamperBody ?? ((b) => `${b}%20`))(body);
		if (sentBody === body) throw new Error('tamperBody returned the body unchanged');
	} else if (opts.tamper === 'timestamp') {
		sentTs = String(Number(ts) + 1);
	}
	return {
		url,
		body: sentBody,
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
			accept: 'application/json,*/*',
			'x-slack-request-timestamp': sentTs,
			'x-slack-signature': signature,
		},
	};
}

/** Posts the request unchanged (same bytes, same headers) — calling it twice is a replay. */
export function deliver(request: SignedRequest, timeoutMs = 30000): Promise<DeliveryResult> {
	const target = new URL(request.url);
	const client = target.protocol === 'https:' ? https : http;
	const body = Buffer.from(request.body, 'utf8');
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const req = client.request(
			target,
			{ method: 'POST', headers: { ...request.headers, 'content-length': String(body.length) }, timeout: timeoutMs },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const elapsedMs = Math.round(performance.now() - started);
					const headers: Record<string, string> = {};
					for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
					resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers, elapsedMs, acknowledgedInTime: elapsedMs <= ACK_DEADLINE_MS, request });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer from ${request.url} within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** Slack-looking ids for one interaction. */
export function triggerId(teamNumber = '1732700000'): string {
	const digits = Array.from(randomBytes(13), (b) => String(b % 10)).join('');
	return `${digits}.${teamNumber}.${randomBytes(16).toString('hex')}`;
}
