import type { OdooSandbox } from '../sandboxes/odoo';

export interface RpcError {
	name: string;
	message: string;
	arguments: unknown[];
	debug: string;
}

/** A bare JSON-RPC caller: the tests check the sandbox, not a client library. */
export async function jsonrpc(sb: OdooSandbox, service: string, method: string, args: unknown[]): Promise<{ result?: unknown; error?: RpcError }> {
	const res = await fetch(`${sb.url}/jsonrpc`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service, method, args } }),
	});
	const body = (await res.json()) as { result?: unknown; error?: { data: RpcError } };
	return body.error ? { error: body.error.data } : { result: body.result };
}

export function makeKw(sb: OdooSandbox, uid = 2, password = 'admin') {
	return async (model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}) => {
		const r = await jsonrpc(sb, 'object', 'execute_kw', [sb.db, uid, password, model, method, args, kwargs]);
		if (r.error) {
			const e = new Error(r.error.message) as Error & { odoo: RpcError };
			e.odoo = r.error;
			throw e;
		}
		return r.result as any; // eslint-disable-line @typescript-eslint/no-explicit-any
	};
}

export async function odooError(p: Promise<unknown>): Promise<RpcError> {
	try {
		await p;
	} catch (e) {
		return (e as { odoo: RpcError }).odoo;
	}
	throw new Error('expected an Odoo error');
}
