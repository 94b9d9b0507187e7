import fc from 'fast-check';
import {
	DEFAULT_NAMES,
	stampFieldsOf,
	type Assignment,
	type AssignmentWrite,
	type GovernanceNames,
	type GovernanceWorld,
	type Membership,
	type MembershipWrite,
	type NewAssignment,
	type OdooDomain,
	type RecordWrite,
	type ServicedAccount,
	type StampedRecord,
} from '../../../lib/governance';

export const NOW = new Date('2026-06-01T12:00:00Z');
export const PAST = '2025-01-01 00:00:00';
export const FUTURE = '2027-01-01 00:00:00';

/**
 * A small world shaped like the seeds: SA_ROOT → OVAC companies → EXTC customers. Alice (110) is a sales rep in the
 * OVAC "Omnivoltaic Kenya" and account manager in the EXTC "Nairobi Swap Co" — the person in two contexts.
 */
export const P = {
	root: 100,
	kenyaMgr: 101,
	nigeriaMgr: 102,
	alice: 110,
	bob: 111,
	carol: 112,
	dan: 113,
	frank: 114,
	grace: 115,
	nairobiMgr: 201,
	mombasaMgr: 202,
	eve: 210,
	stranger: 999,
} as const;

export const SA = { root: 1, kenya: 2, nigeria: 3, nairobi: 4, mombasa: 5, lagos: 6, kisumu: 7 } as const;

const sa = (id: number, name: string, parent: number | null, cls: 'OVAC' | 'EXTC', manager: number | null, state: 'active' | 'inactive' = 'active'): ServicedAccount => ({
	id,
	name,
	parent_id: parent,
	anchor_partner_id: 1000 + id,
	sa_class: cls,
	state,
	sa_manager_id: manager,
});
const mem = (id: number, partner: number, saId: number, parent: number | null, extra: Partial<Membership> = {}): Membership => ({
	id,
	partner_id: partner,
	sa_id: saId,
	state: 'active',
	date_start: PAST,
	date_end: null,
	parent_membership_id: parent,
	...extra,
});

export function seededWorld(): GovernanceWorld {
	return {
		accounts: [
			sa(SA.root, 'SA_ROOT', null, 'OVAC', P.root),
			sa(SA.kenya, 'Omnivoltaic Kenya', SA.root, 'OVAC', P.kenyaMgr),
			sa(SA.nigeria, 'Omnivoltaic Nigeria', SA.root, 'OVAC', P.nigeriaMgr),
			sa(SA.nairobi, 'Nairobi Swap Co', SA.kenya, 'EXTC', P.nairobiMgr),
			sa(SA.mombasa, 'Mombasa Fleet Ltd', SA.kenya, 'EXTC', P.mombasaMgr),
			sa(SA.lagos, 'Lagos Riders', SA.nigeria, 'EXTC', null, 'inactive'),
			{ ...sa(SA.kisumu, 'Kisumu Depot', SA.nairobi, 'EXTC', null), archived: true },
		],
		memberships: [
			mem(1, P.root, SA.root, null),
			mem(2, P.kenyaMgr, SA.kenya, null),
			mem(3, P.nigeriaMgr, SA.nigeria, null),
			mem(4, P.alice, SA.kenya, 2),
			mem(5, P.bob, SA.kenya, 4),
			mem(6, P.carol, SA.kenya, 5),
			mem(7, P.dan, SA.kenya, 4, { state: 'suspended' }),
			mem(8, P.nairobiMgr, SA.nairobi, null),
			mem(9, P.alice, SA.nairobi, 8),
			mem(10, P.eve, SA.nairobi, 8),
			mem(11, P.mombasaMgr, SA.mombasa, null),
			mem(12, P.frank, SA.kenya, 4, { date_end: '2026-01-31' }),
			mem(13, P.grace, SA.kenya, null, { date_start: FUTURE }),
		],
		assets: [
			{ id: 1, name: 'Nairobi Swap Network 1', sa_id: SA.nairobi, actor_id: null, asset_class: 'FLEET', location_id: 50, lot_id: null },
			{ id: 2, name: 'Battery SN-0001', sa_id: SA.nairobi, actor_id: P.eve, asset_class: 'ITEM', location_id: null, lot_id: 70 },
			{ id: 3, name: 'Spare in limbo', sa_id: null, actor_id: null, asset_class: 'ITEM', location_id: null, lot_id: 71 },
		],
	};
}

export function seededRecords(): StampedRecord[] {
	return [
		{ id: 1, model: 'sale.order', sa: SA.kenya, actor: P.alice },
		{ id: 2, model: 'sale.order', sa: SA.kenya, actor: P.bob },
		{ id: 3, model: 'sale.order', sa: SA.kenya, actor: P.carol },
		{ id: 4, model: 'sale.order', sa: SA.kenya, actor: null },
		{ id: 5, model: 'sale.order', sa: SA.kenya, actor: P.kenyaMgr },
		{ id: 6, model: 'sale.order', sa: SA.nairobi, actor: P.alice },
		{ id: 7, model: 'sale.order', sa: SA.nairobi, actor: P.eve },
		{ id: 8, model: 'sale.order', sa: SA.mombasa, actor: null },
		{ id: 9, model: 'sale.order', sa: null, actor: null },
		{ id: 20, model: 'helpdesk.ticket', sa: SA.kenya, actor: P.bob },
		{ id: 21, model: 'helpdesk.ticket', sa: SA.kenya, actor: null },
		{ id: 30, model: 'res.partner', sa: SA.kenya, actor: P.bob },
	];
}

/** Evaluates a prefix-notation domain on a row the way Odoo does for the operators governance emits. */
export function evalDomain(domain: OdooDomain, row: Record<string, unknown>): boolean {
	let position = 0;
	const term = (): boolean => {
		const t = domain[position++];
		if (t === undefined) throw new Error('domain ends early');
		if (t === '&') {
			const a = term();
			const b = term();
			return a && b;
		}
		if (t === '|') {
			const a = term();
			const b = term();
			return a || b;
		}
		if (t === '!') return !term();
		const [field, operator, value] = t;
		const actual = row[field] ?? false;
		switch (operator) {
			case '=':
				return actual === value;
			case '!=':
				return actual !== value;
			case 'in':
				return Array.isArray(value) && value.includes(actual);
			case 'not in':
				return Array.isArray(value) && !value.includes(actual);
			default:
				throw new Error(`operator ${operator} not supported by the test evaluator`);
		}
	};
	if (domain.length === 0) return true;
	// A top-level list of several terms is an implicit AND, as in Odoo.
	let result = true;
	while (position < domain.length) result = term() && result;
	return result;
}

/** A stamped record as Odoo would return it: many2one unset is `false`. */
export function asOdooRow(r: StampedRecord, names: GovernanceNames = DEFAULT_NAMES): Record<string, unknown> {
	const fields = stampFieldsOf(names, r.model);
	return { id: r.id, [fields.sa]: r.sa ?? false, [fields.actor]: r.actor ?? false };
}

export function applyRecordWrites(records: readonly StampedRecord[], writes: readonly RecordWrite[], names: GovernanceNames = DEFAULT_NAMES): StampedRecord[] {
	const out = records.map((r) => ({ ...r }));
	for (const w of writes) {
		const fields = stampFieldsOf(names, w.model);
		const ids = new Set(w.ids);
		for (const r of out) {
			if (r.model !== w.model || !ids.has(r.id)) continue;
			if (fields.actor in w.values) r.actor = (w.values[fields.actor] as number | false) || null;
			if (fields.sa in w.values) r.sa = (w.values[fields.sa] as number | false) || null;
		}
	}
	return out;
}

export function applyMembershipWrites(world: GovernanceWorld, writes: ReadonlyArray<MembershipWrite | null>): GovernanceWorld {
	const byId = new Map(writes.filter((w): w is MembershipWrite => w !== null).map((w) => [w.id, w.values]));
	return { ...world, memberships: world.memberships.map((m) => (byId.has(m.id) ? { ...m, ...byId.get(m.id) } : m)) };
}

export function applyAssignmentPlan(rows: readonly Assignment[], expire: readonly AssignmentWrite[], create: readonly NewAssignment[]): Assignment[] {
	const byId = new Map(expire.map((w) => [w.id, w.values]));
	let next = Math.max(0, ...rows.map((a) => a.id)) + 1;
	return [...rows.map((a) => (byId.has(a.id) ? { ...a, ...byId.get(a.id) } : a)), ...create.map((c) => ({ ...c, id: next++ }))];
}

// ---------------------------------------------------------------------------------------------------------------
// Random worlds. Small id ranges on purpose, so collisions (same person in several SAs, duplicates, unknown ids)
// happen often enough for the properties to meet them.

export const PARTNERS = 8;
const dateArb = fc.constantFrom<string | null>(null, null, null, PAST, FUTURE, '2026-06-01', 'not a date');

export interface RandomWorld {
	world: GovernanceWorld;
	records: StampedRecord[];
	assignments: Assignment[];
	saCount: number;
}

export const randomWorldArb: fc.Arbitrary<RandomWorld> = fc
	.record({
		sas: fc.array(
			fc.record({
				parentPick: fc.option(fc.nat(), { freq: 8 }),
				state: fc.constantFrom<'active' | 'inactive'>('active', 'active', 'active', 'inactive'),
				archived: fc.constantFrom(false, false, false, true),
				manager: fc.option(fc.integer({ min: 1, max: PARTNERS }), { freq: 6 }),
				managerJoins: fc.boolean(),
			}),
			{ minLength: 1, maxLength: 10 },
		),
		memberships: fc.array(
			fc.record({
				partner: fc.integer({ min: 1, max: PARTNERS }),
				sa: fc.nat(),
				state: fc.constantFrom<Membership['state']>('active', 'active', 'active', 'suspended', 'revoked'),
				start: dateArb,
				end: dateArb,
				parentPick: fc.option(fc.nat(), { freq: 2 }),
			}),
			{ maxLength: 40 },
		),
		records: fc.array(
			fc.record({
				model: fc.constantFrom('sale.order', 'res.partner', 'helpdesk.ticket'),
				sa: fc.option(fc.nat(), { freq: 6 }),
				actor: fc.option(fc.integer({ min: 1, max: PARTNERS + 1 }), { freq: 2 }),
			}),
			{ maxLength: 40 },
		),
		assignments: fc.array(
			fc.record({
				sa: fc.nat(),
				recordId: fc.integer({ min: 1, max: 6 }),
				actor: fc.integer({ min: 1, max: PARTNERS }),
				state: fc.constantFrom<'active' | 'expired'>('active', 'active', 'expired'),
			}),
			{ maxLength: 20 },
		),
	})
	.map(({ sas, memberships, records, assignments }) => {
		const n = sas.length;
		// One id past the last SA stands for "an SA that does not exist".
		const saId = (pick: number) => (pick % (n + 1)) + 1;
		const accounts: ServicedAccount[] = sas.map((s, i) => ({
			id: i + 1,
			name: `SA${i + 1}`,
			parent_id: i === 0 || s.parentPick === null ? null : (s.parentPick % i) + 1,
			anchor_partner_id: 500 + i,
			sa_class: i % 2 === 0 ? 'OVAC' : 'EXTC',
			state: s.state,
			sa_manager_id: s.manager,
			...(s.archived ? { archived: true } : {}),
		}));
		const ms: Membership[] = [];
		sas.forEach((s, i) => {
			if (s.manager !== null && s.managerJoins) ms.push({ id: ms.length + 1, partner_id: s.manager, sa_id: i + 1, state: 'active', date_start: null, date_end: null, parent_membership_id: null });
		});
		for (const m of memberships) {
			const id = ms.length + 1;
			ms.push({ id, partner_id: m.partner, sa_id: saId(m.sa), state: m.state, date_start: m.start, date_end: m.end, parent_membership_id: m.parentPick === null || id === 1 ? null : (m.parentPick % (id - 1)) + 1 });
		}
		return {
			world: { accounts, memberships: ms },
			records: records.map((r, i) => ({ id: i + 1, model: r.model, sa: r.sa === null ? null : saId(r.sa), actor: r.actor })),
			assignments: assignments.map((a, i) => ({ id: i + 1, sa_id: saId(a.sa), record_model: 'res.partner', record_id: a.recordId, actor_partner_id: a.actor, state: a.state, date_from: PAST, date_to: a.state === 'expired' ? PAST : null })),
			saCount: n,
		};
	});

/** Test oracle for the SA subtree a manager rolls up: naive recursion over the raw arrays, active SAs only. */
export function naiveActiveDescendants(world: GovernanceWorld, saId: number): Set<number> {
	const out = new Set<number>();
	const visit = (parent: number) => {
		for (const sa of world.accounts) {
			if (sa.parent_id !== parent || sa.id === parent || sa.id === saId || out.has(sa.id)) continue;
			if (sa.state !== 'active' || sa.archived === true) continue;
			out.add(sa.id);
			visit(sa.id);
		}
	};
	visit(saId);
	return out;
}
