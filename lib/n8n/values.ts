import { OdooError } from '../odoo/errors';
import type { OdooFieldInfo } from '../odoo/types';

/** Up to three field names close to a mistyped one, so the error can say "did you mean". */
export function similarFields(name: string, fields: Record<string, OdooFieldInfo>): string[] {
	const wanted = name.toLowerCase();
	const distance = (a: string, b: string): number => {
		const row = Array.from({ length: b.length + 1 }, (_, index) => index);
		for (let i = 1; i <= a.length; i++) {
			let previous = row[0];
			row[0] = i;
			for (let j = 1; j <= b.length; j++) {
				const current = row[j];
				row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
				previous = current;
			}
		}
		return row[b.length];
	};
	return Object.entries(fields)
		.map(([key, info]) => ({
			key,
			score: Math.min(distance(wanted, key.toLowerCase()), distance(wanted, String(info.string ?? '').toLowerCase())),
		}))
		.filter(({ key, score }) => score <= Math.max(2, Math.floor(wanted.length / 3)) || key.includes(wanted))
		.sort((a, b) => a.score - b.score)
		.slice(0, 3)
		.map(({ key }) => key);
}

export function unknownFieldError(model: string, field: string, fields: Record<string, OdooFieldInfo>, where: string): OdooError {
	const near = similarFields(field, fields);
	return new OdooError({
		kind: 'unknown-field',
		model,
		field,
		message: `Field '${field}' does not exist on model '${model}'`,
		hint:
			`Fix '${where}': ${near.length > 0 ? `did you mean ${near.map((n) => `'${n}'`).join(', ')}? ` : ''}` +
			'pick the field from the list or look up technical names with Model → Get Fields',
	});
}

function wrongValue(model: string, field: string, info: OdooFieldInfo, got: unknown, expected: string): OdooError {
	const shown = typeof got === 'string' ? `'${got}'` : JSON.stringify(got);
	return new OdooError({
		kind: 'validation',
		model,
		field,
		message: `Field '${field}' (${info.type}${info.relation ? ` to ${info.relation}` : ''}) of model '${model}' expects ${expected}, got ${shown}`,
		hint: `Give '${field}' ${expected}`,
	});
}

function coerceSelection(model: string, field: string, info: OdooFieldInfo, value: unknown): unknown {
	if (value === false || value === null || value === '') return false;
	const options = info.selection;
	if (!Array.isArray(options) || options.length === 0) return value;
	const text = String(value);
	const byKey = options.find(([key]) => String(key) === text);
	if (byKey) return byKey[0];
	// People type what they see in Odoo (the label); Odoo only accepts the key.
	const byLabel = options.find(([, label]) => String(label).toLowerCase() === text.toLowerCase());
	if (byLabel) return byLabel[0];
	throw wrongValue(model, field, info, value, `one of ${options.map(([key, label]) => `'${key}' (${label})`).join(', ')}`);
}

function coerceMany2one(model: string, field: string, info: OdooFieldInfo, value: unknown, fromText: boolean): unknown {
	const expected = `a record ID or the name of a ${info.relation ?? 'related'} record`;
	if (value === false || value === null || value === '') return false;
	if (typeof value === 'number') {
		if (Number.isInteger(value) && value > 0) return value;
		throw wrongValue(model, field, info, value, expected);
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (/^\d+$/.test(text)) return Number(text);
		if (fromText && text.startsWith('[')) {
			let parsed: unknown = text;
			try {
				parsed = JSON.parse(text);
			} catch {
				// Not JSON after all: a name that happens to start with a bracket.
				return text;
			}
			return coerceMany2one(model, field, info, parsed, false);
		}
		return text;
	}
	// What Odoo's read returns ([id, display_name]) must be writable back unchanged.
	if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && typeof value[1] === 'string') {
		return value[0];
	}
	throw wrongValue(model, field, info, value, expected);
}

function coerceX2many(model: string, field: string, info: OdooFieldInfo, value: unknown, fromText: boolean): unknown {
	const expected = `a list of record IDs or names (e.g. 3, 8) or Odoo commands (e.g. [[6, 0, [3, 8]]])`;
	if (value === false || value === null) return [];
	if (typeof value === 'number') return [value];
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return [];
		if (text.startsWith('[')) {
			try {
				return JSON.parse(text);
			} catch {
				throw wrongValue(model, field, info, value, expected);
			}
		}
		if (!fromText) return [text];
		return text.split(',').map((part) => {
			const entry = part.trim();
			return /^\d+$/.test(entry) ? Number(entry) : entry;
		});
	}
	if (Array.isArray(value)) return value;
	throw wrongValue(model, field, info, value, expected);
}

/**
 * Checks field names against `fields_get` and turns values into what Odoo's `create`/`write` take. Values typed in
 * the "Fields to Set" rows arrive as text (`fromText`); JSON values arrive typed. Relational names are left for
 * `resolveRelationalValues`, which knows how to look them up.
 */
export function coerceValues(
	model: string,
	values: Record<string, unknown>,
	fields: Record<string, OdooFieldInfo>,
	where: string,
	fromText: boolean,
): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const [field, raw] of Object.entries(values)) {
		const info = fields[field];
		if (!info) throw unknownFieldError(model, field, fields, where);
		result[field] = coerceValue(model, field, info, raw, fromText);
	}
	return result;
}

export function coerceValue(model: string, field: string, info: OdooFieldInfo, raw: unknown, fromText: boolean): unknown {
	switch (info.type) {
		case 'integer': {
			if (raw === false || raw === null || raw === '') return fromText ? 0 : raw;
			const number = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
			if (!Number.isInteger(number)) throw wrongValue(model, field, info, raw, 'a whole number');
			return number;
		}
		case 'float':
		case 'monetary': {
			if (raw === false || raw === null || raw === '') return fromText ? 0 : raw;
			const number = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
			if (!Number.isFinite(number)) throw wrongValue(model, field, info, raw, 'a number');
			return number;
		}
		case 'boolean': {
			if (typeof raw === 'boolean') return raw;
			if (raw === null || raw === '' || raw === 0) return false;
			if (raw === 1) return true;
			const text = String(raw).trim().toLowerCase();
			if (['true', '1', 'yes', 'y', 'on'].includes(text)) return true;
			if (['false', '0', 'no', 'n', 'off'].includes(text)) return false;
			throw wrongValue(model, field, info, raw, 'true or false');
		}
		case 'selection':
			return coerceSelection(model, field, info, raw);
		case 'many2one':
			return coerceMany2one(model, field, info, raw, fromText);
		case 'many2many':
		case 'one2many':
			return coerceX2many(model, field, info, raw, fromText);
		case 'date':
		case 'datetime':
			if (raw === '' || raw === null) return false;
			if (typeof raw === 'string' && info.type === 'datetime') {
				// Odoo wants "YYYY-MM-DD HH:MM:SS" in UTC; n8n and ISO give "…T…Z".
				const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(raw.trim());
				if (match) {
					const date = new Date(raw.trim());
					if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, 19).replace('T', ' ');
				}
			}
			return raw;
		default:
			return raw;
	}
}
