import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	approvalMessage,
	checkRecordFirst,
	commandRoomStatus,
	DEFAULT_GATE_TABLE,
	evaluateGate,
	GateTableError,
	parseGateTable,
	type GateTable,
} from '../../../lib/approvals';
import { encodeButtonValue } from '../../../lib/n8n/approvalProtocol';
import { getOdooClient, parseJsonParameter, runPerItem, toNodeError } from '../../../lib/n8n';
import { getSlack, slackNodeError } from '../../../lib/n8n/slack';
import { decisionItem, finishApproval, readRecord, type ApprovalState } from './approval';

export function gateTable(ctx: IExecuteFunctions, itemIndex: number): GateTable {
	if (ctx.getNodeParameter('gateTableSource', itemIndex, 'default') !== 'custom') return DEFAULT_GATE_TABLE;
	try {
		return parseGateTable(ctx.getNodeParameter('gateTable', itemIndex));
	} catch (e) {
		if (e instanceof GateTableError) {
			throw new NodeOperationError(ctx.getNode(), e.problems.length === 1 ? `Gate Table JSON: ${e.problems[0]}` : `Gate Table JSON has ${e.problems.length} problems`, {
				description: e.message,
				itemIndex,
			});
		}
		throw new NodeOperationError(ctx.getNode(), e as Error, { itemIndex });
	}
}

const str = (ctx: IExecuteFunctions, name: string, i: number) => String(ctx.getNodeParameter(name, i, '') ?? '').trim();

export async function evaluateGateOp(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	return [
		await runPerItem(ctx, items, async (i) => {
			const action = str(ctx, 'actionKind', i);
			const amount = action === 'purchase-over-threshold' ? Number(ctx.getNodeParameter('amount', i, 0)) : undefined;
			const decision = evaluateGate(gateTable(ctx, i), { app: str(ctx, 'app', i), action, amount, model: str(ctx, 'model', i) || undefined });
			return [{ json: { ...decision, approvers: { ...decision.approvers } } as unknown as IDataObject }];
		}),
	];
}

export async function commandRoomStatusOp(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const status = commandRoomStatus(gateTable(ctx, 0), undefined, { generatedAt: new Date() });
	return [[{ json: status as unknown as IDataObject, pairedItem: { item: 0 } }]];
}

function blocksParam(ctx: IExecuteFunctions, i: number): unknown[] | undefined {
	const raw = ctx.getNodeParameter('blocks', i, '');
	if (raw === '' || raw === undefined || raw === null) return undefined;
	const parsed = parseJsonParameter<unknown>(ctx.getNode(), 'Blocks JSON', raw, 'array', i) as unknown[];
	return parsed.length ? parsed : undefined;
}

export async function postMessageOp(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { client } = await getSlack(ctx);
	return [
		await runPerItem(ctx, ctx.getInputData(), async (i) => {
			const threadTs = str(ctx, 'threadTs', i) || undefined;
			try {
				const posted = await client.postMessage({ channel: str(ctx, 'channel', i), text: String(ctx.getNodeParameter('text', i)), blocks: blocksParam(ctx, i), threadTs });
				return [{ json: { ok: true, channel: posted.channel, ts: posted.ts, ...(threadTs ? { threadTs } : {}) } }];
			} catch (e) {
				throw slackNodeError(ctx, e, i);
			}
		}),
	];
}

export async function updateMessageOp(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { client } = await getSlack(ctx);
	return [
		await runPerItem(ctx, ctx.getInputData(), async (i) => {
			try {
				const updated = await client.updateMessage({ channel: str(ctx, 'channel', i), ts: str(ctx, 'ts', i), text: String(ctx.getNodeParameter('text', i)), blocks: blocksParam(ctx, i) });
				return [{ json: { ok: true, channel: updated.channel, ts: updated.ts } }];
			} catch (e) {
				throw slackNodeError(ctx, e, i);
			}
		}),
	];
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/**
 * Record first, then ask, then wait. Everything the resume needs travels in the buttons (or the link URLs) and in the
 * stack entry n8n persists, never in this process: the click may be handled by another n8n process, days later.
 */
export async function requestApprovalOp(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = ctx.getNode();
	const items = ctx.getInputData();
	if (items.length > 1) {
		throw new NodeOperationError(node, `Request Approval asks about one record per execution, got ${items.length} items`, {
			description: 'Call the record-first approval sub-workflow once per record (e.g. Loop Over Items with batch size 1, or Execute Workflow per item).',
		});
	}
	const i = 0;
	const model = str(ctx, 'recordModel', i);
	const rawId = ctx.getNodeParameter('recordId', i, 0);
	const id = typeof rawId === 'number' ? rawId : Number(String(rawId).trim());
	const description = str(ctx, 'description', i);
	const requester = str(ctx, 'requester', i) || undefined;
	const noEvidenceReason = str(ctx, 'noEvidenceReason', i) || undefined;
	const approveVia = str(ctx, 'approveVia', i) === 'link' ? 'link' : 'trigger';
	const actionKind = str(ctx, 'actionKind', i);

	// Nothing may reach Slack before the record is known to exist with its evidence.
	const precheck = checkRecordFirst({ ref: { model, id }, record: null, attachments: null });
	if (!precheck.ok && precheck.code === 'bad-reference') throw new NodeOperationError(node, precheck.reason, { itemIndex: i });

	const odoo = await getOdooClient(ctx);
	let read;
	try {
		read = await readRecord(odoo, model, id);
	} catch (e) {
		const err = toNodeError(node, e, i);
		err.message = `Record first: could not read ${model} #${id} from Odoo, so nothing was posted to Slack. ${err.message}`;
		throw err;
	}
	const verdict = checkRecordFirst({ ref: { model, id }, record: read.record, attachments: read.attachments, noEvidenceReason });
	if (!verdict.ok) throw new NodeOperationError(node, verdict.reason, { itemIndex: i });
	const record = read.record!;

	const gate = evaluateGate(gateTable(ctx, i), { app: str(ctx, 'app', i), action: actionKind, amount: record.amount, model });
	const channel = str(ctx, 'channelOverride', i) || gate.channel;
	if (!channel) throw new NodeOperationError(node, `No approval channel: ${gate.reason}`, { itemIndex: i, description: 'Add a row for this app to the gate table, or set Channel Override.' });
	if (approveVia === 'trigger' && gate.approvers.users.length === 0 && gate.approvers.usergroups.length === 0) {
		throw new NodeOperationError(node, `Nobody could approve this request: the gate for ${gate.app ?? 'this app'} names no approvers, so nothing was posted to Slack`, {
			itemIndex: i,
			description: 'Use a custom gate table whose row names approvers (Slack user ids or user group ids).',
		});
	}

	const amount = Number(ctx.getNodeParameter('limitAmount', i, 24));
	const unit = str(ctx, 'limitUnit', i) as keyof typeof UNIT_MS;
	if (!Number.isFinite(amount) || amount <= 0 || !UNIT_MS[unit]) throw new NodeOperationError(node, 'The wait limit must be a positive amount of minutes, hours or days', { itemIndex: i });
	const expires = new Date(Date.now() + amount * UNIT_MS[unit]);

	const { client: slack, signingSecret } = await getSlack(ctx);
	const odooUrl = odoo.config.url;
	const nodeId = node.id;
	const executionId = ctx.getExecutionId();
	const clippedDescription = description.length > 300 ? `${description.slice(0, 299)}…` : description;
	const common = {
		odooUrl,
		record,
		action: { kind: actionKind, description },
		app: gate.app ?? undefined,
		gate: gate.gate ?? undefined,
		evidence: read.attachments,
		noEvidenceReason,
		requester: requester ? { slackUserId: requester } : undefined,
		expiresAt: expires,
	};

	let posted: { channel: string; ts: string };
	try {
		if (approveVia === 'trigger') {
			const value = encodeButtonValue(
				{
					executionId,
					nodeId,
					model,
					id,
					expires,
					context: { u: ctx.getSignedResumeUrl(), r: requester, au: gate.approvers.users, ag: gate.approvers.usergroups, s: gate.allowSelfApproval, app: gate.app ?? undefined, k: actionKind, d: clippedDescription },
				},
				signingSecret,
			);
			const message = approvalMessage({ ...common, token: value });
			posted = await slack.postMessage({ channel, text: message.text, blocks: message.blocks });
		} else {
			// Link URLs must name the message they close, and its ts exists only once posted: post, then add the links.
			const message = approvalMessage({ ...common, token: 'link' });
			posted = await slack.postMessage({ channel, text: message.text, blocks: message.blocks });
			const params = { channel: posted.channel, ts: posted.ts, model, id: String(id), k: actionKind, d: clippedDescription, ...(requester ? { r: requester } : {}), ...(gate.app ? { app: gate.app } : {}) };
			const approveUrl = ctx.getSignedResumeUrl({ ...params, decision: 'approved' });
			const rejectUrl = ctx.getSignedResumeUrl({ ...params, decision: 'rejected' });
			const blocks = message.blocks.map((b) =>
				b.type === 'actions' ? { ...b, elements: (b.elements as IDataObject[]).map((el) => ({ ...el, url: el.action_id === 'odoo_ops_approve' ? approveUrl : rejectUrl })) } : b,
			);
			await slack.updateMessage({ channel: posted.channel, ts: posted.ts, text: message.text, blocks });
		}
	} catch (e) {
		throw slackNodeError(ctx, e, i);
	}
	let permalink: string | undefined;
	try {
		permalink = await slack.permalink(posted.channel, posted.ts);
	} catch {
		// The link is a convenience in the output; the request itself is posted.
	}

	const state: ApprovalState = { model, id, channel: posted.channel, ts: posted.ts, action: { kind: actionKind, description }, app: gate.app ?? undefined, requester };
	const timedOut = decisionItem({ outcome: 'timed-out', decidedAt: expires, state, record, odooUrl, permalink, finalized: false });

	// When the limit passes, n8n resumes a waiting node by forwarding its persisted stack entry without running it
	// (WorkflowExecute.handleWaitingState + handleDisabledNode). Parking the timed-out item on the third output of that
	// entry is what makes a timeout leave through Timed Out instead of passing the input through Approved.
	const executeData = ctx.getExecuteData();
	executeData.data = { main: [[], [], [{ json: timedOut, pairedItem: { item: 0 } }]] };
	executeData.metadata = { ...(executeData.metadata ?? {}), forwardAllOutputs: true } as typeof executeData.metadata;

	await ctx.putExecutionToWait(expires);
	return [[], [], []];
}

export async function recordTimeoutOp(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { client: slack } = await getSlack(ctx);
	const odoo = await getOdooClient(ctx);
	return [
		await runPerItem(ctx, ctx.getInputData(), async (i, item) => {
			const j = item.json as IDataObject & { slack?: IDataObject; record?: IDataObject; action?: IDataObject };
			if (j.decision !== 'timed-out' || !j.slack || !j.record) {
				throw new NodeOperationError(ctx.getNode(), 'Record Timeout expects the items of a Request Approval Timed Out output', { itemIndex: i });
			}
			if (j.finalized === true) return [{ json: j }];
			const state: ApprovalState = {
				model: String(j.record.model),
				id: Number(j.record.id),
				channel: String(j.slack.channel),
				ts: String(j.slack.ts),
				action: { kind: typeof j.action?.kind === 'string' ? j.action.kind : undefined, description: String(j.action?.description ?? '') },
				app: typeof j.app === 'string' ? j.app : undefined,
				requester: typeof j.requester === 'string' ? j.requester : undefined,
			};
			const decidedAt = new Date(String(j.decidedAt));
			const done = await finishApproval({ slack, odoo, odooUrl: odoo.config.url, state, outcome: 'timed-out', decidedAt });
			return [{ json: decisionItem({ outcome: 'timed-out', decidedAt, state, record: done.record, odooUrl: odoo.config.url, permalink: done.permalink, finalized: true, warnings: done.warnings }) }];
		}),
	];
}
