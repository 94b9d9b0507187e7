import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, runPerItem } from '../../../../../lib/n8n';
import type { OdooDomain } from '../../../../../lib/odoo/types';
import type { ExecutionState } from '../../helpers/types';
import { returnAllDescription } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'partner',
		description: 'Only models whose technical name or label contains this text',
	},
	...returnAllDescription,
];

export const description = updateDisplayOptions({ show: { resource: ['model'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const search = String(this.getNodeParameter('search', itemIndex, '') ?? '').trim();
		const domain: OdooDomain = search ? ['|', ['model', 'ilike', search], ['name', 'ilike', search]] : [];
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : Number(this.getNodeParameter('limit', itemIndex, 50)) || 50;
		const models = await state.client.searchRead('ir.model', domain, { fields: ['model', 'name', 'transient'], order: 'model asc', limit });
		return jsonItems(models as IDataObject[]);
	});
}
