import { MissingCredentialsError, planInstall, type ExistingWorkflow, type WorkflowJson } from '../../../lib/installer';

const shipped: WorkflowJson[] = [
	{
		id: 'shipped-child',
		name: 'Child',
		nodes: [{ name: 'Start', type: 'n8n-nodes-base.executeWorkflowTrigger', parameters: {}, position: [0, 0] }],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
	{
		id: 'shipped-parent',
		name: 'Parent',
		nodes: [
			{ name: 'Odoo', type: 'n8n-nodes-odoo-ops.odooOps', parameters: { resource: 'record' }, credentials: { odooOpsApi: { id: 'shipped-cred', name: 'Odoo Ops' } }, position: [0, 0] },
			{ name: 'Call child', type: 'n8n-nodes-base.executeWorkflow', parameters: { workflowId: { __rl: true, value: 'shipped-child', mode: 'list' } }, position: [200, 0] },
		],
		connections: { Odoo: { main: [[{ node: 'Call child', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', errorWorkflow: 'shipped-child', somethingTheApiRejects: true },
	},
];
const credentials = [{ id: 'c-42', name: 'Odoo Ops', type: 'odooOpsApi' }];

describe('planInstall', () => {
	it('creates what is missing, with credentials and references mapped to this n8n', () => {
		const actions = planInstall(shipped, [], credentials, { 'shipped-child': 'n-7' });
		expect(actions.map((action) => action.action)).toEqual(['create', 'create']);
		const parent = actions[1];
		if (parent.action !== 'create') throw new Error('expected create');
		expect(parent.body.nodes[0].credentials).toEqual({ odooOpsApi: { id: 'c-42', name: 'Odoo Ops' } });
		expect(parent.body.nodes[1].parameters!.workflowId).toEqual({ __rl: true, value: 'n-7', mode: 'id' });
		expect(parent.body.settings).toEqual({ executionOrder: 'v1', errorWorkflow: 'n-7' });
	});

	it('finds nothing to change once installed, and names what changed otherwise', () => {
		const first = planInstall(shipped, [], credentials, { 'shipped-child': 'n-7' });
		const installed: ExistingWorkflow[] = first.map((action, index) => ({ id: index ? 'n-8' : 'n-7', ...(action as { body: WorkflowJson }).body, active: false }));
		expect(planInstall(shipped, installed, credentials).map((action) => action.action)).toEqual(['unchanged', 'unchanged']);

		installed[1].nodes[0] = { ...installed[1].nodes[0], parameters: { resource: 'message' } };
		const again = planInstall(shipped, installed, credentials);
		expect(again[1]).toMatchObject({ action: 'update', id: 'n-8', changes: ['node changed: Odoo'] });
	});

	it('refuses to install when a credential is missing, naming it and where it is used', () => {
		expect(() => planInstall(shipped, [], [])).toThrow(MissingCredentialsError);
		expect(() => planInstall(shipped, [], [])).toThrow(/"Odoo Ops" \(type odooOpsApi\), used by Parent → Odoo/);
	});
});
