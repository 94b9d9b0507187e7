import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './errors';

/** Wraps plain results as items; the caller adds nothing else, pairing is done by runPerItem. */
export function jsonItems(data: IDataObject | IDataObject[]): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
}

export function errorItem(message: string, itemIndex: number): INodeExecutionData {
	return { json: { error: message }, pairedItem: { item: itemIndex } };
}

/**
 * Runs `fn` for each input item and pairs every output with its input. With "Continue On Fail" a failing item
 * becomes `{ error }` and the others still run; without it the first failure stops the node as a n8n error.
 */
export async function runPerItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number, item: INodeExecutionData) => Promise<INodeExecutionData[]>,
	/** What a failed item carries with Continue On Fail; nodes with machine-readable reasons add them here. */
	failedJson: (failure: ReturnType<typeof toNodeError>) => INodeExecutionData['json'] = (failure) => ({ error: failure.message }),
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await fn(itemIndex, items[itemIndex]);
			for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			const failure = toNodeError(context.getNode(), error, itemIndex);
			if (!context.continueOnFail()) throw failure;
			output.push({ json: failedJson(failure), pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
