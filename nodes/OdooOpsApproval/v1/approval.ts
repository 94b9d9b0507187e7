import type { IDataObject } from 'n8n-workflow';

import {
	chatterEntry,
	decisionMessage,
	odooRecordUrl,
	type ApprovalOutcome,
	type EvidenceItem,
	type RecordSnapshot,
} from '../../../lib/approvals';
import type { OdooClient } from '../../../lib/odoo/types';
import type { SlackOpsClient } from '../../../lib/slack';

/** Fields shown in the request when the model has them; read only those, so any model works. */
const OPTIONAL_FIELDS = ['amount_total', 'amount', 'partner_id', 'currency_id'];

export interface RecordRead {
	record: RecordSnapshot | null;
	attachments: EvidenceItem[];
}

const label = (v: unknown): string | undefined => (Array.isArray(v) && typeof v[1] === 'string' ? v[1] : undefined);

/**
 * Reads the record with search_read, not read: a missing id must come back as "no record" (and a refusal that names
 * it), not as a MissingError that reads like a server fault.
 */
export async function readRecord(odoo: OdooClient, model: string, id: number, withAttachments = true): Promise<RecordRead> {
	const fields = await odoo.fieldsGet(model, ['type']);
	const wanted = ['display_name', ...OPTIONAL_FIELDS.filter((f) => f in fields)];
	const [row] = await odoo.searchRead(model, [['id', '=', id]], { fields: wanted, limit: 1 });
	if (!row) return { record: null, attachments: [] };
	const amount = typeof row.amount_total === 'number' ? row.amount_total : typeof row.amount === 'number' ? row.amount : undefined;
	const record: RecordSnapshot = {
		model,
		id,
		name: typeof row.display_name === 'string' ? row.display_name : `${model} #${id}`,
		...(amount !== undefined ? { amount } : {}),
		...(label(row.currency_id) ? { currency: label(row.currency_id) } : {}),
		...(label(row.partner_id) ? { partner: label(row.partner_id) } : {}),
	};
	if (!withAttachments) return { record, attachments: [] };
	const files = await odoo.searchRead('ir.attachment', [['res_model', '=', model], ['res_id', '=', id]], { fields: ['name'], order: 'id', limit: 100 });
	return { record, attachments: files.map((f) => ({ id: f.id, name: typeof f.name === 'string' ? f.name : `attachment ${f.id}` })) };
}

/** What finishing an approval needs; it travels in the button value, the link URL or the timed-out item. */
export interface ApprovalState {
	model: string;
	id: number;
	channel: string;
	ts: string;
	action: { kind?: string; description: string };
	app?: string;
	requester?: string;
}

export interface Finished {
	permalink?: string;
	record: RecordSnapshot;
	warnings: string[];
}

const OUTCOME_REPLY: Record<ApprovalOutcome, string> = { approved: 'Approved', rejected: 'Rejected', 'timed-out': 'Timed out' };

/**
 * The decision becomes visible everywhere it must: the request loses its buttons and shows the outcome, the thread
 * says who decided, and the record's chatter keeps the audit line. A failing step is reported as a warning rather
 * than thrown: the decision has been taken and must still reach the workflow.
 */
export async function finishApproval(args: {
	slack: SlackOpsClient;
	odoo: OdooClient;
	odooUrl: string;
	state: ApprovalState;
	outcome: ApprovalOutcome;
	decidedBy?: { slackUserId?: string; name?: string };
	decidedAt: Date;
}): Promise<Finished> {
	const { slack, odoo, state, outcome, decidedBy, decidedAt } = args;
	const warnings: string[] = [];
	let record: RecordSnapshot = { model: state.model, id: state.id, name: `${state.model} #${state.id}` };
	try {
		record = (await readRecord(odoo, state.model, state.id, false)).record ?? record;
	} catch (e) {
		warnings.push(`Could not re-read the Odoo record: ${(e as Error).message}`);
	}
	const requester = state.requester ? { slackUserId: state.requester } : undefined;
	const message = decisionMessage({ odooUrl: args.odooUrl, record, action: state.action, outcome, decidedBy, decidedAt, requester });
	try {
		await slack.updateMessage({ channel: state.channel, ts: state.ts, text: message.text, blocks: message.blocks });
	} catch (e) {
		warnings.push(`Could not update the Slack message: ${(e as Error).message}`);
	}
	const whoText = outcome === 'timed-out' ? 'nobody decided in time; nothing will be executed' : `by ${decidedBy?.slackUserId ? `<@${decidedBy.slackUserId}>` : decidedBy?.name ?? 'an unknown approver (link button)'}`;
	try {
		await slack.postMessage({ channel: state.channel, threadTs: state.ts, text: `${OUTCOME_REPLY[outcome]} ${whoText} at ${decidedAt.toISOString()}.` });
	} catch (e) {
		warnings.push(`Could not reply in the Slack thread: ${(e as Error).message}`);
	}
	let permalink: string | undefined;
	try {
		permalink = await slack.permalink(state.channel, state.ts);
	} catch (e) {
		warnings.push(`Could not get the Slack permalink: ${(e as Error).message}`);
	}
	try {
		await odoo.messagePost(state.model, state.id, {
			body: chatterEntry({ outcome, decidedBy, decidedAt, slackPermalink: permalink, action: state.action.description, requester }),
			kind: 'note',
			isHtml: true,
		});
	} catch (e) {
		warnings.push(`Could not write the decision to the Odoo chatter: ${(e as Error).message}`);
	}
	return { permalink, record, warnings };
}

export function decisionItem(args: {
	outcome: ApprovalOutcome;
	decidedBy?: { slackUserId?: string; name?: string };
	decidedAt: Date;
	state: ApprovalState;
	record: RecordSnapshot;
	odooUrl: string;
	permalink?: string;
	finalized: boolean;
	warnings?: string[];
}): IDataObject {
	const { state } = args;
	return {
		decision: args.outcome,
		decidedBy: args.decidedBy ? { ...args.decidedBy } : null,
		approver: args.outcome === 'timed-out' ? 'none' : args.decidedBy?.slackUserId ? 'identified' : 'unknown',
		decidedAt: args.decidedAt.toISOString(),
		slack: { channel: state.channel, ts: state.ts, permalink: args.permalink ?? null },
		record: { ...args.record, url: odooRecordUrl(args.odooUrl, args.record.model, args.record.id) },
		action: { ...state.action },
		app: state.app ?? null,
		requester: state.requester ?? null,
		// False on the Timed Out output: n8n resumes a timed-out wait without running the node, so the Slack message
		// and chatter are closed by a following Record Timeout step.
		finalized: args.finalized,
		...(args.warnings?.length ? { warnings: args.warnings } : {}),
	};
}
