/**
 * bench/odoo-bulk, node level: the Odoo Ops node's own time for a bulk create (and the get-many of the rows), without
 * n8n around it, so a change to the per-item path can be measured in seconds and profiled. The context is the tests'
 * fake, with one change to match n8n: getNode() deep-copies the node on every call, as n8n's does. Each repetition
 * starts from a fresh sandbox seed (its create slows down as rows pile up). Usage:
 *   npx tsx bench/odoo-bulk/node-harness.ts [n=10000] [autoMap|fields] [repetitions=3]
 *   node --cpu-prof --import tsx bench/odoo-bulk/node-harness.ts ...   (a CPU profile per run)
 */
import { deepCopy, type IExecuteFunctions, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import path from 'path';

import { getOdooClient } from '../../lib/n8n';
import { collectRows } from '../../nodes/OdooOps/v1/actions/record/create.operation';
import { createExecutionState } from '../../nodes/OdooOps/v1/helpers/types';
import { fakeExecuteFunctions, rl, runNode } from '../../test/helpers/n8nContext';
import { credentialsFor } from '../../test/helpers/odooSandbox';
import { startOdooSandbox, type OdooSandbox } from '../../test/sandboxes/odoo';

const [n, mode, repetitions] = [Number(process.argv[2] ?? 10000), process.argv[3] ?? 'autoMap', Number(process.argv[4] ?? 3)];

async function main() {
	// tsx resolves the extension-less module path to OdooOps.node.json, next to the .ts: name the file.
	const { OdooOps } = (await import(path.join(__dirname, '../../nodes/OdooOps/OdooOps.node.ts'))) as typeof import('../../nodes/OdooOps/OdooOps.node');
	const node = new OdooOps();
	const contextFor = (sandbox: OdooSandbox, parameters: INodeParameters, items: INodeExecutionData[]): IExecuteFunctions => {
		const { context } = fakeExecuteFunctions({ nodeType: node, parameters, items, credentials: credentialsFor(sandbox) });
		const fakeNode = context.getNode();
		(context as { getNode: () => unknown }).getNode = () => deepCopy(fakeNode);
		return context;
	};
	const sandbox = await startOdooSandbox({ loginCostMs: 0 });
	try {
		const items = Array.from({ length: n }, (_, index) => ({ json: { name: `harness ${index}` } }));
		const create: INodeParameters = {
			resource: 'record',
			operation: 'create',
			model: rl('res.partner', 'name'),
			...(mode === 'autoMap' ? { fieldsInput: 'autoMap' } : { fieldsInput: 'fields', fieldsToSet: { field: [{ name: 'name', value: 'constant' }] } }),
			options: { batchSize: 200 },
		};
		const getMany: INodeParameters = { resource: 'record', operation: 'getMany', model: rl('res.partner', 'name'), filterType: 'raw', domain: '[["name", "=like", "harness %"]]', returnAll: true, options: { fields: ['name'], pageSize: 1000 } };
		for (let repetition = 0; repetition < repetitions; repetition++) {
			sandbox.resetData();
			const prepared = contextFor(sandbox, create, items);
			const state = createExecutionState(await getOdooClient(prepared), items);
			await state.fields('res.partner');
			let started = performance.now();
			const groups = await collectRows(prepared, state, new Array(n));
			const collectMs = performance.now() - started;
			started = performance.now();
			const created = await runNode(node, contextFor(sandbox, create, items));
			const createMs = performance.now() - started;
			started = performance.now();
			const read = await runNode(node, contextFor(sandbox, getMany, [{ json: {} }]));
			const readMs = performance.now() - started;
			console.log(`collectRows ${collectMs.toFixed(0)} ms (${groups[0]?.rows.length ?? 0} rows); node create ${createMs.toFixed(0)} ms (${created.length}); get many ${readMs.toFixed(0)} ms (${read.length})`);
		}
	} finally {
		await sandbox.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
