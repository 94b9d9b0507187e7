import { andDomains, buildDomain, parseDomain } from '../../../lib/odoo';
import { OdooError } from '../../../lib/odoo/errors';

describe('parseDomain', () => {
	it('reads JSON', () => {
		expect(parseDomain('[["name","ilike","acme"],["active","=",true]]')).toEqual([
			['name', 'ilike', 'acme'],
			['active', '=', true],
		]);
	});

	it("reads Odoo's Python syntax with tuples, quotes and True/False/None", () => {
		expect(parseDomain(`['|', ('email', '=like', '%@example.com'), ("is_company", '=', True), ('parent_id', '=', None), ('x', 'in', [1, 2.5, -3])]`)).toEqual([
			'|',
			['email', '=like', '%@example.com'],
			['is_company', '=', true],
			['parent_id', '=', null],
			['x', 'in', [1, 2.5, -3]],
		]);
	});

	it('treats an empty text as the empty domain', () => {
		expect(parseDomain('  ')).toEqual([]);
	});

	it.each([
		["[('name', 'ilike')]", /Condition 1 has 2 parts/],
		["[('name', 'frobnicate', 'x')]", /unknown operator 'frobnicate'/],
		["['|', ('a', '=', 1)]", /incomplete/],
		["[('name', '=', 'x'", /cannot be read/],
		['{"name": "x"}', /must be a list/],
		["[('name', '=', 'x')] trailing", /after the end/],
	])('rejects %s with a message naming the problem', (text, message) => {
		let caught: unknown;
		try {
			parseDomain(text);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(OdooError);
		expect((caught as OdooError).kind).toBe('bad-domain');
		expect((caught as OdooError).message).toMatch(message);
	});
});

describe('buildDomain and andDomains', () => {
	const rows = [
		{ field: 'name', operator: 'ilike', value: 'a' },
		{ field: 'city', operator: '=', value: 'Paris' },
		{ field: 'active', operator: '=', value: true },
	];

	it('ANDs rows implicitly and ORs them with prefix operators', () => {
		expect(buildDomain(rows, 'and')).toEqual(rows.map((row) => [row.field, row.operator, row.value]));
		expect(buildDomain(rows, 'or')).toEqual(['|', '|', ...rows.map((row) => [row.field, row.operator, row.value])]);
	});

	it('keeps each domain one term when combining', () => {
		const combined = andDomains([['id', '>', 5]], ['|', ['a', '=', 1], ['b', '=', 2], ['c', '=', 3]]);
		// (id > 5) AND ((a OR b) AND c)
		expect(combined).toEqual(['&', ['id', '>', 5], '&', '|', ['a', '=', 1], ['b', '=', 2], ['c', '=', 3]]);
	});

	it('names the empty condition', () => {
		expect(() => buildDomain([{ field: '', operator: '=', value: 1 }], 'and')).toThrow(/Condition 1 has no field/);
	});
});
