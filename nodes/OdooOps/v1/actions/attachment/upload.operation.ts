import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { binaryToAttachment, jsonItems, runPerItem } from '../../../../../lib/n8n';
import { getModel, getRecordId } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: "Name stored in Odoo; the binary's own file name when empty",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['attachment'], operation: ['upload'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const recordId = getRecordId(this, itemIndex);
		const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
		const fileName = String(this.getNodeParameter('options.fileName', itemIndex, '') ?? '').trim() || undefined;
		const attachment = await binaryToAttachment(this, itemIndex, property, fileName);
		const id = await state.client.createAttachment({ ...attachment, resModel: model, resId: recordId });
		return jsonItems({ id, name: attachment.name, mimetype: attachment.mimetype ?? null, res_model: model, res_id: recordId });
	});
}
