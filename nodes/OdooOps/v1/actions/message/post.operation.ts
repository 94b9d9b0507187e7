import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { binaryToAttachment, jsonItems, parseFieldList, parseIdList, runPerItem } from '../../../../../lib/n8n';
import { getContext, getModel, getRecordId } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		default: 'note',
		options: [
			{ name: 'Log Note', value: 'note', description: 'Internal note, no follower is notified' },
			{ name: 'Send Message', value: 'comment', description: 'Message to the followers of the record' },
		],
	},
	{
		displayName: 'Body Format',
		name: 'bodyFormat',
		type: 'options',
		default: 'text',
		options: [
			{ name: 'Plain Text', value: 'text', description: 'Odoo escapes any markup' },
			{ name: 'HTML', value: 'html', description: 'Kept as HTML (body_is_html)' },
		],
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachment IDs',
				name: 'attachmentIds',
				type: 'string',
				default: '',
				placeholder: '12, 13',
				description: 'Existing ir.attachment records to attach; Odoo links them to the record',
			},
			{
				displayName: 'Binary Fields to Attach',
				name: 'binaryProperties',
				type: 'string',
				default: '',
				placeholder: 'data, report',
				description: "Input binary fields uploaded to the record's attachments first, then attached",
			},
			{
				displayName: 'Mentioned Partner IDs',
				name: 'partnerIds',
				type: 'string',
				default: '',
				placeholder: '3, 7',
				description: 'Partners (res.partner) notified of this message',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
			},
			...contextOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['post'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const recordId = getRecordId(this, itemIndex);
		const body = String(this.getNodeParameter('body', itemIndex, '') ?? '');
		const kind = this.getNodeParameter('messageType', itemIndex, 'note') as 'note' | 'comment';
		const isHtml = this.getNodeParameter('bodyFormat', itemIndex, 'text') === 'html';
		const attachmentIds = parseIdList(node, 'Attachment IDs', this.getNodeParameter('options.attachmentIds', itemIndex, ''), itemIndex);
		const partnerIds = parseIdList(node, 'Mentioned Partner IDs', this.getNodeParameter('options.partnerIds', itemIndex, ''), itemIndex);
		const subject = String(this.getNodeParameter('options.subject', itemIndex, '') ?? '').trim() || undefined;

		// Every binary is read before anything is uploaded, so a missing one fails the item without orphan attachments.
		const binaries = parseFieldList(this.getNodeParameter('options.binaryProperties', itemIndex, ''));
		const files = await Promise.all(binaries.map(async (property) => await binaryToAttachment(this, itemIndex, property)));
		for (const file of files) {
			attachmentIds.push(await state.client.createAttachment({ ...file, resModel: model, resId: recordId }));
		}

		const messageId = await state.client.messagePost(model, recordId, {
			body,
			kind,
			isHtml,
			attachmentIds: attachmentIds.length > 0 ? attachmentIds : undefined,
			partnerIds: partnerIds.length > 0 ? partnerIds : undefined,
			subject,
			context: getContext(this, itemIndex),
		});
		return jsonItems({ id: messageId, model, res_id: recordId, message_type: kind, attachment_ids: attachmentIds });
	});
}
