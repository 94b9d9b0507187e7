import { OdooError } from './errors';
import type { OdooClient, OdooFieldInfo } from './types';

const invalid = (model: string, field: string, message: string, hint?: string) => new OdooError({ kind: 'validation', model, field, message, hint });

/** name_search answers cached for one execution: the same partner named on 500 items costs one lookup. */
export type NameCache = Map<string, number>;

/**
 * Converts the values users naturally give (names for many2one, lists of ids or names for x2many, "true" for
 * booleans, ISO dates) into what Odoo's ORM takes, and rejects fields the model does not have. Done before any
 * write so that a mistake in one field names that field instead of failing deep in the server.
 */
export async function resolveRelationalValues(
	client: OdooClient,
	model: string,
	values: Record<string, unknown>,
	fields: Record<string, OdooFieldInfo>,
	names: NameCache = new Map(),
): Promise<Record<string, unknown>> {
	const resolved: Record<string, unknown> = {};
	for (const [field, raw] of Object.entries(values)) {
		const info = fields[field];
		if (!info) {
			throw new OdooError({
				kind: 'unknown-field',
				model,
				field,
				message: `Field '${field}' does not exist on model '${model}'`,
				hint: 'Pick the field from the list or check its technical name with Model → Get Fields',
			});
		}
		const value = convert(client, model, field, info, raw, names);
		// Only a name lookup waits on Odoo: the other values (nearly all of them in a bulk create) are converted
		// without a trip through the microtask queue per field.
		resolved[field] = value instanceof Promise ? await value : value;
	}
	return resolved;
}

/** The value for Odoo, or a promise of it when a name has to be looked up (the only case that needs the server). */
function convert(client: OdooClient, model: string, field: string, info: OdooFieldInfo, raw: unknown, names: NameCache): unknown {
	// Odoo writes `false` to empty any field; for booleans it is the value itself.
	if (raw === null || raw === undefined || raw === '' || raw === false) return false;
	switch (info.type) {
		case 'many2one': {
			if (Array.isArray(raw) && typeof raw[0] === 'number') return raw[0];
			const id = toId(raw);
			if (id !== undefined) return id;
			if (typeof raw === 'string') return lookup(client, model, field, info.relation!, raw, names);
			throw invalid(model, field, `Field '${field}' takes one ${info.relation} record: an id or a name`);
		}
		case 'many2many':
		case 'one2many': {
			if (Array.isArray(raw) && raw.length > 0 && Array.isArray(raw[0])) return raw; // Odoo command list
			const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((part) => part.trim()).filter(Boolean) : [raw];
			if (items.every((item) => toId(item) !== undefined)) return [[6, 0, items.map((item) => toId(item)!)]];
			return (async () => {
				const ids: number[] = [];
				for (const item of items) {
					const id = toId(item);
					if (id !== undefined) ids.push(id);
					else if (typeof item === 'string') ids.push(await lookup(client, model, field, info.relation!, item, names));
					else throw invalid(model, field, `Field '${field}' takes a list of ${info.relation} ids or names, or Odoo commands`);
				}
				return [[6, 0, ids]];
			})();
		}
		case 'selection': {
			const allowed = (info.selection ?? []).map(([key]) => key);
			const value = String(raw);
			if (allowed.length && !allowed.includes(value)) {
				throw invalid(model, field, `Wrong value '${value}' for field '${field}'`, `Use one of: ${allowed.join(', ')}`);
			}
			return value;
		}
		case 'integer':
		case 'float':
		case 'monetary': {
			const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
			if (!Number.isFinite(number) || (info.type === 'integer' && !Number.isInteger(number))) {
				throw invalid(model, field, `Field '${field}' takes ${info.type === 'integer' ? 'a whole number' : 'a number'}, got '${String(raw)}'`);
			}
			return number;
		}
		case 'boolean':
			if (typeof raw === 'boolean') return raw;
			if (/^(true|1|yes)$/i.test(String(raw))) return true;
			if (/^(false|0|no)$/i.test(String(raw))) return false;
			throw invalid(model, field, `Field '${field}' takes true or false, got '${String(raw)}'`);
		case 'date':
		case 'datetime':
			return toOdooDate(model, field, info.type, raw);
		default:
			return raw;
	}
}

function toId(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

async function lookup(client: OdooClient, model: string, field: string, relation: string, name: string, names: NameCache): Promise<number> {
	const key = `${relation}\u0000${name}`;
	const cached = names.get(key);
	if (cached !== undefined) return cached;
	let found = await client.nameSearch(relation, name, { operator: '=', limit: 2 });
	if (found.length === 0) found = await client.nameSearch(relation, name, { operator: '=ilike', limit: 2 });
	if (found.length === 0) {
		throw invalid(model, field, `No ${relation} record named '${name}' for field '${field}'`, `Give the id instead, or create the ${relation} record first`);
	}
	if (found.length > 1) {
		throw invalid(model, field, `The name '${name}' matches several ${relation} records for field '${field}'`, 'Give the id of the record you mean');
	}
	names.set(key, found[0][0]);
	return found[0][0];
}

/** Odoo stores dates as 'YYYY-MM-DD' and datetimes as 'YYYY-MM-DD HH:MM:SS' in UTC. */
function toOdooDate(model: string, field: string, type: 'date' | 'datetime', raw: unknown): string {
	if (typeof raw === 'string' && (type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/).test(raw)) return raw;
	const date = raw instanceof Date ? raw : new Date(String(raw));
	if (Number.isNaN(date.getTime())) throw invalid(model, field, `Field '${field}' takes a ${type}, got '${String(raw)}'`, 'Use an ISO date such as 2026-11-28 or 2026-11-28T14:00:00Z');
	const iso = date.toISOString();
	return type === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
