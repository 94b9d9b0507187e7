import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildContext, isConstantParameter, itemParameter, parseFieldList, parseJsonParameter, parseRecordId, type ContextOptions } from '../../../../lib/n8n';
import { resolveRelationalValues } from '../../../../lib/odoo';
import { OdooError } from '../../../../lib/odoo/errors';
import type { OdooContext } from '../../../../lib/odoo/types';
import { coerceValues } from '../../../../lib/n8n/values';
import type { ExecutionState } from './types';

export function getModel(context: IExecuteFunctions, itemIndex: number): string {
	const model = String(itemParameter(context, 'model', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!model) {
		throw new OdooError({ kind: 'unknown-model', message: "No model given in 'Model'", hint: 'Pick a model from the list or type its technical name, e.g. res.partner' });
	}
	return model;
}

export function getRecordId(context: IExecuteFunctions, itemIndex: number, name = 'recordId', label = 'Record'): number {
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true });
	return parseRecordId(context.getNode(), label, value, itemIndex);
}

const memos = new WeakMap<object, Map<string, unknown>>();

/**
 * `derive` once per execution when none of `parameters` holds an expression (the result is then the same for every
 * item), else per item. A failure is not kept: each item raises it again, naming itself. Callers must not mutate
 * what they get back, since every item shares it.
 */
function perExecution<T>(context: IExecuteFunctions, key: string, parameters: string[], derive: () => T): T {
	if (!parameters.every((name) => isConstantParameter(context, name))) return derive();
	let memo = memos.get(context);
	if (!memo) memos.set(context, (memo = new Map()));
	if (memo.has(key)) return memo.get(key) as T;
	const value = derive();
	memo.set(key, value);
	return value;
}

export function getContext(context: IExecuteFunctions, itemIndex: number, parameter = 'options'): OdooContext | undefined {
	// Parsing the options (Additional Context is JSON) and n8n's getNode() copy are per-execution work when typed plainly.
	return perExecution(context, `context\u0000${parameter}`, [parameter], () => {
		const options = itemParameter<IDataObject>(context, parameter, itemIndex, {});
		return buildContext(context.getNode(), options as ContextOptions, itemIndex);
	});
}

/** The raw field → value map of one item, from the rows or the JSON, before any checking. */
export function getRawValues(context: IExecuteFunctions, itemIndex: number): { values: Record<string, unknown>; where: string; fromText: boolean } {
	const input = itemParameter<string>(context, 'fieldsInput', itemIndex, 'fields');
	if (input === 'autoMap') {
		// The item's own JSON, read without evaluating any expression: per-item expressions cost n8n ~1 ms each, which
		// dominates a bulk create.
		const skip = perExecution(context, 'skipInputFields', ['skipInputFields'], () => new Set(['id', ...parseFieldList(itemParameter(context, 'skipInputFields', itemIndex, ''))]));
		const json = context.getInputData()[itemIndex]?.json ?? {};
		const values: Record<string, unknown> = {};
		for (const field in json) if (Object.hasOwn(json, field) && !skip.has(field)) values[field] = json[field];
		return { values, where: "the input item's fields", fromText: false };
	}
	if (input === 'json') {
		const json = context.getNodeParameter('fieldsJson', itemIndex, '{}');
		return { values: parseJsonParameter<Record<string, unknown>>(context.getNode(), 'Fields (JSON)', json, 'object', itemIndex), where: 'Fields (JSON)', fromText: false };
	}
	const rows = (context.getNodeParameter('fieldsToSet.field', itemIndex, []) as IDataObject[]) ?? [];
	const values: Record<string, unknown> = {};
	for (const row of rows) {
		const name = String(row.name ?? '').trim();
		if (!name) {
			throw new OdooError({ kind: 'unknown-field', message: "A row in 'Fields to Set' has no field", hint: 'Pick a field in every row or remove the empty row' });
		}
		values[name] = row.value;
	}
	return { values, where: 'Fields to Set', fromText: true };
}

/** Values ready for create/write: field names checked, text coerced, relational names resolved to IDs. */
export async function getValues(
	context: IExecuteFunctions,
	state: ExecutionState,
	itemIndex: number,
	model: string,
): Promise<Record<string, unknown>> {
	const { values, where, fromText } = getRawValues(context, itemIndex);
	const fields = await state.fields(model);
	const coerced = coerceValues(model, values, fields, where, fromText);
	// `false` (which empties a many2one) needs no lookup: the resolver returns it before looking at the field's type.
	return await resolveRelationalValues(state.client, model, coerced, fields, state.names);
}
