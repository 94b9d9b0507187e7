import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, parseIdList, parseJsonParameter, runPerItem } from '../../../../../lib/n8n';
import { OdooError } from '../../../../../lib/odoo/errors';
import { getContext, getModel } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'action_confirm',
		description: 'Public method of the model, e.g. action_confirm, action_post, message_subscribe',
	},
	{
		displayName: 'Record IDs',
		name: 'ids',
		type: 'string',
		default: '',
		placeholder: '7, 12',
		description: 'Records the method runs on, passed as the first argument; leave empty for model-level methods',
	},
	{
		displayName: 'Positional Arguments',
		name: 'args',
		type: 'json',
		default: '[]',
		description: 'JSON array of further positional arguments',
	},
	{
		displayName: 'Keyword Arguments',
		name: 'kwargs',
		type: 'json',
		default: '{}',
		description: 'JSON object of keyword arguments, e.g. {"partner_ids": [3]}',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: contextOptions,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['method'], operation: ['call'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const method = String(this.getNodeParameter('method', itemIndex, '') ?? '').trim();
		if (!/^[a-zA-Z]\w*$/.test(method)) {
			throw new OdooError({
				kind: 'unknown-method',
				model,
				message: method ? `'${method}' is not a valid method name` : "No method given in 'Method'",
				hint: 'Give the public method name, e.g. action_confirm (methods starting with _ are private and cannot be called)',
			});
		}
		const ids = parseIdList(node, 'Record IDs', this.getNodeParameter('ids', itemIndex, ''), itemIndex);
		const args = parseJsonParameter<unknown[]>(node, 'Positional Arguments', this.getNodeParameter('args', itemIndex, '[]'), 'array', itemIndex);
		const kwargs = parseJsonParameter<Record<string, unknown>>(node, 'Keyword Arguments', this.getNodeParameter('kwargs', itemIndex, '{}'), 'object', itemIndex);
		const context = getContext(this, itemIndex);
		if (context) kwargs.context = { ...(kwargs.context as object | undefined), ...context };
		const result = await state.client.execute(model, method, ids.length > 0 ? [ids, ...args] : args, kwargs);
		return jsonItems({ model, method, ...(ids.length > 0 ? { ids } : {}), result: result as IDataObject });
	});
}
