/**
 * Odoo failures sorted into the kinds a user can act on. The message is Odoo's own user-facing text (or ours when
 * Odoo's is a raw database error); the traceback goes to `debug`, never into the message.
 */
export type OdooErrorKind =
	| 'auth' // wrong login, password or API key
	| 'database' // the database does not exist / cannot be opened
	| 'access' // access rights or record rules, private methods
	| 'validation' // UserError, ValidationError, bad values
	| 'missing' // record does not exist (write/unlink)
	| 'unknown-model'
	| 'unknown-field'
	| 'unknown-method'
	| 'bad-domain'
	| 'network' // server unreachable, connection reset, timeout
	| 'server' // anything else the server raised
	| 'concurrency'; // concurrent update (serialization failure): safe to retry

export interface OdooErrorDetails {
	kind: OdooErrorKind;
	message: string;
	/** Python exception class as Odoo names it, e.g. odoo.exceptions.AccessError */
	exceptionName?: string;
	/** Traceback or raw server text: for the error's description, not the message. */
	debug?: string;
	faultCode?: number;
	httpStatus?: number;
	model?: string;
	method?: string;
	/** The field the error is about, when it can be named. */
	field?: string;
	/** What the user can do about it. */
	hint?: string;
	/** A transient failure: the same request may succeed later. */
	retriable?: boolean;
}

export class OdooError extends Error {
	readonly kind: OdooErrorKind;
	readonly exceptionName?: string;
	readonly debug?: string;
	readonly faultCode?: number;
	readonly httpStatus?: number;
	readonly model?: string;
	readonly method?: string;
	readonly field?: string;
	readonly hint?: string;
	readonly retriable: boolean;

	constructor(details: OdooErrorDetails) {
		super(details.message);
		this.name = 'OdooError';
		this.kind = details.kind;
		this.exceptionName = details.exceptionName;
		this.debug = details.debug;
		this.faultCode = details.faultCode;
		this.httpStatus = details.httpStatus;
		this.model = details.model;
		this.method = details.method;
		this.field = details.field;
		this.hint = details.hint;
		this.retriable = details.retriable ?? false;
	}
}

export function isOdooError(error: unknown): error is OdooError {
	return error instanceof OdooError;
}
