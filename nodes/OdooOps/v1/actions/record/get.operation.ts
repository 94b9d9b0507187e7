import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, parseFieldList, runPerItem } from '../../../../../lib/n8n';
import { OdooError } from '../../../../../lib/odoo/errors';
import { getContext, getModel, getRecordId } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, recordLocator } from '../common.descriptions';

export const fieldsOption: INodeProperties = {
	displayName: 'Field Names or IDs',
	name: 'fields',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['model.value'] },
	default: [],
	description:
		'Fields to return; all when empty. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const properties: INodeProperties[] = [
	recordLocator(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [fieldsOption, ...contextOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const id = getRecordId(this, itemIndex);
		const fields = parseFieldList(this.getNodeParameter('options.fields', itemIndex, []));
		const records = await state.client.read(model, [id], fields.length > 0 ? fields : undefined, getContext(this, itemIndex));
		if (records.length === 0) {
			throw new OdooError({
				kind: 'missing',
				model,
				message: `Record ${id} does not exist in model '${model}'`,
				hint: 'It may have been deleted, be archived (turn off "Active Records Only") or be outside your access rights',
			});
		}
		return jsonItems(records as IDataObject[]);
	});
}
