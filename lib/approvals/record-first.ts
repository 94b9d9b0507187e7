/**
 * Seed 000's record-first rule as pure functions: whether an approval may be asked at all (the Odoo record exists and
 * carries its evidence), the Slack messages that ask for it and report the outcome, and the chatter entry that keeps
 * the decision in Odoo.
 */
import { MAX_TOKEN_LENGTH } from './token';
import { escapeHtml } from '../shared/html';

export { escapeHtml };

export interface RecordRef {
	model: string;
	id: number;
}

/** What the approval shows of the record (read from Odoo by the caller). */
export interface RecordSnapshot extends RecordRef {
	/** display_name. */
	name: string;
	amount?: number;
	currency?: string;
	partner?: string;
}

export interface EvidenceItem {
	/** ir.attachment id, when the evidence is an attachment on the record. */
	id?: number;
	name: string;
	/** A link to open it; built from `id` when absent. */
	url?: string;
}

// ---------------------------------------------------------------------------------------------------------------------
// The rule

export interface RecordFirstInput {
	/** The reference the workflow asked about; names the record in the refusal when it was not found. */
	ref?: RecordRef;
	/** The record as read from Odoo; null/undefined when the read returned nothing. */
	record: (RecordRef & Partial<RecordSnapshot>) | null | undefined;
	attachments: EvidenceItem[] | null | undefined;
	/** The explicit "no evidence needed" reason; blank does not count. */
	noEvidenceReason?: string | null;
}

export type RecordFirstResult =
	| { ok: true; evidence: 'attachments'; count: number }
	| { ok: true; evidence: 'waived'; reason: string }
	| { ok: false; code: 'bad-reference' | 'no-record' | 'no-evidence'; reason: string };

const MODEL_RE = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export function checkRecordFirst(input: RecordFirstInput): RecordFirstResult {
	const ref = input.ref ?? (input.record ? { model: input.record.model, id: input.record.id } : undefined);
	if (!ref || typeof ref.model !== 'string' || !MODEL_RE.test(ref.model)) {
		return { ok: false, code: 'bad-reference', reason: `Record first: an Odoo model like 'account.move' is required, got ${JSON.stringify(ref?.model ?? null)}. Nothing was posted to Slack.` };
	}
	if (!Number.isInteger(ref.id) || ref.id <= 0) {
		return { ok: false, code: 'bad-reference', reason: `Record first: a positive integer record id is required for ${ref.model}, got ${JSON.stringify(ref.id ?? null)}. Nothing was posted to Slack.` };
	}
	const rec = input.record;
	if (!rec || rec.model !== ref.model || rec.id !== ref.id) {
		return {
			ok: false,
			code: 'no-record',
			reason: `Record first: ${ref.model} #${ref.id} does not exist in Odoo (or this user cannot read it). Create the record and attach the evidence before asking for approval. Nothing was posted to Slack.`,
		};
	}
	const count = (input.attachments ?? []).length;
	if (count > 0) return { ok: true, evidence: 'attachments', count };
	const waiver = (input.noEvidenceReason ?? '').trim();
	if (waiver) return { ok: true, evidence: 'waived', reason: waiver };
	return {
		ok: false,
		code: 'no-evidence',
		reason: `Record first: ${ref.model} #${ref.id} has no evidence attached. Attach the evidence (screenshots, logs, contracts, communications) to the record, or give a "no evidence needed" reason. Nothing was posted to Slack.`,
	};
}

// ---------------------------------------------------------------------------------------------------------------------
// Links

/**
 * `/odoo/<model>/<id>` is the record URL of current Odoo (introduced with 17.2, the default from 18.0 on; 17.0 only
 * knows `/web#model=…&id=…`, which later versions still redirect). Pick 'web' for Odoo 17.0 and older servers.
 */
export function odooRecordUrl(odooUrl: string, model: string, id: number, style: 'odoo' | 'web' = 'odoo'): string {
	const base = odooUrl.replace(/\/+$/, '');
	return style === 'web' ? `${base}/web#model=${encodeURIComponent(model)}&id=${id}&view_type=form` : `${base}/odoo/${encodeURIComponent(model)}/${id}`;
}

/** Odoo serves an attachment (to users allowed to read it) at /web/content/<id>. */
export function odooAttachmentUrl(odooUrl: string, id: number): string {
	return `${odooUrl.replace(/\/+$/, '')}/web/content/${id}?download=true`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Slack messages

export type SlackBlock = { type: string } & Record<string, unknown>;
export interface SlackMessage {
	/** Fallback for notifications and clients without blocks. */
	text: string;
	blocks: SlackBlock[];
}

export const APPROVE_ACTION_ID = 'odoo_ops_approve';
export const REJECT_ACTION_ID = 'odoo_ops_reject';
export const APPROVAL_BLOCK_ID = 'odoo_ops_approval';

/** Block Kit's limits for what these messages use (Slack refuses the whole message with invalid_blocks otherwise). */
export const BLOCK_LIMITS = { header: 150, sectionText: 3000, fieldText: 2000, fields: 10, contextElements: 10, buttonValue: MAX_TOKEN_LENGTH, actionId: 255, url: 3000 } as const;

/** Slack mrkdwn needs only these three escaped; everything else is literal. */
export function escapeMrkdwn(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(url: string | undefined, label: string): string {
	const text = escapeMrkdwn(label).replace(/\|/g, '¦');
	if (!url || !/^https?:\/\//i.test(url) || url.length > BLOCK_LIMITS.url) return text;
	// "|" and ">" end Slack's <url|label> syntax early; in a URL they are safe to percent-encode.
	return `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C')}|${text}>`;
}

function clip(s: string, max: number): string {
	return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function who(person: { slackUserId?: string; name?: string } | undefined): string {
	if (!person) return 'unknown';
	if (person.slackUserId && /^[UW][A-Z0-9]+$/.test(person.slackUserId)) return `<@${person.slackUserId}>`;
	return person.name ? escapeMrkdwn(person.name) : 'unknown';
}

function formatAmount(amount: number, currency?: string): string {
	const n = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
	return currency ? `${n} ${currency}` : n;
}

/** Bullets up to the section limit, then a count of what did not fit, so a record with many files still posts. */
function evidenceText(odooUrl: string, evidence: EvidenceItem[]): string {
	const head = '*Evidence*';
	const lines: string[] = [];
	let size = head.length;
	for (let i = 0; i < evidence.length; i++) {
		const e = evidence[i];
		const url = e.url ?? (e.id !== undefined ? odooAttachmentUrl(odooUrl, e.id) : undefined);
		const line = `• ${link(url, clip(e.name || `attachment ${e.id ?? i + 1}`, 200))}`;
		const rest = evidence.length - i - 1;
		const reserve = rest > 0 ? 40 : 0;
		if (size + 1 + line.length + reserve > BLOCK_LIMITS.sectionText) {
			lines.push(`…and ${evidence.length - i} more on the Odoo record`);
			break;
		}
		lines.push(line);
		size += 1 + line.length;
	}
	return [head, ...lines].join('\n');
}

export interface ApprovalMessageInput {
	odooUrl: string;
	record: RecordSnapshot;
	action: { kind?: string; description: string };
	/** The app and its gate in words, shown as context. */
	app?: string;
	gate?: string;
	evidence: EvidenceItem[];
	noEvidenceReason?: string;
	requester?: { slackUserId?: string; name?: string };
	/** From createApprovalToken; both buttons carry it (the button's action_id says which decision). */
	token: string;
	expiresAt?: Date | string | number;
	urlStyle?: 'odoo' | 'web';
}

function recordLine(input: { odooUrl: string; record: RecordSnapshot; urlStyle?: 'odoo' | 'web' }): string {
	const { record } = input;
	return `*${link(odooRecordUrl(input.odooUrl, record.model, record.id, input.urlStyle), clip(record.name || `${record.model} #${record.id}`, 500))}* (${escapeMrkdwn(record.model)} #${record.id})`;
}

type Field = { type: 'mrkdwn'; text: string };

// Clipping after escaping keeps the limit exact; a cut entity ("&am…") only shows as text.
const field = (label: string, mrkdwnValue: string): Field => ({ type: 'mrkdwn', text: clip(`*${label}*\n${mrkdwnValue}`, BLOCK_LIMITS.fieldText) });

function recordFields(record: RecordSnapshot): Field[] {
	const fields: Field[] = [];
	if (typeof record.amount === 'number' && Number.isFinite(record.amount)) fields.push(field('Amount', escapeMrkdwn(formatAmount(record.amount, record.currency))));
	if (record.partner) fields.push(field('Partner', escapeMrkdwn(record.partner)));
	return fields;
}

export function approvalMessage(input: ApprovalMessageInput): SlackMessage {
	if (!input.token) throw new Error('approvalMessage needs the approval token for the buttons');
	if (input.token.length > BLOCK_LIMITS.buttonValue) throw new Error(`The approval token is ${input.token.length} characters; Slack allows ${BLOCK_LIMITS.buttonValue} in a button value`);
	const { record } = input;
	const title = record.name || `${record.model} #${record.id}`;
	const description = input.action.description.trim() || input.action.kind || 'an action';
	const fields = recordFields(record);
	fields.push(field('Requested by', who(input.requester)));
	if (input.action.kind) fields.push(field('Action kind', escapeMrkdwn(clip(input.action.kind, 100))));
	if (input.expiresAt !== undefined) fields.push(field('Decide before', new Date(input.expiresAt).toISOString()));

	const blocks: SlackBlock[] = [
		{ type: 'header', text: { type: 'plain_text', text: clip(`Approval needed: ${title}`, BLOCK_LIMITS.header), emoji: false } },
		{ type: 'section', text: { type: 'mrkdwn', text: clip(`${recordLine(input)}\n*Action:* ${escapeMrkdwn(description)}`, BLOCK_LIMITS.sectionText) }, fields: fields.slice(0, BLOCK_LIMITS.fields) },
		{
			type: 'section',
			text: {
				type: 'mrkdwn',
				text: input.evidence.length ? evidenceText(input.odooUrl, input.evidence) : clip(`*Evidence*\nNone needed: ${escapeMrkdwn(input.noEvidenceReason?.trim() || 'no reason given')}`, BLOCK_LIMITS.sectionText),
			},
		},
	];
	if (input.app || input.gate) {
		blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`Gate: ${escapeMrkdwn([input.app, input.gate].filter(Boolean).join(' — '))}`, BLOCK_LIMITS.sectionText) }] });
	}
	blocks.push({
		type: 'actions',
		block_id: APPROVAL_BLOCK_ID,
		elements: [
			{ type: 'button', action_id: APPROVE_ACTION_ID, style: 'primary', text: { type: 'plain_text', text: 'Approve', emoji: false }, value: input.token },
			{ type: 'button', action_id: REJECT_ACTION_ID, style: 'danger', text: { type: 'plain_text', text: 'Reject', emoji: false }, value: input.token },
		],
	});
	return { text: clip(`Approval needed: ${title} — ${description}`, 3000), blocks };
}

export type ApprovalOutcome = 'approved' | 'rejected' | 'timed-out';

export interface DecisionMessageInput {
	odooUrl: string;
	record: RecordSnapshot;
	action: { kind?: string; description: string };
	outcome: ApprovalOutcome;
	/** Absent when nobody decided (timeout) or the decider is unknown (link-button mode). */
	decidedBy?: { slackUserId?: string; name?: string };
	decidedAt: Date | string | number;
	comment?: string;
	requester?: { slackUserId?: string; name?: string };
	urlStyle?: 'odoo' | 'web';
}

const OUTCOME_WORD: Record<ApprovalOutcome, string> = { approved: 'Approved', rejected: 'Rejected', 'timed-out': 'Timed out' };

function decisionLine(outcome: ApprovalOutcome, decidedBy: DecisionMessageInput['decidedBy'], at: string): string {
	if (outcome === 'timed-out') return `Nobody decided before ${at}; nothing was executed.`;
	return `${OUTCOME_WORD[outcome]} by ${decidedBy ? who(decidedBy) : 'an unknown approver (link button)'} at ${at}`;
}

/** Replaces the request once decided: same record and action, the outcome, and no buttons left to click. */
export function decisionMessage(input: DecisionMessageInput): SlackMessage {
	const { record } = input;
	const title = record.name || `${record.model} #${record.id}`;
	const at = new Date(input.decidedAt).toISOString();
	const description = input.action.description.trim() || input.action.kind || 'an action';
	const fields = recordFields(record);
	if (input.requester) fields.push(field('Requested by', who(input.requester)));
	const section: SlackBlock = { type: 'section', text: { type: 'mrkdwn', text: clip(`${recordLine(input)}\n*Action:* ${escapeMrkdwn(description)}`, BLOCK_LIMITS.sectionText) } };
	if (fields.length) section.fields = fields;
	const blocks: SlackBlock[] = [
		{ type: 'header', text: { type: 'plain_text', text: clip(`${OUTCOME_WORD[input.outcome]}: ${title}`, BLOCK_LIMITS.header), emoji: false } },
		section,
		{ type: 'context', elements: [{ type: 'mrkdwn', text: decisionLine(input.outcome, input.decidedBy, at) }] },
	];
	if (input.comment?.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Comment*\n${escapeMrkdwn(input.comment.trim())}`, BLOCK_LIMITS.sectionText) } });
	const plainWho = input.outcome === 'timed-out' ? '' : ` by ${input.decidedBy?.name ?? (input.decidedBy?.slackUserId ? `<@${input.decidedBy.slackUserId}>` : 'an unknown approver')}`;
	return { text: clip(`${OUTCOME_WORD[input.outcome]}${plainWho}: ${title} — ${description}`, 3000), blocks };
}

// ---------------------------------------------------------------------------------------------------------------------
// Chatter

export interface ChatterDecision {
	outcome: ApprovalOutcome;
	decidedBy?: { slackUserId?: string; name?: string };
	decidedAt: Date | string | number;
	/** chat.getPermalink of the approval message. */
	slackPermalink?: string;
	comment?: string;
	action?: string;
	requester?: { slackUserId?: string; name?: string };
}

function person(p: { slackUserId?: string; name?: string } | undefined): string {
	if (!p || (!p.name && !p.slackUserId)) return 'unknown';
	if (p.name && p.slackUserId) return `${escapeHtml(p.name)} (Slack ${escapeHtml(p.slackUserId)})`;
	return escapeHtml(p.name ?? `Slack ${p.slackUserId}`);
}

/**
 * The audit line for the record's chatter, as HTML. Every piece of user text is escaped here, so the caller must post
 * it as HTML (message_post with body_is_html=True, or a Markup body): posted as plain text, Odoo would escape it again
 * and the chatter would show the tags.
 */
export function chatterEntry(decision: ChatterDecision): string {
	const at = new Date(decision.decidedAt).toISOString();
	const items: string[] = [];
	if (decision.action) items.push(`<li>Action: ${escapeHtml(decision.action)}</li>`);
	if (decision.requester) items.push(`<li>Requested by: ${person(decision.requester)}</li>`);
	if (decision.outcome === 'timed-out') items.push(`<li>Nobody decided before ${escapeHtml(at)}; nothing was executed.</li>`);
	else items.push(`<li>Decided by: ${decision.decidedBy ? person(decision.decidedBy) : 'unknown (link button: Slack did not say who clicked)'}</li>`, `<li>When: ${escapeHtml(at)}</li>`);
	if (decision.slackPermalink) {
		const url = decision.slackPermalink;
		// Only web links become anchors: a javascript: URL in a chatter link would run in the Odoo user's session.
		items.push(/^https?:\/\//i.test(url) ? `<li>Slack message: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>` : `<li>Slack message: ${escapeHtml(url)}</li>`);
	}
	if (decision.comment?.trim()) items.push(`<li>Comment: ${escapeHtml(decision.comment.trim())}</li>`);
	return `<p><strong>Slack approval: ${OUTCOME_WORD[decision.outcome].toLowerCase()}</strong></p><ul>${items.join('')}</ul>`;
}
