import {
	NodeConnectionTypes,
	NodeOperationError,
	SEND_AND_WAIT_OPERATION,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { credentialTest } from '../OdooOps/v1/methods';
import {
	commandRoomStatusOp,
	evaluateGateOp,
	postMessageOp,
	recordTimeoutOp,
	requestApprovalOp,
	updateMessageOp,
} from './v1/actions';
import { properties } from './v1/description';
import { approvalWebhook } from './v1/resume';

const slackOps = ['postMessage', 'updateMessage', SEND_AND_WAIT_OPERATION, 'recordTimeout'];
const odooOps = [SEND_AND_WAIT_OPERATION, 'recordTimeout'];

/**
 * A plain INodeType with a v1 folder, like Odoo Ops (see the note there on VersionedNodeType and credential tests).
 */
// Not usableAsTool: n8n would also wrap a sendAndWait node as a "HITL" tool expecting its own conventions (an `approved`
// flag on one output); a record-first approval is a workflow step, not an agent's tool.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool, @n8n/community-nodes/webhook-lifecycle-complete -- its webhooks are n8n's own resume endpoints (restartWebhook), which exist only while the node waits: nothing is registered on another service
export class OdooOpsApproval implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Ops Approval',
		name: 'odooOpsApproval',
		icon: { light: 'file:odooOpsApproval.svg', dark: 'file:odooOpsApproval.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			"Record-first approvals in Slack for Odoo: gates per Odoo app, requests that name an existing record with its evidence, identified approvers (with the Slack Interaction Trigger) and the decision written to the record's chatter. Unlike n8n's Slack node, it never asks before the Odoo record exists.",
		defaults: { name: 'Odoo Ops Approval' },
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter["operation"] === "${SEND_AND_WAIT_OPERATION}" ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Approved" }, { type: "${NodeConnectionTypes.Main}", displayName: "Rejected" }, { type: "${NodeConnectionTypes.Main}", displayName: "Timed Out" }] : ["${NodeConnectionTypes.Main}"] }}`,
		credentials: [
			{ name: 'slackOpsApi', required: true, displayOptions: { show: { operation: slackOps } } },
			{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest', displayOptions: { show: { operation: odooOps } } },
		],
		// The resume endpoints n8n opens while Request Approval waits: POST from the Slack Interaction Trigger, GET from
		// link buttons. `path` must be the node id and `operation` must be sendAndWait for n8n to check its URL signature.
		webhooks: [
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true },
		],
		properties,
	};

	methods = { credentialTest };

	webhook = approvalWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		switch (operation) {
			case 'evaluateGate':
				return await evaluateGateOp(this);
			case 'commandRoomStatus':
				return await commandRoomStatusOp(this);
			case 'postMessage':
				return await postMessageOp(this);
			case 'updateMessage':
				return await updateMessageOp(this);
			case SEND_AND_WAIT_OPERATION:
				return await requestApprovalOp(this);
			case 'recordTimeout':
				return await recordTimeoutOp(this);
			default:
				throw new NodeOperationError(this.getNode(), `Unknown operation '${operation}'`);
		}
	}
}

