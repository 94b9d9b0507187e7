/**
 * Odoo exceptions as the wire sees them. The Python class name decides everything a client can
 * observe: the XML-RPC faultCode (odoo/addons/base/controllers/rpc.py, xmlrpc_handle_exception_int),
 * whether faultString is the bare message or a traceback, the JSON-RPC `data.name`, and the JSON-2
 * HTTP status.
 */

export class OdooError extends Error {
	constructor(
		/** Fully qualified Python class, e.g. 'odoo.exceptions.UserError', 'builtins.ValueError'. */
		readonly pyName: string,
		message: string,
		/** Frames that make the fake traceback plausible; the last frame raises. */
		readonly frames: string[] = [],
		readonly args2?: unknown[],
	) {
		super(message);
	}

	get arguments(): unknown[] {
		return this.args2 ?? [this.message];
	}

	get kind(): 'access_error' | 'access_denied' | 'user' | 'other' {
		const n = this.pyName;
		if (n === 'odoo.exceptions.AccessError') return 'access_error';
		if (n === 'odoo.exceptions.AccessDenied') return 'access_denied';
		if (USER_ERRORS.has(n)) return 'user';
		return 'other';
	}

	/** XML-RPC /2 fault codes: 1 application error, 2 warning (UserError family), 3 access denied, 4 access error. */
	get faultCode(): number {
		switch (this.kind) {
			case 'access_error':
				return 4;
			case 'access_denied':
				return 3;
			case 'user':
				return 2;
			default:
				return 1;
		}
	}

	get shortName(): string {
		return this.pyName.startsWith('builtins.') ? this.pyName.slice('builtins.'.length) : this.pyName;
	}

	traceback(entry: 'xmlrpc' | 'jsonrpc' | 'json2'): string {
		const head =
			entry === 'xmlrpc'
				? [
						'  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 165, in xmlrpc_2\n    response = self._xmlrpc(service)\n               ^^^^^^^^^^^^^^^^^^^^^',
						'  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 139, in _xmlrpc\n    result = dispatch_rpc(service, method, params)\n             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
					]
				: entry === 'jsonrpc'
					? [
							'  File "/opt/odoo/odoo/http.py", line 1976, in _transactioning\n    return service_model.retrying(func, env=self.env)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
							'  File "/opt/odoo/odoo/addons/base/controllers/rpc.py", line 178, in jsonrpc\n    return dispatch_rpc(service, method, args)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
						]
					: [
							'  File "/opt/odoo/odoo/http.py", line 2212, in _transactioning\n    return service_model.retrying(func, env=self.env)',
							'  File "/opt/odoo/addons/web/controllers/json2.py", line 161, in call\n    result = getattr(records, method)(*args, **kwargs)',
						];
		const frames = [...head, ...this.frames];
		return `Traceback (most recent call last):\n${frames.join('\n')}\n${this.shortName}: ${this.message}\n`;
	}
}

const USER_ERRORS = new Set([
	'odoo.exceptions.UserError',
	'odoo.exceptions.ValidationError',
	'odoo.exceptions.MissingError',
	'odoo.exceptions.RedirectWarning',
	'odoo.exceptions.CacheMiss',
]);

const F = {
	callKw: '  File "/opt/odoo/odoo/api.py", line 533, in call_kw\n    result = getattr(recs, name)(*args, **kwargs)\n             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
	executeCr:
		'  File "/opt/odoo/odoo/service/model.py", line 72, in execute_cr\n    result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)\n             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
	sqlExecute:
		'  File "/opt/odoo/odoo/sql_db.py", line 354, in execute\n    res = self._obj.execute(query, params)\n          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
};

export const userError = (msg: string) => new OdooError('odoo.exceptions.UserError', msg, [F.executeCr]);
export const validationError = (msg: string) =>
	new OdooError('odoo.exceptions.ValidationError', msg, [
		F.callKw,
		'  File "/opt/odoo/odoo/service/model.py", line 175, in retrying\n    raise _as_validation_error(env, exc) from exc',
	]);
export const missingError = (msg: string) =>
	new OdooError('odoo.exceptions.MissingError', msg, [
		F.callKw,
		'  File "/opt/odoo/odoo/fields.py", line 1272, in __get__\n    raise MissingError("\\n".join([',
	]);
export const accessError = (msg: string) =>
	new OdooError('odoo.exceptions.AccessError', msg, [
		F.callKw,
		'  File "/opt/odoo/odoo/models.py", line 4422, in check_access\n    raise result[1]()',
	]);
export const accessDenied = () =>
	new OdooError('odoo.exceptions.AccessDenied', 'Access Denied', [
		'  File "/opt/odoo/odoo/service/model.py", line 60, in dispatch\n    security.check(db, uid, passwd)',
		'  File "/opt/odoo/odoo/addons/base/models/res_users.py", line 862, in check\n    raise AccessDenied()',
	]);
export const valueError = (msg: string, where = 'odoo/models.py", line 6408, in _update_cache') =>
	new OdooError('builtins.ValueError', msg, [F.executeCr, F.callKw, `  File "/opt/odoo/${where}\n    raise ValueError(...)`]);
export const typeError = (msg: string) => new OdooError('builtins.TypeError', msg, [F.executeCr, F.callKw]);
export const attributeError = (msg: string) =>
	new OdooError('builtins.AttributeError', msg, [
		F.executeCr.replace('line 72', 'line 71'),
		'  File "/opt/odoo/odoo/service/model.py", line 38, in get_public_method\n    raise AttributeError(f"The method \'{model._name}.{name}\' does not exist")  # noqa: TRY004\n    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
	]);
export const psycopgError = (cls: string, msg: string) =>
	new OdooError(`psycopg2.${cls}`, msg, [
		F.executeCr,
		F.callKw,
		'  File "/opt/odoo/odoo/models.py", line 5201, in _create\n    cr.execute(SQL(',
		F.sqlExecute,
	]);

export function dbNotFound(db: string): OdooError {
	const msg = `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${db}" does not exist\n`;
	return new OdooError('psycopg2.OperationalError', msg, [
		'  File "/opt/odoo/odoo/modules/registry.py", line 206, in init\n    with closing(self.cursor()) as cr:\n                 ^^^^^^^^^^^^^',
		'  File "/opt/odoo/odoo/sql_db.py", line 723, in borrow\n    result = psycopg2.connect(\n             ^^^^^^^^^^^^^^^^^',
		'  File "/opt/python-site/psycopg2/__init__.py", line 122, in connect\n    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
	]);
}

/** Python repr() for the values that appear in Odoo's messages (tuples in leaves, ids in MissingError). */
export function pyRepr(v: unknown): string {
	if (v === null || v === undefined) return 'None';
	if (v === true) return 'True';
	if (v === false) return 'False';
	if (typeof v === 'number') return String(v);
	if (typeof v === 'string') {
		const q = v.includes("'") && !v.includes('"') ? '"' : "'";
		const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
		return q === "'" ? `'${body.replace(/'/g, "\\'")}'` : `"${body}"`;
	}
	if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
	if (typeof v === 'object')
		return `{${Object.entries(v as Record<string, unknown>)
			.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
			.join(', ')}}`;
	return String(v);
}

export function pyTuple(items: unknown[]): string {
	if (items.length === 1) return `(${pyRepr(items[0])},)`;
	return `(${items.map(pyRepr).join(', ')})`;
}
