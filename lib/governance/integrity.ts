import { DEFAULT_NAMES, deny, stampFieldsOf, type Assignment, type Denial, type GovernanceNames, type Membership, type Stamp, type StampedRecord } from './types';
import { activeMembershipsOf, indexWorld, isActiveMember, isActiveMembership, isActiveSa, parseOdooDate, rootMembership, toOdooDatetime, type WorldInput } from './world';

/** One `write` on a model: the unit a store batches (one call per model, not per record). */
export interface RecordWrite {
	model: string;
	ids: number[];
	values: Record<string, unknown>;
}

/** Updates to governance rows, in this module's field names (the Odoo store maps them to the real ones). */
export interface MembershipWrite {
	id: number;
	values: Partial<Pick<Membership, 'state' | 'date_end' | 'parent_membership_id'>>;
}

export interface AssignmentWrite {
	id: number;
	values: Pick<Assignment, 'state' | 'date_to'>;
}

export type NewAssignment = Omit<Assignment, 'id'>;

/** Stamp integrity (seed 004 §8): the SA must be usable, and a non-null actor an active member of it. */
export function validateStamp(worldInput: WorldInput, stamp: Stamp, now: Date): { ok: true } | Denial {
	const world = indexWorld(worldInput);
	if (!stamp || stamp.sa === null || stamp.sa === undefined) return deny('missing_stamp', 'A governed stamp needs a serviced account.');
	const sa = world.accountById.get(stamp.sa);
	if (!sa) return deny('unknown_sa', `Serviced account ${stamp.sa} is not known.`, { sa_id: stamp.sa });
	if (!isActiveSa(sa)) return deny('sa_inactive', `Serviced account ${sa.name} is not active; nothing new is stamped to it.`, { sa_id: sa.id });
	if (stamp.actor === null || stamp.actor === undefined) return { ok: true };
	if (!isActiveMember(world, sa.id, stamp.actor, now)) {
		return deny('actor_not_member', `Partner ${stamp.actor} is not an active member of ${sa.name}, so records cannot be assigned to them there.`, { sa_id: sa.id, actor: stamp.actor });
	}
	return { ok: true };
}

function groupWrites(records: readonly StampedRecord[], values: (model: string) => Record<string, unknown>): { writes: RecordWrite[]; counts: Record<string, number>; total: number } {
	const byModel = new Map<string, number[]>();
	for (const r of records) {
		const ids = byModel.get(r.model);
		if (ids) ids.push(r.id);
		else byModel.set(r.model, [r.id]);
	}
	const writes: RecordWrite[] = [];
	const counts: Record<string, number> = {};
	for (const [model, ids] of byModel) {
		const unique = [...new Set(ids)].sort((a, b) => a - b);
		writes.push({ model, ids: unique, values: values(model) });
		counts[model] = unique.length;
	}
	return { writes, counts, total: records.length };
}

export interface RevokePlan {
	ok: true;
	/** Null when the membership is already revoked: the plan then only finishes the normalisation (safe to re-run). */
	membership: MembershipWrite | null;
	/** Direct children move up to the revoked membership's parent so the tree stays connected. */
	reparent: MembershipWrite[];
	/** Records whose actor becomes null, one write per model. */
	normalise: RecordWrite[];
	counts: Record<string, number>;
	total: number;
	/** V3 rows of the actor in that SA that can no longer be active. */
	expireAssignments: AssignmentWrite[];
	/** True when the person keeps another active membership in the same SA, so their stamps stay valid. */
	stillMember: boolean;
}

/**
 * Revoke a membership and restore integrity by `actor = null` (seed 004 §8.1). The manager's own membership is
 * refused: the root of the tree changes through `sa.change_manager` first.
 */
export function planRevoke(worldInput: WorldInput, membershipId: number, stampedRecords: readonly StampedRecord[], now: Date, names: GovernanceNames = DEFAULT_NAMES): RevokePlan | Denial {
	const world = indexWorld(worldInput);
	const m = world.membershipById.get(membershipId);
	if (!m) return deny('unknown_membership', `Membership ${membershipId} is not known.`, { membership_id: membershipId });
	const sa = world.accountById.get(m.sa_id);
	if (sa && m.state !== 'revoked' && (rootMembership(world, sa, now)?.id === m.id || sa.sa_manager_id === m.partner_id)) {
		return deny('manager_membership', `This is the manager's membership in ${sa.name}; change the manager first.`, { membership_id: m.id, sa_id: sa.id });
	}
	const stamp = toOdooDatetime(now);
	let membership: MembershipWrite | null = null;
	if (m.state !== 'revoked') {
		const values: MembershipWrite['values'] = { state: 'revoked' };
		// Close the window at the revocation unless it already closed earlier, so history says when it ended.
		const end = m.date_end === null ? Number.POSITIVE_INFINITY : parseOdooDate(m.date_end);
		if (!(end <= now.getTime())) values.date_end = stamp;
		membership = { id: m.id, values };
	}
	const stillMember = activeMembershipsOf(world, m.sa_id, m.partner_id, now).some((other) => other.id !== m.id);
	const reparent = world.childrenOf(m.id)
		.filter((child) => child.sa_id === m.sa_id)
		.map((child) => ({ id: child.id, values: { parent_membership_id: m.parent_membership_id } }));
	const affected = stillMember ? [] : stampedRecords.filter((r) => r.sa === m.sa_id && r.actor === m.partner_id);
	const { writes, counts, total } = groupWrites(affected, (model) => ({ [stampFieldsOf(names, model).actor]: false }));
	const expireAssignments = stillMember
		? []
		: world.assignments
				.filter((a) => a.state === 'active' && a.sa_id === m.sa_id && a.actor_partner_id === m.partner_id)
				.map((a) => ({ id: a.id, values: { state: 'expired' as const, date_to: stamp } }));
	return { ok: true, membership, reparent, normalise: writes, counts, total, expireAssignments, stillMember };
}

export interface ReassignV2Request {
	sa: number;
	from: number;
	to: number;
	/** Limit to one model; all given records otherwise. */
	model?: string;
}

export interface ReassignV2Plan {
	ok: true;
	writes: RecordWrite[];
	counts: Record<string, number>;
	total: number;
}

/** V2 direct reassignment X → Y on the stamp itself. Y must be an active member of the SA. */
export function planReassignV2(worldInput: WorldInput, request: ReassignV2Request, records: readonly StampedRecord[], now: Date, names: GovernanceNames = DEFAULT_NAMES): ReassignV2Plan | Denial {
	const world = indexWorld(worldInput);
	const sa = world.accountById.get(request.sa);
	if (!sa) return deny('unknown_sa', `Serviced account ${request.sa} is not known.`, { sa_id: request.sa });
	if (!isActiveSa(sa)) return deny('sa_inactive', `Serviced account ${sa.name} is not active.`, { sa_id: sa.id });
	if (!isActiveMember(world, sa.id, request.to, now)) {
		return deny('target_not_member', `Partner ${request.to} is not an active member of ${sa.name}.`, { sa_id: sa.id, actor: request.to });
	}
	const affected = request.from === request.to ? [] : records.filter((r) => r.sa === sa.id && r.actor === request.from && (request.model === undefined || r.model === request.model));
	const { writes, counts, total } = groupWrites(affected, (model) => ({ [stampFieldsOf(names, model).actor]: request.to }));
	return { ok: true, writes, counts, total };
}

export interface ReassignV3Request {
	sa_id: number;
	record_model: string;
	record_id: number;
	/** Null closes the current assignment without opening one (the record becomes unassigned). */
	to_actor: number | null;
}

export interface ReassignV3Plan {
	ok: true;
	expire: AssignmentWrite[];
	create: NewAssignment[];
	results: Array<{ request: ReassignV3Request; ok: true; changed: boolean } | ({ request: ReassignV3Request } & Denial)>;
}

const assignmentKey = (sa: number, model: string, id: number) => `${sa}\u0000${model}\u0000${id}`;

/** Active assignment rows grouped by SA and record: more than one in a group is what V3 forbids. */
function activeAssignmentsByRecord(assignments: readonly Assignment[]): Map<string, Assignment[]> {
	const active = new Map<string, Assignment[]>();
	for (const a of assignments) {
		if (a.state !== 'active') continue;
		const key = assignmentKey(a.sa_id, a.record_model, a.record_id);
		const list = active.get(key);
		if (list) list.push(a);
		else active.set(key, [a]);
	}
	return active;
}

/**
 * V3 reassignment (seed 001): expire every active row for the SA and record, then open one for the new actor. Expiring
 * all of them, not just "the" current one, also heals duplicates, so after the plan there is at most one active row.
 * Requests are applied in order, so two requests for the same record in one batch leave the last one standing.
 */
export function planReassignV3(worldInput: WorldInput, requests: readonly ReassignV3Request[], assignments: readonly Assignment[], now: Date): ReassignV3Plan {
	const world = indexWorld(worldInput);
	const stamp = toOdooDatetime(now);
	const active = activeAssignmentsByRecord(assignments);
	const expired = new Map<number, AssignmentWrite>();
	const pending = new Map<string, NewAssignment>();
	const results: ReassignV3Plan['results'] = [];
	for (const request of requests) {
		const sa = world.accountById.get(request.sa_id);
		if (!sa) {
			results.push({ request, ...deny('unknown_sa', `Serviced account ${request.sa_id} is not known.`) });
			continue;
		}
		if (!isActiveSa(sa)) {
			results.push({ request, ...deny('sa_inactive', `Serviced account ${sa.name} is not active.`) });
			continue;
		}
		if (request.to_actor !== null && !isActiveMember(world, sa.id, request.to_actor, now)) {
			results.push({ request, ...deny('target_not_member', `Partner ${request.to_actor} is not an active member of ${sa.name}.`) });
			continue;
		}
		const key = assignmentKey(sa.id, request.record_model, request.record_id);
		const existing = (active.get(key) ?? []).filter((a) => !expired.has(a.id));
		const queued = pending.get(key);
		const currentActors = [...existing.map((a) => a.actor_partner_id), ...(queued ? [queued.actor_partner_id] : [])];
		const unchanged = request.to_actor === null ? currentActors.length === 0 : currentActors.length === 1 && currentActors[0] === request.to_actor;
		if (unchanged) {
			results.push({ request, ok: true, changed: false });
			continue;
		}
		for (const a of existing) expired.set(a.id, { id: a.id, values: { state: 'expired', date_to: stamp } });
		pending.delete(key);
		if (request.to_actor !== null) {
			pending.set(key, { sa_id: sa.id, record_model: request.record_model, record_id: request.record_id, actor_partner_id: request.to_actor, state: 'active', date_from: stamp, date_to: null });
		}
		results.push({ request, ok: true, changed: true });
	}
	return { ok: true, expire: [...expired.values()], create: [...pending.values()], results };
}

export type Finding =
	| { kind: 'actor_not_member'; model: string; record_id: number; sa_id: number; actor: number; message: string }
	| { kind: 'sa_unknown'; model: string; record_id: number; sa_id: number; message: string }
	| { kind: 'sa_inactive'; model: string; record_id: number; sa_id: number; message: string }
	| { kind: 'duplicate_active_assignment'; sa_id: number; record_model: string; record_id: number; assignments: Array<{ id: number; date_from: string | null; actor_partner_id: number }>; message: string }
	| { kind: 'assignment_actor_not_member'; assignment_id: number; sa_id: number; actor: number; message: string }
	| { kind: 'manager_not_member'; sa_id: number; partner_id: number | null; message: string }
	| { kind: 'duplicate_membership'; sa_id: number; partner_id: number; membership_ids: number[]; message: string }
	| { kind: 'orphan_membership'; membership_id: number; sa_id: number; cause: 'parent_missing' | 'parent_other_sa' | 'parent_inactive' | 'cycle'; message: string };

export type FindingKind = Finding['kind'];

/**
 * Everything that breaks the seeds' invariants, as findings (data). Assumes the world covers the SAs the stamps point
 * to: over a partial world an SA that was simply not loaded reads as unknown.
 */
export function auditIntegrity(worldInput: WorldInput, stampedRecords: readonly StampedRecord[], assignments: readonly Assignment[], now: Date): Finding[] {
	const world = indexWorld(worldInput);
	const findings: Finding[] = [];
	for (const r of stampedRecords) {
		if (r.sa === null || r.sa === undefined) continue;
		const sa = world.accountById.get(r.sa);
		if (!sa) findings.push({ kind: 'sa_unknown', model: r.model, record_id: r.id, sa_id: r.sa, message: `${r.model} ${r.id} is stamped to serviced account ${r.sa}, which does not exist.` });
		else if (!isActiveSa(sa)) findings.push({ kind: 'sa_inactive', model: r.model, record_id: r.id, sa_id: sa.id, message: `${r.model} ${r.id} is stamped to ${sa.name}, which is ${sa.archived ? 'archived' : sa.state}.` });
		else if (r.actor !== null && r.actor !== undefined && !isActiveMember(world, sa.id, r.actor, now)) {
			findings.push({ kind: 'actor_not_member', model: r.model, record_id: r.id, sa_id: sa.id, actor: r.actor, message: `${r.model} ${r.id} is assigned to partner ${r.actor}, who is not an active member of ${sa.name}.` });
		}
	}

	const active = activeAssignmentsByRecord(assignments);
	for (const a of assignments) {
		if (a.state !== 'active') continue;
		if (!isActiveMember(world, a.sa_id, a.actor_partner_id, now)) {
			findings.push({ kind: 'assignment_actor_not_member', assignment_id: a.id, sa_id: a.sa_id, actor: a.actor_partner_id, message: `Assignment ${a.id} is active for partner ${a.actor_partner_id}, who is not an active member of serviced account ${a.sa_id}.` });
		}
	}
	for (const list of active.values()) {
		if (list.length < 2) continue;
		const first = list[0];
		findings.push({
			kind: 'duplicate_active_assignment',
			sa_id: first.sa_id,
			record_model: first.record_model,
			record_id: first.record_id,
			assignments: list.map((a) => ({ id: a.id, date_from: a.date_from, actor_partner_id: a.actor_partner_id })),
			message: `${first.record_model} ${first.record_id} has ${list.length} active assignments in serviced account ${first.sa_id}; at most one is allowed.`,
		});
	}

	for (const sa of world.data.accounts) {
		if (!isActiveSa(sa)) continue;
		if (rootMembership(world, sa, now) === undefined) {
			findings.push({ kind: 'manager_not_member', sa_id: sa.id, partner_id: sa.sa_manager_id, message: `${sa.name} has no manager with exactly one active membership, so its membership tree has no root.` });
		}
		for (const [partner, list] of world.membersOf(sa.id)) {
			const live = list.filter((m) => isActiveMembership(world, m, now));
			if (live.length > 1) findings.push({ kind: 'duplicate_membership', sa_id: sa.id, partner_id: partner, membership_ids: live.map((m) => m.id), message: `Partner ${partner} holds ${live.length} active memberships in ${sa.name}.` });
		}
	}

	// One pass over parent links, each chain walked once (colours), so cycles are found in linear time.
	const state = new Map<number, 1 | 2>();
	for (const m of world.data.memberships) {
		if (!isActiveMembership(world, m, now) || m.parent_membership_id === null) continue;
		const parent = world.membershipById.get(m.parent_membership_id);
		const orphan = (cause: 'parent_missing' | 'parent_other_sa' | 'parent_inactive', message: string) =>
			findings.push({ kind: 'orphan_membership', membership_id: m.id, sa_id: m.sa_id, cause, message });
		if (!parent) orphan('parent_missing', `Membership ${m.id} points to parent membership ${m.parent_membership_id}, which does not exist.`);
		else if (parent.sa_id !== m.sa_id) orphan('parent_other_sa', `Membership ${m.id} hangs under membership ${parent.id} of another serviced account.`);
		else if (!isActiveMembership(world, parent, now)) orphan('parent_inactive', `Membership ${m.id} hangs under membership ${parent.id}, which is not active; its branch drops out of roll-ups until it is moved.`);
	}
	for (const start of world.data.memberships) {
		if (state.has(start.id)) continue;
		const path: Membership[] = [];
		let current: Membership | undefined = start;
		while (current && !state.has(current.id)) {
			state.set(current.id, 1);
			path.push(current);
			current = current.parent_membership_id === null ? undefined : world.membershipById.get(current.parent_membership_id);
		}
		if (current && state.get(current.id) === 1) {
			const cycleStart = path.indexOf(current);
			for (const m of path.slice(cycleStart)) {
				findings.push({ kind: 'orphan_membership', membership_id: m.id, sa_id: m.sa_id, cause: 'cycle', message: `Membership ${m.id} is part of a cycle in the membership tree.` });
			}
		}
		for (const m of path) state.set(m.id, 2);
	}
	return findings;
}

export interface RepairPlan {
	normalise: RecordWrite[];
	counts: Record<string, number>;
	expireAssignments: AssignmentWrite[];
	/** Findings that need an SAA decision (which SA a record belongs to, who manages an SA); never guessed. */
	manual: Finding[];
}

/**
 * What can be repaired mechanically: stamps of non-members normalise to `actor = null` (the seeds' own rule), and of
 * duplicate active assignments the newest stays (latest date_from, then highest id) while the others expire.
 */
export function planRepair(findings: readonly Finding[], now: Date, names: GovernanceNames = DEFAULT_NAMES): RepairPlan {
	const stamp = toOdooDatetime(now);
	const toNormalise: StampedRecord[] = [];
	const expire = new Map<number, AssignmentWrite>();
	const manual: Finding[] = [];
	const time = (value: string | null) => {
		const at = value === null ? Number.NEGATIVE_INFINITY : parseOdooDate(value);
		return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
	};
	for (const f of findings) {
		switch (f.kind) {
			case 'actor_not_member':
				toNormalise.push({ id: f.record_id, model: f.model, sa: f.sa_id, actor: f.actor });
				break;
			case 'assignment_actor_not_member':
				expire.set(f.assignment_id, { id: f.assignment_id, values: { state: 'expired', date_to: stamp } });
				break;
			case 'duplicate_active_assignment': {
				const keep = [...f.assignments].sort((a, b) => time(b.date_from) - time(a.date_from) || b.id - a.id)[0];
				for (const a of f.assignments) if (a.id !== keep.id) expire.set(a.id, { id: a.id, values: { state: 'expired', date_to: stamp } });
				break;
			}
			default:
				manual.push(f);
		}
	}
	const { writes, counts } = groupWrites(toNormalise, (model) => ({ [stampFieldsOf(names, model).actor]: false }));
	return { normalise: writes, counts, expireAssignments: [...expire.values()], manual };
}
