import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { claimDecision, escapeHtml, type ApprovalOutcome } from '../../../lib/approvals';
import { verifyResumeBody } from '../../../lib/n8n/approvalProtocol';
import { getOdooClient } from '../../../lib/n8n';
import { getSlack } from '../../../lib/n8n/slack';
import { decisionItem, finishApproval, type ApprovalState } from './approval';

const OUTPUT: Record<ApprovalOutcome, number> = { approved: 0, rejected: 1, 'timed-out': 2 };

function page(title: string, text: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
}

/**
 * Refuses without resuming: returning no workflowData leaves the execution waiting (n8n only persists the resume when
 * the node hands back data), so a bad request cannot end an approval that someone may still decide.
 */
function refuse(ctx: IWebhookFunctions, status: number, reason: string, html: boolean): IWebhookResponseData {
	const res = ctx.getResponseObject();
	if (html) res.status(status).type('html').send(page('Not accepted', reason));
	else res.status(status).json({ resumed: false, reason });
	return { noWebhookResponse: true };
}

function executionIdOf(ctx: IWebhookFunctions): string | undefined {
	try {
		const id = ctx.getExecutionId();
		return typeof id === 'string' && id ? id : undefined;
	} catch {
		return undefined;
	}
}

export async function approvalWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const approveVia = this.getNodeParameter('approveVia', 'trigger') === 'link' ? 'link' : 'trigger';
	const { client: slack, signingSecret } = await getSlack(this);
	const now = new Date();

	let outcome: ApprovalOutcome;
	let decidedBy: { slackUserId?: string; name?: string } | undefined;
	let decidedAt = now;
	let state: ApprovalState;

	if (req.method === 'POST' && approveVia === 'trigger') {
		const verdict = verifyResumeBody(this.getBodyData(), signingSecret, now, { executionId: executionIdOf(this), nodeId: this.getNode().id });
		if (!verdict.ok) return refuse(this, 403, verdict.reason, false);
		const { body, claims, context } = verdict;
		outcome = body.decision;
		decidedAt = new Date(body.decidedAt);
		decidedBy = { slackUserId: body.user.id, ...(body.user.name ? { name: body.user.name } : {}) };
		try {
			const info = await slack.userInfo(body.user.id);
			if (info.realName) decidedBy.name = info.realName;
		} catch {
			// The Slack id alone still identifies the approver.
		}
		state = { model: claims.model, id: claims.id, channel: body.channel, ts: body.ts, action: { kind: context.k, description: context.d ?? '' }, app: context.app, requester: context.r };
	} else if (req.method === 'GET' && approveVia === 'link') {
		// n8n has checked its signature over this URL and all its query parameters before calling us.
		const q = this.getQueryData() as Record<string, string | undefined>;
		if ((q.decision !== 'approved' && q.decision !== 'rejected') || !q.channel || !q.ts || !q.model || !q.id) {
			return refuse(this, 400, 'This link does not carry an approval decision.', true);
		}
		outcome = q.decision;
		state = { model: q.model, id: Number(q.id), channel: q.channel, ts: q.ts, action: { kind: q.k, description: q.d ?? '' }, app: q.app, requester: q.r };
	} else {
		return refuse(
			this,
			403,
			approveVia === 'trigger' ? 'This approval is decided in Slack: use the buttons on the approval message.' : 'Open the link from the approval message to decide.',
			req.method === 'GET',
		);
	}

	const odoo = await getOdooClient(this);
	// Two clicks at the same moment both get here; only the one that claims the approval in Odoo decides.
	const claim = await claimDecision(odoo, { executionId: executionIdOf(this), nodeId: this.getNode().id, model: state.model, id: state.id });
	if (claim.status === 'lost') return refuse(this, 409, 'This approval has already been decided.', req.method === 'GET');
	const done = await finishApproval({ slack, odoo, odooUrl: odoo.config.url, state, outcome, decidedBy, decidedAt });
	if (claim.status === 'unclaimed') done.warnings.push(claim.warning);
	// Request Approval takes exactly one item, so the decision pairs with item 0 and `.item` works downstream.
	const item: INodeExecutionData = {
		json: decisionItem({ outcome, decidedBy, decidedAt, state, record: done.record, odooUrl: odoo.config.url, permalink: done.permalink, finalized: true, warnings: done.warnings }),
		pairedItem: { item: 0 },
	};
	const outputs: INodeExecutionData[][] = [[], [], []];
	outputs[OUTPUT[outcome]].push(item);
	if (req.method === 'GET') {
		const word = outcome === 'approved' ? 'Approved' : 'Rejected';
		this.getResponseObject().status(200).type('html').send(page(word, `${word}: ${done.record.name}. You can close this page.`));
		return { noWebhookResponse: true, workflowData: outputs };
	}
	// Answered here rather than through webhookResponse: n8n's onReceived default (responseData firstEntryJson) would
	// replace it, and the trigger reads `resumed` to tell a resumed approval from one that was already decided.
	this.getResponseObject().status(200).json({ resumed: true, decision: outcome });
	return { noWebhookResponse: true, workflowData: outputs };
}
