import { OdooError } from '../errors';
import { fromJson2Error } from '../error-mapping';
import type { OdooServerVersion, OdooTransport, WireStats } from '../types';
import { joinUrl, postJson } from './http';

/**
 * Odoo 19's JSON-2 API: POST /json/2/<model>/<method> with a bearer API key and named arguments.
 * Callers speak execute_kw (positional args, record ids first for record methods), so known ORM signatures are
 * mapped to names here; a method we do not know takes its ids positionally and everything else as keywords.
 */
const MODEL_METHODS: Record<string, string[]> = {
	create: ['vals_list'],
	search: ['domain', 'offset', 'limit', 'order'],
	search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
	search_count: ['domain', 'limit'],
	fields_get: ['allfields', 'attributes'],
	name_search: ['name', 'domain', 'operator', 'limit'],
	name_create: ['name'],
	default_get: ['fields'],
	read_group: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
};
const RECORD_METHODS: Record<string, string[]> = {
	read: ['fields', 'load'],
	write: ['vals'],
	unlink: [],
	copy: ['default'],
	message_post: [],
	message_subscribe: ['partner_ids', 'subtype_ids'],
};

export function toNamedArguments(method: string, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
	const named: Record<string, unknown> = {};
	let positional = args;
	let names = MODEL_METHODS[method];
	if (!names) {
		names = RECORD_METHODS[method] ?? [];
		if (positional.length > 0) {
			named.ids = positional[0];
			positional = positional.slice(1);
		}
	}
	if (positional.length > names.length) {
		throw new OdooError({
			kind: 'validation',
			method,
			message: `JSON-2 takes named arguments only: pass the arguments of '${method}' as keyword arguments`,
			hint: "Move the positional arguments after the record ids into 'Keyword Arguments' (JSON object)",
		});
	}
	positional.forEach((value, index) => (named[names[index]] = value));
	return { ...named, ...kwargs };
}

export class Json2Transport implements OdooTransport {
	readonly protocol = 'json2' as const;
	readonly stats: WireStats = { requests: 0, logins: 0 };

	constructor(
		private readonly baseUrl: string,
		private readonly timeoutMs: number,
		private readonly versionSource: () => Promise<OdooServerVersion>,
	) {}

	version(): Promise<OdooServerVersion> {
		return this.versionSource();
	}

	private async post(db: string, apiKey: string, model: string, method: string, body: Record<string, unknown>) {
		const site = { model, method };
		const { status, body: answer } = await postJson(this.stats, joinUrl(this.baseUrl, `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`), body, {
			timeoutMs: this.timeoutMs,
			headers: { authorization: `bearer ${apiKey}`, 'x-odoo-database': db },
			site,
			acceptStatus: () => true,
		});
		if (status >= 400) throw fromJson2Error(status, answer as any, site);
		return answer;
	}

	/** JSON-2 has no login call: the API key is checked on every request. Finding our own uid proves it works. */
	async authenticate(db: string, login: string, apiKey: string): Promise<number | false> {
		this.stats.logins++;
		try {
			const ids = (await this.post(db, apiKey, 'res.users', 'search', { domain: [['login', '=', login]], limit: 1 })) as number[];
			return ids[0] ?? false;
		} catch (error) {
			if (error instanceof OdooError && error.kind === 'auth') return false;
			throw error;
		}
	}

	executeKw(db: string, _uid: number, apiKey: string, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) {
		return this.post(db, apiKey, model, method, toNamedArguments(method, args, kwargs));
	}
}
