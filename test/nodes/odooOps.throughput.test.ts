import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new OdooOps();
const sandbox = useOdooSandbox();

describe('Odoo Ops node: request count', () => {
	const scenario = async (protocol: string, batchSize: number) => {
		const tag = `bulk-${protocol}-${Date.now()}`;
		const { context, log } = fakeExecuteFunctions({
			nodeType: node,
			parameters: { resource: 'record', operation: 'create', model: rl('res.partner', 'name'), options: { batchSize } },
			perItem: (i) => ({ fieldsToSet: { field: [{ name: 'name', value: `${tag} ${i}` }, { name: 'ref', value: `${tag}-${i}` }] } }),
			items: Array.from({ length: 1000 }, (_, index) => ({ json: { index } })),
			credentials: credentialsFor(sandbox.get(), { protocol }),
		});
		sandbox.get().resetStats();

		const output = await runNode(node, context);

		const stats = sandbox.get().stats;
		expect(output).toHaveLength(1000);
		expect(output.every((item, index) => (item.pairedItem as { item: number }).item === index && typeof item.json.id === 'number')).toBe(true);
		expect(stats.logins).toBe(1);
		expect(stats.requests).toBeLessThanOrEqual(Math.ceil(1000 / batchSize) + 2);
		expect(log.getCredentialsCalls).toBe(1);
		const created = sandbox.get().records('res.partner').filter((row) => typeof row.ref === 'string' && row.ref.startsWith(`${tag}-`));
		expect(created).toHaveLength(1000);
	};

	it.each([
		['jsonrpc', 200],
		['xmlrpc', 250],
	])('creates 1,000 records over %s (batch %i) with at most ⌈1000/batch⌉ + 2 requests and one login', scenario);

	// Auto mode with a password goes straight to JSON-RPC, so it stays within the same bound.
	it('creates 1,000 records over auto (batch 200) within the same bound', async () => await scenario('auto', 200));
});
