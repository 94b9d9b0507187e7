import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { attachmentToBinary, parseRecordId, runPerItem } from '../../../../../lib/n8n';
import { OdooError } from '../../../../../lib/odoo/errors';
import type { ExecutionState } from '../../helpers/types';
import { ATTACHMENT_FIELDS } from './getMany.operation';

const properties: INodeProperties[] = [
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '42',
		description: 'ID of the ir.attachment record, e.g. from List',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['attachment'], operation: ['download'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const id = parseRecordId(this.getNode(), 'Attachment ID', this.getNodeParameter('attachmentId', itemIndex, ''), itemIndex);
		const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
		const [attachment] = await state.client.read('ir.attachment', [id], [...ATTACHMENT_FIELDS, 'datas']);
		if (!attachment) {
			throw new OdooError({ kind: 'missing', model: 'ir.attachment', message: `Attachment ${id} does not exist`, hint: 'List the attachments of the record to get valid IDs' });
		}
		const { datas, ...meta } = attachment;
		const binary = await attachmentToBinary(this, { datas, name: meta.name, mimetype: meta.mimetype });
		return [{ json: meta as IDataObject, binary: { [property]: binary } }];
	});
}
