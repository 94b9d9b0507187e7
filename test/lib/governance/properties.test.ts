import fc from 'fast-check';
import {
	ACTIONS,
	DEFAULT_NAMES,
	VISIBILITY_POLICIES,
	VISIBILITY_SCOPES,
	auditIntegrity,
	checkAction,
	filterVisible,
	indexWorld,
	isActiveMember,
	isActiveSa,
	planReassignV3,
	planRepair,
	planRevoke,
	resolveContext,
	rollUp,
	validateStamp,
	visibilityDomain,
	type ActionTarget,
	type Assignment,
	type GovernanceContext,
	type GovernanceWorld,
	type StampedRecord,
} from '../../../lib/governance';
import { NOW, PARTNERS, naiveActiveDescendants, applyAssignmentPlan, applyMembershipWrites, applyRecordWrites, asOdooRow, evalDomain, randomWorldArb, type RandomWorld } from './fixtures';

const RUNS = { numRuns: 300 };

/** Every (partner, requested SA) pair of a world that resolves, so properties look at many contexts per world. */
function contexts(rw: RandomWorld): GovernanceContext[] {
	const world = indexWorld(rw.world);
	const out: GovernanceContext[] = [];
	for (let partner = 1; partner <= PARTNERS; partner++) {
		for (const saId of [undefined, ...rw.world.accounts.map((a) => a.id)]) {
			const ctx = resolveContext(world, partner, saId, NOW);
			if (ctx.ok) out.push(ctx);
		}
	}
	return out;
}

const validStamp = (world: GovernanceWorld, r: StampedRecord) => r.actor === null || r.sa === null || isActiveMember(indexWorld(world), r.sa, r.actor, NOW);
const key = (a: Pick<Assignment, 'sa_id' | 'record_model' | 'record_id'>) => `${a.sa_id}/${a.record_model}/${a.record_id}`;
function activePerKey(rows: readonly Assignment[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const a of rows) if (a.state === 'active') counts.set(key(a), (counts.get(key(a)) ?? 0) + 1);
	return counts;
}

describe('governance invariants over random worlds', () => {
	it('resolving yields an active member of an active SA, and auto-selects only when there is exactly one', () => {
		fc.assert(
			fc.property(randomWorldArb, fc.integer({ min: 1, max: PARTNERS + 1 }), (rw, partner) => {
				const world = indexWorld(rw.world);
				const result = resolveContext(world, partner, undefined, NOW);
				const usableSas = new Set(rw.world.memberships.filter((m) => m.partner_id === partner && isActiveMember(world, m.sa_id, partner, NOW) && isActiveSa(world.accountById.get(m.sa_id))).map((m) => m.sa_id));
				if (result.ok) {
					expect(usableSas).toEqual(new Set([result.sa.id]));
					expect(isActiveSa(result.sa) && isActiveMember(world, result.sa.id, partner, NOW)).toBe(true);
				} else if (usableSas.size > 1) expect(result.reason).toBe('ambiguous_sa');
				else if (usableSas.size === 0) expect(['not_member', 'no_active_membership']).toContain(result.reason);
			}),
			RUNS,
		);
	});

	it('visibility never returns a record of another SA (own and team scopes), nor outside the manager’s tree', () => {
		fc.assert(
			fc.property(randomWorldArb, (rw) => {
				for (const ctx of contexts(rw)) {
					for (const policy of VISIBILITY_POLICIES) {
						for (const scope of ['own', 'team'] as const) {
							for (const r of filterVisible(rw.records, ctx, policy, { scope })) expect(r.sa).toBe(ctx.sa.id);
						}
						const tree = filterVisible(rw.records, ctx, policy, { scope: 'sa_tree' });
						if (!ctx.isSaManager) expect(tree).toEqual([]);
						const allowed = new Set([ctx.sa.id, ...naiveActiveDescendants(rw.world, ctx.sa.id)]);
						for (const r of tree) expect(allowed.has(r.sa as number)).toBe(true);
					}
				}
			}),
			RUNS,
		);
	});

	it('filterVisible agrees with evaluating visibilityDomain on the same records, for every policy and scope', () => {
		fc.assert(
			fc.property(randomWorldArb, fc.constantFrom(...VISIBILITY_POLICIES, 'bogus'), fc.constantFrom(...VISIBILITY_SCOPES), (rw, policy, scope) => {
				for (const ctx of contexts(rw)) {
					const { domain } = visibilityDomain(ctx, policy, DEFAULT_NAMES, { scope });
					const byDomain = rw.records.filter((r) => evalDomain(domain, asOdooRow(r)));
					expect(filterVisible(rw.records, ctx, policy, { scope })).toEqual(byDomain);
				}
			}),
			RUNS,
		);
	});

	it('after a revoke no stamped record points to the revoked person, and no valid stamp becomes invalid', () => {
		fc.assert(
			fc.property(randomWorldArb, fc.nat(), (rw, pick) => {
				fc.pre(rw.world.memberships.length > 0);
				const m = rw.world.memberships[pick % rw.world.memberships.length];
				const plan = planRevoke(rw.world, m.id, rw.records, NOW);
				if (!plan.ok) {
					expect(plan.reason).toBe('manager_membership');
					return;
				}
				const after = applyMembershipWrites(rw.world, [plan.membership, ...plan.reparent]);
				const records = applyRecordWrites(rw.records, plan.normalise);
				expect(plan.total).toBe(Object.values(plan.counts).reduce((a, b) => a + b, 0));
				for (let i = 0; i < records.length; i++) {
					if (validStamp(rw.world, rw.records[i])) expect(validStamp(after, records[i])).toBe(true);
					if (!plan.stillMember && records[i].sa === m.sa_id) expect(records[i].actor).not.toBe(m.partner_id);
				}
				expect(isActiveMember(indexWorld(after), m.sa_id, m.partner_id, NOW)).toBe(plan.stillMember);
			}),
			RUNS,
		);
	});

	it('V3 reassignment keeps at most one active assignment per SA and record, keeps history, and honours the last request', () => {
		const requestArb = fc.array(fc.record({ sa: fc.integer({ min: 1, max: 11 }), recordId: fc.integer({ min: 1, max: 6 }), to: fc.option(fc.integer({ min: 1, max: PARTNERS }), { freq: 4 }) }), { maxLength: 15 });
		fc.assert(
			fc.property(randomWorldArb, requestArb, (rw, raw) => {
				// Heal pre-existing duplicates first, as the Audit Integrity node would, then reassign.
				const repair = planRepair(auditIntegrity(rw.world, [], rw.assignments, NOW), NOW);
				const healed = applyAssignmentPlan(rw.assignments, repair.expireAssignments, []);
				for (const count of activePerKey(healed).values()) expect(count).toBeLessThanOrEqual(1);
				const requests = raw.map((r) => ({ sa_id: r.sa, record_model: 'res.partner', record_id: r.recordId, to_actor: r.to }));
				const plan = planReassignV3(rw.world, requests, healed, NOW);
				const after = applyAssignmentPlan(healed, plan.expire, plan.create);
				for (const count of activePerKey(after).values()) expect(count).toBeLessThanOrEqual(1);
				expect(after.length).toBeGreaterThanOrEqual(healed.length);
				expect(after.filter((a) => a.state === 'expired').length).toBeGreaterThanOrEqual(healed.filter((a) => a.state === 'expired').length);
				const last = new Map<string, number | null>();
				plan.results.forEach((r) => r.ok && last.set(key(r.request), r.request.to_actor));
				for (const [k, actor] of last) {
					const active = after.filter((a) => a.state === 'active' && key(a) === k);
					expect(active.map((a) => a.actor_partner_id)).toEqual(actor === null ? [] : [actor]);
				}
				// Without healing first, every record a request touched still ends with at most one active row.
				const rawPlan = planReassignV3(rw.world, requests, rw.assignments, NOW);
				const rawAfter = activePerKey(applyAssignmentPlan(rw.assignments, rawPlan.expire, rawPlan.create));
				for (const r of rawPlan.results) if (r.ok && r.changed) expect(rawAfter.get(key(r.request)) ?? 0).toBeLessThanOrEqual(1);
			}),
			RUNS,
		);
	});

	it('a non-manager’s roll-up never leaves its SA; a manager’s stays within its active subtree', () => {
		fc.assert(
			fc.property(randomWorldArb, (rw) => {
				const world = indexWorld(rw.world);
				for (const ctx of contexts(rw)) {
					const roll = rollUp(world, ctx, NOW);
					if (!roll.ok) throw new Error(roll.message);
					for (const t of roll.team) expect(world.membershipById.get(t.membership_id)?.sa_id).toBe(ctx.sa.id);
					expect(roll.team.some((t) => t.partner_id === ctx.actor)).toBe(false);
					if (!ctx.isSaManager) {
						expect(roll.saIds).toEqual([ctx.sa.id]);
						expect(roll.descendantSas).toEqual([]);
						expect(ctx.descendantSaIds).toEqual([]);
					} else {
						// The manager gets exactly the active subtree, each SA once.
						expect(new Set(roll.saIds.slice(1))).toEqual(naiveActiveDescendants(rw.world, ctx.sa.id));
						expect(new Set(roll.saIds).size).toBe(roll.saIds.length);
					}
				}
			}),
			RUNS,
		);
	});

	const actionArb = fc.constantFrom(...Object.keys(ACTIONS));
	const targetArb = fc.record({
		kind: fc.constantFrom('ov.serviced_account', 'ov.membership', 'ov.asset', 'sale.order'),
		id: fc.option(fc.integer({ min: 1, max: 60 }), { freq: 5 }),
		sa: fc.option(fc.option(fc.integer({ min: 1, max: 12 }), { freq: 5 }), { freq: 5 }),
		actor: fc.option(fc.integer({ min: 1, max: PARTNERS + 1 }), { freq: 2 }),
	});

	it('denies when anything is unknown, and allows only what the world establishes', () => {
		fc.assert(
			fc.property(randomWorldArb, actionArb, fc.array(targetArb, { maxLength: 8 }), fc.option(fc.integer({ min: 1, max: PARTNERS + 1 })), (rw, action, rawTargets, toActor) => {
				const world = indexWorld(rw.world);
				const targets: ActionTarget[] = rawTargets.map((t) => ({ model: t.kind, id: t.id, ...(t.sa === null ? {} : { sa: t.sa }), actor: t.actor }));
				for (const ctx of contexts(rw)) {
					const result = checkAction(world, ctx, action, targets, NOW, { toActor, toSaId: ctx.sa.id });
					expect(result.results.length).toBe(targets.length);
					result.results.forEach((decision, i) => {
						const target = targets[i];
						if (!decision.allowed) {
							expect(decision.message.length).toBeGreaterThan(0);
							return;
						}
						// Allowed means: an active member of an active SA, and the authority the action needs.
						expect(isActiveSa(ctx.sa) && isActiveMember(world, ctx.sa.id, ctx.actor, NOW)).toBe(true);
						if (ACTIONS[action].authority === 'SAA') expect(ctx.isSaManager).toBe(true);
						if (ACTIONS[action].target === 'record' && action !== 'record.read' && target.model !== 'ov.asset') expect(target.sa).toBe(ctx.sa.id);
						if (action === 'record.assign') expect(isActiveMember(world, ctx.sa.id, toActor as number, NOW)).toBe(true);
						if (target.sa === undefined && target.id !== null && ['record', 'scope'].includes(ACTIONS[action].target) && target.model !== 'ov.asset') throw new Error('allowed without a stamp');
						if (ACTIONS[action].target === 'membership') expect(world.membershipById.has(target.id as number)).toBe(true);
						if (ACTIONS[action].target === 'sa') expect(world.accountById.has(target.id as number)).toBe(true);
					});
					// An action outside the catalogue is denied for every target.
					expect(checkAction(world, ctx, `${action}.x`, targets, NOW).allowed).toEqual([]);
					// So is anything under a context whose actor was swapped, or whose SA is not in the world.
					const forged = { ...ctx, actor: ctx.actor + 1 };
					expect(checkAction(world, forged, action, targets, NOW).allowed).toEqual([]);
					const elsewhere = { ...ctx, sa: { ...ctx.sa, id: 4242 } };
					expect(checkAction(world, elsewhere, action, targets, NOW).denied.every((d) => d.reason === 'unknown_sa')).toBe(true);
					// A stamp that was not read establishes nothing.
					if (ACTIONS[action].target === 'record') {
						const unread = targets.map(({ model, id }) => ({ model, id }));
						expect(checkAction(world, ctx, action, unread, NOW, { toActor }).allowed).toEqual([]);
					}
				}
			}),
			{ numRuns: 200 },
		);
	});

	it('validateStamp accepts exactly: a known active SA, and a null actor or an active member of it', () => {
		fc.assert(
			fc.property(randomWorldArb, fc.option(fc.integer({ min: 1, max: 12 })), fc.option(fc.integer({ min: 1, max: PARTNERS + 1 })), (rw, sa, actor) => {
				const world = indexWorld(rw.world);
				const expected = sa !== null && isActiveSa(world.accountById.get(sa)) && (actor === null || isActiveMember(world, sa, actor, NOW));
				expect(validateStamp(world, { sa, actor }, NOW).ok).toBe(expected);
			}),
			RUNS,
		);
	});

	it('after repair, no stamp in an active SA points to a non-member', () => {
		fc.assert(
			fc.property(randomWorldArb, (rw) => {
				const repaired = applyRecordWrites(rw.records, planRepair(auditIntegrity(rw.world, rw.records, rw.assignments, NOW), NOW).normalise);
				expect(auditIntegrity(rw.world, repaired, [], NOW).filter((f) => f.kind === 'actor_not_member')).toEqual([]);
			}),
			RUNS,
		);
	});

	it('index lookups agree with a plain scan, for dense ids (typed arrays) and sparse ids (Map fallback)', () => {
		fc.assert(
			fc.property(randomWorldArb, fc.constantFrom(1, 1_000_003), (rw, stretch) => {
				// Multiplying every id makes them sparse enough that the index must fall back to Maps.
				const data: GovernanceWorld = {
					accounts: rw.world.accounts.map((a) => ({ ...a, id: a.id * stretch, parent_id: a.parent_id === null ? null : a.parent_id * stretch })),
					memberships: rw.world.memberships.map((m) => ({ ...m, id: m.id * stretch, sa_id: m.sa_id * stretch, partner_id: m.partner_id * stretch })),
				};
				const world = indexWorld(data);
				const probes = [0, -1, 1.5, Number.NaN, 10 ** 12, ...Array.from({ length: 50 }, (_, i) => i * stretch)];
				for (const id of probes) {
					expect(world.membershipById.get(id)).toBe([...data.memberships].reverse().find((m) => m.id === id));
					expect(world.accountById.get(id)).toBe([...data.accounts].reverse().find((a) => a.id === id));
					expect(world.membershipsByPartner.get(id) ?? []).toEqual(data.memberships.filter((m) => m.partner_id === id));
					expect(world.membershipsBySa.get(id) ?? []).toEqual(data.memberships.filter((m) => m.sa_id === id));
				}
				expect(world.membershipById.size).toBe(new Set(data.memberships.map((m) => m.id)).size);
			}),
			{ numRuns: 100 },
		);
	});
});
