import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { APPROVAL_BLOCK_ID, APPROVE_ACTION_ID, checkApprover, REJECT_ACTION_ID } from '../../lib/approvals';
import { decodeButtonValue, signResumeBody, type ApprovalDecision } from '../../lib/n8n/approvalProtocol';
import { getSlack } from '../../lib/n8n/slack';
import { parseInteraction, verifySlackRequest, type BlockActionsPayload } from '../../lib/slack';

type Outcome = 'resumed' | 'refused' | 'ignored';

function rawBodyOf(ctx: IWebhookFunctions): Buffer | undefined {
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	return undefined;
}

type MessageState = 'open' | 'decided' | 'other-approval' | 'unknown';

/**
 * Where the clicked message stands, from the copy Slack sends with the click: no approval buttons left means it was
 * decided; buttons carrying another value mean the token was lifted from a different approval. Without a copy, the
 * resume URL's single use still stops a second decision.
 */
function messageState(payload: BlockActionsPayload, value: string): MessageState {
	const blocks = (payload.message as { blocks?: Array<{ type?: string; block_id?: string; elements?: Array<{ value?: unknown }> }> } | undefined)?.blocks;
	if (!Array.isArray(blocks)) return 'unknown';
	const actions = blocks.find((b) => b.type === 'actions' && b.block_id === APPROVAL_BLOCK_ID);
	if (!actions) return 'decided';
	return (actions.elements ?? []).some((e) => e.value === value) ? 'open' : 'other-approval';
}

// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete -- Slack has no API to register an interactivity Request URL: it is set by hand in the Slack app's settings
export class SlackInteractionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Slack Interaction Trigger (Odoo Ops)',
		name: 'slackInteractionTrigger',
		icon: { light: 'file:slackInteraction.svg', dark: 'file:slackInteraction.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Button clicks',
		description:
			"Receives the Slack app's button clicks (its Interactivity Request URL points here), checks Slack's signature and who clicked, and resumes the waiting Odoo Ops Approval with the decision and the approver",
		defaults: { name: 'Slack Interaction Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'slackOpsApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'slack-interactivity' }],
		properties: [
			{
				displayName:
					"Set the Slack app's Interactivity Request URL to this node's production URL. Clicks on Odoo Ops Approval buttons resume their approval; each click (accepted or refused) also starts this workflow with a description of it.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const { client: slack, signingSecret } = await getSlack(this);
		const raw = rawBodyOf(this);
		if (!raw) {
			res.status(400).json({ ok: false, error: 'No raw request body: the Slack signature cannot be checked' });
			return { noWebhookResponse: true };
		}
		const verified = verifySlackRequest(raw, this.getHeaderData(), signingSecret, Date.now());
		if (!verified.ok) {
			res.status(401).json({ ok: false, error: verified.reason });
			return { noWebhookResponse: true };
		}
		const parsed = parseInteraction(raw);
		if (!parsed.ok) {
			res.status(400).json({ ok: false, error: parsed.reason });
			return { noWebhookResponse: true };
		}
		// Slack shows the clicker an error unless it hears 200 within 3 s; everything after the signature check (user
		// group lookups, the resume, which runs the approval's Slack and Odoo updates) may take longer.
		res.status(200).end();

		const payload = parsed.payload;
		const action = payload.actions.find((a) => a.action_id === APPROVE_ACTION_ID || a.action_id === REJECT_ACTION_ID);
		const channel = payload.channel?.id ?? payload.container?.channel_id ?? '';
		const messageTs = payload.container?.message_ts ?? (payload.message?.ts as string | undefined) ?? '';
		const user = { id: payload.user.id, ...(payload.user.name ? { name: payload.user.name } : {}), ...(payload.user.username ? { username: payload.user.username } : {}) };
		const base: IDataObject = { user, channel, messageTs, actionId: action?.action_id ?? payload.actions[0].action_id, at: new Date().toISOString() };
		const emit = (result: Outcome, extra: IDataObject = {}): IWebhookResponseData => ({ noWebhookResponse: true, workflowData: [[{ json: { result, ...base, ...extra } }]] });

		const tell = async (text: string) => {
			try {
				await slack.postEphemeral({ channel, user: user.id, text, ...(payload.container?.thread_ts ? { threadTs: payload.container.thread_ts } : {}) });
			} catch {
				// Telling the clicker why is best effort; the refusal itself stands.
			}
		};

		if (!action) return emit('ignored', { reason: 'Not an Odoo Ops approval button' });
		const decision: ApprovalDecision = action.action_id === APPROVE_ACTION_ID ? 'approved' : 'rejected';
		const decoded = decodeButtonValue(action.value, signingSecret, Date.now());
		if (!decoded.ok) {
			if (action.value === 'link') return emit('ignored', { reason: 'A link-button approval: decided through its link, not here' });
			await tell(`This approval button cannot be used: ${decoded.reason}.`);
			return emit('refused', { decision, code: decoded.code, reason: decoded.reason });
		}
		const approval = { model: decoded.claims.model, id: decoded.claims.id, executionId: decoded.executionId };
		const state = messageState(payload, action.value as string);
		if (state === 'decided') {
			await tell('This request has already been decided; your click changed nothing.');
			return emit('refused', { decision, approval, code: 'already-decided', reason: 'The request has already been decided' });
		}
		if (state === 'other-approval') {
			await tell('This approval button cannot be used: its token belongs to another approval.');
			return emit('refused', { decision, approval, code: 'other-approval', reason: 'The approval token belongs to another approval' });
		}

		const { context } = decoded;
		const groupMembers: Record<string, string[]> = {};
		for (const group of context.ag) {
			try {
				groupMembers[group] = await slack.usergroupMembers(group);
			} catch {
				// An unreadable group grants nothing (checkApprover treats it as absent).
			}
		}
		const verdict = checkApprover({ userId: user.id, requesterId: context.r, approvers: { users: context.au, usergroups: context.ag }, allowSelfApproval: context.s, groupMembers });
		if (!verdict.allowed) {
			await tell(`Your click changed nothing: ${verdict.reason}`);
			return emit('refused', { decision, approval, code: 'not-an-approver', reason: verdict.reason });
		}

		const body = signResumeBody({ v: 1, decision, value: action.value as string, user, channel, ts: messageTs, decidedAt: new Date().toISOString() }, signingSecret);
		let resumed = false;
		let detail = '';
		try {
			const response = (await this.helpers.httpRequest({
				method: 'POST',
				url: context.u,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30000,
			})) as { statusCode: number; body: unknown };
			const answer = response.body as { resumed?: unknown; reason?: unknown } | undefined;
			resumed = response.statusCode === 200 && typeof answer === 'object' && answer !== null && answer.resumed === true;
			if (!resumed) detail = typeof answer === 'object' && answer && typeof answer.reason === 'string' ? answer.reason : `HTTP ${response.statusCode}`;
		} catch (e) {
			detail = (e as Error).message;
		}
		if (!resumed) {
			// n8n answers a finished or already-resuming execution with a page or a conflict, never with `resumed`.
			await tell('This request is no longer waiting for a decision (already decided or expired); your click changed nothing.');
			return emit('refused', { decision, approval, code: 'not-waiting', reason: `The approval could not be resumed: ${detail}` });
		}
		return emit('resumed', { decision, approval, via: verdict.via, ...(verdict.via === 'usergroup' ? { group: verdict.group } : {}) });
	}
}
