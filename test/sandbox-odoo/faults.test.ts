/** Login cost, injected faults, stats and the HTTP control surface: what the client's retry tests rely on. */
import { spawn } from 'child_process';
import * as path from 'path';
import { parseMethodResponse, serializeMethodCall, startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { jsonrpc, makeKw, odooError } from './helpers';

let sb: OdooSandbox;
let kw: ReturnType<typeof makeKw>;

beforeAll(async () => {
	sb = await startOdooSandbox({ loginCostMs: 150 });
	kw = makeKw(sb);
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.inject({ kind: 'clear' });
	sb.resetStats();
});

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
	const t = Date.now();
	const r = await fn();
	return [r, Date.now() - t];
};

test('authenticate costs loginCostMs every time; execute_kw is cheap once the pair is known', async () => {
	const [uid, ms1] = await timed(() => jsonrpc(sb, 'common', 'authenticate', [sb.db, 'admin', 'admin', {}]));
	expect(uid.result).toBe(2);
	expect(ms1).toBeGreaterThanOrEqual(140);
	const [, ms2] = await timed(() => jsonrpc(sb, 'common', 'login', [sb.db, 'admin', 'admin']));
	expect(ms2).toBeGreaterThanOrEqual(140);
	const [, ms3] = await timed(() => kw('res.partner', 'search_count', [[]]));
	expect(ms3).toBeLessThan(140);
	// A pair never seen before pays the password check once.
	const demo = makeKw(sb, 6, 'demo');
	const [, ms4] = await timed(() => demo('res.partner', 'search_count', [[['id', '=', 1]]]));
	expect(ms4).toBeGreaterThanOrEqual(140);
	const [, ms5] = await timed(() => demo('res.partner', 'search_count', [[['id', '=', 1]]]));
	expect(ms5).toBeLessThan(140);
	expect(sb.stats.logins).toBe(2);
	expect(sb.stats.requests).toBe(5);
	expect(sb.stats.byEndpoint).toEqual({ '/jsonrpc': 5 });
	expect(sb.stats.byMethod).toEqual({ authenticate: 1, login: 1, search_count: 3 });
});

test('http faults, optionally only for one method, a number of times', async () => {
	await kw('res.partner', 'search', [[['id', '=', 1]]]);
	sb.inject({ kind: 'http', status: 503, times: 2, method: 'create' });
	expect(await kw('res.partner', 'search', [[['id', '=', 1]]])).toEqual([1]);
	for (let i = 0; i < 2; i++) {
		const res = await fetch(`${sb.url}/jsonrpc`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [sb.db, 2, 'admin', 'res.partner', 'create', [{ name: 'x' }]] } }),
		});
		expect(res.status).toBe(503);
		expect(await res.text()).toContain('503 Service Unavailable');
	}
	expect(typeof (await kw('res.partner', 'create', [{ name: 'third time' }]))).toBe('number');
	expect(sb.records('res.partner').filter((p) => p.name === 'x')).toHaveLength(0);
});

test('reset destroys the connection; phase "after" loses the answer of a call that did happen', async () => {
	sb.inject({ kind: 'reset' });
	await expect(kw('res.partner', 'search', [[]])).rejects.toThrow();
	expect(await kw('res.partner', 'search', [[['id', '=', 1]]])).toEqual([1]);
	sb.inject({ kind: 'http', status: 502, method: 'create', phase: 'after' });
	const before = sb.records('res.partner').length;
	const res = await fetch(`${sb.url}/jsonrpc`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [sb.db, 2, 'admin', 'res.partner', 'create', [{ name: 'ghost' }]] } }),
	});
	expect(res.status).toBe(502);
	expect(sb.records('res.partner')).toHaveLength(before + 1);
});

test('concurrent-update is a SerializationFailure that changes nothing', async () => {
	sb.inject({ kind: 'concurrent-update', method: 'write', times: 1 });
	const e = await odooError(kw('res.partner', 'write', [[10], { ref: 'R1' }]));
	expect(e).toMatchObject({ name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update\n' });
	expect(sb.records('res.partner').find((p) => p.id === 10)?.ref).toBeUndefined();
	const xml = await fetch(`${sb.url}/xmlrpc/2/object`, { method: 'POST', body: serializeMethodCall('execute_kw', [sb.db, 2, 'admin', 'res.partner', 'write', [[10], { ref: 'R2' }]]) });
	expect(parseMethodResponse(await xml.text())).toEqual({ result: true });
	sb.inject({ kind: 'concurrent-update' });
	const xml2 = await fetch(`${sb.url}/xmlrpc/2/object`, { method: 'POST', body: serializeMethodCall('execute_kw', [sb.db, 2, 'admin', 'res.partner', 'search', [[]]]) });
	const fault = parseMethodResponse(await xml2.text());
	expect(fault).toMatchObject({ fault: { faultCode: 1 } });
	expect((fault as { fault: { faultString: string } }).fault.faultString).toContain('psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update');
});

test('down until cleared; latency', async () => {
	sb.inject({ kind: 'down' });
	await expect(kw('res.partner', 'search', [[]])).rejects.toThrow();
	await expect(kw('res.partner', 'search', [[]])).rejects.toThrow();
	sb.inject({ kind: 'clear' });
	sb.inject({ kind: 'latency', ms: 200, times: 1 });
	const [, ms] = await timed(() => kw('res.partner', 'search', [[['id', '=', 1]]]));
	expect(ms).toBeGreaterThanOrEqual(190);
	const [, ms2] = await timed(() => kw('res.partner', 'search', [[['id', '=', 1]]]));
	expect(ms2).toBeLessThan(190);
});

test('HTTP control surface', async () => {
	const ctl = (p: string, body?: unknown) =>
		fetch(`${sb.url}/__sandbox/${p}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
	await kw('res.partner', 'search', [[['id', '=', 1]]]);
	expect(await ctl('stats')).toMatchObject({ requests: 1, byMethod: { search: 1 } });
	await ctl('reset-stats', {});
	expect(await ctl('stats')).toEqual({ requests: 0, logins: 0, byEndpoint: {}, byMethod: {} });
	await ctl('inject', { kind: 'http', status: 504 });
	await expect(kw('res.partner', 'search', [[]])).rejects.toThrow();
	await ctl('clock', { now: '2030-01-02T03:04:05Z' });
	const id = await kw('helpdesk.ticket.tag', 'create', [{ name: 'clocked' }]);
	await ctl('clock', { now: null });
	const tags = (await ctl('records/helpdesk.ticket.tag')) as Array<Record<string, unknown>>;
	expect(tags.find((t) => t.id === id)).toMatchObject({ name: 'clocked', create_date: '2030-01-02 03:04:05' });
	expect(sb.stats.requests).toBe(2);
});

test('version 17 identifies itself as 17.0', async () => {
	const v17 = await startOdooSandbox({ version: 17 });
	try {
		expect((await jsonrpc(v17, 'common', 'version', [])).result).toMatchObject({ server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''] });
		expect((await jsonrpc(v17, 'db', 'server_version', [])).result).toBe('17.0');
	} finally {
		await v17.close();
	}
});

test('the CLI prints its connection line and stops on SIGTERM', async () => {
	const cli = path.join(__dirname, '..', 'sandboxes', 'odoo', 'cli.ts');
	const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
	const child = spawn(tsx, [cli, '--port', '0', '--version', '18', '--login-cost', '0', '--api-key', 'k1=admin']);
	try {
		const line = await new Promise<string>((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (d) => {
				out += d;
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.on('exit', (code) => reject(new Error(`cli exited ${code}`)));
		});
		const info = JSON.parse(line);
		expect(info).toMatchObject({ db: 'odoo', login: 'admin', password: 'admin' });
		const r = await fetch(`${info.url}/jsonrpc`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'authenticate', args: ['odoo', 'admin', 'k1', {}] } }),
		});
		expect((await r.json()).result).toBe(2);
	} finally {
		const exited = new Promise((resolve) => child.on('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
}, 20000);
