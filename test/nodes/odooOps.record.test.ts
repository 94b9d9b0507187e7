import type { INodeParameters } from 'n8n-workflow';

import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new OdooOps();
const sandbox = useOdooSandbox();

async function run(
	parameters: INodeParameters,
	options: { items?: number; perItem?: (i: number) => INodeParameters; continueOnFail?: boolean; inputs?: Array<Record<string, unknown>> } = {},
) {
	const { context } = fakeExecuteFunctions({
		nodeType: node,
		parameters,
		perItem: options.perItem,
		items: options.inputs?.map((json) => ({ json: json as never })) ?? Array.from({ length: options.items ?? 1 }, (_, index) => ({ json: { index } })),
		credentials: credentialsFor(sandbox.get()),
		continueOnFail: options.continueOnFail,
	});
	return await runNode(node, context);
}

const partner = rl('res.partner', 'name');
const unique = `rec-${Date.now()}`;

describe('Odoo Ops node: Record', () => {
	let parentId: number;
	let childIds: number[];

	it('creates one record per item from field rows, in one create call, paired with its item', async () => {
		const parent = await run({
			resource: 'record',
			operation: 'create',
			model: partner,
			fieldsToSet: { field: [{ name: 'name', value: `${unique} Parent` }, { name: 'is_company', value: 'true' }] },
		});
		expect(parent).toEqual([{ json: { id: expect.any(Number) }, pairedItem: { item: 0 } }]);
		parentId = parent[0].json.id as number;

		sandbox.get().resetStats();
		const children = await run(
			{ resource: 'record', operation: 'create', model: partner, fieldsInput: 'json' },
			{
				items: 3,
				// parent_id given by name: resolved with name_search once for all three items.
				perItem: (i) => ({ fieldsJson: JSON.stringify({ name: `${unique} Child ${i}`, parent_id: `${unique} Parent`, ref: `${unique}-${i}` }) }),
			},
		);
		expect(children.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		childIds = children.map((item) => item.json.id as number);
		expect(new Set(childIds).size).toBe(3);
		expect(sandbox.get().stats.byMethod.create ?? 0).toBe(1);
		expect(sandbox.get().stats.byMethod.name_search ?? 0).toBe(1);
	});

	it('gets a record by ID with chosen fields; many2one comes back as [id, name]', async () => {
		const [item] = await run({
			resource: 'record',
			operation: 'get',
			model: partner,
			recordId: rl(String(childIds[0]), 'id'),
			options: { fields: ['name', 'parent_id'] },
		});
		expect(item.json).toMatchObject({ id: childIds[0], name: `${unique} Child 0`, parent_id: [parentId, `${unique} Parent`] });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('gets many with the condition builder (AND and OR)', async () => {
		const and = await run({
			resource: 'record',
			operation: 'getMany',
			model: partner,
			filterType: 'builder',
			conditions: { condition: [{ field: 'name', operator: 'ilike', value: unique }, { field: 'parent_id', operator: '=', value: String(parentId) }] },
			options: { fields: ['name'], order: 'id asc' },
		});
		expect(and.map((item) => item.json.id)).toEqual(childIds);

		const or = await run({
			resource: 'record',
			operation: 'getMany',
			model: partner,
			filterType: 'builder',
			combinator: 'or',
			conditions: { condition: [{ field: 'ref', operator: '=', value: `${unique}-0` }, { field: 'ref', operator: 'in', value: `${unique}-2, nothing` }] },
			options: { fields: ['ref'], order: 'id asc' },
		});
		expect(or.map((item) => item.json.ref)).toEqual([`${unique}-0`, `${unique}-2`]);
	});

	it("gets many with a raw domain in JSON and in Odoo's list syntax, with limit and order", async () => {
		const json = await run({
			resource: 'record',
			operation: 'getMany',
			model: partner,
			filterType: 'raw',
			domain: JSON.stringify([['ref', 'like', unique]]),
			limit: 2,
			options: { fields: ['ref'], order: 'id desc' },
		});
		expect(json.map((item) => item.json.id)).toEqual([childIds[2], childIds[1]]);

		const python = await run({
			resource: 'record',
			operation: 'getMany',
			model: partner,
			filterType: 'raw',
			domain: `['|', ('ref', '=', '${unique}-1'), ('name', '=', '${unique} Parent'), ('active', '=', True)]`,
			options: { fields: ['name'], order: 'id asc' },
		});
		expect(python.map((item) => item.json.id)).toEqual([parentId, childIds[1]]);
	});

	it('returns all records page by page', async () => {
		sandbox.get().resetStats();
		const all = await run({
			resource: 'record',
			operation: 'getMany',
			model: partner,
			filterType: 'raw',
			domain: JSON.stringify([['name', 'ilike', unique]]),
			returnAll: true,
			options: { fields: ['name'], pageSize: 2 },
		});
		expect(all).toHaveLength(4);
		expect(all.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(sandbox.get().stats.byMethod.search_read ?? 0).toBeGreaterThanOrEqual(2);
	});

	it('passes context options (active_test off finds archived records)', async () => {
		await run({ resource: 'record', operation: 'update', model: partner, recordId: rl(String(childIds[2]), 'id'), fieldsToSet: { field: [{ name: 'active', value: 'false' }] } });
		const visible = await run({ resource: 'record', operation: 'count', model: partner, filterType: 'raw', domain: JSON.stringify([['ref', 'like', unique]]) });
		expect(visible[0].json.count).toBe(2);
		const all = await run({
			resource: 'record',
			operation: 'count',
			model: partner,
			filterType: 'raw',
			domain: JSON.stringify([['ref', 'like', unique]]),
			options: { activeTest: false, lang: 'en_US', tz: 'UTC' },
		});
		expect(all[0].json).toEqual({ model: 'res.partner', count: 3 });
	});

	it('updates a record from field rows and reads the change back', async () => {
		const [updated] = await run({
			resource: 'record',
			operation: 'update',
			model: partner,
			recordId: rl(childIds[0]),
			fieldsToSet: { field: [{ name: 'email', value: 'child0@example.com' }, { name: 'parent_id', value: '' }] },
		});
		expect(updated.json).toEqual({ id: childIds[0], updated: true });
		const [read] = await run({ resource: 'record', operation: 'get', model: partner, recordId: rl(childIds[0]), options: { fields: ['email', 'parent_id'] } });
		expect(read.json).toMatchObject({ email: 'child0@example.com', parent_id: false });
	});

	it('upserts by key: updates the existing record, creates the new one', async () => {
		const items = await run(
			{ resource: 'record', operation: 'upsert', model: partner, keyFields: ['ref'], fieldsInput: 'json' },
			{ items: 2, perItem: (i) => ({ fieldsJson: JSON.stringify({ ref: i === 0 ? `${unique}-1` : `${unique}-new`, name: `${unique} Upserted ${i}` }) }) },
		);
		expect(items).toEqual([
			{ json: { id: childIds[1], action: 'updated' }, pairedItem: { item: 0 } },
			{ json: { id: expect.any(Number), action: 'created' }, pairedItem: { item: 1 } },
		]);
		const again = await run(
			{ resource: 'record', operation: 'upsert', model: partner, keyFields: ['ref'], fieldsInput: 'json', fieldsJson: JSON.stringify({ ref: `${unique}-new`, name: 'again' }) },
		);
		expect(again[0].json).toEqual({ id: items[1].json.id, action: 'updated' });
	});

	it("maps each input item's fields to the Odoo fields of the same name, skipping 'id' and the listed fields", async () => {
		sandbox.get().resetStats();
		const inputs = [0, 1, 2].map((i) => ({ id: 999 + i, row: i, name: `${unique} Auto ${i}`, ref: `${unique}-auto-${i}`, parent_id: `${unique} Parent` }));
		const items = await run({ resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap', skipInputFields: 'row' }, { inputs });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const created = sandbox.get().records('res.partner').filter((row) => String(row.ref).startsWith(`${unique}-auto-`));
		expect(created.map((row) => [row.name, row.parent_id])).toEqual(inputs.map((input) => [input.name, parentId]));
		expect(sandbox.get().stats.byMethod.create ?? 0).toBe(1);
	});

	it('refuses an input field the model does not have, naming it, and creates nothing', async () => {
		const before = sandbox.get().records('res.partner').length;
		await expect(
			run({ resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap' }, { inputs: [{ name: `${unique} ok` }, { name: `${unique} bad`, colour: 'red' }] }),
		).rejects.toThrow(/colour/);
		expect(sandbox.get().records('res.partner').length).toBe(before);
	});

	it('deletes a record', async () => {
		const [deleted] = await run({ resource: 'record', operation: 'delete', model: partner, recordId: rl(String(childIds[0]), 'id') });
		expect(deleted.json).toEqual({ id: childIds[0], deleted: true });
		expect(sandbox.get().records('res.partner').some((row) => row.id === childIds[0])).toBe(false);
	});
});
