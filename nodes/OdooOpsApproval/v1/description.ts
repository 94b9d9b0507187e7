import { SEND_AND_WAIT_OPERATION, type INodeProperties } from 'n8n-workflow';

import { ACTION_KINDS } from '../../../lib/approvals';

const gateOps = ['evaluateGate', SEND_AND_WAIT_OPERATION, 'commandRoomStatus'];

const actionKindOptions = ACTION_KINDS.map((kind) => ({
	name: kind.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
	value: kind,
}));

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		// n8n recognises a waiting node's signed resume URL only when this parameter is `operation` = `sendAndWait`.
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Command Room Status', value: 'commandRoomStatus', action: 'Build the command room status', description: 'The status document of gates and flows, from the gate table in use' },
			{ name: 'Evaluate Gate', value: 'evaluateGate', action: 'Evaluate an approval gate', description: 'Whether an action on an Odoo app needs approval, where and by whom' },
			{ name: 'Post Message', value: 'postMessage', action: 'Post a slack message', description: 'Post a message or a thread reply' },
			{ name: 'Record Timeout', value: 'recordTimeout', action: 'Record a timed out approval', description: 'Close a timed-out request in Slack and in the Odoo chatter (connect to the Timed Out output)' },
			{ name: 'Request Approval', value: SEND_AND_WAIT_OPERATION, action: 'Request approval and wait', description: 'Record first: post the request for an existing Odoo record and wait for a decision' },
			{ name: 'Update Message', value: 'updateMessage', action: 'Update a slack message' },
		],
		default: SEND_AND_WAIT_OPERATION,
	},

	// Gate table --------------------------------------------------------------------------------------------------
	{
		displayName: 'Gate Table',
		name: 'gateTableSource',
		type: 'options',
		options: [
			{ name: 'Default (Seed 000)', value: 'default', description: 'The ten Odoo apps of the command room, with no approvers named' },
			{ name: 'Custom JSON', value: 'custom' },
		],
		default: 'default',
		displayOptions: { show: { operation: gateOps } },
	},
	{
		displayName: 'Gate Table JSON',
		name: 'gateTable',
		type: 'json',
		default: '[]',
		description: 'An array of rows (app, status, actions, channel, approvers {users, usergroups}, …) or {"apps": [...]}',
		displayOptions: { show: { operation: gateOps, gateTableSource: ['custom'] } },
	},
	{
		displayName: 'Odoo App',
		name: 'app',
		type: 'string',
		default: '',
		placeholder: 'Accounting / Invoicing / Expenses',
		description: 'App name as in the gate table (a part such as "Invoicing" or an alias also matches). Empty: found from the Odoo model.',
		displayOptions: { show: { operation: ['evaluateGate', SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Action Kind',
		name: 'actionKind',
		type: 'options',
		options: actionKindOptions,
		default: 'send',
		displayOptions: { show: { operation: ['evaluateGate', SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		default: 0,
		description: 'For purchases over a threshold. Request Approval reads it from the record when the record has one.',
		displayOptions: { show: { operation: ['evaluateGate'], actionKind: ['purchase-over-threshold'] } },
	},
	{
		displayName: 'Odoo Model',
		name: 'model',
		type: 'string',
		default: '',
		placeholder: 'account.move',
		description: 'For Evaluate Gate: finds the app when Odoo App is empty',
		displayOptions: { show: { operation: ['evaluateGate'] } },
	},

	// Request approval -------------------------------------------------------------------------------------------
	{
		displayName: 'Odoo Model',
		name: 'recordModel',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'account.move',
		description: 'Record first: the approval is about this existing Odoo record',
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'number',
		required: true,
		default: 0,
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Action Description',
		name: 'description',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Send invoice INV/2026/0042 to Azure Interior',
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Requester Slack User ID',
		name: 'requester',
		type: 'string',
		default: '',
		placeholder: 'U0123ABCD',
		description: 'Who asks. The requester cannot approve their own request unless the gate allows it.',
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'No Evidence Needed Because',
		name: 'noEvidenceReason',
		type: 'string',
		default: '',
		description: 'Leave empty to require at least one attachment on the record. A reason here is shown in Slack and kept in the chatter.',
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Approve Via',
		name: 'approveVia',
		type: 'options',
		options: [
			{ name: 'Slack Interaction Trigger (Identified Approvers)', value: 'trigger', description: 'Buttons go to the Slack app; the trigger checks who clicked' },
			{ name: 'Link Buttons (Approver Unknown)', value: 'link', description: 'Fallback without a Slack app Request URL: anyone with the link decides, recorded as unknown' },
		],
		default: 'trigger',
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Wait Limit Amount',
		name: 'limitAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 24,
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Wait Limit Unit',
		name: 'limitUnit',
		type: 'options',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		default: 'hours',
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},
	{
		displayName: 'Channel Override',
		name: 'channelOverride',
		type: 'string',
		default: '',
		placeholder: '#mlh-legacy-issues',
		description: "Post here instead of the gate's channel",
		displayOptions: { show: { operation: [SEND_AND_WAIT_OPERATION] } },
	},

	// Messages ---------------------------------------------------------------------------------------------------
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'C0123ABCD or #channel',
		displayOptions: { show: { operation: ['postMessage', 'updateMessage'] } },
	},
	{
		displayName: 'Message Timestamp',
		name: 'ts',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1732800000.000100',
		description: 'The ts of the message to update, as a string',
		displayOptions: { show: { operation: ['updateMessage'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'Message text (mrkdwn); also the notification fallback when blocks are given',
		displayOptions: { show: { operation: ['postMessage', 'updateMessage'] } },
	},
	{
		displayName: 'Blocks JSON',
		name: 'blocks',
		type: 'json',
		default: '',
		description: 'Block Kit blocks (an array). Empty: text only.',
		displayOptions: { show: { operation: ['postMessage', 'updateMessage'] } },
	},
	{
		displayName: 'Thread Timestamp',
		name: 'threadTs',
		type: 'string',
		default: '',
		description: 'Reply in the thread of this parent message ts',
		displayOptions: { show: { operation: ['postMessage'] } },
	},
];
