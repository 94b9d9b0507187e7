import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, parseFieldList, runPerItem } from '../../../../../lib/n8n';
import { getDomain } from '../../helpers/domain';
import { getContext, getModel } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, domainDescription, returnAllDescription } from '../common.descriptions';
import { fieldsOption } from './get.operation';

const properties: INodeProperties[] = [
	...domainDescription,
	...returnAllDescription,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			fieldsOption,
			{
				displayName: 'Order',
				name: 'order',
				type: 'string',
				default: '',
				placeholder: 'name asc, id desc',
				description: 'Odoo sort order: field names with asc or desc, separated by commas',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'With Return All, records fetched per request',
				displayOptions: { show: { '/returnAll': [true] } },
			},
			...contextOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const domain = await getDomain(this, state, itemIndex, model);
		const fields = parseFieldList(this.getNodeParameter('options.fields', itemIndex, []));
		const order = String(this.getNodeParameter('options.order', itemIndex, '') ?? '').trim() || undefined;
		const context = getContext(this, itemIndex);
		const search = { fields: fields.length > 0 ? fields : undefined, order, context };

		if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) {
			const pageSize = Number(this.getNodeParameter('options.pageSize', itemIndex, 1000)) || 1000;
			const results: INodeExecutionData[] = [];
			for await (const page of state.client.searchReadPages(model, domain, { ...search, pageSize })) {
				results.push(...jsonItems(page as IDataObject[]));
			}
			return results;
		}
		const limit = Number(this.getNodeParameter('limit', itemIndex, 50)) || 50;
		return jsonItems((await state.client.searchRead(model, domain, { ...search, limit })) as IDataObject[]);
	});
}
