/**
 * The SA governance world of the sandbox (seeds 004/001, test/sandboxes/odoo/governance.ts): the ov.* models, the
 * `{actor, sa}` stamps as manual x_ fields, and the seeded world's shape, over JSON-RPC and XML-RPC.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GOVERNANCE_WORLD as W, parseMethodResponse, serializeMethodCall, startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { makeKw, odooError } from './helpers';

let sb: OdooSandbox;
let kw: ReturnType<typeof makeKw>;

beforeAll(async () => {
	sb = await startOdooSandbox({ clock: () => new Date('2026-11-28T12:00:00Z') });
	kw = makeKw(sb);
});
afterAll(async () => {
	await sb.close();
});

const { sa: SA, person: P, membership: M } = W;
const ALL = { context: { active_test: false } };
type Row = Record<string, unknown> & { id: number };
const m2o = (v: unknown): number | false => (Array.isArray(v) ? (v[0] as number) : false);

async function xmlrpc(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<unknown> {
	const res = await fetch(`${sb.url}/xmlrpc/2/object`, {
		method: 'POST',
		headers: { 'content-type': 'text/xml' },
		body: serializeMethodCall('execute_kw', [sb.db, 2, 'admin', model, method, args, kwargs]),
	});
	const out = parseMethodResponse(await res.text());
	if ('fault' in out) throw new Error(out.fault.faultString);
	return out.result;
}

describe('models and stamp fields', () => {
	test('fields_get of the ov.* models has the names and types lib/governance reads', async () => {
		const attrs = { attributes: ['type', 'relation', 'required', 'selection'] };
		const sa = await kw('ov.serviced_account', 'fields_get', [], attrs);
		expect(sa).toMatchObject({
			name: { type: 'char', required: true },
			parent_id: { type: 'many2one', relation: 'ov.serviced_account' },
			child_ids: { type: 'one2many', relation: 'ov.serviced_account' },
			anchor_partner_id: { type: 'many2one', relation: 'res.partner' },
			sa_class: { type: 'selection', selection: [['OVAC', expect.any(String)], ['EXTC', expect.any(String)]] },
			state: { type: 'selection', selection: [['draft', 'Draft'], ['active', 'Active'], ['archived', 'Archived']] },
			sa_manager_id: { type: 'many2one', relation: 'res.partner' },
			active: { type: 'boolean' },
		});
		expect(await kw('ov.membership', 'fields_get', [], attrs)).toMatchObject({
			partner_id: { type: 'many2one', relation: 'res.partner', required: true },
			sa_id: { type: 'many2one', relation: 'ov.serviced_account', required: true },
			state: { type: 'selection', selection: [['active', 'Active'], ['suspended', 'Suspended'], ['revoked', 'Revoked']] },
			date_start: { type: 'date' },
			date_end: { type: 'date', required: false },
			parent_membership_id: { type: 'many2one', relation: 'ov.membership' },
			child_ids: { type: 'one2many', relation: 'ov.membership' },
		});
		expect(await kw('ov.asset', 'fields_get', [], attrs)).toMatchObject({
			name: { type: 'char' },
			sa_id: { type: 'many2one', relation: 'ov.serviced_account', required: false },
			asset_class: { type: 'selection', selection: [['FLEET', expect.any(String)], ['ITEM', expect.any(String)]] },
			location_id: { type: 'many2one', relation: 'stock.location', required: false },
			lot_id: { type: 'many2one', relation: 'stock.production.lot', required: false },
		});
		expect(await kw('ov.sa_customer_assignment', 'fields_get', [], attrs)).toMatchObject({
			sa_id: { type: 'many2one', relation: 'ov.serviced_account' },
			record_model: { type: 'char' },
			record_id: { type: 'integer' },
			actor_partner_id: { type: 'many2one', relation: 'res.partner' },
			state: { type: 'selection', selection: [['active', 'Active'], ['expired', 'Expired']] },
			date_from: { type: 'datetime' },
			date_to: { type: 'datetime', required: false },
		});
		expect(await kw('sale.order', 'fields_get', [['name', 'partner_id', 'amount_total', 'state', 'user_id', 'date_order']], attrs)).toEqual({
			name: { type: 'char', required: true },
			partner_id: { type: 'many2one', relation: 'res.partner', required: true },
			amount_total: { type: 'monetary', required: false },
			state: { type: 'selection', required: false, selection: [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']] },
			user_id: { type: 'many2one', relation: 'res.users', required: false },
			date_order: { type: 'datetime', required: true },
		});
		expect(await kw('stock.location', 'fields_get', [['name', 'location_id', 'usage']], { attributes: ['type', 'relation'] })).toMatchObject({ location_id: { type: 'many2one', relation: 'stock.location' } });
		expect(await kw('stock.production.lot', 'fields_get', [['name', 'product_id']], { attributes: ['type', 'relation'] })).toEqual({ name: { type: 'char' }, product_id: { type: 'many2one', relation: 'product.product' } });
	});

	test.each(['res.partner', 'sale.order', 'helpdesk.ticket'])('%s carries x_sa_id / x_actor_id as manual fields', async (model) => {
		expect(await kw(model, 'fields_get', [['x_sa_id', 'x_actor_id']], { attributes: ['type', 'relation', 'manual', 'string', 'store'] })).toEqual({
			x_sa_id: { type: 'many2one', relation: 'ov.serviced_account', manual: true, string: 'Serviced Account', store: true },
			x_actor_id: { type: 'many2one', relation: 'res.partner', manual: true, string: 'Actor', store: true },
		});
	});

	test('ir.model lists the new models; the stamps are manual ir.model.fields rows', async () => {
		const models = await kw('ir.model', 'search_read', [[['model', 'like', 'ov.']]], { fields: ['model', 'modules', 'state'] });
		expect(models.map((r: Row) => r.model).sort()).toEqual(['ov.asset', 'ov.membership', 'ov.sa_customer_assignment', 'ov.serviced_account']);
		expect(models.every((r: Row) => r.modules === 'ov_governance' && r.state === 'base')).toBe(true);
		const rows = await kw('ir.model.fields', 'search_read', [[['model', 'in', ['res.partner', 'sale.order']], ['name', '=like', 'x_%']]], { fields: ['model', 'name', 'ttype', 'relation', 'state'], order: 'model, name' });
		expect(rows.map(({ id: _id, ...r }: Row) => r)).toEqual([
			{ model: 'res.partner', name: 'x_actor_id', ttype: 'many2one', relation: 'res.partner', state: 'manual' },
			{ model: 'res.partner', name: 'x_sa_id', ttype: 'many2one', relation: 'ov.serviced_account', state: 'manual' },
			{ model: 'sale.order', name: 'x_actor_id', ttype: 'many2one', relation: 'res.partner', state: 'manual' },
			{ model: 'sale.order', name: 'x_sa_id', ttype: 'many2one', relation: 'ov.serviced_account', state: 'manual' },
		]);
	});

	test('the recorded database and governance: false have none of it', async () => {
		const plain = await startOdooSandbox({ db: 'acceptance' });
		const off = await startOdooSandbox({ governance: false });
		try {
			for (const s of [plain, off]) {
				const e = await odooError(makeKw(s)('ov.serviced_account', 'search', [[]]));
				expect(e.message).toBe("Object ov.serviced_account doesn't exist");
				expect(await makeKw(s)('helpdesk.ticket', 'fields_get', [['x_sa_id']], { attributes: ['type'] })).toEqual({});
			}
		} finally {
			await Promise.all([plain.close(), off.close()]);
		}
	});
});

describe('queries on the stamps and the trees', () => {
	test('assigned_plus_unassigned domain over JSON-RPC and XML-RPC', async () => {
		const domain = [['x_sa_id', '=', SA.DECO_ADDICT], '|', ['x_actor_id', '=', P.OTIENO_ODHIAMBO], ['x_actor_id', '=', false]];
		const orders = await kw('sale.order', 'search_read', [domain], { fields: ['name', 'state', 'x_sa_id', 'x_actor_id'], order: 'id' });
		expect(orders).toEqual([
			{ id: 1, name: 'S00001', state: 'sale', x_sa_id: [SA.DECO_ADDICT, 'Deco Addict'], x_actor_id: [P.OTIENO_ODHIAMBO, 'Omnivoltaic Kenya Ltd, Otieno Odhiambo'] },
			{ id: 2, name: 'S00002', state: 'draft', x_sa_id: [SA.DECO_ADDICT, 'Deco Addict'], x_actor_id: [P.OTIENO_ODHIAMBO, 'Omnivoltaic Kenya Ltd, Otieno Odhiambo'] },
			{ id: 3, name: 'S00003', state: 'sent', x_sa_id: [SA.DECO_ADDICT, 'Deco Addict'], x_actor_id: false },
		]);
		// The same question over XML-RPC, on the three stamped models.
		const ids = async (model: string, sa: number, actor: number) =>
			((await xmlrpc(model, 'search', [[['x_sa_id', '=', sa], '|', ['x_actor_id', '=', actor], ['x_actor_id', '=', false]]], { order: 'id' })) as number[]);
		expect(await ids('sale.order', SA.DECO_ADDICT, P.OTIENO_ODHIAMBO)).toEqual([1, 2, 3]);
		expect(await ids('helpdesk.ticket', SA.DECO_ADDICT, P.FLOYD_STEWARD)).toEqual([W.ticket.DECO_PRINTER]);
		expect(await ids('helpdesk.ticket', SA.AZURE_INTERIOR, P.SOHAM_PALMER)).toEqual([W.ticket.AZURE_VPN_UNASSIGNED]);
		expect(await ids('res.partner', SA.OV_KENYA, P.OTIENO_ODHIAMBO)).toEqual(
			[W.company.DECO_ADDICT, W.company.GEMINI_FURNITURE, W.company.LUMBER_INC, W.contact.JOSEPH_KARIUKI, W.contact.DANIEL_KIBET].sort((a, b) => a - b),
		);
		// sa_wide and assigned_only shapes.
		expect(await kw('sale.order', 'search_count', [[['x_sa_id', '=', SA.DECO_ADDICT]]])).toBe(3);
		expect(await kw('helpdesk.ticket', 'search', [[['x_sa_id', '=', SA.DECO_ADDICT], ['x_actor_id', '=', P.DOUGLAS_FLETCHER]]])).toEqual([W.ticket.DECO_MAILBOX]);
		expect(await kw('helpdesk.ticket', 'search_count', [[['x_sa_id', '=', false]]])).toBe(1);
	});

	test('child_of / parent_of on the SA tree and the membership tree', async () => {
		expect(await kw('ov.serviced_account', 'search', [[['id', 'child_of', SA.OV_KENYA]]], { order: 'id' })).toEqual([SA.OV_KENYA, SA.DECO_ADDICT, SA.AZURE_INTERIOR, SA.GEMINI_FURNITURE]);
		expect(await kw('ov.serviced_account', 'search', [[['id', 'child_of', SA.OV_KENYA]]], { order: 'id', ...ALL })).toEqual([SA.OV_KENYA, SA.DECO_ADDICT, SA.AZURE_INTERIOR, SA.GEMINI_FURNITURE, SA.LUMBER_ARCHIVED]);
		expect(await kw('ov.serviced_account', 'search_count', [[['id', 'child_of', SA.ROOT]]])).toBe(W.counts.activeServicedAccounts);
		expect(await kw('ov.serviced_account', 'search', [[['id', 'parent_of', SA.WOOD_CORNER]]], { order: 'id' })).toEqual([SA.ROOT, SA.OV_NIGERIA, SA.WOOD_CORNER]);
		expect(await xmlrpc('ov.serviced_account', 'search', [[['parent_id', '=', SA.OV_NIGERIA]]], { order: 'id' })).toEqual([SA.WOOD_CORNER, SA.READY_MAT, SA.JACKSON_GROUP]);
		// SA-level roll-up of records: stamps anywhere under OV Nigeria.
		expect(await kw('sale.order', 'search', [[['x_sa_id', 'child_of', SA.OV_NIGERIA]]], { order: 'id' })).toEqual([7, 8, 9, 11]);
		// The recursive team of a membership (the membership tree's parent is parent_membership_id).
		expect(await kw('ov.membership', 'search', [[['id', 'child_of', M.WANJIRU_KENYA]]], { order: 'id' })).toEqual([M.WANJIRU_KENYA, M.OTIENO_KENYA, M.ACHIENG_KENYA, M.KIPCHOGE_KENYA_SUSPENDED]);
		const [sa] = await kw('ov.serviced_account', 'read', [[SA.OV_KENYA]], { fields: ['child_ids', 'membership_ids', 'display_name'] });
		expect(sa).toEqual({ id: SA.OV_KENYA, child_ids: [SA.AZURE_INTERIOR, SA.DECO_ADDICT, SA.GEMINI_FURNITURE], membership_ids: [M.WANJIRU_KENYA, M.OTIENO_KENYA, M.ACHIENG_KENYA, M.KIPCHOGE_KENYA_SUSPENDED], display_name: 'Omnivoltaic Kenya' });
		const [m] = await kw('ov.membership', 'read', [[M.OTIENO_DECO]], { fields: ['display_name', 'parent_membership_id', 'child_ids'] });
		expect(m).toEqual({ id: M.OTIENO_DECO, display_name: 'Omnivoltaic Kenya Ltd, Otieno Odhiambo @ Deco Addict', parent_membership_id: [M.DOUGLAS_DECO, 'Deco Addict, Douglas Fletcher @ Deco Addict'], child_ids: [] });
		const [loc] = await kw('stock.location', 'read', [[W.location.NAIROBI_WEST]], { fields: ['complete_name', 'display_name'] });
		expect(loc).toEqual({ id: W.location.NAIROBI_WEST, complete_name: 'WH/Stock/Nairobi West Swap Network', display_name: 'WH/Stock/Nairobi West Swap Network' });
	});
});

describe('writes', () => {
	afterAll(() => sb.resetData());

	test('stamp, reassign and normalise; refused values fail like Odoo', async () => {
		const so = W.saleOrder.DECO_QUOTE_UNASSIGNED;
		expect(await kw('sale.order', 'write', [[so], { x_actor_id: P.FLOYD_STEWARD }])).toBe(true);
		expect((await kw('sale.order', 'read', [[so]], { fields: ['x_actor_id'] }))[0].x_actor_id).toEqual([P.FLOYD_STEWARD, 'Deco Addict, Floyd Steward']);
		// Revoking a membership and normalising that actor's stamps in the SA (what Revoke Membership does).
		expect(await kw('ov.membership', 'write', [[M.FLOYD_DECO], { state: 'revoked', date_end: '2026-11-28' }])).toBe(true);
		for (const model of ['res.partner', 'sale.order', 'helpdesk.ticket']) {
			const ids = await kw(model, 'search', [[['x_sa_id', '=', SA.DECO_ADDICT], ['x_actor_id', '=', P.FLOYD_STEWARD]]]);
			expect(ids.length).toBeGreaterThan(0);
			await kw(model, 'write', [ids, { x_actor_id: false }]);
		}
		expect(await xmlrpc('helpdesk.ticket', 'read', [[W.ticket.DECO_PRINTER]], { fields: ['x_sa_id', 'x_actor_id'] })).toEqual([{ id: 1, x_sa_id: [SA.DECO_ADDICT, 'Deco Addict'], x_actor_id: false }]);
		// A created order takes the next S number and can be stamped at once.
		const id = await kw('sale.order', 'create', [{ partner_id: W.company.JACKSON_GROUP, x_sa_id: SA.JACKSON_GROUP, x_actor_id: P.TONI_JIMENEZ, amount_total: 99.5 }]);
		expect(await kw('sale.order', 'read', [[id]], { fields: ['name', 'state', 'amount_total', 'x_sa_id'] })).toEqual([{ id: W.next.saleOrder, name: W.next.saleOrderName, state: 'draft', amount_total: 99.5, x_sa_id: [SA.JACKSON_GROUP, 'The Jackson Group'] }]);
		// V3: expire the active row and open a new one.
		await kw('ov.sa_customer_assignment', 'write', [[W.assignment.DECO_OTIENO], { state: 'expired', date_to: '2026-11-28 12:00:00' }]);
		const a = await kw('ov.sa_customer_assignment', 'create', [{ sa_id: SA.OV_KENYA, record_model: 'res.partner', record_id: W.company.DECO_ADDICT, actor_partner_id: P.ACHIENG_NJERI }]);
		const rows = await kw('ov.sa_customer_assignment', 'search_read', [[['record_model', '=', 'res.partner'], ['record_id', '=', W.company.DECO_ADDICT]]], { fields: ['state', 'date_from'], order: 'id' });
		expect(rows).toEqual([
			{ id: 1, state: 'expired', date_from: '2025-04-01 08:00:00' },
			{ id: 2, state: 'expired', date_from: '2026-05-31 17:00:00' },
			{ id: a, state: 'active', date_from: '2026-11-28 12:00:00' },
		]);
		// Refusals: a stamp to a missing SA (foreign key), a bad selection, a membership without its SA.
		expect((await odooError(kw('helpdesk.ticket', 'write', [[2], { x_sa_id: 9999 }]))).message).toContain('Constraint: helpdesk_ticket_x_sa_id_fkey');
		expect((await odooError(kw('ov.membership', 'write', [[M.OTIENO_DECO], { state: 'paused' }]))).message).toBe("Wrong value for ov.membership.state: 'paused'");
		expect((await odooError(kw('ov.membership', 'create', [{ partner_id: P.KUNLE_AJAYI }]))).message).toContain('Field: Serviced Account (sa_id)');
	});
});

describe('the seeded world', () => {
	let sas: Row[];
	let ms: Row[];
	beforeAll(async () => {
		sas = await kw('ov.serviced_account', 'search_read', [[]], { fields: ['name', 'parent_id', 'anchor_partner_id', 'sa_class', 'state', 'sa_manager_id', 'active'], order: 'id', ...ALL });
		ms = await kw('ov.membership', 'search_read', [[]], { fields: ['partner_id', 'sa_id', 'state', 'date_start', 'date_end', 'parent_membership_id'], order: 'id' });
	});

	test('SA_ROOT → 2 OVAC → 3 EXTC each (+1 archived), anchored on companies, each with a manager', async () => {
		expect(sas).toHaveLength(W.counts.servicedAccounts);
		const byId = new Map(sas.map((s) => [s.id, s]));
		expect(byId.get(SA.ROOT)).toMatchObject({ name: 'SA_ROOT', parent_id: false, sa_class: 'OVAC', state: 'active' });
		const ovac = sas.filter((s) => m2o(s.parent_id) === SA.ROOT);
		expect(ovac.map((s) => [s.id, s.sa_class])).toEqual([[SA.OV_KENYA, 'OVAC'], [SA.OV_NIGERIA, 'OVAC']]);
		for (const o of ovac) {
			const kids = sas.filter((s) => m2o(s.parent_id) === o.id && s.active);
			expect(kids).toHaveLength(3);
			expect(kids.every((k) => k.sa_class === 'EXTC' && k.state === 'active')).toBe(true);
		}
		expect(byId.get(SA.LUMBER_ARCHIVED)).toMatchObject({ state: 'archived', active: false, parent_id: [SA.OV_KENYA, 'Omnivoltaic Kenya'] });
		const anchors = await kw('res.partner', 'read', [sas.map((s) => m2o(s.anchor_partner_id))], { fields: ['is_company'] });
		expect(anchors.every((p: Row) => p.is_company === true)).toBe(true);
		for (const s of sas) {
			expect(m2o(s.anchor_partner_id)).toBe(W.anchor[s.id]);
			expect(m2o(s.sa_manager_id)).toBe(W.manager[s.id]);
		}
	});

	test('membership trees are rooted at the sa_manager, 2–3 levels deep, over persons', async () => {
		expect(ms).toHaveLength(W.counts.memberships);
		const byId = new Map(ms.map((m) => [m.id, m]));
		for (const s of sas) {
			const own = ms.filter((m) => m2o(m.sa_id) === s.id);
			const roots = own.filter((m) => !m.parent_membership_id);
			expect(roots.map((r) => m2o(r.partner_id))).toEqual([W.manager[s.id]]);
			const depth = (m: Row): number => (m.parent_membership_id ? 1 + depth(byId.get(m2o(m.parent_membership_id) as number)!) : 1);
			for (const m of own) expect(m2o(byId.get(m.id)!.sa_id)).toBe(m2o((m.parent_membership_id ? byId.get(m2o(m.parent_membership_id) as number)! : m).sa_id));
			const deepest = Math.max(...own.map(depth));
			if (s.id !== SA.LUMBER_ARCHIVED) expect([2, 3]).toContain(deepest);
		}
		const people = await kw('res.partner', 'read', [[...new Set(ms.map((m) => m2o(m.partner_id)))]], { fields: ['is_company'] });
		expect(people.every((p: Row) => p.is_company === false)).toBe(true);
		// States: one suspended, two revoked, one whose window has ended.
		expect(ms.filter((m) => m.state === 'suspended').map((m) => m.id)).toEqual([M.KIPCHOGE_KENYA_SUSPENDED]);
		expect(ms.filter((m) => m.state === 'revoked').map((m) => m.id)).toEqual([M.IBRAHIM_NIGERIA_REVOKED, M.EDITH_READY_REVOKED]);
		expect(ms.filter((m) => m.state === 'active' && typeof m.date_end === 'string' && m.date_end < '2026-11-28').map((m) => m.id)).toEqual([M.COLLEEN_AZURE_ENDED]);
	});

	test('people act in several SAs; Otieno in an OVAC and an EXTC context', async () => {
		const contexts = await kw('ov.membership', 'search_read', [[['partner_id', '=', W.twoContextPerson], ['state', '=', 'active']]], { fields: ['sa_id'], order: 'id' });
		const classes = await kw('ov.serviced_account', 'read', [contexts.map((c: Row) => m2o(c.sa_id))], { fields: ['sa_class'] });
		expect(classes).toEqual([
			{ id: SA.OV_KENYA, sa_class: 'OVAC' },
			{ id: SA.DECO_ADDICT, sa_class: 'EXTC' },
		]);
		const multi = new Map<number, number>();
		for (const m of ms) multi.set(m2o(m.partner_id) as number, (multi.get(m2o(m.partner_id) as number) ?? 0) + 1);
		expect([...multi].filter(([, n]) => n > 1).map(([p]) => p).sort((a, b) => a - b)).toEqual(
			[P.WANJIRU_KAMAU, P.OTIENO_ODHIAMBO, P.ACHIENG_NJERI, P.CHINEDU_EZE, P.FUNMILAYO_ADEYEMI].sort((a, b) => a - b),
		);
	});

	test('stamped records, assets and assignments; an audit finds exactly the seeded problems', async () => {
		const stamped: Array<{ model: string; id: number; sa: number; actor: number | false }> = [];
		for (const model of ['res.partner', 'sale.order', 'helpdesk.ticket']) {
			const rows = await kw(model, 'search_read', [[['x_sa_id', '!=', false]]], { fields: ['x_sa_id', 'x_actor_id'], order: 'id', ...ALL });
			for (const r of rows) stamped.push({ model, id: r.id, sa: m2o(r.x_sa_id) as number, actor: m2o(r.x_actor_id) });
		}
		const count = (model: string) => stamped.filter((s) => s.model === model).length;
		expect([count('res.partner'), count('sale.order'), count('helpdesk.ticket')]).toEqual([W.counts.stampedPartners, W.counts.saleOrders, W.counts.stampedTickets]);
		expect(stamped.some((s) => s.actor === false)).toBe(true);
		const orders = await kw('sale.order', 'read_group', [[], ['state'], ['state']], { orderby: 'state' });
		expect(Object.fromEntries(orders.map((g: Row) => [g.state, g.state_count]))).toEqual({ cancel: 1, draft: 5, sale: 4, sent: 2 });

		// The audit rule of seed 004 §8, computed from the rows: what lib/governance's audit must report.
		const active = new Set(sas.filter((s) => s.active).map((s) => s.id));
		const today = '2026-11-28';
		const effective = (m: Row) => m.state === 'active' && (!m.date_start || m.date_start <= today) && (!m.date_end || m.date_end >= today);
		const notMember: unknown[] = [];
		const notActive: unknown[] = [];
		const archived: unknown[] = [];
		for (const s of stamped) {
			if (!active.has(s.sa)) archived.push({ model: s.model, id: s.id, sa: s.sa });
			if (s.actor === false) continue;
			const mine = ms.filter((m) => m2o(m.sa_id) === s.sa && m2o(m.partner_id) === s.actor);
			if (mine.length === 0) notMember.push({ model: s.model, id: s.id, sa: s.sa, actor: s.actor });
			else if (!mine.some(effective) && active.has(s.sa)) notActive.push({ model: s.model, id: s.id, sa: s.sa, actor: s.actor, state: mine[0].state });
		}
		expect(notMember).toEqual(W.integrity.actorNotMember);
		expect(notActive).toEqual(W.integrity.actorNotActiveMember);
		expect(archived).toEqual(W.integrity.archivedSa);

		const assets = await kw('ov.asset', 'search_read', [[]], { fields: ['asset_class', 'sa_id', 'location_id', 'lot_id'], order: 'id' });
		expect(assets).toHaveLength(W.counts.assets);
		for (const a of assets) expect(a.asset_class === 'FLEET' ? a.lot_id === false : a.location_id === false).toBe(true);
		expect(assets.filter((a: Row) => a.asset_class === 'FLEET' && a.location_id).length).toBe(4);
		expect(assets.filter((a: Row) => a.asset_class === 'ITEM').map((a: Row) => [a.id, m2o(a.sa_id), m2o(a.lot_id)])).toEqual([
			[W.asset.READY_PUMP, SA.READY_MAT, W.lot.SP200_NG_0007],
			[W.asset.SPARE_BATTERY_LIMBO, false, W.lot.BAT_000999],
			[W.asset.JACKSON_BIKE_NO_REF, SA.JACKSON_GROUP, false],
		]);

		const rows = await kw('ov.sa_customer_assignment', 'search_read', [[]], { fields: ['sa_id', 'record_model', 'record_id', 'actor_partner_id', 'state', 'date_to'], order: 'id' });
		expect(rows).toHaveLength(W.counts.assignments);
		expect(rows.filter((r: Row) => r.state === 'expired').map((r: Row) => [r.id, r.date_to])).toEqual([[W.assignment.DECO_ACHIENG_EXPIRED, '2026-05-31 17:00:00']]);
		const activeKeys = rows.filter((r: Row) => r.state === 'active').map((r: Row) => `${m2o(r.sa_id)}/${r.record_model}/${r.record_id}`);
		expect(new Set(activeKeys).size).toBe(activeKeys.length);
	});

	test('demo data keeps its ids and the next ids are documented', async () => {
		expect(await kw('res.partner', 'search_count', [[['id', '<', 2644]]])).toBe(2639);
		expect(await kw('helpdesk.ticket', 'search_count', [[]])).toBe(9);
		const created = await kw('res.partner', 'create', [{ name: 'After the world' }]);
		expect(created).toBe(W.next.partner);
		const ticket = await kw('helpdesk.ticket', 'create', [{ name: 'After the world', description: 'x' }]);
		expect(await kw('helpdesk.ticket', 'read', [[ticket]], { fields: ['number'] })).toEqual([{ id: W.next.ticket, number: W.next.ticketNumber }]);
		sb.resetData();
	});

	test('README documents the same ids as GOVERNANCE_WORLD', () => {
		const readme = fs.readFileSync(path.join(__dirname, '..', 'sandboxes', 'odoo', 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('## Governance world'));
		expect(section.length).toBeGreaterThan(100);
		for (const s of sas) expect(section).toContain(`| ${s.id} | ${s.name} |`);
		for (const [key, id] of Object.entries(W.membership)) expect(section).toMatch(new RegExp(`\\| ${id} \\|[^\\n]*\\b${key}\\b`));
		for (const [key, id] of Object.entries(W.person)) expect(section).toMatch(new RegExp(`\\| ${id} \\|[^\\n]*\\b${key}\\b`));
	});
});

describe('child_of follows the field, not the searched model', () => {
	test('memberships of an SA subtree, and partners stamped inside it', async () => {
		const sb = await startOdooSandbox();
		try {
			const kw = makeKw(sb);
			const accounts: Array<{ id: number }> = await kw('ov.serviced_account', 'search_read', [[['id', 'child_of', 3]]], { fields: ['id'], context: { active_test: false } });
			const subtree = accounts.map((a) => a.id);
			expect(subtree).toContain(3);
			expect(subtree.length).toBeGreaterThan(1);
			const memberships: Array<{ sa_id: [number, string] }> = await kw('ov.membership', 'search_read', [[['sa_id', 'child_of', 3]]], { fields: ['sa_id'], context: { active_test: false } });
			expect(memberships.length).toBeGreaterThan(0);
			expect(memberships.every((m) => subtree.includes(m.sa_id[0]))).toBe(true);
			const direct: number[] = await kw('ov.membership', 'search', [[['sa_id', 'in', subtree]]], { context: { active_test: false } });
			expect(memberships.length).toBe(direct.length);
		} finally {
			await sb.close();
		}
	});
});
