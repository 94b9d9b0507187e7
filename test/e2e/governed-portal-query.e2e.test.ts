/**
 * The shipped "Governed portal query" workflow in a real n8n with the packed pack, against the Odoo sandbox's
 * governance world. What each person should see is computed from the sandbox's records with the policy the
 * workflow declares per app, so the test checks the workflow's decisions, not a copy of the seed.
 */
import { execFileSync } from 'node:child_process';

import { GOVERNANCE_WORLD as W, startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { N8nHandle, loadWorkflow, log, packPack, startN8n, stopAllN8n } from './harness';

jest.setTimeout(20 * 60_000);

const PATH = 'governed-portal-query';
type Row = Record<string, any>;

/** The workflow's per-app settings (App Settings node), restated as the rule a record must pass. */
const APPS: Record<string, { model: string; policy: 'sa_wide' | 'assigned_plus_unassigned' | 'assigned_only'; where: (r: Row) => boolean }> = {
	my_quotes: { model: 'sale.order', policy: 'assigned_plus_unassigned', where: (r) => ['draft', 'sent'].includes(r.state) },
	my_sales: { model: 'sale.order', policy: 'assigned_only', where: (r) => r.state === 'sale' },
	my_tickets: { model: 'helpdesk.ticket', policy: 'sa_wide', where: () => true },
};

describe('Governed portal query in a real n8n', () => {
	let sb: OdooSandbox;
	let n8n: N8nHandle;

	const expected = (app: string, actor: number, sa: number): number[] => {
		const { model, policy, where } = APPS[app];
		return (sb.records(model) as Row[])
			.filter((r) => r.x_sa_id === sa && where(r))
			.filter((r) => policy === 'sa_wide' || r.x_actor_id === actor || (policy === 'assigned_plus_unassigned' && (r.x_actor_id ?? null) === null))
			.map((r) => r.id as number)
			.sort((a, b) => a - b);
	};

	const ask = async (body: Record<string, unknown>) => {
		const r = await n8n.runWebhook(PATH, body);
		if (r.status >= 500) log(`governed portal query ${JSON.stringify(body)} -> ${r.status}: ${r.text.slice(0, 1000)}`);
		return r;
	};
	const seen = (body: any): number[] => (body.records as Row[]).map((r) => r.id as number).sort((a, b) => a - b);

	beforeAll(async () => {
		const [tgz, sandbox] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: 20 })]);
		sb = sandbox;
		const listing = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' });
		if (!listing.includes('package/dist/nodes/SaGovernance/SaGovernance.node.js')) {
			throw new Error(`${tgz} has no dist/nodes/SaGovernance/SaGovernance.node.js: add it to package.json "n8n.nodes"`);
		}
		n8n = await startN8n({ tarballs: [tgz] });
		await n8n.createCredential({
			name: 'Odoo Ops (sandbox)',
			type: 'odooOpsApi',
			data: { url: sb.url, db: sb.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' },
		});
		const json = loadWorkflow('workflows/governed-portal-query.json');
		const wf = await n8n.importWorkflow(json);
		await n8n.publish(wf.id);
	});

	afterAll(async () => {
		await stopAllN8n();
		await sb?.close();
	});

	it('ships a workflow made of the pack\'s and n8n\'s own node types, with a note first', () => {
		const json = loadWorkflow('workflows/governed-portal-query.json');
		expect(json.name).toBe('Governed portal query');
		expect(json.nodes[0].type).toBe('n8n-nodes-base.stickyNote');
		for (const node of json.nodes) expect(node.type).toMatch(/^n8n-nodes-(base|odoo-ops)\./);
		const governed = json.nodes.filter((n) => n.type.startsWith('n8n-nodes-odoo-ops.'));
		expect(new Set(governed.map((n) => n.type))).toEqual(new Set(['n8n-nodes-odoo-ops.saGovernance', 'n8n-nodes-odoo-ops.odooOps']));
		for (const node of governed) expect(node.credentials?.odooOpsApi).toMatchObject({ id: expect.any(String), name: 'Odoo Ops (sandbox)' });
	});

	it('shows each person exactly the records their app\'s policy allows', async () => {
		const cases: Array<[string, number, number | null, number]> = [
			// [app, person, sa asked for (null = auto-select), the SA that person works in]
			['my_quotes', W.twoContextPerson, W.sa.DECO_ADDICT, W.sa.DECO_ADDICT],
			['my_sales', W.twoContextPerson, W.sa.DECO_ADDICT, W.sa.DECO_ADDICT],
			['my_tickets', W.twoContextPerson, W.sa.DECO_ADDICT, W.sa.DECO_ADDICT],
			['my_quotes', W.person.FLOYD_STEWARD, null, W.sa.DECO_ADDICT],
			['my_tickets', W.person.FLOYD_STEWARD, null, W.sa.DECO_ADDICT],
			['my_quotes', W.twoContextPerson, W.sa.OV_KENYA, W.sa.OV_KENYA],
		];
		for (const [app, person, saId, workSa] of cases) {
			const want = expected(app, person, workSa);
			expect(want.length).toBeGreaterThan(0);
			const r = await ask({ login_partner_id: person, ...(saId === null ? {} : { sa_id: saId }), app });
			expect({ app, person, status: r.status }).toEqual({ app, person, status: 200 });
			expect({ app, person, ids: seen(r.body) }).toEqual({ app, person, ids: want });
			expect(r.body).toMatchObject({ app, model: APPS[app].model, policy: APPS[app].policy, actor: person, sa: { id: workSa }, count: want.length });
			for (const record of r.body.records as Row[]) expect(record.x_sa_id[0]).toBe(workSa);
		}
		// The two apps on one model differ: quotes and sales of the same person do not overlap.
		const quotes = seen((await ask({ login_partner_id: W.twoContextPerson, sa_id: W.sa.DECO_ADDICT, app: 'my_quotes' })).body);
		const sales = seen((await ask({ login_partner_id: W.twoContextPerson, sa_id: W.sa.DECO_ADDICT, app: 'my_sales' })).body);
		expect(quotes.filter((id) => sales.includes(id))).toEqual([]);
	});

	it('shows a person from another SA none of them', async () => {
		const stranger = W.person.FUNMILAYO_ADEYEMI;
		for (const app of Object.keys(APPS)) {
			const deco = new Set(expected(app, W.twoContextPerson, W.sa.DECO_ADDICT).concat(APPS[app].policy === 'sa_wide' ? [] : expected(app, W.person.FLOYD_STEWARD, W.sa.DECO_ADDICT)));
			const r = await ask({ login_partner_id: stranger, sa_id: W.sa.WOOD_CORNER, app });
			expect(r.status).toBe(200);
			const ids = seen(r.body);
			expect(ids).toEqual(expected(app, stranger, W.sa.WOOD_CORNER));
			expect(ids.filter((id) => deco.has(id))).toEqual([]);
			for (const record of r.body.records as Row[]) expect(record.x_sa_id[0]).toBe(W.sa.WOOD_CORNER);
		}
		// Asking for the other SA outright is refused, not answered with an empty list.
		const r = await ask({ login_partner_id: stranger, sa_id: W.sa.DECO_ADDICT, app: 'my_tickets' });
		expect(r.status).toBe(403);
	});

	it('answers a governance denial with 403 and the reason', async () => {
		const ambiguous = await ask({ login_partner_id: W.twoContextPerson, app: 'my_quotes' });
		expect(ambiguous.status).toBe(403);
		expect(ambiguous.body).toMatchObject({ error: 'forbidden', reason: 'ambiguous_sa', message: expect.stringMatching(/choose one/) });
		expect(ambiguous.body.details.choices.map((c: any) => c.sa_id).sort()).toEqual([W.sa.OV_KENYA, W.sa.DECO_ADDICT].sort());

		const suspended = await ask({ login_partner_id: W.person.KIPCHOGE_MUTAI, sa_id: W.sa.OV_KENYA, app: 'my_tickets' });
		expect(suspended.status).toBe(403);
		expect(suspended.body).toMatchObject({ error: 'forbidden', reason: 'membership_suspended' });

		const nobody = await ask({ login_partner_id: 3, app: 'my_sales' });
		expect(nobody.status).toBe(403);
		expect(nobody.body).toMatchObject({ reason: 'not_member' });
	});

	it('splits a Check into its Allowed and Denied outputs inside n8n', async () => {
		// Not shipped: proves the node's two-output description and the default Record IDs ({{ $json.id }}) in n8n.
		const credentials = { odooOpsApi: { id: '', name: 'Odoo Ops (sandbox)' } };
		const orders = (sb.records('sale.order') as Row[]).map((o) => o.id as number);
		const wf = await n8n.importWorkflow({
			name: 'SA Governance check outputs',
			nodes: [
				{ id: 'c1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'c2', name: 'Orders', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return ${JSON.stringify(orders)}.map((id) => ({ json: { id } }));` } },
				{
					id: 'c3',
					name: 'Check',
					type: 'n8n-nodes-odoo-ops.saGovernance',
					typeVersion: 1,
					position: [400, 0],
					// "operation" left out on purpose: Check is the default of Access, as a saved workflow may store it.
					parameters: { resource: 'access', action: 'record.read', model: 'sale.order', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.DECO_ADDICT), checkOptions: { policy: 'assigned_plus_unassigned' } },
					credentials,
				},
				{ id: 'c4', name: 'Allowed', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, -100], parameters: {} },
				{ id: 'c5', name: 'Denied', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 100], parameters: {} },
			],
			connections: {
				Start: { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
				Orders: { main: [[{ node: 'Check', type: 'main', index: 0 }]] },
				Check: { main: [[{ node: 'Allowed', type: 'main', index: 0 }], [{ node: 'Denied', type: 'main', index: 0 }]] },
			},
		});
		sb.resetStats();
		const result = await n8n.executeManually(wf.id);
		expect(result.error).toBeNull();
		const visible = (sb.records('sale.order') as Row[]).filter((o) => o.x_sa_id === W.sa.DECO_ADDICT && (o.x_actor_id === W.twoContextPerson || (o.x_actor_id ?? null) === null)).map((o) => o.id as number);
		expect(visible.length).toBeGreaterThan(0);
		const allowed = result.nodeJson('Allowed').map((i) => i.id as number).sort((a, b) => a - b);
		const denied = result.nodeJson('Denied');
		expect(allowed).toEqual(visible.sort((a, b) => a - b));
		expect(allowed.length + denied.length).toBe(orders.length);
		expect(denied.every((i) => i.governance.allowed === false && typeof i.governance.reason === 'string')).toBe(true);
		// One login, the person's world and one read of the stamps, for every order at once.
		expect(sb.stats.byMethod.read ?? 0).toBe(1);
		expect(sb.stats.byMethod.search_read ?? 0).toBe(3);
	});

	it('answers an unknown app or a malformed request with 400', async () => {
		const unknown = await ask({ login_partner_id: W.twoContextPerson, sa_id: W.sa.DECO_ADDICT, app: 'my_invoices' });
		expect(unknown.status).toBe(400);
		expect(unknown.body).toMatchObject({ error: 'unknown_app' });
		const sneaky = await ask({ login_partner_id: W.twoContextPerson, sa_id: W.sa.DECO_ADDICT, app: 'constructor' });
		expect(sneaky.status).toBe(400);
		const noPerson = await ask({ app: 'my_quotes' });
		expect(noPerson.status).toBe(400);
		expect(noPerson.body).toMatchObject({ error: 'bad_request' });
	});
});
