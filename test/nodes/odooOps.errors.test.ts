import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type INodeParameters } from 'n8n-workflow';

import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new OdooOps();
const sandbox = useOdooSandbox();
const partner = rl('res.partner', 'name');

async function run(
	parameters: INodeParameters,
	options: { items?: number; perItem?: (i: number) => INodeParameters; continueOnFail?: boolean; credentials?: ICredentialDataDecryptedObject } = {},
) {
	const { context } = fakeExecuteFunctions({
		nodeType: node,
		parameters,
		perItem: options.perItem,
		items: Array.from({ length: options.items ?? 1 }, (_, index) => ({ json: { index } })),
		credentials: { ...credentialsFor(sandbox.get()), ...(options.credentials ?? {}) },
		continueOnFail: options.continueOnFail,
	});
	return await runNode(node, context);
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	try {
		await promise;
	} catch (error) {
		expect(error instanceof NodeApiError || error instanceof NodeOperationError).toBe(true);
		const nodeError = error as NodeApiError;
		// Never a stack trace or a traceback as the message.
		expect(nodeError.message).not.toMatch(/Traceback|\n\s+at /);
		return nodeError;
	}
	throw new Error('expected the node to fail');
}

describe('Odoo Ops node: bad inputs', () => {
	it('unknown model: names the model', async () => {
		const error = await failure(run({ resource: 'record', operation: 'getMany', model: rl('res.nothing', 'name') }));
		expect(error.message).toMatch(/res\.nothing/);
	});

	it("unknown field in 'Fields to Set': names the field and the model, and suggests the right one", async () => {
		const error = await failure(
			run({ resource: 'record', operation: 'create', model: partner, fieldsToSet: { field: [{ name: 'nmae', value: 'x' }] } }),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Field 'nmae' does not exist on model 'res.partner'");
		expect(error.description).toMatch(/Fields to Set/);
		expect(error.description).toMatch(/'name'/);
	});

	it('unknown field in a JSON update: nothing is written', async () => {
		const error = await failure(
			run({ resource: 'record', operation: 'update', model: partner, recordId: rl(1, 'id'), fieldsInput: 'json', fieldsJson: '{"no_such_field": 1}' }),
		);
		expect(error.message).toBe("Field 'no_such_field' does not exist on model 'res.partner'");
	});

	it('wrong type for a many2one: names the field and what it takes', async () => {
		const error = await failure(
			run({ resource: 'record', operation: 'create', model: partner, fieldsInput: 'json', fieldsJson: '{"name": "x", "parent_id": true}' }),
		);
		expect(error.message).toMatch(/parent_id/);
		expect(error.message).toMatch(/res\.partner/);
	});

	it('a many2one name that matches no record: names the field and the name', async () => {
		const error = await failure(
			run({ resource: 'record', operation: 'create', model: partner, fieldsInput: 'json', fieldsJson: '{"name": "x", "parent_id": "No Such Company 123"}' }),
		);
		expect(error.message).toMatch(/parent_id/);
		expect(error.message).toMatch(/No Such Company 123/);
	});

	it('malformed domain: says what is wrong, before any request to Odoo', async () => {
		sandbox.get().resetStats();
		const error = await failure(run({ resource: 'record', operation: 'getMany', model: partner, filterType: 'raw', domain: "[('name', 'like')]" }));
		expect(error.message).toMatch(/three|condition/i);
		expect(sandbox.get().stats.requests).toBe(0);
	});

	it('invalid JSON in Keyword Arguments: names the parameter', async () => {
		const error = await failure(run({ resource: 'method', operation: 'call', model: partner, method: 'search_count', args: '[[]]', kwargs: '{limit: 1' }));
		expect(error.message).toBe("Invalid JSON in 'Keyword Arguments'");
		expect(error.description).toMatch(/JSON object/);
	});

	it('missing required field: names the field; the traceback goes to the description', async () => {
		const error = await failure(
			run({
				resource: 'record',
				operation: 'create',
				model: rl('helpdesk.ticket', 'name'),
				fieldsToSet: { field: [{ name: 'name', value: 'no description' }] },
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/description/);
		expect(error.description ?? '').toMatch(/Traceback/);
	});

	it('wrong credentials: says the login or password is wrong', async () => {
		const error = await failure(run({ resource: 'record', operation: 'count', model: partner }, { credentials: { password: 'wrong' } }));
		expect(error.message).toMatch(/login|password|Access Denied/i);
	});

	it('server down: says the server cannot be reached', async () => {
		const error = await failure(run({ resource: 'record', operation: 'count', model: partner }, { credentials: { url: 'http://127.0.0.1:9' } }));
		expect(error.message).toMatch(/reach|connect|ECONNREFUSED/i);
	});

	it('continueOnFail: bad items become error items, the others go through, all paired', async () => {
		const tag = `cof-${Date.now()}`;
		sandbox.get().resetStats();
		const output = await run(
			{ resource: 'record', operation: 'create', model: partner, fieldsInput: 'json' },
			{
				items: 5,
				continueOnFail: true,
				perItem: (i) => ({
					fieldsJson: [
						JSON.stringify({ name: `${tag} 0` }),
						JSON.stringify({ name: `${tag} 1`, no_such_field: 1 }),
						JSON.stringify({ name: `${tag} 2` }),
						'{broken',
						JSON.stringify({ name: `${tag} 4`, parent_id: true }),
					][i],
				}),
			},
		);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(output[0].json.id).toEqual(expect.any(Number));
		expect(output[1].json).toEqual({ error: "Field 'no_such_field' does not exist on model 'res.partner'" });
		expect(output[2].json.id).toEqual(expect.any(Number));
		expect(output[3].json).toEqual({ error: "Invalid JSON in 'Fields (JSON)'" });
		expect(String(output[4].json.error)).toMatch(/parent_id/);
		// The good items still went out together in one create call.
		expect(sandbox.get().stats.byMethod.create).toBe(1);
	});

	it('continueOnFail: a batch Odoo rejects is retried row by row only to find the bad row', async () => {
		const tag = `batch-${Date.now()}`;
		const output = await run(
			{ resource: 'record', operation: 'create', model: rl('helpdesk.ticket', 'name'), fieldsInput: 'json' },
			{
				items: 3,
				continueOnFail: true,
				perItem: (i) => ({
					fieldsJson: JSON.stringify(i === 1 ? { name: `${tag} 1` } : { name: `${tag} ${i}`, description: '<p>ok</p>' }),
				}),
			},
		);
		expect(output[0].json.id).toEqual(expect.any(Number));
		expect(String(output[1].json.error)).toMatch(/description/);
		expect(output[2].json.id).toEqual(expect.any(Number));
		const tickets = sandbox.get().records('helpdesk.ticket').filter((row) => String(row.name).startsWith(tag));
		expect(tickets).toHaveLength(2);
	});

	it('a create whose answer is lost is never sent again: its items fail, saying why, and nothing is duplicated', async () => {
		const tag = `lost-${Date.now()}`;
		sandbox.get().inject({ kind: 'reset', method: 'create', phase: 'after', times: 1 });
		const output = await run(
			{ resource: 'record', operation: 'create', model: partner, fieldsInput: 'json' },
			{ items: 2, continueOnFail: true, perItem: (i) => ({ fieldsJson: JSON.stringify({ name: `${tag} ${i}` }) }) },
		);
		sandbox.get().inject({ kind: 'clear' });
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of output) expect(String(item.json.error)).toMatch(/not retried/);
		// The server did create them, once: a retry would have made four.
		expect(sandbox.get().records('res.partner').filter((row) => String(row.name).startsWith(tag))).toHaveLength(2);
	});

	it('without continueOnFail a failed batch says which items it held and what earlier batches created', async () => {
		const tag = `partial-${Date.now()}`;
		const error = await failure(
			run(
				{ resource: 'record', operation: 'create', model: rl('helpdesk.ticket', 'name'), fieldsInput: 'json', options: { batchSize: 2 } },
				{ items: 3, perItem: (i) => ({ fieldsJson: JSON.stringify(i === 2 ? { name: `${tag} 2` } : { name: `${tag} ${i}`, description: '<p>x</p>' }) }) },
			),
		);
		expect(error.description).toMatch(/items 2–2/);
		expect(error.description).toMatch(/IDs \d+, \d+/);
	});

	it('continueOnFail on per-item operations: a missing record fails only its item', async () => {
		const output = await run(
			{ resource: 'record', operation: 'get', model: partner, options: { fields: ['name'] } },
			{ items: 2, continueOnFail: true, perItem: (i) => ({ recordId: rl(i === 0 ? 999999 : 1, 'id') }) },
		);
		expect(output[0].json.error).toBe("Record 999999 does not exist in model 'res.partner'");
		expect(output[1].json.id).toBe(1);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});
});
