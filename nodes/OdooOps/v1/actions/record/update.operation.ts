import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, runPerItem } from '../../../../../lib/n8n';
import { getContext, getModel, getRecordId, getValues } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, fieldsToSetDescription, recordLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	recordLocator(),
	...fieldsToSetDescription,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: contextOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const id = getRecordId(this, itemIndex);
		const values = await getValues(this, state, itemIndex, model);
		await state.client.write(model, [id], values, getContext(this, itemIndex));
		return jsonItems({ id, updated: true });
	});
}
