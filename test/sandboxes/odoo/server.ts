import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { OdooError, accessDenied, dbNotFound, userError } from './errors';
import { createDatabase, type SandboxModules } from './models';
import { METHODS, OdooDatabase, type Rec } from './orm';
import { PyFloat, XmlRpcDateTime, XmlRpcParseError, parseMethodCall, pyFloatRepr, serializeFault, serializeResponse } from './xmlrpc-codec';

export type SandboxFault =
	| { kind: 'http'; status: 502 | 503 | 504 | number; times?: number; method?: string; model?: string; phase?: 'before' | 'after' }
	| { kind: 'reset'; times?: number; method?: string; model?: string; phase?: 'before' | 'after' }
	| { kind: 'concurrent-update'; times?: number; method?: string }
	| { kind: 'down'; method?: string }
	| { kind: 'latency'; ms: number; times?: number; method?: string }
	| { kind: 'clear' };

export interface OdooSandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	version?: 17 | 18 | 19;
	/** What authenticate/login (and a first, uncached execute_kw password check) costs; a real server spends ~400 ms. */
	loginCostMs?: number;
	db?: string;
	/** API key -> login. Keys work wherever a password does, and as bearer tokens on /json/2 (version 19). */
	apiKeys?: Record<string, string>;
	clock?: () => Date;
	/** Master password of the db service (Odoo's admin_passwd). */
	masterPassword?: string;
	host?: string;
	/**
	 * Refuse keyword arguments named as in another Odoo version, like the real server: on 17/18
	 * name_search takes `args` (not `domain`) and default_get `fields_list`; on 19 `domain` and `fields`.
	 * On by default; turn it off only to run a client known to mix them.
	 */
	strictKeywords?: boolean;
	/** Seed the SA governance world (governance.ts). Default: on, except for the recorded database 'acceptance'. */
	governance?: boolean;
	/**
	 * Optional modules, installed in every database of the sandbox: Community `maintenance` (default on) and OCA
	 * `document_page` (default off). A module that is off has no models: calls answer "Object … doesn't exist".
	 */
	modules?: SandboxModules;
}

export interface SandboxStats {
	requests: number;
	logins: number;
	byEndpoint: Record<string, number>;
	byMethod: Record<string, number>;
}

export interface OdooSandbox {
	url: string;
	db: string;
	port: number;
	stats: SandboxStats;
	resetStats(): void;
	close(): Promise<void>;
	records(model: string): Array<Record<string, unknown>>;
	inject(fault: SandboxFault): void;
	setClock(d: Date | null): void;
	/** Throw away all data and start again from the demo seed. */
	resetData(): void;
	/** The in-process database, for tests that need more than records(). */
	database(name?: string): OdooDatabase | undefined;
}

interface ActiveFault {
	fault: Exclude<SandboxFault, { kind: 'clear' }>;
	left: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Python's json.dumps defaults: ", " and ": " separators, ASCII-only output. */
export function pyJson(v: unknown): string {
	if (v instanceof XmlRpcDateTime) return pyJson(v.value);
	if (v instanceof PyFloat) return Number.isFinite(v.value) ? pyFloatRepr(v.value) : v.value > 0 ? 'Infinity' : Number.isNaN(v.value) ? 'NaN' : '-Infinity';
	if (v === null || v === undefined) return 'null';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
	if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
	if (typeof v === 'object') {
		if ('__base64' in (v as object)) return pyJson((v as { __base64: string }).__base64);
		return `{${Object.entries(v as Record<string, unknown>)
			.map(([k, x]) => `${pyJson(k)}: ${pyJson(x)}`)
			.join(', ')}}`;
	}
	return pyJson(String(v));
}

function versionInfo(version: number): Rec {
	return {
		server_version: `${version}.0`,
		server_version_info: [version, 0, 0, 'final', 0, ''],
		server_serie: `${version}.0`,
		protocol_version: 1,
	};
}

export async function startOdooSandbox(options: OdooSandboxOptions = {}): Promise<OdooSandbox> {
	const version = options.version ?? 18;
	const loginCost = options.loginCostMs ?? 0;
	const dbName = options.db ?? 'odoo';
	const apiKeys = { ...(options.apiKeys ?? {}) };
	const master = options.masterPassword ?? 'admin';
	let fixedClock: Date | null = null;
	const now = () => (fixedClock ? new Date(fixedClock.getTime()) : options.clock ? options.clock() : new Date());
	const dbs = new Map<string, OdooDatabase>();
	const makeDb = (name: string): OdooDatabase => {
		const db = createDatabase(name, now, version, options.governance, options.modules);
		// Strict by default: a client using the other version's keyword names must fail here as it would on a real server.
		db.strictKeywords = options.strictKeywords ?? true;
		return db;
	};
	dbs.set(dbName, makeDb(dbName));
	const credCache = new Set<string>();
	const faults: ActiveFault[] = [];
	const stats: SandboxStats = { requests: 0, logins: 0, byEndpoint: {}, byMethod: {} };
	const sockets = new Set<Socket>();

	const getDb = (name: unknown): OdooDatabase => {
		const db = typeof name === 'string' ? dbs.get(name) : undefined;
		if (!db) throw dbNotFound(String(name));
		return db;
	};

	const findUser = (db: OdooDatabase, pred: (u: Rec) => boolean) => [...db.tables.get('res.users')!.rows.values()].find(pred);

	const secretMatches = (u: Rec, secret: unknown) =>
		typeof secret === 'string' && secret !== '' && (u.password === secret || apiKeys[secret] === u.login);

	async function authenticate(dbn: unknown, login: unknown, password: unknown): Promise<number | false> {
		stats.logins++;
		const db = getDb(dbn);
		await sleep(loginCost);
		const u = findUser(db, (x) => x.login === login && x.active !== false);
		if (!u || !secretMatches(u, password)) return false;
		credCache.add(`${db.name}\u0000${u.id}\u0000${password}`);
		return u.id as number;
	}

	async function checkUid(db: OdooDatabase, uid: unknown, password: unknown): Promise<number> {
		const key = `${db.name}\u0000${uid}\u0000${password}`;
		if (credCache.has(key)) return uid as number;
		// The real server hashes the password on the first call of a uid/password pair, then caches it.
		await sleep(loginCost);
		const u = typeof uid === 'number' ? db.tables.get('res.users')!.rows.get(uid) : undefined;
		if (!u || u.active === false || !secretMatches(u, password)) throw accessDenied();
		credCache.add(key);
		return uid as number;
	}

	function matchingFault(method: string, kinds: string[]): ActiveFault | undefined {
		return faults.find(
			(f) => kinds.includes(f.fault.kind) && f.left > 0 && (!('method' in f.fault) || !f.fault.method || f.fault.method === method),
		);
	}

	function consume(f: ActiveFault): void {
		f.left--;
		if (f.left <= 0) faults.splice(faults.indexOf(f), 1);
	}

	/** The service layer shared by XML-RPC and JSON-RPC. */
	async function dispatch(service: string, method: string, params: unknown[]): Promise<unknown> {
		if (service === 'common') {
			switch (method) {
				case 'version':
					return versionInfo(version);
				case 'about':
					return params[0] ? ['See http://openerp.com', `${version}.0`] : 'See http://openerp.com';
				case 'login':
					arity('exp_login', params, ['db', 'login', 'password']);
					return authenticate(params[0], params[1], params[2]);
				case 'authenticate':
					arity('exp_authenticate', params, ['db', 'login', 'password', 'user_agent_env']);
					return authenticate(params[0], params[1], params[2]);
				default:
					throw new OdooError('builtins.Exception', `Method not found: ${method}`);
			}
		}
		if (service === 'db') return dbService(method, params);
		if (service === 'object') {
			if (method !== 'execute_kw' && method !== 'execute')
				throw new OdooError('builtins.NameError', `Method not available ${method}`);
			const [dbn, uid, password, model, ormMethod] = params as [unknown, unknown, unknown, string, string];
			const db = getDb(dbn);
			const realUid = await checkUid(db, uid, password);
			if (matchingFault(String(ormMethod), ['concurrent-update'])) {
				consume(matchingFault(String(ormMethod), ['concurrent-update'])!);
				throw new OdooError('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update\n', [
					'  File "/opt/odoo/odoo/service/model.py", line 156, in retrying\n    result = func()',
					'  File "/opt/odoo/odoo/sql_db.py", line 354, in execute\n    res = self._obj.execute(query, params)',
				]);
			}
			if (method === 'execute') return db.call(model, ormMethod, params.slice(5), {}, realUid);
			const args = params[5] === undefined ? [] : params[5];
			const kwargs = params[6] === undefined || params[6] === null ? {} : params[6];
			if (!Array.isArray(args)) throw new OdooError('builtins.TypeError', `'${typeof args}' object is not iterable`);
			return db.call(model, ormMethod, args, kwargs as Rec, realUid);
		}
		throw new OdooError('builtins.KeyError', `'${service}'`);
	}

	function dbService(method: string, params: unknown[]): unknown {
		const checkSuper = (p: unknown) => {
			if (p !== master) throw accessDenied();
		};
		switch (method) {
			case 'list':
				return [...dbs.keys()].sort();
			case 'server_version':
				return `${version}.0`;
			case 'db_exist':
				return dbs.has(String(params[0]));
			case 'list_lang':
				return [['en_US', 'English (US)'], ['fr_FR', 'French / Français']];
			case 'list_countries':
				return [['us', 'United States'], ['fr', 'France'], ['be', 'Belgium']];
			case 'create_database': {
				checkSuper(params[0]);
				const name = String(params[1]);
				if (dbs.has(name)) throw new OdooError('builtins.Exception', `Database ${name} already exists`);
				const db = makeDb(name);
				if (typeof params[5] === 'string') db.tables.get('res.users')!.rows.get(2)!.password = params[5];
				if (typeof params[4] === 'string') db.tables.get('res.users')!.rows.get(2)!.login = params[4];
				dbs.set(name, db);
				return true;
			}
			case 'duplicate_database': {
				checkSuper(params[0]);
				getDb(params[1]);
				dbs.set(String(params[2]), makeDb(String(params[2])));
				return true;
			}
			case 'drop':
				checkSuper(params[0]);
				return dbs.delete(String(params[1]));
			case 'rename': {
				checkSuper(params[0]);
				const db = getDb(params[1]);
				dbs.delete(String(params[1]));
				dbs.set(String(params[2]), db);
				return true;
			}
			case 'change_admin_password':
				checkSuper(params[0]);
				return true;
			case 'dump':
			case 'restore':
			case 'migrate_databases':
				checkSuper(params[0]);
				throw userError('Not supported by the sandbox');
			default:
				throw new OdooError('builtins.KeyError', `'exp_${method}'`);
		}
	}

	function xmlFault(e: unknown, legacy: boolean): string {
		const err = asOdooError(e);
		if (legacy) {
			// /xmlrpc/<service> (no /2) keeps the pre-8.0 string fault codes (xmlrpc_handle_exception_string).
			if (err.kind === 'access_denied') return serializeFault('AccessDenied', err.message);
			if (err.kind === 'access_error') return serializeFault(`warning -- AccessError\n\n${err.message}`, '');
			if (err.pyName === 'odoo.exceptions.MissingError') return serializeFault(`warning -- MissingError\n\n${err.message}`, '');
			if (err.kind === 'user') return serializeFault(`warning -- UserError\n\n${err.message}`, '');
			return serializeFault(err.message, err.traceback('xmlrpc'));
		}
		return serializeFault(err.faultCode, err.faultCode === 1 ? err.traceback('xmlrpc') : err.message);
	}

	function jsonError(id: unknown, e: unknown): string {
		const err = asOdooError(e);
		return pyJson({
			jsonrpc: '2.0',
			id: id ?? null,
			error: {
				code: 200,
				message: 'Odoo Server Error',
				data: { name: err.pyName, debug: err.traceback('jsonrpc'), message: err.message, arguments: err.arguments, context: {} },
			},
		});
	}

	const count = (rec: Record<string, number>, key: string) => (rec[key] = (rec[key] ?? 0) + 1);

	function send(res: http.ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
		res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
		res.end(body);
	}

	async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: string): Promise<void> {
		const json = (status: number, v: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(v));
		const parsed = body ? (JSON.parse(body) as Rec) : {};
		if (path === '/__sandbox/stats' && req.method === 'GET') return json(200, stats);
		if (path === '/__sandbox/reset-stats') {
			api.resetStats();
			return json(200, { ok: true });
		}
		if (path === '/__sandbox/inject') {
			api.inject(parsed as unknown as SandboxFault);
			return json(200, { ok: true });
		}
		if (path === '/__sandbox/clock') {
			api.setClock(parsed.now ? new Date(String(parsed.now)) : null);
			return json(200, { ok: true, now: now().toISOString() });
		}
		if (path === '/__sandbox/reset-data') {
			api.resetData();
			return json(200, { ok: true });
		}
		if (path.startsWith('/__sandbox/records/')) {
			const model = decodeURIComponent(path.slice('/__sandbox/records/'.length));
			const db = dbs.get(dbName);
			if (!db?.tables.has(model)) return json(404, { error: `unknown model ${model}` });
			return json(200, db.rawRecords(model));
		}
		return json(404, { error: 'unknown control endpoint' });
	}

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = Buffer.concat(chunks).toString('utf8');
		const path = (req.url ?? '/').split('?')[0];
		if (path.startsWith('/__sandbox/')) return handleControl(req, res, path, body);

		stats.requests++;
		const endpoint = path.startsWith('/json/2/') ? '/json/2' : path;
		count(stats.byEndpoint, endpoint);

		// Work out which method this is before deciding on faults, so they can target e.g. only `create`.
		let kind: 'xmlrpc' | 'jsonrpc' | 'json2' | 'other' = 'other';
		let service = '';
		let rpcMethod = '';
		let params: unknown[] = [];
		let jsonId: unknown = null;
		let parseError: unknown = null;
		let json2: { model: string; method: string; body: Rec } | null = null;
		const xm = /^\/xmlrpc\/(?:2\/)?([^/]+)$/.exec(path);
		if (xm && req.method === 'POST') {
			kind = 'xmlrpc';
			service = xm[1];
			try {
				const call = parseMethodCall(body);
				rpcMethod = call.methodName;
				params = call.params;
			} catch (e) {
				parseError = e;
			}
		} else if (path === '/jsonrpc' && req.method === 'POST') {
			kind = 'jsonrpc';
			const mime = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
			if (mime !== 'application/json' && mime !== 'application/json-rpc') {
				// Odoo picks the dispatcher from the Content-Type; a type='json' route refuses anything else.
				send(res, 400, 'text/html; charset=utf-8', `<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Request inferred type is compatible with ['http'] but '/jsonrpc' is type='json'.\n\nPlease verify the Content-Type request header and try again.</p>\n`);
				return;
			}
			try {
				const j = JSON.parse(body) as Rec;
				jsonId = j.id;
				const p = (j.params ?? {}) as Rec;
			// jsonrpc(self, service, method, args): all three are required keyword arguments of the route.
			const missing = ['service', 'method', 'args'].filter((k) => !(k in p));
			if (missing.length)
				parseError = new OdooError(
					'builtins.TypeError',
					`RPC.jsonrpc() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${pyList(missing.map((m) => `'${m}'`))}`,
				);
				service = String(p.service ?? '');
				rpcMethod = String(p.method ?? '');
				params = Array.isArray(p.args) ? p.args : [];
			} catch (e) {
				parseError = e;
			}
		} else if (version >= 19 && req.method === 'POST' && /^\/json\/2\/[^/]+\/[^/]+$/.test(path)) {
			kind = 'json2';
			const [, , , model, method] = path.split('/');
			let b: Rec = {};
			try {
				b = body.trim() ? (JSON.parse(body) as Rec) : {};
			} catch (e) {
				parseError = e;
			}
			json2 = { model: decodeURIComponent(model), method: decodeURIComponent(method), body: b };
			rpcMethod = json2.method;
		}
		const ormMethod =
			kind === 'json2'
				? rpcMethod
				: service === 'object' && (rpcMethod === 'execute_kw' || rpcMethod === 'execute')
					? String(params[4] ?? '')
					: rpcMethod;
		if (ormMethod) count(stats.byMethod, ormMethod);
		const ormModel = kind === 'json2' ? (json2?.model ?? '') : service === 'object' ? String(params[3] ?? '') : '';

		const down = matchingFault(ormMethod, ['down']);
		if (down) {
			// Simulates an unreachable server: the client sees a reset connection, never a response.
			req.socket.destroy();
			return;
		}
		const lat = matchingFault(ormMethod, ['latency']);
		if (lat && lat.fault.kind === 'latency') {
			consume(lat);
			await sleep(lat.fault.ms);
		}
		const breakIt = (phase: 'before' | 'after'): boolean => {
			const f = faults.find(
				(x) =>
					(x.fault.kind === 'http' || x.fault.kind === 'reset') &&
					x.left > 0 &&
					((x.fault as { phase?: string }).phase ?? 'before') === phase &&
					(!(x.fault as { method?: string }).method || (x.fault as { method?: string }).method === ormMethod) &&
					(!(x.fault as { model?: string }).model || (x.fault as { model?: string }).model === ormModel),
			);
			if (!f) return false;
			consume(f);
			if (f.fault.kind === 'reset') {
				req.socket.destroy();
				return true;
			}
			const status = (f.fault as { status: number }).status;
			const text = http.STATUS_CODES[status] ?? 'Error';
			send(res, status, 'text/html', `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
			return true;
		};
		if (breakIt('before')) return;

		let status = 200;
		let type = 'text/html; charset=utf-8';
		let out = '';
		if (kind === 'xmlrpc') {
			type = 'text/xml; charset=utf-8';
			if (parseError) {
				const msg = parseError instanceof XmlRpcParseError ? parseError.message : String(parseError);
				out = serializeFault(1, `Traceback (most recent call last):\n  File "/opt/python/xml/parsers/expat.py", line 1, in Parse\nxml.parsers.expat.ExpatError: ${msg}\n`);
			} else {
				try {
					const result = await dispatch(service, rpcMethod, params);
					// _xmlrpc() dumps with allow_none=False: a None anywhere in the answer becomes a fault.
					if (containsNull(result)) throw new OdooError('builtins.TypeError', 'cannot marshal None unless allow_none is enabled');
					out = serializeResponse(result);
				} catch (e) {
					out = xmlFault(e, !path.startsWith('/xmlrpc/2/'));
				}
			}
		} else if (kind === 'jsonrpc') {
			type = 'application/json; charset=utf-8';
			if (parseError) {
				const err =
					parseError instanceof OdooError
						? parseError
						: new OdooError('werkzeug.exceptions.BadRequest', `400 Bad Request: Invalid JSON data: ${String((parseError as Error).message)}`);
				out = jsonError(jsonId, err);
			} else {
				try {
					out = pyJson({ jsonrpc: '2.0', id: jsonId ?? null, result: await dispatch(service, rpcMethod, params) });
				} catch (e) {
					out = jsonError(jsonId, e);
				}
			}
		} else if (kind === 'json2' && json2) {
			type = 'application/json; charset=utf-8';
			try {
				if (parseError) throw new OdooError('werkzeug.exceptions.BadRequest', 'Invalid JSON data', [], ['Invalid JSON data', 400]);
				out = pyJson(await json2Call(req, json2.model, json2.method, json2.body));
			} catch (e) {
				const err = asOdooError(e);
				status = json2Status(err);
				out = pyJson({ name: err.pyName, message: err.message, arguments: err.arguments, context: {}, debug: err.traceback('json2') });
			}
		} else if ((xm || path === '/jsonrpc' || path.startsWith('/json/2/')) && req.method !== 'POST' && (version >= 19 || !path.startsWith('/json/2/'))) {
			status = 405;
			out = '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
		} else if (path === '/web/webclient/version_info') {
			type = 'application/json; charset=utf-8';
			out = pyJson({ jsonrpc: '2.0', id: null, result: versionInfo(version) });
		} else {
			status = 404;
			out = '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
		}
		if (breakIt('after')) return;
		// As recorded (Werkzeug): one request per connection.
		send(res, status, type, out, { Connection: 'close', Server: 'Werkzeug/2.2.2 Python/3.11.2', 'X-Content-Type-Options': 'nosniff' });
	}

	async function json2Call(req: http.IncomingMessage, model: string, method: string, body: Rec): Promise<unknown> {
		const auth = String(req.headers.authorization ?? '');
		const m = /^bearer\s+(.+)$/i.exec(auth);
		const dbHeader = req.headers['x-odoo-database'];
		const db = typeof dbHeader === 'string' && dbHeader ? dbs.get(dbHeader) : dbs.get(dbName);
		if (!db) throw new OdooError('werkzeug.exceptions.NotFound', `database ${String(dbHeader)} not found`, [], [`database ${String(dbHeader)} not found`, 404]);
		const login = m ? apiKeys[m[1].trim()] : undefined;
		const user = login ? findUser(db, (u) => u.login === login && u.active !== false) : undefined;
		if (!user) throw new OdooError('werkzeug.exceptions.Unauthorized', 'Invalid apikey', [
			'  File "/opt/odoo/odoo/addons/base/models/ir_http.py", line 240, in _auth_method_bearer\n    raise werkzeug.exceptions.Unauthorized(',
		], ['Invalid apikey', 401]);
		if (!db.models.has(model)) throw new OdooError('werkzeug.exceptions.NotFound', `the model ${JSON.stringify(model).replace(/"/g, "'")} does not exist`, [], [`the model '${model}' does not exist`, 404]);
		const { ids, context, ...named } = body;
		const args: unknown[] = [];
		const kwargs: Rec = { ...named };
		if (context && typeof context === 'object') kwargs.context = context;
		const sig = METHODS[method];
		if (!sig || method.startsWith('_'))
			throw new OdooError('werkzeug.exceptions.NotFound', `the method '${method}' does not exist on the model '${model}'`, [], [`the method '${method}' does not exist on the model '${model}'`, 404]);
		if (sig.record) args.push(Array.isArray(ids) ? ids : ids === undefined || ids === null ? [] : [ids]);
		// JSON-2 calls `create` with vals_list; other @api.model methods take their named arguments.
		return db.call(model, method, args, kwargs, user.id as number);
	}

	function json2Status(err: OdooError): number {
		if (err.arguments.length === 2 && typeof err.arguments[1] === 'number') return err.arguments[1] as number;
		switch (err.pyName) {
			case 'odoo.exceptions.AccessError':
				return 403;
			case 'odoo.exceptions.AccessDenied':
				return 401;
			case 'odoo.exceptions.MissingError':
				return 404;
			case 'odoo.exceptions.UserError':
			case 'odoo.exceptions.ValidationError':
			case 'builtins.TypeError':
				return 422;
			default:
				return 500;
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((e) => {
			if (!res.headersSent) send(res, 500, 'text/plain', String(e?.stack ?? e));
			else res.destroy();
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	// Keep-alive like Werkzeug is not needed; closing idle sockets quickly keeps close() fast.
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;

	const api: OdooSandbox = {
		url: `http://127.0.0.1:${port}`,
		db: dbName,
		port,
		stats,
		resetStats() {
			stats.requests = 0;
			stats.logins = 0;
			for (const k of Object.keys(stats.byEndpoint)) delete stats.byEndpoint[k];
			for (const k of Object.keys(stats.byMethod)) delete stats.byMethod[k];
		},
		close() {
			return new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			});
		},
		records(model: string) {
			const db = dbs.get(dbName);
			if (!db) return [];
			return db.rawRecords(model);
		},
		inject(fault: SandboxFault) {
			if (fault.kind === 'clear') {
				faults.length = 0;
				return;
			}
			const forever = fault.kind === 'down' || (fault.kind === 'latency' && fault.times === undefined);
			const times = 'times' in fault && fault.times !== undefined ? fault.times : forever ? Infinity : 1;
			faults.push({ fault, left: times });
		},
		setClock(d: Date | null) {
			fixedClock = d;
		},
		resetData() {
			dbs.clear();
			dbs.set(dbName, makeDb(dbName));
			credCache.clear();
		},
		database(name?: string) {
			return dbs.get(name ?? dbName);
		},
	};
	return api;
}

/** The service functions are plain Python functions: a wrong argument count is Python's TypeError. */
function arity(fn: string, params: unknown[], names: string[]): void {
	if (params.length > names.length)
		throw new OdooError('builtins.TypeError', `${fn}() takes ${names.length} positional arguments but ${params.length} were given`);
	const missing = names.slice(params.length);
	if (missing.length)
		throw new OdooError(
			'builtins.TypeError',
			`${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${pyList(missing.map((m) => `'${m}'`))}`,
		);
}

/** Python's way of listing missing arguments: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
function pyList(items: string[]): string {
	if (items.length < 3) return items.join(' and ');
	return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

function containsNull(v: unknown): boolean {
	if (v === null || v === undefined) return true;
	if (Array.isArray(v)) return v.some(containsNull);
	if (v && typeof v === 'object' && v.constructor === Object) return Object.values(v).some(containsNull);
	return false;
}

function asOdooError(e: unknown): OdooError {
	if (e instanceof OdooError) return e;
	const err = e as Error;
	return new OdooError('builtins.Exception', String(err?.message ?? e), [String(err?.stack ?? '').split('\n').slice(1, 4).join('\n')]);
}
