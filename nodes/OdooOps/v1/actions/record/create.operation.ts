import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { errorItem, itemParameter, toNodeError } from '../../../../../lib/n8n';
import { isOdooError } from '../../../../../lib/odoo/errors';
import type { OdooContext } from '../../../../../lib/odoo/types';
import { getContext, getModel, getValues } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';
import { contextOptions, fieldsToSetDescription } from '../common.descriptions';

export const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 5000 },
	default: 200,
	description: 'Rows sent in one create call. 200 is the measured sweet spot on Odoo 18.',
};

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['create'] } }, properties);

export interface PendingRow {
	itemIndex: number;
	values: Record<string, unknown>;
}

export interface RowGroup {
	model: string;
	context?: OdooContext;
	batchSize: number;
	rows: PendingRow[];
}

/**
 * Reads every item's model, context and values. Items going to the same model with the same context form one group,
 * so a group can be sent as `create` calls of many rows. Input errors are raised (or, with Continue On Fail, turned
 * into error items) here, before anything is written.
 */
export async function collectRows(
	context: IExecuteFunctions,
	state: ExecutionState,
	output: Array<INodeExecutionData | undefined>,
	prepare?: (itemIndex: number, model: string, values: Record<string, unknown>) => void,
): Promise<RowGroup[]> {
	const groups = new Map<string, RowGroup>();
	let last: RowGroup | undefined;
	for (let itemIndex = 0; itemIndex < state.items.length; itemIndex++) {
		try {
			const model = getModel(context, itemIndex);
			const values = await getValues(context, state, itemIndex, model);
			prepare?.(itemIndex, model, values);
			const odooContext = getContext(context, itemIndex);
			const batchSize = Math.max(1, Math.floor(Number(itemParameter(context, 'options.batchSize', itemIndex, 200)) || 200));
			// Typed without expressions, model, context and batch size are the very same for every item (getContext then
			// hands out one object): the group of the previous item is found without serialising a key per item.
			let group = last && last.model === model && last.context === odooContext && last.batchSize === batchSize ? last : undefined;
			if (!group) {
				const key = JSON.stringify([model, odooContext ?? null, batchSize]);
				group = groups.get(key);
				if (!group) {
					group = { model, context: odooContext, batchSize, rows: [] };
					groups.set(key, group);
				}
				last = group;
			}
			group.rows.push({ itemIndex, values });
		} catch (error) {
			const failure = toNodeError(context.getNode(), error, itemIndex);
			if (!context.continueOnFail()) throw failure;
			output[itemIndex] = errorItem(failure.message, itemIndex);
		}
	}
	return [...groups.values()];
}

export function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size) chunks.push(list.slice(start, start + size));
	return chunks;
}

/**
 * Odoo runs each RPC call in one transaction: when it answered with an exception, none of the batch was created and
 * the rows may be sent again one by one. When the answer never arrived (network, proxy timeout) the server may have
 * committed, so those rows are not retried.
 */
function batchWasRolledBack(error: unknown): boolean {
	return isOdooError(error) && error.kind !== 'network' && (error.exceptionName !== undefined || error.faultCode !== undefined);
}

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	const output: Array<INodeExecutionData | undefined> = new Array(state.items.length);
	const groups = await collectRows(this, state, output);
	const createdIds: number[] = [];

	for (const group of groups) {
		for (const batch of chunk(group.rows, group.batchSize)) {
			try {
				const ids = await state.client.create(
					group.model,
					batch.map((row) => row.values),
					{ batchSize: batch.length, context: group.context },
				);
				batch.forEach((row, index) => {
					output[row.itemIndex] = { json: { id: ids[index] }, pairedItem: { item: row.itemIndex } };
					createdIds.push(ids[index]);
				});
			} catch (error) {
				const first = batch[0].itemIndex;
				if (!this.continueOnFail()) {
					const failure = toNodeError(this.getNode(), error, batch.length === 1 ? first : undefined);
					const where = `The failing create call held items ${first}–${batch[batch.length - 1].itemIndex} of model '${group.model}'.`;
					const done = createdIds.length > 0 ? ` Records created by earlier calls of this run: IDs ${createdIds.join(', ')}.` : ' No record was created by this run.';
					failure.description = [failure.description, `${where}${done}`].filter(Boolean).join('\n\n');
					throw failure;
				}
				if (!batchWasRolledBack(error)) {
					const failure = toNodeError(this.getNode(), error);
					for (const row of batch) {
						output[row.itemIndex] = errorItem(
							`${failure.message} (not retried: the server may have created this record before the connection failed; check before re-running)`,
							row.itemIndex,
						);
					}
					continue;
				}
				// Only to tell which items are at fault: the batch was rolled back, so nothing here exists yet.
				for (const row of batch) {
					try {
						const [id] = await state.client.create(group.model, [row.values], { batchSize: 1, context: group.context });
						output[row.itemIndex] = { json: { id }, pairedItem: { item: row.itemIndex } };
						createdIds.push(id);
					} catch (rowError) {
						output[row.itemIndex] = errorItem(toNodeError(this.getNode(), rowError, row.itemIndex).message, row.itemIndex);
					}
				}
			}
		}
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}
