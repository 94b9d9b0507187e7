import {
	NodeApiError,
	NodeOperationError,
	type Failure,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { OdooError, type OdooErrorKind } from '../odoo/errors';

export type NodeFailure = NodeApiError | NodeOperationError;

function isOdooLike(error: unknown): error is OdooError {
	return error instanceof OdooError || (error instanceof Error && error.name === 'OdooError' && 'kind' in error);
}

/** What the error says about the cause, so n8n can tell "fix the credential" from "try later". */
function failureOf(kind: OdooErrorKind): Failure | undefined {
	switch (kind) {
		case 'auth':
		case 'database':
			return { cause: 'credential-invalid' };
		case 'network':
		case 'concurrency':
			return { cause: 'temporarily-unavailable' };
		case 'unknown-model':
		case 'unknown-field':
		case 'unknown-method':
		case 'bad-domain':
		case 'access':
			return { cause: 'configuration-invalid' };
		default:
			return undefined;
	}
}

/** Odoo's message stays the message; everything a user needs to act on goes to the description, traceback last. */
export function describeOdooError(error: OdooError): string {
	const parts: string[] = [];
	if (error.field) parts.push(`Field: ${error.field}`);
	if (error.model) parts.push(`Model: ${error.model}${error.method ? `, method: ${error.method}` : ''}`);
	if (error.hint) parts.push(`Fix: ${error.hint}`);
	if (error.exceptionName) parts.push(`Odoo exception: ${error.exceptionName}`);
	if (error.debug) parts.push(`${error.exceptionName ? 'Odoo traceback' : 'Details'}:\n${error.debug}`);
	return parts.join('\n');
}

const LOCAL = Symbol('odoo-ops.local-error');

/** Marks an error found in the node's input, before any request, for a kind that is otherwise the server's. */
export function inputError<T extends OdooError>(error: T): T {
	return Object.assign(error, { [LOCAL]: true });
}

/** Errors we raise before talking to Odoo carry no trace of a server answer. */
function cameFromServer(error: OdooError): boolean {
	if ((error as { [LOCAL]?: boolean })[LOCAL]) return false;
	return (
		error.kind === 'network' ||
		error.kind === 'auth' ||
		error.kind === 'database' ||
		error.exceptionName !== undefined ||
		error.faultCode !== undefined ||
		error.httpStatus !== undefined ||
		error.debug !== undefined
	);
}

/**
 * The one place an error becomes what n8n shows. Errors already shaped for n8n pass through; Odoo failures become
 * NodeApiError (the server said no) or NodeOperationError (our input checks said no); anything else keeps its
 * message and never its stack as the message.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeFailure {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (isOdooLike(error)) {
		const description = describeOdooError(error) || undefined;
		const failure = failureOf(error.kind);
		if (!cameFromServer(error)) {
			return new NodeOperationError(node, error.message, { description, itemIndex, failure });
		}
		const response: JsonObject = {
			message: error.message,
			kind: error.kind,
			...(error.exceptionName ? { exceptionName: error.exceptionName } : {}),
			...(error.field ? { field: error.field } : {}),
			...(error.model ? { model: error.model } : {}),
			...(error.method ? { method: error.method } : {}),
		};
		return new NodeApiError(node, response, {
			message: error.message,
			description,
			httpCode: error.httpStatus !== undefined ? String(error.httpStatus) : undefined,
			itemIndex,
			failure,
		});
	}
	if (error instanceof Error) {
		// lib's input errors (inventory, alerts) carry their fix apart from the message: show it as the description.
		const hint = (error as { hint?: unknown }).hint;
		if (typeof hint === 'string' && hint) {
			// The message may already end with the fix (lib errors read well alone); say it once, as the description.
			const message = error.message.endsWith(hint) ? error.message.slice(0, -hint.length).replace(/[\s.:;,]+$/, '') : error.message;
			return new NodeOperationError(node, message, { itemIndex, description: hint });
		}
		return new NodeOperationError(node, error, { itemIndex });
	}
	return new NodeOperationError(node, String(error), { itemIndex });
}
