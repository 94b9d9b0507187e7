import {
	ACTIONS,
	DEFAULT_NAMES,
	InMemoryGovernanceStore,
	auditIntegrity,
	checkAction,
	checkWithStore,
	revokeWithStore,
	filterVisible,
	indexWorld,
	planReassignV2,
	planReassignV3,
	planRepair,
	planRevoke,
	resolveContext,
	rollUp,
	validateStamp,
	visibilityDomain,
	type Assignment,
	type GovernanceContext,
	type ResolveResult,
} from '../../../lib/governance';
import { NOW, P, SA, applyRecordWrites, asOdooRow, evalDomain, seededRecords, seededWorld } from './fixtures';

const world = indexWorld(seededWorld());
const records = seededRecords();

function ctxOf(partner: number, saId?: number): GovernanceContext {
	const result: ResolveResult = resolveContext(world, partner, saId, NOW);
	if (!result.ok) throw new Error(`expected a context, got ${result.reason}: ${result.message}`);
	return result;
}

describe('resolveContext', () => {
	it('asks to choose when a person is in an OVAC and an EXTC context, and lists both', () => {
		const result = resolveContext(world, P.alice, undefined, NOW);
		expect(result).toMatchObject({ ok: false, reason: 'ambiguous_sa' });
		expect(!result.ok && result.details?.choices).toEqual([
			{ sa_id: SA.kenya, name: 'Omnivoltaic Kenya', sa_class: 'OVAC' },
			{ sa_id: SA.nairobi, name: 'Nairobi Swap Co', sa_class: 'EXTC' },
		]);
	});

	it('gives a different, isolated authority in each of the two contexts', () => {
		const ovac = ctxOf(P.alice, SA.kenya);
		expect(ovac).toMatchObject({ actor: P.alice, isSaManager: false, authority: { saa: false, sam: true }, descendantSaIds: [] });
		expect(ovac.membership.id).toBe(4);
		// Dan is suspended and Frank's window has ended: neither is in the team.
		expect(ovac.subordinates).toEqual({ direct: [P.bob], team: [P.bob, P.carol] });
		const extc = ctxOf(P.alice, SA.nairobi);
		expect(extc.membership.id).toBe(9);
		expect(extc.subordinates).toEqual({ direct: [], team: [] });
	});

	it('auto-selects the only SA', () => {
		expect(ctxOf(P.bob).sa.id).toBe(SA.kenya);
	});

	it('makes the current sa_manager the root: whole team, SAA, and only active descendant SAs', () => {
		const kenya = ctxOf(P.kenyaMgr);
		expect(kenya).toMatchObject({ isSaManager: true, authority: { saa: true, sam: true } });
		// Grace has no parent membership: the root adopts her, but she only starts in 2027.
		expect(kenya.subordinates.direct).toEqual([P.alice]);
		expect(kenya.subordinates.team.sort()).toEqual([P.alice, P.bob, P.carol].sort());
		// Kisumu (below Nairobi) is archived, so it is not rolled up.
		expect(kenya.descendantSaIds).toEqual([SA.nairobi, SA.mombasa]);
		expect(ctxOf(P.nigeriaMgr).descendantSaIds).toEqual([]);
	});

	it.each([
		['an unknown person', P.stranger, undefined, 'not_member'],
		['a suspended member', P.dan, SA.kenya, 'membership_suspended'],
		['a suspended member without a choice', P.dan, undefined, 'no_active_membership'],
		['a membership whose window ended', P.frank, SA.kenya, 'membership_not_effective'],
		['a membership that has not started', P.grace, SA.kenya, 'membership_not_effective'],
		['an SA that does not exist', P.bob, 4242, 'unknown_sa'],
		['an inactive SA', P.nigeriaMgr, SA.lagos, 'sa_inactive'],
		['an SA the person is not in', P.bob, SA.nairobi, 'not_member'],
	])('denies %s', (_label, partner, saId, reason) => {
		const result = resolveContext(world, partner, saId, NOW);
		expect(result).toMatchObject({ ok: false, reason });
		expect(!result.ok && result.message.length).toBeGreaterThan(10);
	});
});

describe('visibility', () => {
	const bob = () => ctxOf(P.bob);

	it('builds the three policy domains, always inside sa == current_sa', () => {
		expect(visibilityDomain(bob(), 'sa_wide').domain).toEqual([['x_sa_id', '=', SA.kenya]]);
		expect(visibilityDomain(bob(), 'assigned_only').domain).toEqual(['&', ['x_sa_id', '=', SA.kenya], ['x_actor_id', '=', P.bob]]);
		expect(visibilityDomain(bob(), 'assigned_plus_unassigned').domain).toEqual(['&', ['x_sa_id', '=', SA.kenya], '|', ['x_actor_id', '=', P.bob], ['x_actor_id', '=', false]]);
	});

	it('rolls up the team for someone with subordinates, and the SA tree only for the manager', () => {
		expect(visibilityDomain(bob(), 'assigned_only', DEFAULT_NAMES, { scope: 'team' }).domain).toEqual(['&', ['x_sa_id', '=', SA.kenya], ['x_actor_id', 'in', [P.bob, P.carol]]]);
		expect(visibilityDomain(bob(), 'sa_wide', DEFAULT_NAMES, { scope: 'sa_tree' })).toMatchObject({ ok: false, reason: 'needs_sa_manager', domain: [['id', 'in', []]] });
		const mgr = visibilityDomain(ctxOf(P.kenyaMgr), 'assigned_only', DEFAULT_NAMES, { scope: 'sa_tree' });
		expect(mgr.domain).toEqual(['|', '&', ['x_sa_id', '=', SA.kenya], ['x_actor_id', 'in', [P.kenyaMgr, P.alice, P.bob, P.carol].sort((a, b) => a - b)], ['x_sa_id', 'in', [SA.nairobi, SA.mombasa]]]);
	});

	it('uses configured names and per-model stamp fields', () => {
		const names = { ...DEFAULT_NAMES, saField: 'sa_ref', actorField: 'owner_ref', stampFields: { 'ov.asset': { sa: 'sa_id', actor: 'actor_id' } } };
		expect(visibilityDomain(bob(), 'assigned_only', names).domain).toEqual(['&', ['sa_ref', '=', SA.kenya], ['owner_ref', '=', P.bob]]);
		expect(visibilityDomain(bob(), 'sa_wide', names, { model: 'ov.asset' }).domain).toEqual([['sa_id', '=', SA.kenya]]);
	});

	it('filters in memory exactly as the domain does', () => {
		for (const ctx of [bob(), ctxOf(P.kenyaMgr), ctxOf(P.alice, SA.nairobi)]) {
			for (const policy of ['sa_wide', 'assigned_only', 'assigned_plus_unassigned']) {
				for (const scope of ['own', 'team', 'sa_tree'] as const) {
					const { domain } = visibilityDomain(ctx, policy, DEFAULT_NAMES, { scope });
					expect(filterVisible(records, ctx, policy, { scope }).map((r) => `${r.model}:${r.id}`)).toEqual(records.filter((r) => evalDomain(domain, asOdooRow(r))).map((r) => `${r.model}:${r.id}`));
				}
			}
		}
		expect(filterVisible(records, bob(), 'assigned_plus_unassigned').map((r) => r.id)).toEqual([2, 4, 20, 21, 30]);
	});

	it('fails closed on an unknown policy or a missing context', () => {
		expect(visibilityDomain(bob(), 'everything')).toMatchObject({ ok: false, reason: 'unknown_policy', domain: [['id', 'in', []]] });
		expect(visibilityDomain(undefined, 'sa_wide')).toMatchObject({ ok: false, reason: 'invalid_context' });
		expect(filterVisible(records, undefined, 'sa_wide')).toEqual([]);
	});
});

describe('checkAction', () => {
	const so = (id: number) => {
		const r = records.find((x) => x.model === 'sale.order' && x.id === id);
		return { model: 'sale.order', id, sa: r?.sa, actor: r?.actor };
	};

	it('classifies every action as SAA or SAM', () => {
		for (const [name, spec] of Object.entries(ACTIONS)) expect([name, ['SAA', 'SAM'].includes(spec.authority)]).toEqual([name, true]);
		expect(checkAction(world, ctxOf(P.bob), 'membership.add', [], NOW).authority).toBe('SAA');
		expect(checkAction(world, ctxOf(P.bob), 'record.update', [], NOW).authority).toBe('SAM');
	});

	it('lets a member work on own, unassigned and team records of the current SA only', () => {
		const result = checkAction(world, ctxOf(P.alice, SA.kenya), 'record.update', [so(1), so(4), so(3), so(5), so(6), so(9), { model: 'sale.order', id: 77 }], NOW);
		expect(result.results.map((r) => [r.id, r.allowed, r.reason])).toEqual([
			[1, true, 'assigned_to_actor'],
			[4, true, 'unassigned'],
			[3, true, 'assigned_to_team'],
			[5, false, 'assigned_to_other'],
			[6, false, 'other_sa'],
			[9, false, 'not_governed'],
			[77, false, 'missing_stamp'],
		]);
		expect(result.denied.every((d) => d.message.length > 10)).toBe(true);
	});

	it('reads under the app policy', () => {
		const read = (policy: 'assigned_only' | 'sa_wide') => checkAction(world, ctxOf(P.bob), 'record.read', [so(2), so(1), so(6)], NOW, { policy }).results.map((r) => r.reason);
		expect(read('assigned_only')).toEqual(['visible', 'not_visible', 'other_sa']);
		expect(read('sa_wide')).toEqual(['visible', 'visible', 'other_sa']);
	});

	it('assigns only to active members of the SA', () => {
		const ctx = ctxOf(P.alice, SA.kenya);
		expect(checkAction(world, ctx, 'record.assign', [so(4)], NOW, { toActor: P.carol }).results[0]).toMatchObject({ allowed: true });
		expect(checkAction(world, ctx, 'record.assign', [so(4)], NOW, { toActor: P.eve }).results[0]).toMatchObject({ allowed: false, reason: 'target_not_member' });
		expect(checkAction(world, ctx, 'record.assign', [so(4)], NOW, { toActor: P.dan }).results[0]).toMatchObject({ allowed: false, reason: 'target_not_member' });
		expect(checkAction(world, ctx, 'record.assign', [so(4)], NOW).results[0]).toMatchObject({ allowed: false, reason: 'missing_target_actor' });
	});

	it('keeps structure to the sa_manager, reaching down but never sideways, up, or into its own SA record', () => {
		const mgr = ctxOf(P.kenyaMgr);
		const saTarget = (id: number) => ({ model: 'ov.serviced_account', id });
		expect(checkAction(world, mgr, 'sa.archive', [saTarget(SA.nairobi), saTarget(SA.kenya), saTarget(SA.root), saTarget(SA.nigeria), saTarget(4242)], NOW).results.map((r) => r.reason)).toEqual([
			'in_reach',
			'needs_parent_sa_manager',
			'root_is_platform_managed',
			'outside_sa_tree',
			'unknown_sa',
		]);
		expect(checkAction(world, ctxOf(P.alice, SA.kenya), 'sa.archive', [saTarget(SA.nairobi)], NOW).results[0].reason).toBe('needs_sa_manager');
		expect(checkAction(world, mgr, 'sa.create', [{ model: 'ov.serviced_account', id: null, sa: SA.nairobi }], NOW).results[0].allowed).toBe(true);
		expect(checkAction(world, mgr, 'sa.change_manager', [saTarget(SA.nairobi)], NOW, { toActor: P.alice }).results[0].allowed).toBe(true);
		expect(checkAction(world, mgr, 'sa.change_manager', [saTarget(SA.nairobi)], NOW, { toActor: P.bob }).results[0].reason).toBe('target_not_member');
	});

	it('governs memberships, protecting the root manager', () => {
		const mgr = ctxOf(P.kenyaMgr);
		const m = (id: number) => ({ model: 'ov.membership', id });
		expect(checkAction(world, mgr, 'membership.revoke', [m(5), m(10), m(8), m(2), m(3), m(999)], NOW).results.map((r) => r.reason)).toEqual([
			'in_reach',
			'in_reach',
			'manager_membership',
			'manager_membership',
			'outside_sa_tree',
			'unknown_membership',
		]);
		expect(checkAction(world, mgr, 'membership.add', [{ model: 'ov.membership', id: null, sa: SA.mombasa, actor: P.bob }, { model: 'ov.membership', id: null, sa: SA.kenya, actor: P.bob }], NOW).results.map((r) => r.reason)).toEqual(['in_reach', 'duplicate_membership']);
	});

	it('keeps asset affiliation on the Odoo side', () => {
		const nairobi = ctxOf(P.nairobiMgr);
		expect(checkAction(world, nairobi, 'scope.assign', [{ model: 'ov.asset', id: 3 }], NOW).results[0].reason).toBe('odoo_side_only');
		expect(checkAction(world, nairobi, 'scope.remove', [{ model: 'ov.asset', id: 1 }], NOW).results[0].allowed).toBe(true);
		// The loaded wrapper's stamp wins over what the caller claims.
		expect(checkAction(world, ctxOf(P.eve), 'record.update', [{ model: 'ov.asset', id: 2, sa: SA.kenya, actor: P.bob }], NOW).results[0].reason).toBe('assigned_to_actor');
	});

	it('denies everything when the action is unknown or the context is forged or stale', () => {
		expect(checkAction(world, ctxOf(P.bob), 'record.delete_everything', [so(2)], NOW).results[0]).toMatchObject({ allowed: false, reason: 'unknown_action' });
		const forged = { ...ctxOf(P.bob), actor: P.kenyaMgr };
		expect(checkAction(world, forged, 'record.update', [so(5)], NOW).results[0].reason).toBe('invalid_context');
		const later = new Date('2030-01-01T00:00:00Z');
		const frankCtx = { ...ctxOf(P.alice, SA.kenya), actor: P.frank, membership: world.membershipById.get(12)! };
		expect(checkAction(world, frankCtx, 'record.update', [so(4)], later).results[0].reason).toBe('membership_not_effective');
		expect(checkAction(world, null as unknown as GovernanceContext, 'record.update', [so(4)], NOW).results[0].reason).toBe('invalid_context');
	});
});

describe('rollUp', () => {
	it('gives direct reports and the recursive team; descendant SAs only to the manager', () => {
		const alice = rollUp(world, ctxOf(P.alice, SA.kenya), NOW);
		expect(alice).toMatchObject({ ok: true, saIds: [SA.kenya], descendantSas: [] });
		expect(alice.ok && alice.team.map((t) => [t.partner_id, t.depth])).toEqual([
			[P.bob, 1],
			[P.carol, 2],
		]);
		const mgr = rollUp(world, ctxOf(P.kenyaMgr), NOW);
		expect(mgr.ok && mgr.descendantSas.map((d) => [d.name, d.depth])).toEqual([
			['Nairobi Swap Co', 1],
			['Mombasa Fleet Ltd', 1],
		]);
		expect(rollUp(world, ctxOf(P.root), NOW)).toMatchObject({ saIds: [SA.root, SA.kenya, SA.nigeria, SA.nairobi, SA.mombasa] });
	});
});

describe('stamps, revoke, reassign', () => {
	it('validates stamps', () => {
		expect(validateStamp(world, { sa: SA.kenya, actor: P.bob }, NOW)).toEqual({ ok: true });
		expect(validateStamp(world, { sa: SA.kenya, actor: null }, NOW)).toEqual({ ok: true });
		expect(validateStamp(world, { sa: SA.kenya, actor: P.eve }, NOW)).toMatchObject({ reason: 'actor_not_member' });
		expect(validateStamp(world, { sa: SA.kenya, actor: P.dan }, NOW)).toMatchObject({ reason: 'actor_not_member' });
		expect(validateStamp(world, { sa: SA.lagos, actor: null }, NOW)).toMatchObject({ reason: 'sa_inactive' });
		expect(validateStamp(world, { sa: 4242, actor: null }, NOW)).toMatchObject({ reason: 'unknown_sa' });
		expect(validateStamp(world, { sa: null, actor: P.bob }, NOW)).toMatchObject({ reason: 'missing_stamp' });
	});

	it('revokes Bob: normalises his records per model and re-hangs Carol under Alice', () => {
		const plan = planRevoke(world, 5, records, NOW);
		expect(plan).toMatchObject({
			ok: true,
			membership: { id: 5, values: { state: 'revoked', date_end: '2026-06-01 12:00:00' } },
			reparent: [{ id: 6, values: { parent_membership_id: 4 } }],
			counts: { 'sale.order': 1, 'helpdesk.ticket': 1, 'res.partner': 1 },
			total: 3,
			stillMember: false,
		});
		expect(plan.ok && plan.normalise).toContainEqual({ model: 'sale.order', ids: [2], values: { x_actor_id: false } });
		const after = applyRecordWrites(records, plan.ok ? plan.normalise : []);
		expect(after.filter((r) => r.actor === P.bob)).toEqual([]);
		expect(planRevoke(world, 2, records, NOW)).toMatchObject({ ok: false, reason: 'manager_membership' });
		expect(planRevoke(world, 999, records, NOW)).toMatchObject({ ok: false, reason: 'unknown_membership' });
	});

	it('reassigns directly (V2) only to an active member', () => {
		const plan = planReassignV2(world, { sa: SA.kenya, from: P.bob, to: P.carol }, records, NOW);
		expect(plan).toMatchObject({ ok: true, total: 3, counts: { 'sale.order': 1, 'helpdesk.ticket': 1, 'res.partner': 1 } });
		expect(planReassignV2(world, { sa: SA.kenya, from: P.bob, to: P.eve }, records, NOW)).toMatchObject({ ok: false, reason: 'target_not_member' });
	});

	it('reassigns with history (V3): expire the old row, open a new one', () => {
		const rows: Assignment[] = [{ id: 1, sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, actor_partner_id: P.bob, state: 'active', date_from: '2025-01-01 00:00:00', date_to: null }];
		const plan = planReassignV3(world, [{ sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, to_actor: P.carol }], rows, NOW);
		expect(plan.expire).toEqual([{ id: 1, values: { state: 'expired', date_to: '2026-06-01 12:00:00' } }]);
		expect(plan.create).toEqual([{ sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, actor_partner_id: P.carol, state: 'active', date_from: '2026-06-01 12:00:00', date_to: null }]);
		const same = planReassignV3(world, [{ sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, to_actor: P.bob }], rows, NOW);
		expect(same).toMatchObject({ expire: [], create: [], results: [{ ok: true, changed: false }] });
		expect(planReassignV3(world, [{ sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, to_actor: P.eve }], rows, NOW).results[0]).toMatchObject({ ok: false, reason: 'target_not_member' });
	});
});

describe('audit and repair', () => {
	it('finds broken stamps, dead SAs and duplicate assignments, and repairs what is mechanical', () => {
		const broken = [...records, { id: 40, model: 'sale.order', sa: SA.kenya, actor: P.eve }, { id: 41, model: 'sale.order', sa: SA.lagos, actor: null }, { id: 42, model: 'sale.order', sa: SA.kisumu, actor: null }];
		const rows: Assignment[] = [
			{ id: 1, sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, actor_partner_id: P.bob, state: 'active', date_from: '2025-01-01 00:00:00', date_to: null },
			{ id: 2, sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, actor_partner_id: P.carol, state: 'active', date_from: '2026-01-01 00:00:00', date_to: null },
		];
		const findings = auditIntegrity(world, broken, rows, NOW);
		// Kisumu is archived and Lagos inactive: both stamps are reported; their missing managers are not (dead SAs).
		expect(findings.map((f) => f.kind).sort()).toEqual(['actor_not_member', 'duplicate_active_assignment', 'sa_inactive', 'sa_inactive']);
		const repair = planRepair(findings, NOW);
		expect(repair.normalise).toEqual([{ model: 'sale.order', ids: [40], values: { x_actor_id: false } }]);
		expect(repair.expireAssignments).toEqual([{ id: 1, values: { state: 'expired', date_to: '2026-06-01 12:00:00' } }]);
		expect(repair.manual.map((f) => f.kind)).toEqual(['sa_inactive', 'sa_inactive']);
	});

	it('reports tree damage: a manager without membership, orphans and cycles', () => {
		const data = seededWorld();
		data.accounts.push({ id: 8, name: 'Headless', parent_id: SA.kenya, anchor_partner_id: 1008, sa_class: 'EXTC', state: 'active', sa_manager_id: P.bob });
		data.memberships.push(
			{ id: 20, partner_id: P.eve, sa_id: SA.kenya, state: 'active', date_start: null, date_end: null, parent_membership_id: 7 },
			{ id: 21, partner_id: P.frank, sa_id: SA.mombasa, state: 'active', date_start: null, date_end: null, parent_membership_id: 4 },
			{ id: 22, partner_id: P.grace, sa_id: SA.mombasa, state: 'active', date_start: null, date_end: null, parent_membership_id: 23 },
			{ id: 23, partner_id: P.carol, sa_id: SA.mombasa, state: 'active', date_start: null, date_end: null, parent_membership_id: 22 },
		);
		const findings = auditIntegrity(data, [], [], NOW);
		expect(findings.map((f) => [f.kind, 'cause' in f ? f.cause : f.sa_id])).toEqual([
			['manager_not_member', 8],
			['orphan_membership', 'parent_inactive'],
			['orphan_membership', 'parent_other_sa'],
			['orphan_membership', 'cycle'],
			['orphan_membership', 'cycle'],
		]);
		// Eve hangs under suspended Dan: she drops out of Alice's team until the branch is moved.
		const aliceTeam = resolveContext(data, P.alice, SA.kenya, NOW);
		expect(aliceTeam.ok && aliceTeam.subordinates.team).not.toContain(P.eve);
	});
});

describe('store', () => {
	it('checks any batch in two store queries', async () => {
		const many = Array.from({ length: 500 }, (_, i) => ({ id: 1000 + i, model: 'sale.order', sa: SA.kenya, actor: i % 2 ? P.bob : null }));
		const store = new InMemoryGovernanceStore(seededWorld(), [...records, ...many]);
		for (const ids of [[2], many.map((r) => r.id)]) {
			store.resetCounts();
			const result = await checkWithStore(store, { loginPartnerId: P.bob, action: 'record.update', model: 'sale.order', recordIds: [...ids, 5, 123456], now: NOW });
			expect(result.ok && result.queries).toBe(2);
			expect(store.queries).toBe(2);
			expect(result.ok && result.check.denied.map((d) => d.reason)).toEqual(['assigned_to_other', 'unknown_record']);
		}
	});

	it('loads only the partner’s SAs and their descendants', async () => {
		const store = new InMemoryGovernanceStore(seededWorld(), records);
		const loaded = await store.loadWorld(P.kenyaMgr);
		expect(loaded.accounts.map((a) => a.id).sort()).toEqual([SA.kenya, SA.nairobi, SA.mombasa, SA.kisumu]);
		expect((await store.stampedRecords('sale.order', SA.kenya, P.bob)).map((r) => r.id)).toEqual([2]);
		const denied = await checkWithStore(store, { loginPartnerId: P.stranger, action: 'record.read', model: 'sale.order', recordIds: [1], now: NOW });
		expect(denied).toMatchObject({ ok: false, reason: 'not_member', queries: 1 });
	});

	it('revokes through the store: authority first, then 2 + one query per governed model', async () => {
		const rows: Assignment[] = [{ id: 1, sa_id: SA.kenya, record_model: 'res.partner', record_id: 30, actor_partner_id: P.bob, state: 'active', date_from: '2025-01-01 00:00:00', date_to: null }];
		const store = new InMemoryGovernanceStore(seededWorld(), records, rows);
		const models = ['sale.order', 'helpdesk.ticket', 'res.partner'];
		const done = await revokeWithStore(store, { loginPartnerId: P.kenyaMgr, membershipId: 5, models, now: NOW });
		expect(done).toMatchObject({ ok: true, queries: 5, plan: { counts: { 'sale.order': 1, 'helpdesk.ticket': 1, 'res.partner': 1 }, expireAssignments: [{ id: 1 }] } });
		const refused = await revokeWithStore(store, { loginPartnerId: P.alice, saId: SA.kenya, membershipId: 5, models, now: NOW });
		expect(refused).toMatchObject({ ok: false, reason: 'needs_sa_manager', queries: 1 });
	});
});
