/**
 * The SA Governance node against the real Odoo sandbox over HTTP, on its seeded governance world
 * (GOVERNANCE_WORLD). Expectations are computed from the sandbox's own records wherever a list is asserted, so
 * they follow the world rather than restating it.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SaGovernance } from '../../nodes/SaGovernance/SaGovernance.node';
import { GOVERNANCE_WORLD as W } from '../sandboxes/odoo';
import { fakeExecuteFunctions } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new SaGovernance();
const sandbox = useOdooSandbox();
const P = W.person;

interface RunOptions {
	items?: INodeExecutionData[];
	perItem?: (i: number) => INodeParameters;
	continueOnFail?: boolean;
}

async function runAll(parameters: INodeParameters, options: RunOptions = {}): Promise<INodeExecutionData[][]> {
	const { context } = fakeExecuteFunctions({
		nodeType: node,
		parameters,
		perItem: options.perItem,
		items: options.items ?? [{ json: {} }],
		credentials: credentialsFor(sandbox.get()),
		continueOnFail: options.continueOnFail,
	});
	return (await node.execute!.call(context)) as INodeExecutionData[][];
}

const run = async (parameters: INodeParameters, options: RunOptions = {}) => (await runAll(parameters, options))[0];
const ids = (items: INodeExecutionData[]) => items.map((i) => i.json.id as number).sort((a, b) => a - b);
const rows = (model: string) => sandbox.get().records(model) as Array<Record<string, any>>;
const stamp = (model: string, id: number) => {
	const r = rows(model).find((x) => x.id === id)!;
	return { sa: r.x_sa_id ?? null, actor: r.x_actor_id ?? null };
};

describe('SA Governance: Resolve Context', () => {
	it('resolves the person in two contexts once the SA is chosen, with authority and subordinates', async () => {
		const [item] = await run({ resource: 'context', operation: 'resolve', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.OV_KENYA) });
		expect(item.json).toMatchObject({
			actor: W.twoContextPerson,
			sa_id: W.sa.OV_KENYA,
			sa: { id: W.sa.OV_KENYA, name: 'Omnivoltaic Kenya' },
			membership: { id: W.membership.OTIENO_KENYA, partner_id: W.twoContextPerson },
			authority: { saa: false, sam: true },
			isSaManager: false,
			descendantSaIds: [],
		});
		// Achieng reports to Otieno in OV Kenya.
		expect(item.json.subordinates).toEqual({ direct: [P.ACHIENG_NJERI], team: [P.ACHIENG_NJERI] });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('gives the sa_manager SAA, the whole active team, and the active descendant SAs', async () => {
		const [item] = await run({ resource: 'context', operation: 'resolve', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA) });
		expect(item.json).toMatchObject({ isSaManager: true, authority: { saa: true, sam: true } });
		// Kipchoge is suspended: not in the team. Lumber is archived: not a descendant to roll into.
		expect((item.json.subordinates as any).team.sort()).toEqual([P.OTIENO_ODHIAMBO, P.ACHIENG_NJERI].sort());
		const children = rows('ov.serviced_account').filter((sa) => sa.parent_id === W.sa.OV_KENYA && sa.state === 'active' && sa.active !== false).map((sa) => sa.id);
		expect((item.json.descendantSaIds as number[]).sort()).toEqual(children.sort());
	});

	it('auto-selects the only SA, and refuses to guess between two (listing the choices)', async () => {
		const [floyd] = await run({ resource: 'context', operation: 'resolve', loginPartnerId: String(P.FLOYD_STEWARD) });
		expect(floyd.json).toMatchObject({ actor: P.FLOYD_STEWARD, sa_id: W.sa.DECO_ADDICT });

		await expect(run({ resource: 'context', operation: 'resolve', loginPartnerId: String(W.twoContextPerson) })).rejects.toThrow(/member of 2 serviced accounts; choose one/);
		const [denied] = await run({ resource: 'context', operation: 'resolve', loginPartnerId: String(W.twoContextPerson) }, { continueOnFail: true });
		// Only error/message/details keys: what n8n's error output recognises as an error item.
		expect(Object.keys(denied.json).sort()).toEqual(['details', 'error']);
		expect(denied.json).toMatchObject({ error: expect.stringMatching(/choose one/), details: { reason: 'ambiguous_sa' } });
		expect((denied.json.details as any).choices.map((c: any) => c.sa_id).sort()).toEqual([W.sa.OV_KENYA, W.sa.DECO_ADDICT].sort());
	});

	it.each([
		['a suspended member', P.KIPCHOGE_MUTAI, W.sa.OV_KENYA, 'membership_suspended'],
		['a revoked member', P.EDITH_SANCHEZ, W.sa.READY_MAT, 'membership_revoked'],
		['a membership past its end date', P.COLLEEN_DIAZ, W.sa.AZURE_INTERIOR, 'membership_not_effective'],
		// Only the person's own SAs are loaded, so another SA reads as unknown to them: still a denial.
		['a member of another SA', P.FLOYD_STEWARD, W.sa.OV_KENYA, 'unknown_sa'],
		['someone with no membership at all', 3, null, 'not_member'],
		['an archived SA', P.TRAVIS_MENDOZA, W.sa.LUMBER_ARCHIVED, 'sa_inactive'],
	])('denies %s with the reason', async (_label, partner, sa, reason) => {
		const items = await run({ resource: 'context', operation: 'resolve', loginPartnerId: String(partner), saId: sa === null ? '' : String(sa) }, { continueOnFail: true });
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ error: expect.any(String), details: { reason } });
	});

	it('names the field and the fix for a missing or malformed login partner', async () => {
		await expect(run({ resource: 'context', operation: 'resolve', loginPartnerId: '' })).rejects.toThrow("'Login Partner ID' is empty");
		await expect(run({ resource: 'context', operation: 'resolve', loginPartnerId: 'abc' })).rejects.toThrow(/Login Partner ID/);
	});
});

describe('SA Governance: Check', () => {
	// The fake context does not evaluate expressions: the default Record IDs ({{ $json.id }}) is given per item.
	const check = (parameters: INodeParameters, options: RunOptions = {}) =>
		runAll(
			{ resource: 'access', operation: 'check', model: 'sale.order', ...parameters },
			{ perItem: parameters.recordIds === undefined && options.items ? (i) => ({ recordIds: String(options.items![i].json.id ?? '') }) : undefined, ...options },
		);

	it('sends each record to Allowed or Denied with the reason, for record.read under a policy', async () => {
		const orders = rows('sale.order');
		const [allowed, denied] = await check(
			{ action: 'record.read', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.DECO_ADDICT), checkOptions: { policy: 'assigned_plus_unassigned' } },
			{ items: orders.map((o) => ({ json: { id: o.id, name: o.name } })) },
		);
		const expected = orders.filter((o) => o.x_sa_id === W.sa.DECO_ADDICT && (o.x_actor_id === W.twoContextPerson || o.x_actor_id == null)).map((o) => o.id);
		expect(ids(allowed)).toEqual(expected.sort((a, b) => a - b));
		expect(allowed.length + denied.length).toBe(orders.length);
		expect(allowed[0].json.governance).toMatchObject({ allowed: true, action: 'record.read', authority: 'SAM', reason: 'visible', actor: W.twoContextPerson, sa_id: W.sa.DECO_ADDICT });
		const other = denied.find((i) => i.json.id === W.saleOrder.AZURE_QUOTE)!;
		expect(other.json).toMatchObject({ name: expect.any(String), governance: { allowed: false, reason: 'other_sa', message: expect.stringMatching(/another serviced account/) } });
		// Pairing survives the split into two outputs.
		for (const item of [...allowed, ...denied]) expect(orders[(item.pairedItem as { item: number }).item].id).toBe(item.json.id);
	});

	it('decides work by the membership tree: own, shared and team records yes, others no', async () => {
		// Floyd manages Addison in Deco Addict; Otieno is a peer under Douglas.
		const [allowed, denied] = await check(
			{ action: 'record.update', model: 'helpdesk.ticket', loginPartnerId: String(P.FLOYD_STEWARD), recordIds: `${W.ticket.DECO_PRINTER}, ${W.ticket.DECO_MAILBOX}, ${W.ticket.AZURE_VPN_UNASSIGNED}` },
		);
		expect(allowed.map((i) => [i.json.governance as any].map((g) => [g.id, g.reason])[0])).toEqual([[W.ticket.DECO_PRINTER, 'assigned_to_actor']]);
		expect(denied.map((i) => [(i.json.governance as any).id, (i.json.governance as any).reason])).toEqual([
			[W.ticket.DECO_MAILBOX, 'assigned_to_other'],
			[W.ticket.AZURE_VPN_UNASSIGNED, 'other_sa'],
		]);
	});

	it('costs the same small number of Odoo requests for 1 record as for 50', async () => {
		const partners = rows('res.partner').slice(0, 50).map((p) => p.id);
		const cost = async (n: number) => {
			sandbox.get().resetStats();
			const [allowed, denied] = await check(
				{ action: 'record.read', model: 'res.partner', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA), checkOptions: { policy: 'sa_wide' } },
				{ items: partners.slice(0, n).map((id) => ({ json: { id } })) },
			);
			expect(allowed.length + denied.length).toBe(n);
			return { ...sandbox.get().stats };
		};
		const one = await cost(1);
		const fifty = await cost(50);
		expect(fifty.requests).toBe(one.requests);
		// Login, the person's world (memberships, SAs child_of, their memberships), one read of the stamps.
		expect(fifty.requests).toBeLessThanOrEqual(5);
		expect(fifty.byMethod.read ?? 0).toBe(1);
		expect(fifty.byMethod.search_read ?? 0).toBe(3);
	});

	it('denies everything when authority cannot be established, at the same constant cost', async () => {
		sandbox.get().resetStats();
		const [allowed, denied] = await check(
			{ action: 'record.read', loginPartnerId: '999999', checkOptions: { policy: 'sa_wide' } },
			{ items: Array.from({ length: 20 }, (_, i) => ({ json: { id: (i % 12) + 1 } })) },
		);
		expect(allowed).toHaveLength(0);
		expect(denied).toHaveLength(20);
		expect(denied.every((i) => (i.json.governance as any).reason === 'not_member')).toBe(true);
		expect(sandbox.get().stats.requests).toBeLessThanOrEqual(3);
	});

	it('denies unknown actions, unreadable parameters and records that do not exist', async () => {
		const [a1, d1] = await check({ action: 'record.teleport', loginPartnerId: String(P.FLOYD_STEWARD), recordIds: '1' });
		expect(a1).toHaveLength(0);
		expect(d1[0].json.governance).toMatchObject({ reason: 'unknown_action' });

		const [a2, d2] = await check({ action: 'record.read', loginPartnerId: '' }, { items: [{ json: { id: 1 } }] });
		expect(a2).toHaveLength(0);
		expect(d2[0].json.governance).toMatchObject({ reason: 'unknown_partner', message: expect.stringContaining('Login Partner ID') });

		const [a3, d3] = await check({ action: 'record.read', loginPartnerId: String(P.FLOYD_STEWARD), checkOptions: { policy: 'sa_wide' } }, { items: [{ json: {} }] });
		expect(a3).toHaveLength(0);
		expect(d3[0].json.governance).toMatchObject({ reason: 'invalid_target', message: expect.stringContaining('Record IDs') });

		const [a4, d4] = await check({ action: 'record.read', loginPartnerId: String(P.FLOYD_STEWARD), recordIds: '987654', checkOptions: { policy: 'sa_wide' } });
		expect(a4).toHaveLength(0);
		expect(d4[0].json.governance).toMatchObject({ reason: 'unknown_record' });
	});

	it('reads the asset wrapper\'s own SA and actor fields, and refuses malformed names', async () => {
		const assets = rows('ov.asset');
		const [allowed, denied] = await check(
			{ action: 'record.read', model: 'ov.asset', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.OV_KENYA), checkOptions: { policy: 'assigned_only' } },
			{ items: assets.map((a) => ({ json: { id: a.id } })) },
		);
		expect(ids(allowed)).toEqual(assets.filter((a) => a.sa_id === W.sa.OV_KENYA && a.actor_id === W.twoContextPerson).map((a) => a.id));
		expect(allowed.length).toBeGreaterThan(0);
		expect(denied.find((i) => i.json.id === W.asset.DECO_DELIVERY_FLEET)!.json.governance).toMatchObject({ reason: 'other_sa' });

		await expect(
			runAll({ resource: 'access', operation: 'check', action: 'record.read', model: 'sale.order', loginPartnerId: String(P.FLOYD_STEWARD), recordIds: '1', names: { saField: 'x-sa' } }),
		).rejects.toThrow("'Names › Stamp SA Field' is not a valid Odoo field name");
	});

	it('says which authority an action needs: SAA actions are the sa_manager\'s', async () => {
		const asMember = await check({ action: 'membership.suspend', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.OV_KENYA), recordIds: String(W.membership.ACHIENG_KENYA) });
		expect(asMember[1][0].json.governance).toMatchObject({ authority: 'SAA', reason: 'needs_sa_manager' });
		const asManager = await check({ action: 'membership.suspend', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA), recordIds: String(W.membership.ACHIENG_KENYA) });
		expect(asManager[0][0].json.governance).toMatchObject({ authority: 'SAA', allowed: true, reason: 'in_reach' });
	});
});

describe('SA Governance: Visibility Domain', () => {
	const search = async (model: string, domain: unknown) => {
		const res = await fetch(`${sandbox.get().url}/jsonrpc`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sandbox.get().db, 2, 'admin', model, 'search', [domain]] } }),
		});
		return ((await res.json()) as { result: number[] }).result.sort((a, b) => a - b);
	};

	it.each([
		['sa_wide', (o: any) => true],
		['assigned_plus_unassigned', (o: any) => o.x_actor_id === W.twoContextPerson || o.x_actor_id == null],
		['assigned_only', (o: any) => o.x_actor_id === W.twoContextPerson],
	])('the %s domain finds exactly the records the policy allows', async (policy, actorRule) => {
		const [item] = await run({ resource: 'access', operation: 'visibility', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.DECO_ADDICT), policy, visibilityModel: 'sale.order' });
		expect(item.json).toMatchObject({ policy, model: 'sale.order', actor: W.twoContextPerson, sa_id: W.sa.DECO_ADDICT });
		const expected = rows('sale.order').filter((o) => o.x_sa_id === W.sa.DECO_ADDICT && actorRule(o)).map((o) => o.id).sort((a, b) => a - b);
		expect(expected.length).toBeGreaterThan(0);
		expect(await search('sale.order', item.json.domain)).toEqual(expected);
	});

	it('combines with an app domain, and a team scope widens to subordinates', async () => {
		const [quotes] = await run({ resource: 'access', operation: 'visibility', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.DECO_ADDICT), policy: 'assigned_plus_unassigned', visibilityModel: 'sale.order', extraDomain: '[["state", "in", ["draft", "sent"]]]' });
		const expected = rows('sale.order').filter((o) => o.x_sa_id === W.sa.DECO_ADDICT && (o.x_actor_id === W.twoContextPerson || o.x_actor_id == null) && ['draft', 'sent'].includes(o.state)).map((o) => o.id);
		expect(await search('sale.order', quotes.json.domain)).toEqual(expected.sort((a, b) => a - b));

		// Floyd's team in Deco Addict is Addison; tickets of Floyd or Addison.
		const [team] = await run({ resource: 'access', operation: 'visibility', loginPartnerId: String(P.FLOYD_STEWARD), policy: 'assigned_only', scope: 'team', visibilityModel: 'helpdesk.ticket' });
		const tickets = rows('helpdesk.ticket').filter((t) => t.x_sa_id === W.sa.DECO_ADDICT && [P.FLOYD_STEWARD, P.ADDISON_OLSON].includes(t.x_actor_id)).map((t) => t.id);
		expect(await search('helpdesk.ticket', team.json.domain)).toEqual(tickets.sort((a, b) => a - b));
	});

	it('refuses the SA-tree scope to anyone but the sa_manager, and an unknown policy', async () => {
		const [denied] = await run({ resource: 'access', operation: 'visibility', loginPartnerId: String(P.FLOYD_STEWARD), policy: 'sa_wide', scope: 'sa_tree', visibilityModel: 'sale.order' }, { continueOnFail: true });
		expect(denied.json).toMatchObject({ details: { reason: 'needs_sa_manager' } });
		const [manager] = await run({ resource: 'access', operation: 'visibility', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA), policy: 'sa_wide', scope: 'sa_tree', visibilityModel: 'sale.order' });
		const tree = new Set([W.sa.OV_KENYA, ...rows('ov.serviced_account').filter((s) => s.parent_id === W.sa.OV_KENYA && s.state === 'active').map((s) => s.id)]);
		expect(await search('sale.order', manager.json.domain)).toEqual(rows('sale.order').filter((o) => tree.has(o.x_sa_id)).map((o) => o.id).sort((a, b) => a - b));

		await expect(run({ resource: 'access', operation: 'visibility', loginPartnerId: String(P.FLOYD_STEWARD), policy: 'everyone', visibilityModel: 'sale.order' })).rejects.toThrow(/Unknown visibility policy 'everyone'/);
	});

	it('filters input records by the same rule, and names the missing stamp field', async () => {
		const orders = rows('sale.order').map((o) => ({ json: { id: o.id, x_sa_id: o.x_sa_id ? [o.x_sa_id, 'SA'] : false, x_actor_id: o.x_actor_id ? [o.x_actor_id, 'P'] : false } }));
		const visible = await run({ resource: 'access', operation: 'visibility', visibilityMode: 'filter', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.DECO_ADDICT), policy: 'assigned_only', visibilityModel: 'sale.order' }, { items: orders });
		expect(ids(visible)).toEqual(rows('sale.order').filter((o) => o.x_sa_id === W.sa.DECO_ADDICT && o.x_actor_id === W.twoContextPerson).map((o) => o.id).sort((a, b) => a - b));
		await expect(
			run({ resource: 'access', operation: 'visibility', visibilityMode: 'filter', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.DECO_ADDICT), policy: 'sa_wide', visibilityModel: 'sale.order' }, { items: [{ json: { id: 1 } }] }),
		).rejects.toThrow(/no 'x_sa_id' field/);
	});
});

describe('SA Governance: Roll-up', () => {
	it('gives the sa_manager direct reports, the recursive team and the descendant SAs', async () => {
		const [item] = await run({ resource: 'context', operation: 'rollUp', loginPartnerId: String(P.DOUGLAS_FLETCHER) });
		expect(item.json).toMatchObject({ sa_id: W.sa.DECO_ADDICT, isSaManager: true });
		expect((item.json.direct as any[]).map((m) => m.partner_id).sort()).toEqual([P.OTIENO_ODHIAMBO, P.FLOYD_STEWARD].sort());
		expect((item.json.team as any[]).map((m) => m.partner_id).sort()).toEqual([P.OTIENO_ODHIAMBO, P.FLOYD_STEWARD, P.ADDISON_OLSON].sort());

		const [kenya] = await run({ resource: 'context', operation: 'rollUp', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA) });
		const children = rows('ov.serviced_account').filter((s) => s.parent_id === W.sa.OV_KENYA && s.state === 'active').map((s) => s.id);
		expect((kenya.json.descendantSas as any[]).map((s) => s.id).sort()).toEqual(children.sort());
		expect(kenya.json.saIds).toEqual([W.sa.OV_KENYA, ...(kenya.json.descendantSas as any[]).map((s) => s.id)]);
	});

	it('keeps a non-manager\'s roll-up inside their SA', async () => {
		const [item] = await run({ resource: 'context', operation: 'rollUp', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.OV_KENYA) });
		expect(item.json).toMatchObject({ isSaManager: false, descendantSas: [], saIds: [W.sa.OV_KENYA] });
		expect((item.json.team as any[]).map((m) => m.partner_id)).toEqual([P.ACHIENG_NJERI]);
	});
});

describe('SA Governance: writes', () => {
	beforeEach(() => sandbox.get().resetData());

	it('stamps records for an active member, and writes nothing for a non-member', async () => {
		const id = W.saleOrder.DECO_QUOTE_UNASSIGNED;
		const [done] = await run({ resource: 'record', operation: 'stamp', loginPartnerId: String(P.FLOYD_STEWARD), model: 'sale.order', recordIds: String(id), actorId: String(P.ADDISON_OLSON) });
		expect(done.json).toMatchObject({ model: 'sale.order', ids: [id], sa_id: W.sa.DECO_ADDICT, actor: P.ADDISON_OLSON, written: 1 });
		expect(stamp('sale.order', id)).toEqual({ sa: W.sa.DECO_ADDICT, actor: P.ADDISON_OLSON });

		sandbox.get().resetStats();
		const before = rows('sale.order');
		await expect(
			run({ resource: 'record', operation: 'stamp', loginPartnerId: String(P.DOUGLAS_FLETCHER), model: 'sale.order', recordIds: `${W.saleOrder.DECO_QUOTE}, ${id}`, actorId: String(P.ACHIENG_NJERI) }),
		).rejects.toThrow(/not an active member of Deco Addict.*Nothing was written/);
		expect(sandbox.get().stats.byMethod.write ?? 0).toBe(0);
		expect(rows('sale.order')).toEqual(before);

		const [refused] = await run({ resource: 'record', operation: 'stamp', loginPartnerId: String(P.FLOYD_STEWARD), model: 'sale.order', recordIds: String(W.saleOrder.AZURE_QUOTE), actorId: '' }, { continueOnFail: true });
		expect(refused.json).toMatchObject({ details: { reason: 'other_sa' } });
		expect(stamp('sale.order', W.saleOrder.AZURE_QUOTE).sa).toBe(W.sa.AZURE_INTERIOR);
	});

	it('reassigns V2 directly from X to Y, with counts per model', async () => {
		const deco = (model: string, actor: number) => rows(model).filter((r) => r.x_sa_id === W.sa.DECO_ADDICT && r.x_actor_id === actor).map((r) => r.id);
		const before = { 'sale.order': deco('sale.order', P.OTIENO_ODHIAMBO), 'helpdesk.ticket': deco('helpdesk.ticket', P.OTIENO_ODHIAMBO), 'res.partner': deco('res.partner', P.OTIENO_ODHIAMBO) };
		const [item] = await run({ resource: 'record', operation: 'reassign', reassignMode: 'v2', loginPartnerId: String(P.DOUGLAS_FLETCHER), models: 'sale.order, helpdesk.ticket, res.partner', fromActorId: String(P.OTIENO_ODHIAMBO), toActorId: String(P.FLOYD_STEWARD) });
		expect(item.json.counts).toEqual({ 'sale.order': before['sale.order'].length, 'helpdesk.ticket': before['helpdesk.ticket'].length, 'res.partner': before['res.partner'].length });
		expect(before['sale.order'].length).toBeGreaterThan(0);
		expect(deco('sale.order', P.OTIENO_ODHIAMBO)).toEqual([]);
		for (const id of before['sale.order']) expect(stamp('sale.order', id).actor).toBe(P.FLOYD_STEWARD);

		await expect(
			run({ resource: 'record', operation: 'reassign', reassignMode: 'v2', loginPartnerId: String(P.DOUGLAS_FLETCHER), models: 'sale.order', fromActorId: String(P.FLOYD_STEWARD), toActorId: String(P.ACHIENG_NJERI) }),
		).rejects.toThrow(/not an active member/);
	});

	it('reassigns V3 by expiring the active row and opening a new one, never two active', async () => {
		const active = () => rows('ov.sa_customer_assignment').filter((a) => a.state === 'active' && a.sa_id === W.sa.OV_KENYA && a.record_model === 'res.partner' && a.record_id === W.company.DECO_ADDICT);
		expect(active().map((a) => a.actor_partner_id)).toEqual([P.OTIENO_ODHIAMBO]);
		const [item] = await run({ resource: 'record', operation: 'reassign', reassignMode: 'v3', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA), recordModel: 'res.partner', recordIds: String(W.company.DECO_ADDICT), toActorId: String(P.ACHIENG_NJERI) });
		expect(item.json).toMatchObject({ mode: 'v3', expired: [W.assignment.DECO_OTIENO], created: [expect.any(Number)], results: [{ record_id: W.company.DECO_ADDICT, changed: true }] });
		expect(active().map((a) => a.actor_partner_id)).toEqual([P.ACHIENG_NJERI]);
		const old = rows('ov.sa_customer_assignment').find((a) => a.id === W.assignment.DECO_OTIENO)!;
		expect(old).toMatchObject({ state: 'expired', date_to: expect.any(String) });
		expect(stamp('res.partner', W.company.DECO_ADDICT).actor).toBe(P.ACHIENG_NJERI);

		// The same request again changes nothing.
		const [again] = await run({ resource: 'record', operation: 'reassign', reassignMode: 'v3', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA), recordModel: 'res.partner', recordIds: String(W.company.DECO_ADDICT), toActorId: String(P.ACHIENG_NJERI) });
		expect(again.json).toMatchObject({ expired: [], created: [], results: [{ changed: false }] });
		expect(active()).toHaveLength(1);
	});

	it('revokes a membership and normalises every stamped record of that person in that SA', async () => {
		const mine = (model: string) => rows(model).filter((r) => r.x_sa_id === W.sa.OV_KENYA && r.x_actor_id === P.ACHIENG_NJERI).map((r) => r.id);
		const before = { 'res.partner': mine('res.partner'), 'sale.order': mine('sale.order'), 'helpdesk.ticket': mine('helpdesk.ticket') };
		const elsewhere = rows('sale.order').filter((o) => o.x_actor_id === P.ACHIENG_NJERI && o.x_sa_id !== W.sa.OV_KENYA);

		await expect(run({ resource: 'membership', operation: 'revoke', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.OV_KENYA), membershipId: String(W.membership.ACHIENG_KENYA) })).rejects.toThrow(/only the current manager/);

		const [item] = await run({ resource: 'membership', operation: 'revoke', loginPartnerId: String(P.WANJIRU_KAMAU), saId: String(W.sa.OV_KENYA), membershipId: String(W.membership.ACHIENG_KENYA) });
		expect(item.json).toMatchObject({ membership_id: W.membership.ACHIENG_KENYA, sa_id: W.sa.OV_KENYA, partner_id: P.ACHIENG_NJERI, revoked: true });
		expect(item.json.counts).toEqual({ 'res.partner': before['res.partner'].length, 'sale.order': before['sale.order'].length, 'helpdesk.ticket': before['helpdesk.ticket'].length, 'ov.asset': 0 });
		expect(before['res.partner'].length).toBeGreaterThan(0);
		expect(rows('ov.membership').find((m) => m.id === W.membership.ACHIENG_KENYA)!.state).toBe('revoked');
		for (const model of Object.keys(before)) expect(mine(model)).toEqual([]);
		for (const id of before['res.partner']) expect(stamp('res.partner', id)).toEqual({ sa: W.sa.OV_KENYA, actor: null });
		// Her stamps in other SAs are not this revocation's business.
		expect(rows('sale.order').filter((o) => o.x_actor_id === P.ACHIENG_NJERI && o.x_sa_id !== W.sa.OV_KENYA)).toEqual(elsewhere);
		// Her V3 assignment in OV Kenya can no longer be active.
		expect(rows('ov.sa_customer_assignment').find((a) => a.id === W.assignment.AZURE_ACHIENG)!.state).toBe('expired');
	});

	it('audits the seeded integrity findings, and repairs what has a mechanical fix', async () => {
		const [report] = await run({ resource: 'integrity', operation: 'audit', loginPartnerId: String(P.AMARA_OKAFOR) });
		const findings = report.json.findings as any[];
		const key = (f: any) => `${f.kind}:${f.model}:${f.record_id}`;
		const keys = new Set(findings.map(key));
		for (const f of [...W.integrity.actorNotMember, ...W.integrity.actorNotActiveMember]) expect(keys).toContain(`actor_not_member:${f.model}:${f.id}`);
		for (const f of W.integrity.archivedSa) expect(keys).toContain(`sa_inactive:${f.model}:${f.id}`);

		await expect(run({ resource: 'integrity', operation: 'audit', loginPartnerId: String(W.twoContextPerson), saId: String(W.sa.OV_KENYA) })).rejects.toThrow(/only its current manager/);

		const [repaired] = await run({ resource: 'integrity', operation: 'audit', loginPartnerId: String(P.AMARA_OKAFOR), repair: true });
		expect(repaired.json.repaired).toMatchObject({ normalised: expect.any(Object) });
		for (const f of [...W.integrity.actorNotMember, ...W.integrity.actorNotActiveMember]) expect(stamp(f.model, f.id)).toEqual({ sa: f.sa, actor: null });
		const [after] = await run({ resource: 'integrity', operation: 'audit', loginPartnerId: String(P.AMARA_OKAFOR) });
		expect((after.json.findings as any[]).filter((f) => f.kind === 'actor_not_member')).toEqual([]);
		// An archived SA's stamps need an administrator's decision: reported, never guessed.
		const onArchived = ['res.partner', 'sale.order', 'helpdesk.ticket'].flatMap((m) => rows(m).filter((r) => r.x_sa_id === W.sa.LUMBER_ARCHIVED)).length + rows('ov.asset').filter((a) => a.sa_id === W.sa.LUMBER_ARCHIVED).length;
		expect(onArchived).toBeGreaterThanOrEqual(W.integrity.archivedSa.length);
		expect((after.json.findings as any[]).filter((f) => f.kind === 'sa_inactive').length).toBe(onArchived);
	});
});
