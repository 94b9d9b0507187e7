/** Odoo 19's /json/2 endpoint: bearer API keys, flat named arguments, HTTP status codes for errors. */
import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { jsonrpc } from './helpers';

let sb: OdooSandbox;
const KEY = 'a0b1c2d3e4f5a0b1c2d3e4f5a0b1c2d3e4f5a0b1';

beforeAll(async () => {
	sb = await startOdooSandbox({ version: 19, apiKeys: { [KEY]: 'admin', 'demo-key': 'demo' } });
});
afterAll(async () => {
	await sb.close();
});

async function j2(model: string, method: string, body: unknown, key: string | null = KEY, headers: Record<string, string> = {}) {
	const res = await fetch(`${sb.url}/json/2/${model}/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json; charset=utf-8', ...(key ? { authorization: `bearer ${key}` } : {}), ...headers },
		body: JSON.stringify(body),
	});
	return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test('search_read with named arguments', async () => {
	const r = await j2('res.partner', 'search_read', {
		domain: [
			['name', 'ilike', '%deco%'],
			['is_company', '=', true],
		],
		fields: ['name'],
		context: { lang: 'en_US' },
	});
	expect(r.status).toBe(200);
	expect(r.type).toBe('application/json; charset=utf-8');
	expect(r.body).toEqual([{ id: 10, name: 'Deco Addict' }]);
});

test('create with vals_list, read with ids, write, unlink, search_count', async () => {
	const created = await j2('res.partner', 'create', { vals_list: [{ name: 'J2 one' }, { name: 'J2 two', is_company: true }] });
	expect(created.status).toBe(200);
	const ids = created.body as number[];
	expect(ids).toHaveLength(2);
	const read = await j2('res.partner', 'read', { ids, fields: ['name', 'is_company'] });
	expect(read.body).toEqual([
		{ id: ids[0], name: 'J2 one', is_company: false },
		{ id: ids[1], name: 'J2 two', is_company: true },
	]);
	expect((await j2('res.partner', 'write', { ids: [ids[0]], vals: { email: 'one@example.com' } })).body).toBe(true);
	expect((await j2('res.partner', 'search_count', { domain: [['email', '=', 'one@example.com']] })).body).toBe(1);
	expect((await j2('res.partner', 'unlink', { ids })).body).toBe(true);
	const gone = await j2('res.partner', 'unlink', { ids });
	expect(gone.status).toBe(404);
	expect(gone.body.name).toBe('odoo.exceptions.MissingError');
});

test('a bad key is 401 with the documented error body', async () => {
	for (const key of ['nope', null]) {
		const r = await j2('res.partner', 'search', { domain: [] }, key);
		expect(r.status).toBe(401);
		expect(r.body).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: ['Invalid apikey', 401], context: {} });
		expect(r.body.debug).toContain('Traceback (most recent call last):');
	}
});

test('unknown model or method is 404; private methods too', async () => {
	const m = await j2('no.such.model', 'search', { domain: [] });
	expect(m.status).toBe(404);
	expect(m.body.name).toBe('werkzeug.exceptions.NotFound');
	for (const method of ['frobnicate', '_compute_display_name']) {
		const r = await j2('res.partner', method, {});
		expect(r.status).toBe(404);
		expect(r.body.name).toBe('werkzeug.exceptions.NotFound');
	}
});

test('errors carry name/message/arguments/context/debug with a fitting status', async () => {
	const unknownKw = await j2('res.partner', 'search_read', { domain: [], badparameter: 1 });
	expect(unknownKw.status).toBe(422);
	expect(unknownKw.body.message).toContain("got an unexpected keyword argument 'badparameter'");
	const required = await j2('helpdesk.ticket', 'create', { vals_list: [{ name: 'no description' }] });
	expect(required.status).toBe(422);
	expect(required.body.name).toBe('odoo.exceptions.ValidationError');
	expect(required.body.message).toContain('Field: Description (description)');
	const access = await j2('res.users', 'create', { vals_list: [{ name: 'x', login: 'x' }] }, 'demo-key');
	expect(access.status).toBe(403);
	expect(access.body.name).toBe('odoo.exceptions.AccessError');
	const badDomain = await j2('res.partner', 'search', { domain: [['name', 'frobnicate', 'x']] });
	expect(badDomain.status).toBe(500);
	expect(badDomain.body).toMatchObject({ name: 'builtins.ValueError', message: "Invalid leaf ('name', 'frobnicate', 'x')", arguments: ["Invalid leaf ('name', 'frobnicate', 'x')"] });
});

test('X-Odoo-Database selects the database; an unknown one is 404', async () => {
	expect((await j2('res.partner', 'search_count', { domain: [] }, KEY, { 'x-odoo-database': sb.db })).status).toBe(200);
	expect((await j2('res.partner', 'search_count', { domain: [] }, KEY, { 'x-odoo-database': 'nope' })).status).toBe(404);
});

test('version 19 still serves /jsonrpc and /xmlrpc and says 19.0', async () => {
	expect((await jsonrpc(sb, 'common', 'version', [])).result).toEqual({
		server_version: '19.0',
		server_version_info: [19, 0, 0, 'final', 0, ''],
		server_serie: '19.0',
		protocol_version: 1,
	});
	expect((await jsonrpc(sb, 'common', 'authenticate', [sb.db, 'admin', KEY, {}])).result).toBe(2);
	const xml = await fetch(`${sb.url}/xmlrpc/2/db`, { method: 'POST', body: '<?xml version="1.0"?><methodCall><methodName>server_version</methodName></methodCall>' });
	expect(await xml.text()).toContain('<value><string>19.0</string></value>');
});

test('JSON-2 is absent before 19', async () => {
	const v18 = await startOdooSandbox({ version: 18, apiKeys: { [KEY]: 'admin' } });
	try {
		const res = await fetch(`${v18.url}/json/2/res.partner/search`, { method: 'POST', headers: { authorization: `bearer ${KEY}` }, body: '{}' });
		expect(res.status).toBe(404);
	} finally {
		await v18.close();
	}
});

test('Odoo 19 keyword names: name_search(domain=...), default_get(fields=...)', async () => {
	expect((await j2('res.partner', 'name_search', { name: 'Addison', domain: [['parent_id', '=', 10]] })).body).toEqual([[36, 'Deco Addict, Addison Olson']]);
	sb.database()!.strictKeywords = true;
	try {
		const old = await j2('res.partner', 'name_search', { name: 'Addison', args: [] });
		expect(old.status).toBe(422);
		expect(old.body.message).toContain("got an unexpected keyword argument 'args'");
	} finally {
		sb.database()!.strictKeywords = false;
	}
	expect((await j2('helpdesk.ticket', 'default_get', { fields: ['stage_id'] })).body).toEqual({ stage_id: 1 });
});
