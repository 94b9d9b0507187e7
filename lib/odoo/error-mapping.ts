import { OdooError, type OdooErrorKind } from './errors';

/**
 * Turns what Odoo said (an XML-RPC fault, a JSON-RPC error.data, a JSON-2 error body, a socket error) into an
 * OdooError whose message a user can act on. Odoo puts a traceback in XML-RPC faultStrings for most exception kinds;
 * the last "module.Class: message" block of it is the part to show.
 */

const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Denied|Warning|Representation|Violation|Failure|Interrupt|Exit|Missing)[\w]*): ?(.*)$/;

/** Splits a Python traceback into the exception class and its message (which may span several lines). */
export function parseTraceback(text: string): { exceptionName?: string; message: string } {
	const lines = text.replace(/\s+$/, '').split('\n');
	for (let index = lines.length - 1; index >= 0; index--) {
		const match = EXCEPTION_LINE.exec(lines[index]);
		if (match && !lines[index].startsWith(' ')) {
			const message = [match[2], ...lines.slice(index + 1)].join('\n').trim();
			return { exceptionName: match[1], message };
		}
	}
	return { message: text.trim() };
}

const KIND_BY_EXCEPTION: Array<[RegExp, OdooErrorKind]> = [
	[/AccessDenied$/, 'auth'],
	[/AccessError$/, 'access'],
	[/MissingError$/, 'missing'],
	[/(UserError|ValidationError|RedirectWarning|Warning)$/, 'validation'],
	[/SerializationFailure$|TransactionRollbackError$|concurrent update/i, 'concurrency'],
	[/OperationalError$/, 'server'],
	[/psycopg2\.errors\./, 'validation'],
	[/AttributeError$/, 'unknown-method'],
];

/** Classifies by exception class and message; the message patterns are Odoo's own wording (see the transcripts). */
export function classify(
	exceptionName: string | undefined,
	message: string,
): Pick<OdooError, 'kind' | 'field' | 'hint'> & { message: string; retriable?: boolean } {
	const name = exceptionName ?? '';
	let match: RegExpExecArray | null;

	if ((match = /^Object (\S+) doesn't exist/.exec(message))) {
		return { kind: 'unknown-model', message: `Model '${match[1]}' does not exist on this Odoo server`, hint: 'Check the model name (technical name, e.g. res.partner) and that its app is installed' };
	}
	if ((match = /Invalid field '([^']+)' on model '([^']+)'/.exec(message)) || (match = /Invalid field ['"]?([\w.]+)['"]? in leaf/.exec(message))) {
		return { kind: 'unknown-field', field: match[1], message: `Field '${match[1]}' does not exist on model '${match[2] ?? ''}'`.replace(" on model ''", ''), hint: 'Pick the field from the list or check its technical name with Model → Get Fields' };
	}
	if ((match = /Wrong value for ([\w.]+)\.(\w+): (.*)/.exec(message))) {
		return { kind: 'validation', field: match[2], message: `Wrong value ${match[3]} for field '${match[2]}' of ${match[1]}`, hint: 'Use one of the selection values listed by Model → Get Fields' };
	}
	if (/a mandatory field is not set/.test(message)) {
		const field = /Field: .*\((\w+)\)/.exec(message)?.[1];
		return { kind: 'validation', field, message: field ? `Required field '${field}' is missing` : message, hint: field ? `Set a value for '${field}'` : undefined };
	}
	if (/database "[^"]+" does not exist/.test(message)) {
		const db = /database "([^"]+)"/.exec(message)?.[1];
		return { kind: 'database', message: `Database '${db}' does not exist on this Odoo server`, hint: 'Check the Database field of the credential (Odoo lists its databases at /web/database/selector)' };
	}
	if (/not enough values to unpack|too many values to unpack|Invalid leaf|Invalid domain|unknown operator/i.test(message)) {
		return { kind: 'bad-domain', message: `Invalid domain: ${message}`, hint: "Write the domain as a list of [field, operator, value] leaves with '&', '|', '!' prefix operators" };
	}
	if ((match = /The method '([^']+)' does not exist/.exec(message))) {
		return { kind: 'unknown-method', message: `Method '${match[1]}' does not exist`, hint: 'Check the method name; private methods (starting with _) cannot be called remotely' };
	}
	if (/^Record does not exist or has been deleted/.test(message)) {
		return { kind: 'missing', message, hint: 'The record was deleted or never existed: check the record id' };
	}
	if (/could not serialize access due to concurrent update/.test(message)) {
		return { kind: 'concurrency', message: 'Odoo reported a concurrent update of the same records; the request was rolled back', retriable: true };
	}
	if (name === 'odoo.exceptions.AccessDenied' || message === 'Access Denied') {
		return { kind: 'auth', message: 'Access denied: wrong login or password/API key', hint: 'Check the login and password or API key of the credential' };
	}
	for (const [pattern, kind] of KIND_BY_EXCEPTION) {
		if (pattern.test(name)) return { kind, message, retriable: kind === 'concurrency' };
	}
	return { kind: 'server', message };
}

export interface CallSite {
	model?: string;
	method?: string;
}

export function fromXmlRpcFault(faultCode: number, faultString: string, site: CallSite = {}): OdooError {
	const parsed = parseTraceback(faultString);
	// Fault codes 2-4 carry the bare message (no traceback) and imply the class: see the transcripts' README.
	const impliedName = parsed.exceptionName ?? { 2: 'odoo.exceptions.UserError', 3: 'odoo.exceptions.AccessDenied', 4: 'odoo.exceptions.AccessError' }[faultCode];
	const classified = classify(impliedName, parsed.message);
	return new OdooError({ ...classified, exceptionName: impliedName, faultCode, debug: faultString, ...site });
}

export interface JsonRpcErrorData {
	name?: string;
	message?: string;
	debug?: string;
	arguments?: unknown[];
}

export function fromJsonRpcError(error: { code?: number; message?: string; data?: JsonRpcErrorData }, site: CallSite = {}): OdooError {
	const data = error.data ?? {};
	const message = (data.message ?? error.message ?? 'Odoo Server Error').trim();
	const classified = classify(data.name, message);
	return new OdooError({ ...classified, exceptionName: data.name, debug: data.debug, ...site });
}

export function fromJson2Error(status: number, body: JsonRpcErrorData | undefined, site: CallSite = {}): OdooError {
	if (status === 401) {
		return new OdooError({ kind: 'auth', httpStatus: status, message: 'The API key was refused (HTTP 401)', hint: 'Check the API key of the credential and that it has not expired', exceptionName: body?.name, debug: body?.debug, ...site });
	}
	const message = (body?.message ?? `HTTP ${status}`).trim();
	const classified = classify(body?.name, message);
	const kind = status === 404 && classified.kind === 'server' ? (site.method ? 'unknown-method' : 'unknown-model') : classified.kind;
	return new OdooError({ ...classified, kind, httpStatus: status, exceptionName: body?.name, debug: body?.debug, ...site, retriable: classified.retriable || [502, 503, 504].includes(status) });
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ABORT_ERR', 'UND_ERR_HEADERS_TIMEOUT']);

/** The socket-level code of a failed request (fetch nests it under `cause`). */
export function networkCode(error: any): string | undefined {
	const candidates = [error?.code, error?.cause?.code, error?.cause?.cause?.code, error?.name === 'TimeoutError' ? 'ETIMEDOUT' : undefined];
	return candidates.find((code) => typeof code === 'string' && NETWORK_CODES.has(code));
}

export function fromNetworkError(error: any, url: string, site: CallSite = {}): OdooError {
	const code = networkCode(error) ?? error?.cause?.message ?? error?.message ?? 'network error';
	const reason = code === 'ETIMEDOUT' || code === 'ABORT_ERR' ? 'did not answer in time' : `cannot be reached (${code})`;
	return new OdooError({
		kind: 'network',
		message: `The Odoo server at ${url} ${reason}`,
		hint: 'Check the URL of the credential and that the server is running and reachable from n8n',
		debug: String(error?.stack ?? error),
		retriable: true,
		...site,
	});
}

export function fromHttpStatus(status: number, url: string, bodyText: string, site: CallSite = {}): OdooError {
	const transient = [502, 503, 504].includes(status);
	return new OdooError({
		kind: status === 404 ? 'server' : transient ? 'network' : 'server',
		httpStatus: status,
		message:
			status === 404
				? `The Odoo server at ${url} answered 404: this URL does not serve Odoo's external API`
				: `The Odoo server at ${url} answered HTTP ${status}`,
		hint: status === 404 ? 'Check the URL of the credential (the base URL, without /web or /odoo)' : undefined,
		debug: bodyText.slice(0, 2000),
		retriable: transient,
		...site,
	});
}
