import type { INodeParameters } from 'n8n-workflow';

import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeCredentialTestFunctions, fakeExecuteFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const API_KEY = 'b1f7c0de5ca1ab1e0ddba11feedfacecafe00001';
const node = new OdooOps();
// Odoo 19: the only version that serves JSON-2, and only to API keys.
const sandbox = useOdooSandbox({ version: 19, apiKeys: { [API_KEY]: 'admin' } });

const cases: Array<[string, Record<string, unknown>, string]> = [
	['xmlrpc', { protocol: 'xmlrpc' }, '/xmlrpc/2/object'],
	['jsonrpc', { protocol: 'jsonrpc' }, '/jsonrpc'],
	['json2', { protocol: 'json2', password: API_KEY, authWithKey: true }, '/json/2'],
	['auto with an API key on Odoo 19', { protocol: 'auto', password: API_KEY, authWithKey: true }, '/json/2'],
];

describe.each(cases)('Odoo Ops node over %s', (_name, credentialOverrides, endpoint) => {
	async function run(parameters: INodeParameters, items = 1, perItem?: (i: number) => INodeParameters) {
		const { context } = fakeExecuteFunctions({
			nodeType: node,
			parameters,
			perItem,
			items: Array.from({ length: items }, () => ({ json: {} })),
			credentials: credentialsFor(sandbox.get(), credentialOverrides as never),
		});
		return await runNode(node, context);
	}

	it('creates in one batch, reads back, posts to the chatter, all on the chosen protocol', async () => {
		const tag = `proto-${_name}-${Date.now()}`;
		sandbox.get().resetStats();
		const created = await run({ resource: 'record', operation: 'create', model: rl('res.partner', 'name'), fieldsInput: 'json' }, 3, (i) => ({
			fieldsJson: JSON.stringify({ name: `${tag} ${i}`, is_company: i === 0 }),
		}));
		expect(created.map((item) => typeof item.json.id)).toEqual(['number', 'number', 'number']);
		const found = await run({
			resource: 'record',
			operation: 'getMany',
			model: rl('res.partner', 'name'),
			filterType: 'raw',
			domain: `[('name', '=like', '${tag}%'), ('is_company', '=', True)]`,
			options: { fields: ['name', 'is_company'] },
		});
		expect(found.map((item) => item.json)).toEqual([{ id: created[0].json.id, name: `${tag} 0`, is_company: true }]);
		const [posted] = await run({ resource: 'message', operation: 'post', model: rl('res.partner', 'name'), recordId: rl(created[1].json.id as number), body: 'hello' });
		expect(posted.json.id).toEqual(expect.any(Number));
		const endpoints = Object.keys(sandbox.get().stats.byEndpoint);
		expect(endpoints.some((path) => path.startsWith(endpoint))).toBe(true);
	});

	it('passes the credential test', async () => {
		const result = await node.methods.credentialTest.odooOpsApiTest.call(fakeCredentialTestFunctions(), {
			id: '1',
			name: 'Odoo',
			type: 'odooOpsApi',
			data: credentialsFor(sandbox.get(), credentialOverrides as never),
		});
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/Odoo 19/);
	});
});
