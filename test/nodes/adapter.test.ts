import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import {
	buildContext,
	coerceValues,
	credentialsToConfig,
	parseIdList,
	parseJsonParameter,
	runPerItem,
	toNodeError,
} from '../../lib/n8n';
import { OdooError } from '../../lib/odoo/errors';
import type { OdooFieldInfo } from '../../lib/odoo/types';
import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions } from '../helpers/n8nContext';

const node: INode = { id: '1', name: 'Odoo Ops', type: 'n8n-nodes-odoo-ops.odooOps', typeVersion: 1, position: [0, 0], parameters: {} };

describe('lib/n8n adapter', () => {
	it("maps a server error to NodeApiError: Odoo's message as message, field, fix and traceback in the description", () => {
		const error = toNodeError(
			node,
			new OdooError({
				kind: 'validation',
				message: "Required field 'description' is missing",
				exceptionName: 'odoo.exceptions.ValidationError',
				debug: 'Traceback (most recent call last):\n  File "x.py"',
				field: 'description',
				model: 'helpdesk.ticket',
				method: 'create',
				hint: "Set a value for 'description'",
			}),
			3,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe("Required field 'description' is missing");
		expect(error.description).toBe(
			"Field: description\nModel: helpdesk.ticket, method: create\nFix: Set a value for 'description'\nOdoo exception: odoo.exceptions.ValidationError\nOdoo traceback:\nTraceback (most recent call last):\n  File \"x.py\"",
		);
		expect(error.context.itemIndex).toBe(3);
	});

	it('maps an input error found before any request to NodeOperationError, and passes n8n errors through', () => {
		const local = toNodeError(node, new OdooError({ kind: 'bad-domain', message: 'The domain must be a list of conditions' }));
		expect(local).toBeInstanceOf(NodeOperationError);
		const existing = new NodeOperationError(node, 'already shaped');
		expect(toNodeError(node, existing)).toBe(existing);
		const plain = toNodeError(node, new TypeError('boom'));
		expect(plain.message).toBe('boom');
	});

	it('names JSON parameters in parse errors and accepts values produced by expressions', () => {
		expect(() => parseJsonParameter(node, 'Keyword Arguments', '{limit: 1', 'object')).toThrow("Invalid JSON in 'Keyword Arguments'");
		expect(() => parseJsonParameter(node, 'Positional Arguments', '{"a": 1}', 'array')).toThrow("'Positional Arguments' must be a JSON array");
		expect(parseJsonParameter(node, 'Keyword Arguments', { limit: 1 }, 'object')).toEqual({ limit: 1 });
		expect(parseJsonParameter(node, 'Positional Arguments', '', 'array')).toEqual([]);
	});

	it('reads ID lists in the forms users type them', () => {
		expect(parseIdList(node, 'Record IDs', '7, 12,31')).toEqual([7, 12, 31]);
		expect(parseIdList(node, 'Record IDs', '[1, 2]')).toEqual([1, 2]);
		expect(parseIdList(node, 'Record IDs', 5)).toEqual([5]);
		expect(parseIdList(node, 'Record IDs', '')).toEqual([]);
		expect(() => parseIdList(node, 'Record IDs', '7, x')).toThrow("'Record IDs' must be record IDs (positive whole numbers)");
	});

	it('builds the Odoo context from the options', () => {
		expect(buildContext(node, {})).toBeUndefined();
		expect(buildContext(node, { lang: 'fr_FR', tz: 'Europe/Paris', companyIds: '2, 1', activeTest: false, extraContext: '{"tracking_disable": true}' })).toEqual({
			tracking_disable: true,
			lang: 'fr_FR',
			tz: 'Europe/Paris',
			allowed_company_ids: [2, 1],
			active_test: false,
		});
	});

	it('coerces typed text from field rows by field type and names the field on a mistake', () => {
		const fields: Record<string, OdooFieldInfo> = {
			name: { type: 'char', string: 'Name' },
			color: { type: 'integer', string: 'Color' },
			is_company: { type: 'boolean', string: 'Is a Company' },
			type: { type: 'selection', string: 'Type', selection: [['contact', 'Contact'], ['invoice', 'Invoice Address']] },
			parent_id: { type: 'many2one', string: 'Parent', relation: 'res.partner' },
			category_id: { type: 'many2many', string: 'Tags', relation: 'res.partner.category' },
			date: { type: 'datetime', string: 'Date' },
		};
		expect(
			coerceValues('res.partner', { name: 'A', color: '4', is_company: 'yes', type: 'Invoice Address', parent_id: '12', category_id: '3, VIP', date: '2026-11-28T10:00:00Z' }, fields, 'Fields to Set', true),
		).toEqual({ name: 'A', color: 4, is_company: true, type: 'invoice', parent_id: 12, category_id: [3, 'VIP'], date: '2026-11-28 10:00:00' });
		expect(() => coerceValues('res.partner', { color: 'red' }, fields, 'Fields to Set', true)).toThrow(
			"Field 'color' (integer) of model 'res.partner' expects a whole number, got 'red'",
		);
		expect(() => coerceValues('res.partner', { parent_id: { id: 1 } }, fields, 'Fields (JSON)', false)).toThrow(/parent_id.*res\.partner/);
		expect(() => coerceValues('res.partner', { nme: 'x' }, fields, 'Fields to Set', true)).toThrow("Field 'nme' does not exist on model 'res.partner'");
	});

	it('turns credentials into a connection config, naming missing fields', () => {
		expect(credentialsToConfig({ url: ' http://odoo:8069/ ', db: 'prod', login: 'ops', password: ' secret ', authWithKey: true, protocol: 'json2' })).toEqual({
			url: 'http://odoo:8069',
			db: 'prod',
			login: 'ops',
			secret: ' secret ',
			secretIsApiKey: true,
			protocol: 'json2',
		});
		expect(() => credentialsToConfig({ url: 'http://x', db: '', login: 'a', password: 'b' })).toThrow("missing 'Database'");
	});

	it('runPerItem pairs outputs with inputs and turns failures into error items only with continueOnFail', async () => {
		const items = [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }];
		const work = async (index: number) => {
			if (index === 1) throw new OdooError({ kind: 'validation', message: 'bad item' });
			return [{ json: { ok: index } }, { json: { again: index } }];
		};
		const lenient = fakeExecuteFunctions({ nodeType: new OdooOps(), parameters: {}, items, continueOnFail: true }).context;
		expect(await runPerItem(lenient, items, work)).toEqual([
			{ json: { ok: 0 }, pairedItem: { item: 0 } },
			{ json: { again: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'bad item' }, pairedItem: { item: 1 } },
			{ json: { ok: 2 }, pairedItem: { item: 2 } },
			{ json: { again: 2 }, pairedItem: { item: 2 } },
		]);
		const strict = fakeExecuteFunctions({ nodeType: new OdooOps(), parameters: {}, items }).context;
		await expect(runPerItem(strict, items, work)).rejects.toBeInstanceOf(NodeOperationError);
	});
});
