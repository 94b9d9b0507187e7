import type { INodeParameters } from 'n8n-workflow';

import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

/**
 * What the bulk create reads once per execution (plain parameters, and what is derived from them) against what it
 * must still read per item (parameters with an expression), and that a failure is still told per item.
 */
const node = new OdooOps();
const sandbox = useOdooSandbox();
const partner = rl('res.partner', 'name');

async function run(parameters: INodeParameters, inputs: Array<Record<string, unknown>>, options: { perItem?: (i: number) => INodeParameters; continueOnFail?: boolean } = {}) {
	const { context } = fakeExecuteFunctions({
		nodeType: node,
		parameters,
		perItem: options.perItem,
		items: inputs.map((json) => ({ json: json as never })),
		credentials: credentialsFor(sandbox.get()),
		continueOnFail: options.continueOnFail,
	});
	return await runNode(node, context);
}

const tag = `bulk-${Date.now()}`;
const created = (prefix: string) => sandbox.get().records('res.partner').filter((row) => String(row.name).startsWith(prefix));

beforeEach(() => sandbox.get().resetStats());

describe('Odoo Ops node: bulk create, per execution and per item', () => {
	it('options given by an expression are read per item: items with another context go in another create call', async () => {
		const inputs = [0, 1, 2, 3].map((i) => ({ name: `${tag} ctx ${i}` }));
		const output = await run(
			// The expression marks the options as per item; the fake context hands each item its resolved value.
			{ resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap', options: { lang: '={{ $json.lang }}' } },
			inputs,
			{ perItem: (i) => ({ options: { lang: i % 2 === 0 ? 'en_US' : 'fr_FR' } }) },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(sandbox.get().stats.byMethod.create).toBe(2);
		expect(created(`${tag} ctx `)).toHaveLength(4);
	});

	it('plain options are one group however many items: one create call per batch', async () => {
		const inputs = Array.from({ length: 450 }, (_, i) => ({ name: `${tag} plain ${i}` }));
		const output = await run({ resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap', options: { batchSize: 200, lang: 'en_US' } }, inputs);
		expect(output).toHaveLength(450);
		expect(output.every((item, index) => (item.pairedItem as { item: number }).item === index)).toBe(true);
		expect(sandbox.get().stats.byMethod.create).toBe(3);
	});

	it('ids for relational fields need no lookup; names are still looked up, once each', async () => {
		const output = await run({ resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap' }, [
			{ name: `${tag} rel 0`, category_id: [1, 2], parent_id: 3 },
			{ name: `${tag} rel 1`, category_id: [2], parent_id: false },
			{ name: `${tag} rel 2`, category_id: ['Vendor'], parent_id: 3 },
			{ name: `${tag} rel 3`, category_id: ['Vendor', 1] },
		]);
		expect(output).toHaveLength(4);
		expect(sandbox.get().stats.byMethod.name_search).toBe(1);
		const rows = created(`${tag} rel `).sort((a, b) => (a.id as number) - (b.id as number));
		// The sandbox keeps an emptied or unset many2one as null or nothing, as Odoo reads it back as false.
		expect(rows.map((row) => [row.category_id, row.parent_id ?? false])).toEqual([
			[[1, 2], 3],
			[[2], false],
			[[3], 3],
			[[3, 1], false],
		]);
	});

	it('a mistake in plain options is reported for every item, each under its own index', async () => {
		const parameters = { resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap', options: { extraContext: '{not json' } };
		const inputs = [{ name: `${tag} bad 0` }, { name: `${tag} bad 1` }];
		const output = await run(parameters, inputs, { continueOnFail: true });
		expect(output).toEqual([0, 1].map((item) => ({ json: { error: "Invalid JSON in 'Additional Context'" }, pairedItem: { item } })));
		await expect(run(parameters, inputs)).rejects.toMatchObject({ context: { itemIndex: 0 } });
		expect(created(`${tag} bad `)).toHaveLength(0);
	});

	it("looks at the node's parameters a few times per execution, not per item (n8n copies the whole node on each look)", async () => {
		const { context } = fakeExecuteFunctions({
			nodeType: node,
			parameters: { resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap', skipInputFields: 'row', options: { batchSize: 100, lang: 'en_US' } },
			items: Array.from({ length: 300 }, (_, i) => ({ json: { row: i, name: `${tag} looks ${i}` } })),
			credentials: credentialsFor(sandbox.get()),
		});
		const getNode = context.getNode.bind(context);
		let looks = 0;
		context.getNode = () => (looks++, getNode());
		expect(await runNode(node, context)).toHaveLength(300);
		expect(looks).toBeLessThan(10);
	});

	it('an input field the model does not have names the item and the field, with Continue On Fail', async () => {
		const output = await run(
			{ resource: 'record', operation: 'create', model: partner, fieldsInput: 'autoMap', skipInputFields: 'row' },
			[{ row: 0, name: `${tag} field 0` }, { row: 1, name: `${tag} field 1`, colour: 'red' }, { row: 2, name: `${tag} field 2` }],
			{ continueOnFail: true },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(output[1].json.error).toBe("Field 'colour' does not exist on model 'res.partner'");
		expect(created(`${tag} field `).map((row) => row.name)).toEqual([`${tag} field 0`, `${tag} field 2`]);
	});
});
