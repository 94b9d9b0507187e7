import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, runPerItem } from '../../../../../lib/n8n';
import { getDomain } from '../../helpers/domain';
import { getContext, getModel } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, domainDescription } from '../common.descriptions';

const properties: INodeProperties[] = [
	...domainDescription,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: contextOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['count'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const domain = await getDomain(this, state, itemIndex, model);
		const count = await state.client.searchCount(model, domain, getContext(this, itemIndex));
		return jsonItems({ model, count });
	});
}
