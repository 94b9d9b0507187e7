/**
 * The sandbox must accept what real clients put on the wire: Python's xmlrpc.client (what Odoo's
 * own docs use) and the `xmlrpc` npm package (what Node integrations use).
 */
import { spawn } from 'child_process';
import * as xmlrpc from 'xmlrpc';
import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';

let sandbox: OdooSandbox;

beforeAll(async () => {
	sandbox = await startOdooSandbox({ db: 'clientdb', apiKeys: { 'k-123': 'admin' } });
});
afterAll(async () => {
	await sandbox.close();
});

const PY = String.raw`
import base64, json, sys, xmlrpc.client, datetime
url, db = sys.argv[1], sys.argv[2]
common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
out = {}
out["version"] = common.version()
out["uid"] = common.authenticate(db, "admin", "admin", {})
out["bad"] = common.authenticate(db, "admin", "nope", {})
out["key_uid"] = common.authenticate(db, "admin", "k-123", {})
uid = out["uid"]
out["read"] = models.execute_kw(db, uid, "admin", "res.partner", "search_read",
    [[["is_company", "=", True], ["name", "ilike", "deco"]]], {"fields": ["name", "country_id", "category_id"], "limit": 2})
new_id = models.execute_kw(db, uid, "admin", "res.partner", "create", [{
    "name": "Py \u00e9l\u00e8ve <&>", "is_company": False, "parent_id": 10, "category_id": [(6, 0, [6, 7])],
    "comment": None, "phone": "  spaced  "}])
out["created"] = new_id
out["created_read"] = models.execute_kw(db, uid, "admin", "res.partner", "read", [[new_id]],
    {"fields": ["name", "display_name", "parent_id", "category_id", "phone", "create_date"]})
# Odoo hands xmlrpc.client.Binary/DateTime objects to the ORM as they are: send base64 text and
# "YYYY-MM-DD HH:MM:SS" strings instead.
try:
    models.execute_kw(db, uid, "admin", "ir.attachment", "create", [{"name": "a.bin", "datas": xmlrpc.client.Binary(b"x")}])
except xmlrpc.client.Fault as f:
    out["binary_fault"] = f.faultString.strip().splitlines()[-1]
try:
    models.execute_kw(db, uid, "admin", "helpdesk.ticket", "search_count",
        [[["create_date", "<", xmlrpc.client.DateTime(datetime.datetime(2100, 1, 1))]]])
except xmlrpc.client.Fault as f:
    out["datetime_fault"] = f.faultString.strip().splitlines()[-1]
out["att"] = models.execute_kw(db, uid, "admin", "ir.attachment", "create", [{
    "name": "a.bin", "datas": base64.b64encode(b"\x00\x01hello").decode(), "res_model": "res.partner", "res_id": new_id}])
out["att_read"] = models.execute_kw(db, uid, "admin", "ir.attachment", "read", [[out["att"]]], {"fields": ["datas", "file_size", "mimetype"]})
out["dt"] = models.execute_kw(db, uid, "admin", "helpdesk.ticket", "search_count", [[["create_date", "<", "2100-01-01 00:00:00"]]])
out["float"] = models.execute_kw(db, uid, "admin", "project.task", "search_count", [[["allocated_hours", ">=", 0.5]]])
try:
    models.execute_kw(db, uid, "admin", "res.partner", "create", [{"name": "x", "no_such_field": 1}])
except xmlrpc.client.Fault as f:
    out["fault"] = {"code": f.faultCode, "last": f.faultString.strip().splitlines()[-1]}
try:
    models.execute_kw(db, uid, "wrong", "res.partner", "search", [[]])
except xmlrpc.client.Fault as f:
    out["denied"] = {"code": f.faultCode, "string": f.faultString}
try:
    models.execute_kw(db, uid, "admin", "helpdesk.ticket", "write", [[999999], {"priority": "3"}])
except xmlrpc.client.Fault as f:
    out["missing"] = {"code": f.faultCode, "string": f.faultString}
print(json.dumps(out))
`;

/** Async on purpose: the sandbox shares this process's event loop, so a blocking spawn would deadlock. */
function runPython(code: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const p = spawn('python3', ['-c', code, ...args]);
		let stdout = '';
		let stderr = '';
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		p.on('error', reject);
		p.on('close', () => resolve({ stdout, stderr }));
	});
}

test('Python xmlrpc.client: version, authenticate, search_read, create, binary, datetime, faults', async () => {
	const r = await runPython(PY, [sandbox.url, sandbox.db]);
	expect(r.stderr).toBe('');
	const out = JSON.parse(r.stdout);
	expect(out.version).toEqual({
		server_version: '18.0',
		server_version_info: [18, 0, 0, 'final', 0, ''],
		server_serie: '18.0',
		protocol_version: 1,
	});
	expect(out.uid).toBe(2);
	expect(out.bad).toBe(false);
	expect(out.key_uid).toBe(2);
	expect(out.read).toEqual([{ id: 10, name: 'Deco Addict', country_id: [233, 'United States'], category_id: [7] }]);
	expect(out.created).toBeGreaterThanOrEqual(2644);
	const [rec] = out.created_read;
	expect(rec.name).toBe('Py élève <&>');
	expect(rec.display_name).toBe('Deco Addict, Py élève <&>');
	expect(rec.parent_id).toEqual([10, 'Deco Addict']);
	// x2many ids come back in the comodel's order (res.partner.category is ordered by name).
	expect(rec.category_id).toEqual([7, 6]);
	expect(rec.phone).toBe('  spaced  ');
	expect(rec.create_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	expect(out.att_read).toEqual([{ id: out.att, datas: Buffer.from('\x00\x01hello', 'latin1').toString('base64'), file_size: 7, mimetype: 'application/octet-stream' }]);
	expect(out.binary_fault).toBe("TypeError: argument should be a bytes-like object or ASCII string, not 'Binary'");
	expect(out.datetime_fault).toBe("psycopg2.ProgrammingError: can't adapt type 'DateTime'");
	expect(out.dt).toBe(9);
	expect(out.float).toBe(0);
	expect(out.fault).toEqual({ code: 1, last: "ValueError: Invalid field 'no_such_field' on model 'res.partner'" });
	expect(out.denied).toEqual({ code: 3, string: 'Access Denied' });
	expect(out.missing).toEqual({ code: 2, string: 'Record does not exist or has been deleted.\n(Record: helpdesk.ticket(999999,), User: 2)' });
});

function call(client: xmlrpc.Client, method: string, params: unknown[]): Promise<unknown> {
	return new Promise((resolve, reject) => client.methodCall(method, params, (err, value) => (err ? reject(err) : resolve(value))));
}

test('xmlrpc npm package: authenticate, search_read, create with commands, faults', async () => {
	const u = new URL(sandbox.url);
	const common = xmlrpc.createClient({ host: u.hostname, port: Number(u.port), path: '/xmlrpc/2/common' });
	const object = xmlrpc.createClient({ host: u.hostname, port: Number(u.port), path: '/xmlrpc/2/object' });
	const db = sandbox.db;
	expect(await call(common, 'version', [])).toMatchObject({ server_version: '18.0' });
	const uid = await call(common, 'authenticate', [db, 'admin', 'admin', {}]);
	expect(uid).toBe(2);
	expect(await call(common, 'login', [db, 'demo', 'demo'])).toBe(6);
	const stages = await call(object, 'execute_kw', [db, 2, 'admin', 'helpdesk.ticket.stage', 'search_read', [[['closed', '=', true]]], { fields: ['name'] }]);
	expect(stages).toEqual([
		{ id: 4, name: 'Done' },
		{ id: 5, name: 'Cancelled' },
		{ id: 6, name: 'Rejected' },
	]);
	const ids = (await call(object, 'execute_kw', [
		db,
		2,
		'admin',
		'helpdesk.ticket',
		'create',
		[[{ name: 'From npm', description: 'plain text', tag_ids: [[6, 0, [1, 2]]], partner_id: 15, priority: '2' }]],
		{},
	])) as number[];
	expect(ids).toHaveLength(1);
	const [t] = (await call(object, 'execute_kw', [db, 2, 'admin', 'helpdesk.ticket', 'read', [ids], { fields: ['number', 'description', 'tag_ids', 'partner_id', 'stage_id', 'closed'] }])) as Array<Record<string, unknown>>;
	expect(t).toMatchObject({ description: '<p>plain text</p>', tag_ids: [1, 2], partner_id: [15, 'Azure Interior'], stage_id: [1, 'New'], closed: false });
	expect(t.number).toMatch(/^HT\d{5}$/);
	// The legacy `execute` (positional arguments only) still works.
	expect(await call(object, 'execute', [db, 2, 'admin', 'res.partner', 'search_count', [['id', '=', 10]]])).toBe(1);
	await expect(call(object, 'execute_kw', [db, 2, 'admin', 'no.such.model', 'search', [[]]])).rejects.toMatchObject({
		faultCode: 2,
		faultString: "Object no.such.model doesn't exist",
	});
	await expect(call(object, 'execute_kw', [db, 6, 'demo', 'res.users', 'create', [{ name: 'x', login: 'x' }]])).rejects.toMatchObject({
		faultCode: 4,
		faultString:
			"You are not allowed to create 'User' (res.users) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.",
	});
});
