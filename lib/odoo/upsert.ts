import { OdooError } from './errors';
import type { CreateOptions, OdooClient, OdooDomain } from './types';

export interface UpsertResult {
	id: number;
	action: 'created' | 'updated';
}

const keyOf = (row: Record<string, unknown>, keyFields: string[]) => JSON.stringify(keyFields.map((field) => normalise(row[field])));
const normalise = (value: unknown) => (Array.isArray(value) && typeof value[0] === 'number' ? value[0] : value);

/**
 * Creates or updates each row by its key fields with a few calls per batch: one search for all keys, batched
 * creates for the new ones, a write per existing one. Rows repeating a key within the input update the record the
 * first of them created, so one input never makes two records for one key.
 */
export async function upsertByKey(
	client: OdooClient,
	model: string,
	rows: Array<Record<string, unknown>>,
	keyFields: string[],
	options: CreateOptions = {},
): Promise<UpsertResult[]> {
	if (keyFields.length === 0) {
		throw new OdooError({ kind: 'validation', model, message: 'Upsert needs at least one key field', hint: "Fill 'Key Fields' with the fields that identify a record, e.g. ref or email" });
	}
	rows.forEach((row, index) => {
		for (const field of keyFields) {
			if (row[field] === undefined || row[field] === null || row[field] === '') {
				throw new OdooError({ kind: 'validation', model, field, message: `Row ${index + 1} has no value for key field '${field}'`, hint: `Set '${field}' on every row, or remove it from 'Key Fields'` });
			}
		}
	});

	const existing = new Map<string, number>();
	const chunk = options.batchSize ?? 200;
	for (let start = 0; start < rows.length; start += chunk) {
		const slice = rows.slice(start, start + chunk);
		const records = await client.searchRead(model, keysDomain(slice, keyFields), { fields: keyFields, context: options.context });
		for (const record of records) {
			const key = keyOf(record, keyFields);
			if (!existing.has(key)) existing.set(key, record.id); // oldest wins when the key is already duplicated
		}
	}

	const results: Array<UpsertResult | undefined> = new Array(rows.length);
	const toCreate: number[] = [];
	const firstOfKey = new Map<string, number>();
	rows.forEach((row, index) => {
		const key = keyOf(row, keyFields);
		if (existing.has(key) || firstOfKey.has(key)) return;
		firstOfKey.set(key, index);
		toCreate.push(index);
	});
	const createdIds = await client.create(model, toCreate.map((index) => rows[index]), options);
	toCreate.forEach((index, position) => {
		results[index] = { id: createdIds[position], action: 'created' };
		existing.set(keyOf(rows[index], keyFields), createdIds[position]);
	});
	for (let index = 0; index < rows.length; index++) {
		if (results[index]) continue;
		const id = existing.get(keyOf(rows[index], keyFields))!;
		await client.write(model, [id], rows[index], options.context);
		results[index] = { id, action: 'updated' };
	}
	return results as UpsertResult[];
}

function keysDomain(rows: Array<Record<string, unknown>>, keyFields: string[]): OdooDomain {
	if (keyFields.length === 1) return [[keyFields[0], 'in', [...new Set(rows.map((row) => normalise(row[keyFields[0]])))]]];
	const alternatives: OdooDomain[] = rows.map((row) => {
		const leaves = keyFields.map((field) => [field, '=', normalise(row[field])] as [string, string, unknown]);
		return [...Array(leaves.length - 1).fill('&'), ...leaves];
	});
	return [...Array(alternatives.length - 1).fill('|'), ...alternatives.flat()] as OdooDomain;
}
