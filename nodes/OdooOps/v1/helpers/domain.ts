import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { coerceValue, unknownFieldError } from '../../../../lib/n8n/values';
import { buildDomain, parseDomain } from '../../../../lib/odoo';
import type { OdooDomain } from '../../../../lib/odoo/types';
import type { ExecutionState } from './types';

const LIST_OPERATORS = new Set(['in', 'not in']);
const PATTERN_OPERATORS = new Set(['like', 'ilike', 'not like', 'not ilike', '=like', '=ilike']);

function listValue(raw: unknown): unknown[] {
	if (Array.isArray(raw)) return raw;
	const text = String(raw ?? '').trim();
	if (text.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (Array.isArray(parsed)) return parsed;
		} catch {
			// Fall through: a bracket can begin a plain comma-separated value too.
		}
	}
	return text === '' ? [] : text.split(',').map((part) => part.trim());
}

/** The domain of one item from the node's filter parameters (none, builder rows or raw text). */
export async function getDomain(context: IExecuteFunctions, state: ExecutionState, itemIndex: number, model: string): Promise<OdooDomain> {
	const filterType = context.getNodeParameter('filterType', itemIndex, 'none') as string;
	if (filterType === 'raw') {
		const text = context.getNodeParameter('domain', itemIndex, '[]');
		if (Array.isArray(text)) return text as OdooDomain;
		return parseDomain(String(text ?? '').trim() || '[]');
	}
	if (filterType !== 'builder') return [];

	const rows = (context.getNodeParameter('conditions.condition', itemIndex, []) as IDataObject[]) ?? [];
	if (rows.length === 0) return [];
	const combinator = context.getNodeParameter('combinator', itemIndex, 'and') as 'and' | 'or';
	const fields = await state.fields(model);
	const leaves = rows.map((row) => {
		const field = String(row.field ?? '').trim();
		const operator = String(row.operator ?? '=');
		// Dotted paths (partner_id.country_id.code) are Odoo's own; only the first hop can be checked here.
		const info = fields[field.split('.')[0]];
		if (!info) throw unknownFieldError(model, field, fields, 'Conditions');
		if (operator === 'is set') return { field, operator: '!=', value: false };
		if (operator === 'is not set') return { field, operator: '=', value: false };
		const dotted = field.includes('.');
		if (LIST_OPERATORS.has(operator)) {
			const values = listValue(row.value);
			return { field, operator, value: dotted ? values : values.map((value) => coerceForDomain(model, field, info, value)) };
		}
		if (PATTERN_OPERATORS.has(operator) || dotted || operator === 'child_of' || operator === 'parent_of') {
			return { field, operator, value: row.value };
		}
		return { field, operator, value: coerceForDomain(model, field, info, row.value) };
	});
	return buildDomain(leaves, combinator);
}

function coerceForDomain(model: string, field: string, info: Parameters<typeof coerceValue>[2], value: unknown): unknown {
	// In a domain a many2one compares with an ID or (Odoo does name_search) with a name: keep names as text.
	if (info.type === 'many2one' || info.type === 'many2many' || info.type === 'one2many') {
		const text = String(value ?? '').trim();
		if (text === '' || text.toLowerCase() === 'false') return false;
		return /^\d+$/.test(text) ? Number(text) : text;
	}
	return coerceValue(model, field, info, value, true);
}
