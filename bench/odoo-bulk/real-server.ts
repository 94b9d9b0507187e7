/**
 * bench/odoo-bulk: the bench's own calls to a real Odoo server, made straight to its URL (never through the counting
 * proxy, so they are not in any path's numbers): the server version for the header, and removing what a path created.
 */

export interface RealServer {
	url: string;
	db: string;
	login: string;
	password: string;
	version: string;
	uid: number;
}

let callId = 0;

async function jsonRpc(url: string, service: string, method: string, args: unknown[]): Promise<any> {
	const response = await fetch(`${url}/jsonrpc`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: ++callId, params: { service, method, args } }),
	});
	if (!response.ok) throw new Error(`${service}.${method} on ${url}: HTTP ${response.status}`);
	const body = (await response.json()) as { result?: unknown; error?: { message?: string; data?: { message?: string } } };
	if (body.error) throw new Error(`${service}.${method} on ${url}: ${body.error.data?.message ?? body.error.message}`);
	return body.result;
}

export async function connectRealServer(options: { url: string; db: string; login: string; password: string }): Promise<RealServer> {
	const url = options.url.replace(/\/+$/, '');
	const info = (await jsonRpc(url, 'common', 'version', [])) as { server_version?: string };
	const uid = await jsonRpc(url, 'common', 'authenticate', [options.db, options.login, options.password, {}]);
	// Checked here so a wrong secret fails in a second, not after n8n has started and the first path has run.
	if (typeof uid !== 'number') throw new Error(`login as ${options.login} to database ${options.db} on ${url} was refused`);
	return { ...options, url, version: String(info.server_version ?? 'unknown'), uid };
}

const kw = (server: RealServer, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
	jsonRpc(server.url, 'object', 'execute_kw', [server.db, server.uid, server.password, model, method, args, kwargs]);

/**
 * Deletes the res.partner records one path created, in batches, and returns how many. Only names starting with
 * "<tag> " are touched: the domain finds them, and each name is checked again here before its id goes to unlink, so
 * no wildcard in the domain can widen it to records this run did not create.
 */
export async function removeTagged(server: RealServer, tag: string, batch = 1000): Promise<number> {
	const prefix = `${tag} `;
	let removed = 0;
	let lastId = 0;
	for (;;) {
		const rows = (await kw(server, 'res.partner', 'search_read', [[['name', '=like', `${tag} %`], ['id', '>', lastId]]], {
			fields: ['name'],
			order: 'id',
			limit: batch,
			context: { active_test: false },
		})) as Array<{ id: number; name: unknown }>;
		if (!rows.length) return removed;
		lastId = rows[rows.length - 1].id;
		const ids = rows.filter((row) => typeof row.name === 'string' && row.name.startsWith(prefix)).map((row) => row.id);
		if (ids.length) await kw(server, 'res.partner', 'unlink', [ids]);
		removed += ids.length;
		if (rows.length < batch) return removed;
	}
}
