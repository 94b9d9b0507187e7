/**
 * The contract between the Odoo client, the n8n nodes and the tests.
 * Nothing here knows n8n: nodes adapt their parameters to these shapes.
 */

export type OdooProtocol = 'auto' | 'xmlrpc' | 'jsonrpc' | 'json2';
/** The protocol actually spoken after detection. */
export type ResolvedProtocol = Exclude<OdooProtocol, 'auto'>;

export interface OdooConnectionConfig {
	/** Base URL of the Odoo server, e.g. http://127.0.0.1:8069 (trailing slash tolerated). */
	url: string;
	db: string;
	login: string;
	/** Password or API key. Never logged, never put in item output. */
	secret: string;
	/** True when `secret` is an API key: enables JSON-2 on Odoo 19+. */
	secretIsApiKey?: boolean;
	protocol: OdooProtocol;
	/** Per-request timeout; default 60 s. */
	timeoutMs?: number;
	/** Retries of transient failures (connection reset, 502/503/504, concurrent update); default 3. */
	maxRetries?: number;
	/** Base delay of the exponential backoff, ms; default 200. Tests set it low. */
	retryBaseMs?: number;
}

export interface OdooServerVersion {
	server_version: string;
	server_version_info: Array<number | string>;
	server_serie: string;
	protocol_version: number;
}

/** Odoo context keys the nodes expose; any other key passes through. */
export interface OdooContext {
	lang?: string;
	tz?: string;
	allowed_company_ids?: number[];
	active_test?: boolean;
	[key: string]: unknown;
}

/** A domain as Odoo takes it: prefix operators and [field, operator, value] leaves. */
export type DomainLeaf = [string, string, unknown];
export type DomainTerm = '&' | '|' | '!' | DomainLeaf;
export type OdooDomain = DomainTerm[];

/** Values as Odoo reads them: many2one is [id, display_name] or false, x2many an id list. */
export type OdooRecord = Record<string, unknown> & { id: number };

export interface SearchOptions {
	fields?: string[];
	order?: string;
	limit?: number;
	offset?: number;
	context?: OdooContext;
}

export interface OdooFieldInfo {
	type: string;
	string: string;
	required?: boolean;
	readonly?: boolean;
	relation?: string;
	selection?: Array<[string, string]>;
	help?: string;
	[key: string]: unknown;
}

/** Counts what went over the wire; the throughput tests and benchmarks read it. */
export interface WireStats {
	requests: number;
	logins: number;
}

/** One protocol: how to say `version`, `authenticate` and `execute_kw` to the server. */
export interface OdooTransport {
	readonly protocol: ResolvedProtocol;
	version(): Promise<OdooServerVersion>;
	/** Returns the uid, or false for a wrong login/password (Odoo does not raise for that). */
	authenticate(db: string, login: string, secret: string): Promise<number | false>;
	executeKw(
		db: string,
		uid: number,
		secret: string,
		model: string,
		method: string,
		args: unknown[],
		kwargs?: Record<string, unknown>,
	): Promise<unknown>;
	readonly stats: WireStats;
}

export interface CreateOptions {
	/** Rows per `create` call; default 200 (measured sweet spot on a real Odoo 18). */
	batchSize?: number;
	context?: OdooContext;
}

export interface MessagePostOptions {
	body: string;
	/** 'comment' notifies followers; 'note' is internal (subtype mail.mt_note). */
	kind: 'comment' | 'note';
	/** Keep HTML as is (Odoo escapes it otherwise). */
	isHtml?: boolean;
	attachmentIds?: number[];
	partnerIds?: number[];
	subject?: string;
	context?: OdooContext;
}

export interface AttachmentInput {
	name: string;
	/** base64 content */
	datas: string;
	mimetype?: string;
	resModel?: string;
	resId?: number;
}

/**
 * The high-level client. One instance per execution and credential: it authenticates once (lazily, on first use)
 * and reuses the uid for every item.
 */
export interface OdooClient {
	readonly config: Readonly<Omit<OdooConnectionConfig, 'secret'>>;
	/** Version of the server (one `version` call, cached for the client's life). */
	version(): Promise<OdooServerVersion>;
	/** Authenticates once; later calls return the cached uid. Throws OdooError kind 'auth' on a wrong login. */
	authenticate(): Promise<number>;
	/** The protocol in use after detection. */
	protocol(): Promise<ResolvedProtocol>;
	stats(): WireStats;

	execute<T = unknown>(model: string, method: string, args?: unknown[], kwargs?: Record<string, unknown>): Promise<T>;

	/** Creates all rows with ⌈n/batchSize⌉ `create` calls; returns ids in input order. Never retried blindly. */
	create(model: string, rows: Array<Record<string, unknown>>, options?: CreateOptions): Promise<number[]>;
	read(model: string, ids: number[], fields?: string[], context?: OdooContext): Promise<OdooRecord[]>;
	searchRead(model: string, domain: OdooDomain, options?: SearchOptions): Promise<OdooRecord[]>;
	/** Streams every matching record page by page (bounded memory per page); ordered by `order` then id. */
	searchReadPages(model: string, domain: OdooDomain, options?: SearchOptions & { pageSize?: number }): AsyncGenerator<OdooRecord[]>;
	search(model: string, domain: OdooDomain, options?: Omit<SearchOptions, 'fields'>): Promise<number[]>;
	searchCount(model: string, domain: OdooDomain, context?: OdooContext): Promise<number>;
	write(model: string, ids: number[], values: Record<string, unknown>, context?: OdooContext): Promise<boolean>;
	unlink(model: string, ids: number[], context?: OdooContext): Promise<boolean>;
	fieldsGet(model: string, attributes?: string[], context?: OdooContext): Promise<Record<string, OdooFieldInfo>>;
	/** [[id, display_name], ...] */
	nameSearch(model: string, name: string, options?: { domain?: OdooDomain; operator?: string; limit?: number; context?: OdooContext }): Promise<Array<[number, string]>>;
	/** Posts to a record's chatter; returns the mail.message id. */
	messagePost(model: string, id: number, options: MessagePostOptions): Promise<number>;
	createAttachment(input: AttachmentInput): Promise<number>;
}
