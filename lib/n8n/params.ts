import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import type { OdooContext } from '../odoo/types';

type JsonShape = 'object' | 'array';

const EXAMPLES: Record<JsonShape, string> = {
	object: '{"lang": "en_US"}',
	array: '[1, "text", [2, 3]]',
};

/**
 * Parses a JSON parameter. n8n hands us either text or, when an expression produced one, the value itself.
 * A mistake names the parameter by its label and shows the shape expected, because that is what the user sees.
 */
export function parseJsonParameter<T = unknown>(
	node: INode,
	label: string,
	value: unknown,
	shape: JsonShape,
	itemIndex?: number,
	/** What a good value looks like for this parameter; default a generic one for the shape. */
	example: string = EXAMPLES[shape],
): T {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return (shape === 'array' ? [] : {}) as T;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(node, `Invalid JSON in '${label}'`, {
				description: `${(error as Error).message}. Expected a JSON ${shape}, for example ${example}.`,
				itemIndex,
			});
		}
	}
	if (parsed === undefined || parsed === null) return (shape === 'array' ? [] : {}) as T;
	const isArray = Array.isArray(parsed);
	if ((shape === 'array') !== isArray || typeof parsed !== 'object') {
		throw new NodeOperationError(node, `'${label}' must be a JSON ${shape}`, {
			description: `Got ${isArray ? 'an array' : typeof parsed}. Example: ${example}.`,
			itemIndex,
		});
	}
	return parsed as T;
}

/** Accepts `5`, `"5"`, `"1, 2,3"`, `[1, 2]` or `"[1,2]"`: the forms ids arrive in from expressions and typing. */
export function parseIdList(node: INode, label: string, value: unknown, itemIndex?: number): number[] {
	let list: unknown[];
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'number') list = [value];
	else if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return [];
		list = text.startsWith('[') ? parseJsonParameter<unknown[]>(node, label, text, 'array', itemIndex) : text.split(',');
	} else if (value === undefined || value === null) return [];
	else list = [value];
	return list.map((entry) => {
		const id = typeof entry === 'number' ? entry : Number(String(entry).trim());
		if (!Number.isInteger(id) || id <= 0) {
			throw new NodeOperationError(node, `'${label}' must be record IDs (positive whole numbers)`, {
				description: `'${String(entry)}' is not a record ID. Give IDs separated by commas, e.g. 7, 12, 31.`,
				itemIndex,
			});
		}
		return id;
	});
}

/** A single record ID from a resource locator (list mode gives a number or text, ID mode text). */
export function parseRecordId(node: INode, label: string, value: unknown, itemIndex?: number): number {
	const ids = parseIdList(node, label, value, itemIndex);
	if (ids.length !== 1) {
		throw new NodeOperationError(node, `'${label}' must be one record ID`, {
			description: ids.length === 0 ? 'It is empty: pick a record from the list or enter its ID.' : `Got ${ids.length} IDs.`,
			itemIndex,
		});
	}
	return ids[0];
}

export interface ContextOptions {
	lang?: string;
	tz?: string;
	companyIds?: string;
	activeTest?: boolean;
	extraContext?: unknown;
}

/** Builds the Odoo context from the node's "Context" options; undefined when nothing was set. */
export function buildContext(node: INode, options: ContextOptions, itemIndex?: number): OdooContext | undefined {
	const context: OdooContext = {};
	if (options.extraContext !== undefined && options.extraContext !== '') {
		Object.assign(context, parseJsonParameter<Record<string, unknown>>(node, 'Additional Context', options.extraContext, 'object', itemIndex));
	}
	if (options.lang) context.lang = options.lang;
	if (options.tz) context.tz = options.tz;
	if (options.companyIds !== undefined && options.companyIds !== '') {
		context.allowed_company_ids = parseIdList(node, 'Company IDs', options.companyIds, itemIndex);
	}
	if (options.activeTest !== undefined) context.active_test = options.activeTest;
	return Object.keys(context).length > 0 ? context : undefined;
}

/** Field names from a multi-select or a comma-separated text. */
export function parseFieldList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter(Boolean);
	if (typeof value === 'string') return value.split(',').map((entry) => entry.trim()).filter(Boolean);
	return [];
}

/** Per execution context: which parameters hold an expression, and the value of those that do not. */
interface ParameterCache {
	constant: Map<string, boolean>;
	values: Map<string, unknown>;
}
const caches = new WeakMap<object, ParameterCache>();

function cacheOf(context: IExecuteFunctions): ParameterCache {
	let cache = caches.get(context);
	if (!cache) caches.set(context, (cache = { constant: new Map(), values: new Map() }));
	return cache;
}

/**
 * True when `name` holds no expression, so every item gets the same value and what is derived from it (a parsed
 * context, a set of names) can be computed once per execution instead of once per item.
 */
export function isConstantParameter(context: IExecuteFunctions, name: string): boolean {
	const { constant } = cacheOf(context);
	let plain = constant.get(name);
	if (plain === undefined) {
		// Looked at once per execution: n8n's getNode() deep-copies the whole node on every call, which per item was
		// the largest cost of a bulk create after the expressions themselves. The parameters cannot change mid-run.
		const raw = name.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), context.getNode().parameters);
		plain = raw === undefined || !JSON.stringify(raw).includes('"=');
		constant.set(name, plain);
	}
	return plain;
}

/**
 * A parameter read once per execution when the user typed a plain value (no expression anywhere in it), and per
 * item otherwise. n8n resolves every getNodeParameter call through its expression machinery, which dominates a bulk
 * create of thousands of items when the model, mode and options are read for every one of them. The cache lives on
 * the execution's own context object, so nothing outlives the execution.
 */
export function itemParameter<T>(context: IExecuteFunctions, name: string, itemIndex: number, fallback: T, options?: { extractValue?: boolean }): T {
	if (!isConstantParameter(context, name)) return context.getNodeParameter(name, itemIndex, fallback, options) as T;
	const { values } = cacheOf(context);
	const key = options?.extractValue ? `${name}\u0000extract` : name;
	// A failed read is not kept: the next item raises it again, under its own index.
	if (!values.has(key)) values.set(key, context.getNodeParameter(name, itemIndex, fallback, options));
	return values.get(key) as T;
}
