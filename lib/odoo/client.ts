import { withRetry } from '../shared/retry';
import { andDomains } from './domain';
import { OdooError } from './errors';
import { JsonRpcTransport } from './transport/jsonrpc';
import { Json2Transport } from './transport/json2';
import { XmlRpcTransport } from './transport/xmlrpc';
import type {
	AttachmentInput,
	CreateOptions,
	MessagePostOptions,
	OdooClient,
	OdooConnectionConfig,
	OdooContext,
	OdooDomain,
	OdooFieldInfo,
	OdooRecord,
	OdooServerVersion,
	OdooTransport,
	ResolvedProtocol,
	SearchOptions,
	WireStats,
} from './types';

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 1000;

/** Methods whose repetition cannot change anything: safe to retry after any transient failure. */
const IDEMPOTENT = new Set(['read', 'search', 'search_read', 'search_count', 'fields_get', 'name_search', 'read_group', 'default_get', 'check_access_rights', 'write']);

/**
 * A failure is worth another attempt when it is transient. For a call that may have reached the server (a create, a
 * message post, any method we do not know), only failures that prove nothing was done qualify: the connection was
 * refused, or Odoo rolled the transaction back on a concurrent update.
 */
export function isSafeToRetry(error: unknown, method: string): boolean {
	if (!(error instanceof OdooError) || !error.retriable) return false;
	if (error.kind === 'concurrency') return true;
	if (IDEMPOTENT.has(method)) return true;
	return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(error.message);
}

export class OdooRpcClient implements OdooClient {
	readonly config: Readonly<Omit<OdooConnectionConfig, 'secret'>>;
	private readonly secret: string;
	private transportPromise?: Promise<OdooTransport>;
	private uidPromise?: Promise<number>;
	private versionPromise?: Promise<OdooServerVersion>;
	private readonly used: OdooTransport[] = [];
	private readonly jsonRpc: JsonRpcTransport;

	constructor(config: OdooConnectionConfig) {
		const { secret, ...rest } = config;
		this.config = { ...rest, url: config.url.replace(/\/+$/, '') };
		this.secret = secret;
		this.jsonRpc = new JsonRpcTransport(this.config.url, this.timeoutMs);
	}

	private get timeoutMs() {
		return this.config.timeoutMs ?? 60_000;
	}

	stats(): WireStats {
		const all = new Set<OdooTransport>([this.jsonRpc, ...this.used]);
		return [...all].reduce((sum, transport) => ({ requests: sum.requests + transport.stats.requests, logins: sum.logins + transport.stats.logins }), { requests: 0, logins: 0 });
	}

	private retrying<T>(method: string, call: () => Promise<T>): Promise<T> {
		return withRetry(call, {
			retries: this.config.maxRetries ?? 3,
			baseMs: this.config.retryBaseMs ?? 200,
			shouldRetry: (error) => isSafeToRetry(error, method),
		});
	}

	version(): Promise<OdooServerVersion> {
		this.versionPromise ??= this.retrying('version', () => this.versionOverAnyRpc()).catch((error) => {
			this.versionPromise = undefined;
			throw error;
		});
		return this.versionPromise;
	}

	/** JSON-RPC first (lighter); a server or proxy that only exposes XML-RPC answers 404 there. */
	private async versionOverAnyRpc(): Promise<OdooServerVersion> {
		try {
			return await this.jsonRpc.version();
		} catch (error) {
			if (error instanceof OdooError && error.httpStatus === 404) {
				const version = await this.xmlRpc().version();
				this.jsonRpcUnavailable = true;
				return version;
			}
			throw error;
		}
	}

	private xmlRpcTransport?: XmlRpcTransport;
	private jsonRpcUnavailable = false;
	private xmlRpc(): XmlRpcTransport {
		if (!this.xmlRpcTransport) {
			this.xmlRpcTransport = new XmlRpcTransport(this.config.url, this.timeoutMs);
			this.used.push(this.xmlRpcTransport);
		}
		return this.xmlRpcTransport;
	}

	private async resolveTransport(): Promise<OdooTransport> {
		const requested = this.config.protocol;
		const use = (transport: OdooTransport) => {
			if (!this.used.includes(transport)) this.used.push(transport);
			return transport;
		};
		if (requested === 'xmlrpc') return this.xmlRpc();
		if (requested === 'jsonrpc') return use(this.jsonRpc);
		if (requested === 'json2') {
			if (!this.config.secretIsApiKey) {
				throw new OdooError({ kind: 'auth', message: 'JSON-2 needs an API key, not a password', hint: "Create an API key in Odoo (Preferences → Account Security) and turn on 'Secret Is API Key'" });
			}
			return use(new Json2Transport(this.config.url, this.timeoutMs, () => this.version()));
		}
		// Without an API key only JSON-RPC or XML-RPC can work: skip the version round trip and fall back on a 404.
		if (!this.config.secretIsApiKey) return use(this.jsonRpc);
		const version = await this.version();
		const major = Number(version.server_version_info?.[0] ?? parseInt(version.server_version, 10));
		if (major >= 19 && this.config.secretIsApiKey) return use(new Json2Transport(this.config.url, this.timeoutMs, () => this.version()));
		if (this.jsonRpcUnavailable) return this.xmlRpc();
		return use(this.jsonRpc);
	}

	private transport(): Promise<OdooTransport> {
		this.transportPromise ??= this.resolveTransport().catch((error) => {
			this.transportPromise = undefined;
			throw error;
		});
		return this.transportPromise;
	}

	async protocol(): Promise<ResolvedProtocol> {
		return (await this.transport()).protocol;
	}

	authenticate(): Promise<number> {
		this.uidPromise ??= this.login().catch((error) => {
			this.uidPromise = undefined;
			throw error;
		});
		return this.uidPromise;
	}

	private async login(): Promise<number> {
		const transport = await this.transport();
		const { db, login } = this.config;
		let uid: number | false;
		try {
			uid = await this.retrying('authenticate', () => transport.authenticate(db, login, this.secret));
		} catch (error) {
			// A server (or proxy) exposing only XML-RPC answers 404 on /jsonrpc: auto mode moves over once.
			if (!(this.config.protocol === 'auto' && transport === this.jsonRpc && error instanceof OdooError && error.httpStatus === 404)) throw error;
			const xml = this.xmlRpc();
			this.transportPromise = Promise.resolve(xml);
			uid = await this.retrying('authenticate', () => xml.authenticate(db, login, this.secret));
		}
		if (uid === false || typeof uid !== 'number') {
			throw new OdooError({
				kind: 'auth',
				message: `Wrong login or password/API key for '${login}' on database '${db}'`,
				hint: 'Check the Login and Password/API Key of the credential',
			});
		}
		return uid;
	}

	async execute<T = unknown>(model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<T> {
		if (!model || typeof model !== 'string') throw new OdooError({ kind: 'unknown-model', message: 'No model given', hint: 'Choose a model, e.g. res.partner' });
		const uid = await this.authenticate();
		const transport = await this.transport();
		return this.retrying(method, () => transport.executeKw(this.config.db, uid, this.secret, model, method, args, kwargs)) as Promise<T>;
	}

	async create(model: string, rows: Array<Record<string, unknown>>, options: CreateOptions = {}): Promise<number[]> {
		const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
		const ids: number[] = [];
		for (let start = 0; start < rows.length; start += batchSize) {
			const batch = rows.slice(start, start + batchSize);
			try {
				const created = await this.execute<number[] | number>(model, 'create', [batch], contextKw(options.context));
				ids.push(...(Array.isArray(created) ? created : [created]));
			} catch (error) {
				throw nameFieldOfRawDatabaseError(error, batch);
			}
		}
		return ids;
	}

	read(model: string, ids: number[], fields?: string[], context?: OdooContext): Promise<OdooRecord[]> {
		if (ids.length === 0) return Promise.resolve([]);
		return this.execute<OdooRecord[]>(model, 'read', [ids], { ...(fields?.length ? { fields } : {}), ...contextKw(context) });
	}

	searchRead(model: string, domain: OdooDomain, options: SearchOptions = {}): Promise<OdooRecord[]> {
		return this.execute<OdooRecord[]>(model, 'search_read', [domain], searchKw(options, true));
	}

	async *searchReadPages(model: string, domain: OdooDomain, options: SearchOptions & { pageSize?: number } = {}): AsyncGenerator<OdooRecord[]> {
		const pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
		const limit = options.limit;
		let delivered = 0;
		// Keyset paging on id when the order allows it: stable under concurrent inserts and O(1) per page on the server.
		const byId = !options.order || /^\s*id(\s+asc)?\s*$/i.test(options.order);
		const fields = options.fields?.length && byId && !options.fields.includes('id') ? [...options.fields, 'id'] : options.fields;
		let lastId = 0;
		let offset = options.offset ?? 0;
		for (;;) {
			const want = limit === undefined ? pageSize : Math.min(pageSize, limit - delivered);
			if (want <= 0) return;
			const page = byId
				? await this.searchRead(model, lastId ? andDomains([['id', '>', lastId]], domain) : domain, { ...options, fields, order: 'id asc', limit: want, offset: lastId ? 0 : offset })
				: await this.searchRead(model, domain, { ...options, fields, limit: want, offset });
			if (page.length === 0) return;
			delivered += page.length;
			offset += page.length;
			lastId = page[page.length - 1].id;
			yield page;
			if (page.length < want) return;
		}
	}

	search(model: string, domain: OdooDomain, options: Omit<SearchOptions, 'fields'> = {}): Promise<number[]> {
		return this.execute<number[]>(model, 'search', [domain], searchKw(options, false));
	}

	searchCount(model: string, domain: OdooDomain, context?: OdooContext): Promise<number> {
		return this.execute<number>(model, 'search_count', [domain], contextKw(context));
	}

	async write(model: string, ids: number[], values: Record<string, unknown>, context?: OdooContext): Promise<boolean> {
		try {
			return await this.execute<boolean>(model, 'write', [ids, values], contextKw(context));
		} catch (error) {
			throw nameFieldOfRawDatabaseError(error, [values]);
		}
	}

	unlink(model: string, ids: number[], context?: OdooContext): Promise<boolean> {
		return this.execute<boolean>(model, 'unlink', [ids], contextKw(context));
	}

	fieldsGet(model: string, attributes: string[] = ['string', 'type', 'required', 'readonly', 'relation', 'selection', 'help'], context?: OdooContext) {
		return this.execute<Record<string, OdooFieldInfo>>(model, 'fields_get', [], { attributes, ...contextKw(context) });
	}

	nameSearch(model: string, name: string, options: { domain?: OdooDomain; operator?: string; limit?: number; context?: OdooContext } = {}) {
		// Positional on purpose: the domain's keyword is `args` up to Odoo 18 and `domain` from 19.
		return this.execute<Array<[number, string]>>(model, 'name_search', [name, options.domain ?? [], options.operator ?? 'ilike', options.limit ?? 100], contextKw(options.context));
	}

	async messagePost(model: string, id: number, options: MessagePostOptions): Promise<number> {
		const kwargs: Record<string, unknown> = {
			body: options.body,
			message_type: 'comment',
			subtype_xmlid: options.kind === 'note' ? 'mail.mt_note' : 'mail.mt_comment',
			...(options.isHtml ? { body_is_html: true } : {}),
			...(options.attachmentIds?.length ? { attachment_ids: options.attachmentIds } : {}),
			...(options.partnerIds?.length ? { partner_ids: options.partnerIds } : {}),
			...(options.subject ? { subject: options.subject } : {}),
			...contextKw(options.context),
		};
		const result = await this.execute<number | number[]>(model, 'message_post', [[id]], kwargs);
		return Array.isArray(result) ? result[0] : result;
	}

	async createAttachment(input: AttachmentInput): Promise<number> {
		const [id] = await this.create('ir.attachment', [
			{
				name: input.name,
				datas: input.datas,
				...(input.mimetype ? { mimetype: input.mimetype } : {}),
				...(input.resModel ? { res_model: input.resModel } : {}),
				...(input.resId ? { res_id: input.resId } : {}),
			},
		]);
		return id;
	}
}

function contextKw(context?: OdooContext): Record<string, unknown> {
	return context && Object.keys(context).length ? { context } : {};
}

function searchKw(options: SearchOptions, withFields: boolean): Record<string, unknown> {
	return {
		...(withFields && options.fields?.length ? { fields: options.fields } : {}),
		...(options.order ? { order: options.order } : {}),
		...(options.limit !== undefined ? { limit: options.limit } : {}),
		...(options.offset ? { offset: options.offset } : {}),
		...contextKw(options.context),
	};
}

/**
 * Odoo lets a string reach PostgreSQL for an integer column (a many2one given a name) and answers with a raw
 * psycopg2 error. Find which field held the offending value so the user is told the field, not the SQL.
 */
function nameFieldOfRawDatabaseError(error: unknown, rows: Array<Record<string, unknown>>): unknown {
	if (!(error instanceof OdooError) || !/InvalidTextRepresentation|invalid input syntax/.test(`${error.exceptionName} ${error.message}`)) return error;
	const value = /invalid input syntax for type (\w+): "([^"]*)"/.exec(error.message);
	if (!value) return error;
	for (const row of rows) {
		for (const [field, candidate] of Object.entries(row)) {
			if (candidate === value[2]) {
				return new OdooError({
					kind: 'validation',
					field,
					model: error.model,
					method: error.method,
					exceptionName: error.exceptionName,
					debug: error.debug ?? error.message,
					message: `Field '${field}' expects ${value[1] === 'integer' ? 'a record id' : `a value of type ${value[1]}`}, got "${value[2]}"`,
					hint: `Give '${field}' the id of the related record, or its name so it is looked up with name_search`,
				});
			}
		}
	}
	return error;
}

export function createOdooClient(config: OdooConnectionConfig): OdooClient {
	return new OdooRpcClient(config);
}
