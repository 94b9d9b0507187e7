import { createServer } from 'net';
import type { AddressInfo } from 'net';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import { createOdooClient, type OdooConnectionConfig, type OdooProtocol } from '../../../lib/odoo';
import { failure } from '../../helpers/failures';

let sandbox: OdooSandbox;

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
const config = (overrides: Partial<OdooConnectionConfig> = {}): OdooConnectionConfig => ({
	url: sandbox.url,
	db: sandbox.db,
	login: 'admin',
	secret: 'admin',
	protocol: 'auto',
	retryBaseMs: 5,
	...overrides,
});


beforeAll(async () => {
	sandbox = await startOdooSandbox({ apiKeys: { 'test-api-key-0123456789': 'admin' } });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.inject({ kind: 'clear' }));

describe.each<OdooProtocol>(['xmlrpc', 'jsonrpc'])('the client over %s', (protocol) => {
	it('creates, reads, searches, writes and deletes', async () => {
		const client = createOdooClient(config({ protocol }));
		const ids = await client.create('res.partner', [{ name: `Alpha ${protocol}` }, { name: `Beta ${protocol}`, is_company: true }]);
		expect(ids).toHaveLength(2);
		const [alpha] = await client.read('res.partner', [ids[0]], ['name', 'is_company']);
		expect(alpha).toMatchObject({ id: ids[0], name: `Alpha ${protocol}`, is_company: false });
		const found = await client.searchRead('res.partner', [['name', 'in', [`Alpha ${protocol}`, `Beta ${protocol}`]], ['is_company', '=', true]], { fields: ['name'] });
		expect(found.map((record) => record.id)).toEqual([ids[1]]);
		expect(await client.searchCount('res.partner', ['|', ['id', '=', ids[0]], ['id', '=', ids[1]]])).toBe(2);
		await client.write('res.partner', [ids[0]], { email: 'alpha@example.com' });
		expect((await client.read('res.partner', [ids[0]], ['email']))[0].email).toBe('alpha@example.com');
		await client.unlink('res.partner', ids);
		expect(await client.read('res.partner', ids)).toEqual([]);
		expect(await client.protocol()).toBe(protocol);
	});

	it('maps server faults to kinds with a readable message', async () => {
		const client = createOdooClient(config({ protocol }));
		const unknownField = await failure(client.create('res.partner', [{ name: 'x', no_such_field: 1 }]));
		expect(unknownField).toMatchObject({ kind: 'unknown-field', field: 'no_such_field' });
		const wrongType = await failure(client.create('res.partner', [{ name: 'x', country_id: 'France' }]));
		expect(wrongType).toMatchObject({ kind: 'validation', field: 'country_id' });
		expect(wrongType.message).toMatch(/Field 'country_id' expects a record id, got "France"/);
		const missing = await failure(client.write('res.partner', [999999], { name: 'x' }));
		expect(missing.kind).toBe('missing');
		const unknownModel = await failure(client.searchRead('no.such.model', []));
		expect(unknownModel.kind).toBe('unknown-model');
	});
});

describe('authentication and detection', () => {
	it('logs in once for many calls, even concurrent ones', async () => {
		const client = createOdooClient(config({ protocol: 'jsonrpc' }));
		await Promise.all([client.searchCount('res.partner', []), client.searchCount('res.partner', []), client.search('res.partner', [], { limit: 1 })]);
		await client.searchCount('res.partner', []);
		expect(client.stats()).toEqual({ requests: 5, logins: 1 });
	});

	it('goes straight to JSON-RPC in auto mode with a password: no version round trip', async () => {
		const client = createOdooClient(config());
		await client.searchCount('res.partner', []);
		expect(await client.protocol()).toBe('jsonrpc');
		expect(client.stats()).toEqual({ requests: 2, logins: 1 });
	});

	it('asks the version first in auto mode with an API key (JSON-2 is possible on 19+)', async () => {
		const client = createOdooClient(config({ secret: 'test-api-key-0123456789', secretIsApiKey: true }));
		await client.searchCount('res.partner', []);
		expect(await client.protocol()).toBe('jsonrpc');
		expect(client.stats()).toEqual({ requests: 3, logins: 1 });
	});

	it('says the login or password is wrong, without a traceback', async () => {
		const error = await failure(createOdooClient(config({ secret: 'nope' })).searchCount('res.partner', []));
		expect(error.kind).toBe('auth');
		expect(error.message).toBe("Wrong login or password/API key for 'admin' on database 'odoo'");
	});

	it('names a database that does not exist', async () => {
		const error = await failure(createOdooClient(config({ db: 'no_such_db', protocol: 'xmlrpc' })).authenticate());
		expect(error.kind).toBe('database');
		expect(error.message).toMatch(/Database 'no_such_db' does not exist/);
	});

	it('says an unreachable server cannot be reached', async () => {
		const port = await closedPort();
		const error = await failure(createOdooClient(config({ url: `http://127.0.0.1:${port}`, maxRetries: 1 })).authenticate());
		expect(error.kind).toBe('network');
		expect(error.message).toBe(`The Odoo server at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED)`);
	});

	it('accepts an API key in place of the password', async () => {
		const client = createOdooClient(config({ secret: 'test-api-key-0123456789', secretIsApiKey: true, protocol: 'xmlrpc' }));
		expect(await client.authenticate()).toBe(2);
	});
});

describe('batching', () => {
	it('creates 1,000 records with ⌈1000/batch⌉ + 2 requests and one login', async () => {
		const client = createOdooClient(config({ secret: 'test-api-key-0123456789', secretIsApiKey: true }));
		const rows = Array.from({ length: 1000 }, (_, index) => ({ name: `Bulk ${index}` }));
		const ids = await client.create('res.partner', rows, { batchSize: 200 });
		expect(ids).toHaveLength(1000);
		expect(new Set(ids).size).toBe(1000);
		expect(client.stats()).toEqual({ requests: 5 + 2, logins: 1 });
		const named = await client.read('res.partner', [ids[0], ids[999]], ['name']);
		expect(named.map((record) => record.name)).toEqual(['Bulk 0', 'Bulk 999']);
		await client.unlink('res.partner', ids);
	});

	it('streams every record page by page, in id order, without duplicates', async () => {
		const client = createOdooClient(config({ protocol: 'jsonrpc' }));
		const tag = `Paged ${Date.now()}`;
		const ids = await client.create('res.partner', Array.from({ length: 2345 }, (_, index) => ({ name: `${tag} ${index}` })), { batchSize: 500 });
		const seen: number[] = [];
		let pages = 0;
		for await (const page of client.searchReadPages('res.partner', [['name', '=like', `${tag} %`]], { fields: ['name'], pageSize: 1000 })) {
			pages++;
			expect(page.length).toBeLessThanOrEqual(1000);
			seen.push(...page.map((record) => record.id));
		}
		expect(pages).toBe(3);
		expect(seen).toEqual([...ids].sort((a, b) => a - b));
		const limited: number[] = [];
		for await (const page of client.searchReadPages('res.partner', [['name', '=like', `${tag} %`]], { fields: ['name'], pageSize: 100, limit: 250 })) limited.push(...page.map((record) => record.id));
		expect(limited).toHaveLength(250);
		await client.unlink('res.partner', ids);
	});
});

describe('retries', () => {
	it('retries a read through 503s and a reset connection', async () => {
		const client = createOdooClient(config({ protocol: 'jsonrpc' }));
		await client.authenticate();
		sandbox.inject({ kind: 'http', status: 503, times: 2, method: 'search_count' });
		expect(await client.searchCount('res.partner', [])).toBeGreaterThan(0);
		sandbox.inject({ kind: 'reset', times: 1, method: 'search_read' });
		expect((await client.searchRead('res.partner', [], { limit: 1 })).length).toBe(1);
	});

	it('never repeats a create after a 503, so nothing is created twice', async () => {
		const client = createOdooClient(config({ protocol: 'jsonrpc' }));
		await client.authenticate();
		const name = `Once ${Date.now()}`;
		sandbox.inject({ kind: 'http', status: 503, times: 1, method: 'create', phase: 'after' });
		const error = await failure(client.create('res.partner', [{ name }]));
		expect(error.retriable).toBe(true);
		expect(await client.searchCount('res.partner', [['name', '=', name]])).toBe(1);
	});

	it('repeats a create rolled back by a concurrent update', async () => {
		const client = createOdooClient(config({ protocol: 'xmlrpc' }));
		const name = `Retried ${Date.now()}`;
		sandbox.inject({ kind: 'concurrent-update', times: 2, method: 'create' });
		const [id] = await client.create('res.partner', [{ name }]);
		expect(await client.searchCount('res.partner', [['name', '=', name]])).toBe(1);
		await client.unlink('res.partner', [id]);
	});
});
