/**
 * How a Slack click travels from the Slack Interaction Trigger to the Request Approval step that waits for it, with no
 * shared memory (queue mode runs the two on different processes):
 *
 * - The approval buttons carry `<approval token>.<context>`. The context (base64url JSON) holds the signed n8n resume
 *   URL, the requester and the gate's approvers; its SHA-256 is part of the token's approvalId, so the token's HMAC
 *   covers it and nobody can point a valid token at another URL or widen the approver list.
 * - The trigger checks the Slack signature, the token and the approver, then POSTs a resume body to that URL, signed
 *   with a second key derived from the same Slack signing secret. n8n checks its own URL signature; the waiting node
 *   checks ours, so knowing the resume URL (it sits in a button value any channel member's client can read) is not
 *   enough to record "approved by Alice".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { createApprovalToken, deriveApprovalSecret, MAX_TOKEN_LENGTH, verifyApprovalToken, type ApprovalClaims } from '../approvals';

const RESUME_LABEL = 'n8n-nodes-odoo-ops approval resume v1';
/** A resume body older than this is refused: the trigger sends it within seconds of the click. */
export const RESUME_MAX_AGE_MS = 5 * 60 * 1000;

export type ApprovalDecision = 'approved' | 'rejected';

/** What the trigger needs to resume and to judge the click; short keys because it all has to fit in 2000 chars. */
export interface ApprovalContext {
	/** The signed n8n resume URL of the waiting node. */
	u: string;
	/** Requester's Slack user id, for the self-approval rule. */
	r?: string;
	/** Approver user ids and user group ids. */
	au: string[];
	ag: string[];
	/** Whether the requester may approve their own request. */
	s: boolean;
	/** App, action kind and description, for messages. */
	app?: string;
	k?: string;
	d?: string;
}

export interface DecodedButton {
	claims: ApprovalClaims;
	context: ApprovalContext;
	executionId: string;
	nodeId: string;
}

export type DecodeResult = ({ ok: true } & DecodedButton) | { ok: false; code: 'malformed' | 'forged' | 'expired' | 'other-approval'; reason: string };

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

export function approvalTokenKey(signingSecret: string): Buffer {
	return deriveApprovalSecret(signingSecret);
}

function resumeKey(signingSecret: string): Buffer {
	return deriveApprovalSecret(signingSecret, RESUME_LABEL);
}

export interface EncodeButtonInput {
	executionId: string;
	nodeId: string;
	model: string;
	id: number;
	expires: Date | number;
	context: ApprovalContext;
}

/** The value both buttons carry; throws when it would not fit Slack's 2000 characters. */
export function encodeButtonValue(input: EncodeButtonInput, signingSecret: string): string {
	const context = JSON.stringify(input.context);
	const ctx = Buffer.from(context, 'utf8').toString('base64url');
	const token = createApprovalToken(
		{ approvalId: `${input.executionId}:${input.nodeId}:${digest(ctx)}`, model: input.model, id: input.id, expires: input.expires },
		approvalTokenKey(signingSecret),
	);
	const value = `${token}.${ctx}`;
	if (value.length > MAX_TOKEN_LENGTH) {
		throw new Error(`The approval button value would be ${value.length} characters, over Slack's ${MAX_TOKEN_LENGTH}: shorten the description or name fewer approvers (use a user group)`);
	}
	return value;
}

/** Splits and checks a button value; the context is only believed after the token's HMAC matched its digest. */
export function decodeButtonValue(value: unknown, signingSecret: string, now: Date | number): DecodeResult {
	if (typeof value !== 'string') return { ok: false, code: 'malformed', reason: 'The button carries no approval token' };
	const parts = value.split('.');
	if (parts.length !== 4) return { ok: false, code: 'malformed', reason: 'The button value is not an approval token' };
	const ctx = parts[3];
	const verdict = verifyApprovalToken(parts.slice(0, 3).join('.'), approvalTokenKey(signingSecret), now);
	if (!verdict.ok) return verdict;
	const [executionId, nodeId, hash, ...rest] = verdict.claims.approvalId.split(':');
	if (rest.length || !executionId || !nodeId || !hash) return { ok: false, code: 'malformed', reason: 'The approval token does not name a waiting approval' };
	const wanted = Buffer.from(hash);
	const given = Buffer.from(digest(ctx));
	if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) {
		return { ok: false, code: 'forged', reason: 'The approval context was changed after the token was issued' };
	}
	let context: ApprovalContext;
	try {
		context = JSON.parse(Buffer.from(ctx, 'base64url').toString('utf8')) as ApprovalContext;
	} catch {
		return { ok: false, code: 'malformed', reason: 'The approval context is not valid JSON' };
	}
	if (typeof context?.u !== 'string' || !Array.isArray(context.au) || !Array.isArray(context.ag)) {
		return { ok: false, code: 'malformed', reason: 'The approval context is missing fields' };
	}
	return { ok: true, claims: verdict.claims, context, executionId, nodeId };
}

export interface ResumeBody {
	v: 1;
	decision: ApprovalDecision;
	/** The clicked button's value, so the waiting node re-checks the token itself. */
	value: string;
	user: { id: string; name?: string; username?: string };
	channel: string;
	ts: string;
	/** ISO time of the click. */
	decidedAt: string;
	mac?: string;
}

// A fixed field order: the MAC must not depend on how a JSON parser orders keys.
function canonical(body: ResumeBody): string {
	return JSON.stringify([body.v, body.decision, body.value, body.user.id, body.user.name ?? '', body.user.username ?? '', body.channel, body.ts, body.decidedAt]);
}

export function signResumeBody(body: Omit<ResumeBody, 'mac'>, signingSecret: string): ResumeBody {
	const unsigned: ResumeBody = { ...body };
	return { ...unsigned, mac: createHmac('sha256', resumeKey(signingSecret)).update(canonical(unsigned)).digest('base64url') };
}

export type ResumeVerdict = ({ ok: true; body: ResumeBody } & DecodedButton) | { ok: false; reason: string };

/**
 * Checks a resume request as the waiting node receives it: our MAC, freshness, the token inside, and that the token
 * names this very execution and node (a body captured for one approval cannot resume another).
 */
export function verifyResumeBody(raw: unknown, signingSecret: string, now: Date | number, expected: { executionId?: string; nodeId: string }): ResumeVerdict {
	const b = raw as Partial<ResumeBody> | null;
	if (!b || typeof b !== 'object' || b.v !== 1 || (b.decision !== 'approved' && b.decision !== 'rejected') || typeof b.value !== 'string' || typeof b.mac !== 'string') {
		return { ok: false, reason: 'Not an approval decision from the Slack Interaction Trigger' };
	}
	if (!b.user || typeof b.user.id !== 'string' || typeof b.channel !== 'string' || typeof b.ts !== 'string' || typeof b.decidedAt !== 'string') {
		return { ok: false, reason: 'The approval decision is missing fields' };
	}
	const body = b as ResumeBody;
	const wanted = createHmac('sha256', resumeKey(signingSecret)).update(canonical(body)).digest();
	const given = Buffer.from(body.mac ?? '', 'base64url');
	if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'The approval decision is not signed with this Slack app\'s key' };
	const nowMs = now instanceof Date ? now.getTime() : now;
	const at = Date.parse(body.decidedAt);
	if (!Number.isFinite(at) || Math.abs(nowMs - at) > RESUME_MAX_AGE_MS) return { ok: false, reason: 'The approval decision is too old (or dated in the future)' };
	// The click must have happened before the deadline; the resume may arrive a moment after it.
	const decoded = decodeButtonValue(body.value, signingSecret, at);
	if (!decoded.ok) return { ok: false, reason: decoded.reason };
	if (decoded.nodeId !== expected.nodeId || (expected.executionId !== undefined && decoded.executionId !== expected.executionId)) {
		return { ok: false, reason: 'The approval decision belongs to another approval' };
	}
	return { ok: true, body, claims: decoded.claims, context: decoded.context, executionId: decoded.executionId, nodeId: decoded.nodeId };
}
