import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { errorItem, parseFieldList, toNodeError } from '../../../../../lib/n8n';
import { upsertByKey } from '../../../../../lib/odoo';
import { OdooError } from '../../../../../lib/odoo/errors';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, fieldsToSetDescription } from '../common.descriptions';
import { batchSizeOption, chunk, collectRows } from './create.operation';

const properties: INodeProperties[] = [
	{
		displayName: 'Key Field Names or IDs',
		name: 'keyFields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['model.value'] },
		default: [],
		required: true,
		description:
			'Fields that identify a record (e.g. ref, or email + company_id): a record with the same values is updated, otherwise one is created. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...fieldsToSetDescription,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [batchSizeOption, ...contextOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['upsert'] } }, properties);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	const output: Array<INodeExecutionData | undefined> = new Array(state.items.length);
	const keysByItem = new Map<number, string[]>();
	const groups = await collectRows(this, state, output, (itemIndex, model, values) => {
		const keyFields = parseFieldList(this.getNodeParameter('keyFields', itemIndex, []));
		if (keyFields.length === 0) {
			throw new OdooError({ kind: 'validation', message: "No key field given in 'Key Field Names or IDs'", hint: 'Pick the field(s) that identify a record, e.g. ref' });
		}
		const missing = keyFields.filter((field) => !(field in values));
		if (missing.length > 0) {
			throw new OdooError({
				kind: 'validation',
				model,
				field: missing[0],
				message: `Key field ${missing.map((field) => `'${field}'`).join(', ')} has no value in this item`,
				hint: 'Set every key field in the fields to set, so the record can be matched',
			});
		}
		keysByItem.set(itemIndex, keyFields);
	});

	for (const group of groups) {
		// Rows with different key sets cannot be matched in one search.
		const byKeys = new Map<string, typeof group.rows>();
		for (const row of group.rows) {
			const keys = keysByItem.get(row.itemIndex) ?? [];
			const key = JSON.stringify(keys);
			byKeys.set(key, [...(byKeys.get(key) ?? []), row]);
		}
		for (const [keyJson, rows] of byKeys) {
			const keyFields = JSON.parse(keyJson) as string[];
			for (const batch of chunk(rows, group.batchSize)) {
				try {
					const results = await upsertByKey(state.client, group.model, batch.map((row) => row.values), keyFields, {
						batchSize: group.batchSize,
						context: group.context,
					});
					batch.forEach((row, index) => {
						output[row.itemIndex] = { json: { id: results[index].id, action: results[index].action }, pairedItem: { item: row.itemIndex } };
					});
				} catch (error) {
					if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, batch.length === 1 ? batch[0].itemIndex : undefined);
					// Matching by key makes a second attempt safe: a row the batch did write is found and updated, not duplicated.
					for (const row of batch) {
						try {
							const [result] = await upsertByKey(state.client, group.model, [row.values], keyFields, { batchSize: 1, context: group.context });
							output[row.itemIndex] = { json: { id: result.id, action: result.action }, pairedItem: { item: row.itemIndex } };
						} catch (rowError) {
							output[row.itemIndex] = errorItem(toNodeError(this.getNode(), rowError, row.itemIndex).message, row.itemIndex);
						}
					}
				}
			}
		}
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}
