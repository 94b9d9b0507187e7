import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, runPerItem } from '../../../../../lib/n8n';
import { getContext, getModel, getRecordId } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, recordLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	recordLocator(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: contextOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const id = getRecordId(this, itemIndex);
		await state.client.unlink(model, [id], getContext(this, itemIndex));
		return jsonItems({ id, deleted: true });
	});
}
