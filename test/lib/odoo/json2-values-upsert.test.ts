import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import { createOdooClient, resolveRelationalValues, upsertByKey, type OdooConnectionConfig } from '../../../lib/odoo';
import { OdooError } from '../../../lib/odoo/errors';

const API_KEY = 'json2-key-abcdefghijklmnop';
let odoo19: OdooSandbox;
let odoo18: OdooSandbox;
const config = (sandbox: OdooSandbox, overrides: Partial<OdooConnectionConfig> = {}): OdooConnectionConfig => ({
	url: sandbox.url,
	db: sandbox.db,
	login: 'admin',
	secret: 'admin',
	protocol: 'auto',
	retryBaseMs: 5,
	...overrides,
});

beforeAll(async () => {
	odoo19 = await startOdooSandbox({ version: 19, apiKeys: { [API_KEY]: 'admin' } });
	odoo18 = await startOdooSandbox();
});
afterAll(async () => {
	await odoo19.close();
	await odoo18.close();
});

describe('JSON-2 on Odoo 19', () => {
	it('is chosen automatically when an API key is given, and speaks named arguments', async () => {
		const client = createOdooClient(config(odoo19, { secret: API_KEY, secretIsApiKey: true }));
		const [id] = await client.create('res.partner', [{ name: 'Json Two' }]);
		expect(await client.protocol()).toBe('json2');
		expect((await client.read('res.partner', [id], ['name']))[0].name).toBe('Json Two');
		await client.write('res.partner', [id], { email: 'j2@example.com' });
		expect(await client.searchRead('res.partner', [['email', '=', 'j2@example.com']], { fields: ['name'] })).toEqual([{ id, name: 'Json Two' }]);
		expect(await client.nameSearch('res.partner', 'Json Two')).toEqual([[id, 'Json Two']]);
		await client.unlink('res.partner', [id]);
		expect(Object.keys(odoo19.stats.byEndpoint).some((endpoint) => endpoint.startsWith('/json/2'))).toBe(true);
	});

	it('stays on JSON-RPC with a password', async () => {
		const client = createOdooClient(config(odoo19));
		await client.searchCount('res.partner', []);
		expect(await client.protocol()).toBe('jsonrpc');
	});

	it('reports a refused API key as a credentials problem', async () => {
		const client = createOdooClient(config(odoo19, { secret: 'wrong-key', secretIsApiKey: true, protocol: 'json2' }));
		await expect(client.authenticate()).rejects.toMatchObject({ kind: 'auth' });
	});

	it('maps a JSON-2 error body to the same kinds as the other protocols', async () => {
		const client = createOdooClient(config(odoo19, { secret: API_KEY, secretIsApiKey: true, protocol: 'json2' }));
		await expect(client.create('res.partner', [{ name: 'x', no_such_field: 1 }])).rejects.toMatchObject({ kind: 'unknown-field', field: 'no_such_field' });
		await expect(client.write('res.partner', [999999], { name: 'y' })).rejects.toMatchObject({ kind: 'missing' });
	});
});

describe('resolveRelationalValues', () => {
	it('turns names and id lists into what the ORM takes, and names the field of every mistake', async () => {
		const client = createOdooClient(config(odoo18));
		const fields = await client.fieldsGet('res.partner');
		const [parentId] = await client.create('res.partner', [{ name: 'Resolve Parent Co', is_company: true }]);
		const values = await resolveRelationalValues(client, 'res.partner', { name: 'Child', parent_id: 'Resolve Parent Co', is_company: 'false', category_id: [] }, fields);
		expect(values).toEqual({ name: 'Child', parent_id: parentId, is_company: false, category_id: [[6, 0, []]] });

		const mistakes: Array<[Record<string, unknown>, RegExp]> = [
			[{ nope: 1 }, /Field 'nope' does not exist on model 'res.partner'/],
			[{ parent_id: 'No Such Company Anywhere' }, /No res.partner record named 'No Such Company Anywhere' for field 'parent_id'/],
			[{ type: 'nonsense' }, /Wrong value 'nonsense' for field 'type'/],
			[{ is_company: 'maybe' }, /Field 'is_company' takes true or false/],
		];
		for (const [input, message] of mistakes) {
			const error = await resolveRelationalValues(client, 'res.partner', input, fields).catch((caught) => caught);
			expect(error).toBeInstanceOf(OdooError);
			expect(error.message).toMatch(message);
			expect(error.field).toBe(Object.keys(input)[0]);
		}
	});
});

describe('upsertByKey', () => {
	it('creates the new, updates the existing, and never makes two records for one key', async () => {
		const client = createOdooClient(config(odoo18));
		const stamp = Date.now();
		const [existing] = await client.create('res.partner', [{ name: 'Up Existing', ref: `UP-${stamp}-1` }]);
		const results = await upsertByKey(
			client,
			'res.partner',
			[
				{ ref: `UP-${stamp}-1`, name: 'Up Existing renamed' },
				{ ref: `UP-${stamp}-2`, name: 'Up New' },
				{ ref: `UP-${stamp}-2`, name: 'Up New again' },
			],
			['ref'],
		);
		expect(results[0]).toEqual({ id: existing, action: 'updated' });
		expect(results[1].action).toBe('created');
		expect(results[2]).toEqual({ id: results[1].id, action: 'updated' });
		const records = await client.searchRead('res.partner', [['ref', 'like', `UP-${stamp}-`]], { fields: ['ref', 'name'], order: 'ref' });
		expect(records.map((record) => [record.ref, record.name])).toEqual([
			[`UP-${stamp}-1`, 'Up Existing renamed'],
			[`UP-${stamp}-2`, 'Up New again'],
		]);
	});

	it('refuses a row without its key, before writing anything', async () => {
		const client = createOdooClient(config(odoo18));
		const before = await client.searchCount('res.partner', []);
		await expect(upsertByKey(client, 'res.partner', [{ ref: 'K1', name: 'a' }, { name: 'b' }], ['ref'])).rejects.toThrow(/Row 2 has no value for key field 'ref'/);
		expect(await client.searchCount('res.partner', [])).toBe(before);
	});
});
