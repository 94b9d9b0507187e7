import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildContext, itemParameter, parseJsonParameter, parseRecordId, type ContextOptions } from '../../../../lib/n8n';
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

export function getContext(context: IExecuteFunctions, itemIndex: number, parameter = 'options'): OdooContext | undefined {
	const options = itemParameter<IDataObject>(context, parameter, itemIndex, {});
	return buildContext(context.getNode(), options as ContextOptions, itemIndex);
}

/** The raw field → value map of one item, from the rows or the JSON, before any checking. */
export function getRawValues(context: IExecuteFunctions, itemIndex: number): { values: Record<string, unknown>; where: string; fromText: boolean } {
	const input = itemParameter<string>(context, 'fieldsInput', itemIndex, 'fields');
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
	// `false` empties a many2one in Odoo; it needs no lookup, and the resolver only knows IDs and names.
	const clearing = Object.keys(coerced).filter((field) => coerced[field] === false && fields[field].type === 'many2one');
	const toResolve = Object.fromEntries(Object.entries(coerced).filter(([field]) => !clearing.includes(field)));
	const resolved = await resolveRelationalValues(state.client, model, toResolve, fields, state.names);
	return Object.fromEntries(Object.keys(coerced).map((field) => [field, clearing.includes(field) ? false : resolved[field]]));
}
