import { OdooError } from './errors';
import type { DomainLeaf, OdooDomain } from './types';

export const DOMAIN_OPERATORS = [
	'=', '!=', '<>', '<', '>', '<=', '>=', '=?', 'in', 'not in', 'like', 'not like', 'ilike', 'not ilike', '=like', '=ilike', 'child_of', 'parent_of', 'any', 'not any',
] as const;
const OPERATORS = new Set<string>(DOMAIN_OPERATORS);

const badDomain = (message: string, hint?: string) =>
	new OdooError({ kind: 'bad-domain', message, hint: hint ?? "A domain is a list like [('state', '=', 'open'), '|', ('a', '=', 1), ('b', '=', 2)] or the same in JSON" });

/**
 * Reads a domain written as JSON or in Odoo's own (Python) list syntax, as users copy it from Odoo's developer
 * tools: single quotes, tuples, True/False/None. Checks its structure so a mistake is named here, not as a
 * traceback from the server.
 */
export function parseDomain(text: string): OdooDomain {
	const source = text.trim();
	if (source === '') return [];
	let value: unknown;
	try {
		value = JSON.parse(source);
	} catch {
		value = new PythonLiteralReader(source).readDocument();
	}
	return validateDomain(value);
}

export function validateDomain(value: unknown): OdooDomain {
	if (!Array.isArray(value)) throw badDomain('The domain must be a list of conditions');
	let open = 0;
	value.forEach((term, index) => {
		if (open === 0) open = 1;
		if (term === '&' || term === '|') open += 1;
		else if (term === '!') open += 0;
		else if (Array.isArray(term)) {
			if (term.length !== 3) throw badDomain(`Condition ${index + 1} has ${term.length} parts; each condition needs exactly three: [field, operator, value]`);
			const [field, operator] = term;
			if (typeof field !== 'string' || field === '') throw badDomain(`Condition ${index + 1} must start with a field name`);
			if (typeof operator !== 'string' || !OPERATORS.has(operator.toLowerCase())) {
				throw badDomain(`Condition ${index + 1} uses the unknown operator '${String(operator)}'`, `Use one of: ${DOMAIN_OPERATORS.join(', ')}`);
			}
			open -= 1;
		} else if (term === true || term === false || (typeof term === 'number' && (term === 1 || term === 0))) {
			// Odoo's TRUE_LEAF/FALSE_LEAF shorthand (1,'=',1) sometimes appears as a bare boolean in exported domains.
			open -= 1;
		} else {
			throw badDomain(`Term ${index + 1} is neither a condition [field, operator, value] nor one of '&', '|', '!'`);
		}
	});
	if (open !== 0) throw badDomain(`The domain is incomplete: an operator ('&', '|' or '!') is missing ${open} condition(s)`);
	return value as OdooDomain;
}

export interface DomainRow {
	field: string;
	operator: string;
	value: unknown;
}

/** Domain-builder rows (AND or OR of all rows) into a prefix-notation domain. */
export function buildDomain(rows: DomainRow[], combinator: 'and' | 'or'): OdooDomain {
	const leaves: DomainLeaf[] = rows.map((row, index) => {
		if (!row.field) throw badDomain(`Condition ${index + 1} has no field`, 'Pick a field for every condition or remove the empty one');
		if (!OPERATORS.has(row.operator)) throw badDomain(`Condition ${index + 1} uses the unknown operator '${row.operator}'`);
		return [row.field, row.operator, row.value];
	});
	if (combinator === 'and' || leaves.length < 2) return leaves;
	return [...Array(leaves.length - 1).fill('|'), ...leaves];
}

/** AND of several domains, each kept as one term. */
export function andDomains(...domains: OdooDomain[]): OdooDomain {
	const parts = domains.filter((domain) => domain.length > 0).map(asSingleTerm);
	if (parts.length === 0) return [];
	return [...Array(parts.length - 1).fill('&'), ...parts.flat()] as OdooDomain;
}

function asSingleTerm(domain: OdooDomain): OdooDomain {
	let terms = 0;
	let open = 0;
	for (const term of domain) {
		if (open === 0) {
			terms++;
			open = 1;
		}
		open += (term === '&' || term === '|' ? 2 : term === '!' ? 1 : 0) - 1;
	}
	return [...Array(Math.max(0, terms - 1)).fill('&'), ...domain] as OdooDomain;
}

/** A small reader for Python literals (lists, tuples, strings, numbers, True/False/None). No evaluation. */
class PythonLiteralReader {
	private position = 0;
	constructor(private readonly text: string) {}

	readDocument(): unknown {
		const value = this.readValue();
		this.skipSpace();
		if (this.position < this.text.length) throw this.error('unexpected text after the end of the list');
		return value;
	}

	private error(what: string) {
		return badDomain(`The domain cannot be read at character ${this.position + 1}: ${what}`);
	}

	private skipSpace() {
		while (/\s/.test(this.text[this.position] ?? '')) this.position++;
	}

	private readValue(): unknown {
		this.skipSpace();
		const char = this.text[this.position];
		if (char === '[' || char === '(') return this.readSequence(char === '[' ? ']' : ')');
		if (char === "'" || char === '"') return this.readString(char);
		const rest = this.text.slice(this.position);
		const word = /^(True|False|None|true|false|null)\b/.exec(rest);
		if (word) {
			this.position += word[1].length;
			return { True: true, true: true, False: false, false: false, None: null, null: null }[word[1]];
		}
		const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(rest);
		if (number) {
			this.position += number[0].length;
			return Number(number[0]);
		}
		throw this.error(char === undefined ? 'the text ends too early' : `unexpected '${char}'`);
	}

	private readSequence(close: string): unknown[] {
		this.position++;
		const items: unknown[] = [];
		for (;;) {
			this.skipSpace();
			if (this.text[this.position] === close) {
				this.position++;
				return items;
			}
			items.push(this.readValue());
			this.skipSpace();
			const next = this.text[this.position];
			if (next === ',') this.position++;
			else if (next !== close) throw this.error(`expected ',' or '${close}'`);
		}
	}

	private readString(quote: string): string {
		let result = '';
		this.position++;
		for (;;) {
			const char = this.text[this.position++];
			if (char === undefined) throw this.error('a string is not closed');
			if (char === quote) return result;
			if (char === '\\') {
				const escaped = this.text[this.position++];
				result += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escaped] ?? escaped;
			} else result += char;
		}
	}
}
