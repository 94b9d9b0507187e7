/**
 * The token an approval message's buttons carry. Slack signs the click, but anyone in the channel can click, and a
 * forged request could carry any value: the token binds the click to one approval (execution + node), one Odoo
 * record and a deadline, under a key only our side knows, so it cannot be guessed, moved to another approval, or
 * used after it expires. Whether it was already used (a second click) is the caller's state, keyed by the nonce.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ApprovalClaims {
	/** Identifies the waiting approval, e.g. `${executionId}:${nodeName}`. */
	approvalId: string;
	model: string;
	id: number;
	/** Expiry, unix milliseconds. */
	expires: number;
	/** Random, base64url; unique per token. */
	nonce: string;
}

export type ApprovalTokenFailure = 'malformed' | 'forged' | 'expired' | 'other-approval';

export type ApprovalTokenResult = { ok: true; claims: ApprovalClaims } | { ok: false; code: ApprovalTokenFailure; reason: string };

const VERSION = 'v1';
// Block Kit caps a button value at 2000 characters; the token travels there.
export const MAX_TOKEN_LENGTH = 2000;

const b64 = (buf: Buffer) => buf.toString('base64url');

function keyOf(secret: string | Buffer): Buffer {
	const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
	if (key.length < 16) throw new Error('The approval token secret must be at least 16 bytes long');
	return key;
}

/**
 * A key for approval tokens derived from the Slack signing secret. A separate key (HKDF with its own label) keeps
 * our tokens from ever being valid Slack signatures or the other way round, while needing no extra setting.
 */
export function deriveApprovalSecret(signingSecret: string, label = 'n8n-nodes-odoo-ops approval token v1'): Buffer {
	if (!signingSecret) throw new Error('A signing secret is needed to derive the approval token key');
	return Buffer.from(hkdfSync('sha256', Buffer.from(signingSecret, 'utf8'), Buffer.alloc(0), Buffer.from(label, 'utf8'), 32));
}

function mac(key: Buffer, payload: string): Buffer {
	return createHmac('sha256', key).update(`${VERSION}.${payload}`).digest();
}

export interface CreateApprovalTokenInput {
	approvalId: string;
	model: string;
	id: number;
	/** Date, or unix milliseconds. */
	expires: Date | number;
	/** Tests only: a fixed nonce. */
	nonce?: string;
}

export function createApprovalToken(input: CreateApprovalTokenInput, secret: string | Buffer): string {
	if (!input.approvalId) throw new Error('An approval token needs an approvalId');
	if (!input.model) throw new Error('An approval token needs the Odoo model');
	if (!Number.isInteger(input.id) || input.id <= 0) throw new Error(`An approval token needs a positive integer record id, got ${String(input.id)}`);
	const expires = input.expires instanceof Date ? input.expires.getTime() : input.expires;
	if (!Number.isFinite(expires)) throw new Error('An approval token needs a valid expiry');
	const claims = { a: input.approvalId, m: input.model, i: input.id, e: Math.floor(expires), n: input.nonce ?? b64(randomBytes(16)) };
	const payload = b64(Buffer.from(JSON.stringify(claims), 'utf8'));
	const token = `${VERSION}.${payload}.${b64(mac(keyOf(secret), payload))}`;
	if (token.length > MAX_TOKEN_LENGTH) throw new Error(`The approval token is ${token.length} characters, over Slack's ${MAX_TOKEN_LENGTH}: use a shorter approvalId`);
	return token;
}

export interface ExpectedApproval {
	approvalId?: string;
	model?: string;
	id?: number;
}

/**
 * Checks the signature first (constant time), then expiry, then that the token is for the approval the caller is
 * resolving; claims are only trusted after the signature matched.
 */
export function verifyApprovalToken(token: unknown, secret: string | Buffer, now: Date | number, expected?: ExpectedApproval): ApprovalTokenResult {
	if (typeof token !== 'string' || token.length === 0) return { ok: false, code: 'malformed', reason: 'The button carries no approval token' };
	if (token.length > MAX_TOKEN_LENGTH) return { ok: false, code: 'malformed', reason: 'The approval token is too long' };
	const parts = token.split('.');
	if (parts.length !== 3 || parts[0] !== VERSION || !/^[A-Za-z0-9_-]+$/.test(parts[1]) || !/^[A-Za-z0-9_-]+$/.test(parts[2])) {
		return { ok: false, code: 'malformed', reason: 'The approval token is not in the expected format' };
	}
	const given = Buffer.from(parts[2], 'base64url');
	const wanted = mac(keyOf(secret), parts[1]);
	if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
		return { ok: false, code: 'forged', reason: 'The approval token was not issued by this workflow (signature mismatch)' };
	}
	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
	} catch {
		return { ok: false, code: 'malformed', reason: 'The approval token payload is not valid JSON' };
	}
	const { a, m, i, e, n } = raw;
	if (typeof a !== 'string' || typeof m !== 'string' || typeof i !== 'number' || typeof e !== 'number' || typeof n !== 'string') {
		return { ok: false, code: 'malformed', reason: 'The approval token payload is missing fields' };
	}
	const claims: ApprovalClaims = { approvalId: a, model: m, id: i, expires: e, nonce: n };
	const nowMs = now instanceof Date ? now.getTime() : now;
	if (nowMs >= claims.expires) {
		return { ok: false, code: 'expired', reason: `The approval request expired at ${new Date(claims.expires).toISOString()}` };
	}
	if (expected) {
		const mismatch: string[] = [];
		if (expected.approvalId !== undefined && expected.approvalId !== claims.approvalId) mismatch.push('approval');
		if (expected.model !== undefined && expected.model !== claims.model) mismatch.push('model');
		if (expected.id !== undefined && expected.id !== claims.id) mismatch.push('record id');
		if (mismatch.length) {
			return { ok: false, code: 'other-approval', reason: `The approval token belongs to another approval (${mismatch.join(', ')} differ${mismatch.length === 1 ? 's' : ''})` };
		}
	}
	return { ok: true, claims };
}
