import { teamOf, verifyContext, type GovernanceContext } from './context';
import { isVisible, visibilitySpec, type VisibilityPolicy, type VisibilityScope } from './visibility';
import { DEFAULT_NAMES, type DenyReason, type GovernanceNames, type Membership, type ServicedAccount } from './types';
import {
	activeMembershipsOf,
	descendantSaIds,
	indexWorld,
	isActiveMember,
	isActiveSa,
	isStrictDescendant,
	rootMembership,
	type IndexedWorld,
	type WorldInput,
} from './world';

export type Authority = 'SAA' | 'SAM';

/**
 * What an action acts on, which decides how its target is read:
 * - `sa`: an existing SA whose own structure changes (parent, anchor, manager, archive);
 * - `new_sa`: a child SA to create, `target.sa` is the parent;
 * - `membership`: an existing `ov.membership` (looked up in the world, never taken from the caller);
 * - `new_membership`: `target.sa` and `target.actor` (the person) of a membership to create;
 * - `scope`: a shared structural object being put into or taken out of an SA (seed 004 §14, "what belongs");
 * - `record` / `new_record`: a stamped work record.
 */
export type TargetKind = 'sa' | 'new_sa' | 'membership' | 'new_membership' | 'scope' | 'record' | 'new_record';

export interface ActionSpec {
	authority: Authority;
	target: TargetKind;
	summary: string;
}

/**
 * The SAA/SAM split of seed 004 §14 as data. SAA decides what belongs to an SA and who participates; SAM works inside
 * that valid scope. Anything not listed here is denied.
 */
export const ACTIONS: Readonly<Record<string, ActionSpec>> = Object.freeze({
	'sa.create': { authority: 'SAA', target: 'new_sa', summary: 'Create a serviced account under a parent SA' },
	'sa.archive': { authority: 'SAA', target: 'sa', summary: 'Archive or deactivate a serviced account' },
	'sa.set_parent': { authority: 'SAA', target: 'sa', summary: 'Move a serviced account under another parent' },
	'sa.set_anchor': { authority: 'SAA', target: 'sa', summary: 'Set the anchor company partner of a serviced account' },
	'sa.change_manager': { authority: 'SAA', target: 'sa', summary: 'Change the sa_manager (root of the membership tree)' },
	'membership.add': { authority: 'SAA', target: 'new_membership', summary: 'Admit a person into a serviced account' },
	'membership.suspend': { authority: 'SAA', target: 'membership', summary: 'Suspend a membership' },
	'membership.revoke': { authority: 'SAA', target: 'membership', summary: 'Revoke a membership (normalises stamps to actor = null)' },
	'membership.reactivate': { authority: 'SAA', target: 'membership', summary: 'Reactivate a suspended membership' },
	'membership.set_parent': { authority: 'SAA', target: 'membership', summary: 'Move a membership in the membership tree' },
	'scope.assign': { authority: 'SAA', target: 'scope', summary: 'Put a shared structural object (location, fleet, …) into an SA' },
	'scope.remove': { authority: 'SAA', target: 'scope', summary: 'Take a shared structural object out of an SA' },
	'record.read': { authority: 'SAM', target: 'record', summary: 'Read a governed record' },
	'record.create': { authority: 'SAM', target: 'new_record', summary: 'Create a governed record in the current SA' },
	'record.update': { authority: 'SAM', target: 'record', summary: 'Work on a governed record' },
	'record.assign': { authority: 'SAM', target: 'record', summary: 'Assign or reassign the actor of a record' },
	'record.release': { authority: 'SAM', target: 'record', summary: 'Set a record back to unassigned (actor = null)' },
});

export interface ActionTarget {
	model: string;
	/** Null for something to be created. */
	id: number | null;
	/** The stamp as read from Odoo; `undefined` means it was not read, which is not the same as null. */
	sa?: number | null;
	actor?: number | null;
}

export interface CheckOptions {
	names?: GovernanceNames;
	/** For `record.read`: the app's policy; without one the strictest applies. */
	policy?: VisibilityPolicy;
	scope?: VisibilityScope;
	/** New actor for `record.assign`, new manager for `sa.change_manager`. */
	toActor?: number | null;
	/** New parent for `sa.set_parent`, destination for `scope.assign` (default: the current SA). */
	toSaId?: number;
	/** New parent membership for `membership.set_parent` (null = directly under the sa_manager). */
	toParentMembershipId?: number | null;
}

export type AllowReason = 'assigned_to_actor' | 'assigned_to_team' | 'unassigned' | 'visible' | 'in_current_sa' | 'in_reach';

export interface TargetDecision {
	model: string;
	id: number | null;
	allowed: boolean;
	reason: AllowReason | DenyReason;
	message: string;
}

export interface CheckResult {
	action: string;
	/** Which authority the action needs; null when the action is unknown. */
	authority: Authority | null;
	results: TargetDecision[];
	allowed: TargetDecision[];
	denied: TargetDecision[];
}

type Verdict = { allowed: true; reason: AllowReason; message: string } | { allowed: false; reason: DenyReason; message: string };
const ok = (reason: AllowReason, message: string): Verdict => ({ allowed: true, reason, message });
const no = (reason: DenyReason, message: string): Verdict => ({ allowed: false, reason, message });

interface Scope {
	world: IndexedWorld;
	sa: ServicedAccount;
	membership: Membership;
	actor: number;
	isSaManager: boolean;
	team: Set<number>;
	now: Date;
	names: GovernanceNames;
	options: CheckOptions;
}

/**
 * Decides an action per target. Deny by default: an unknown action, a context that no longer holds, an unknown SA,
 * record or membership, a stamp that was not read, or any case no rule below allows, is denied with its reason.
 */
export function checkAction(worldInput: WorldInput, ctx: GovernanceContext, action: string, targets: readonly ActionTarget[], now: Date, options: CheckOptions = {}): CheckResult {
	const spec = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
	const decideAll = (verdict: (t: ActionTarget) => Verdict): CheckResult => {
		const results = targets.map((t) => ({ model: t?.model, id: t?.id ?? null, ...verdict(t) }));
		return { action, authority: spec?.authority ?? null, results, allowed: results.filter((r) => r.allowed), denied: results.filter((r) => !r.allowed) };
	};
	if (!spec) return decideAll(() => no('unknown_action', `'${action}' is not a governed action, so it is denied.`));
	const world = indexWorld(worldInput);
	const verified = verifyContext(world, ctx, now);
	if (!verified.ok) return decideAll(() => no(verified.reason, verified.message));
	const scope: Scope = {
		world,
		sa: verified.sa,
		membership: verified.membership,
		actor: verified.membership.partner_id,
		isSaManager: verified.isSaManager,
		// Recomputed from the world, not taken from the context, so a stale or edited context cannot widen it.
		team: new Set(teamOf(world, verified.sa, verified.membership, verified.isSaManager, now).map((t) => t.partner_id)),
		now,
		names: options.names ?? DEFAULT_NAMES,
		options,
	};
	return decideAll((target) => {
		if (!target || typeof target.model !== 'string' || !(target.id === null || (Number.isInteger(target.id) && target.id > 0))) {
			return no('invalid_target', 'The target is not a {model, id} pair.');
		}
		if (spec.authority === 'SAA') return decideStructure(scope, action, spec.target, target);
		return decideWork(scope, action, spec.target, target);
	});
}

/** SAA is held by the current sa_manager of the context SA and reaches the SA itself and everything below it. */
function inReach(s: Scope, saId: number): boolean {
	return saId === s.sa.id || isStrictDescendant(s.world, saId, s.sa.id);
}

function decideStructure(s: Scope, action: string, kind: TargetKind, target: ActionTarget): Verdict {
	if (!s.isSaManager) return no('needs_sa_manager', `'${action}' is SA administration; only the current manager of ${s.sa.name} holds it here.`);
	const { world, names } = s;
	switch (kind) {
		case 'new_sa': {
			if (target.model !== names.servicedAccountModel) return no('invalid_target', `'${action}' acts on ${names.servicedAccountModel}.`);
			const parent = typeof target.sa === 'number' ? world.accountById.get(target.sa) : undefined;
			if (!parent) return no('unknown_sa', 'A new serviced account needs a known parent SA (seed: no SA is born without a parent).');
			if (!inReach(s, parent.id)) return no('outside_sa_tree', `${parent.name} is outside the tree you manage.`);
			if (!isActiveSa(parent)) return no('sa_inactive', `${parent.name} is not active, so nothing can be created under it.`);
			return ok('in_reach', `You manage ${parent.name}, so you may create a serviced account under it.`);
		}
		case 'sa': {
			if (target.model !== names.servicedAccountModel || target.id === null) return no('invalid_target', `'${action}' acts on an existing ${names.servicedAccountModel}.`);
			const sa = world.accountById.get(target.id);
			if (!sa) return no('unknown_sa', `Serviced account ${target.id} is not known.`);
			if (sa.parent_id === null) return no('root_is_platform_managed', `${sa.name} is a root serviced account; its structure is platform administration, not SA administration.`);
			// An SA's own structure is changed from above: its manager must not re-parent, re-anchor or replace themself.
			if (sa.id === s.sa.id) return no('needs_parent_sa_manager', `Changing ${sa.name} itself needs the manager of its parent serviced account.`);
			if (!isStrictDescendant(world, sa.id, s.sa.id)) return no('outside_sa_tree', `${sa.name} is outside the tree you manage.`);
			if (action === 'sa.set_parent') {
				const to = s.options.toSaId === undefined ? undefined : world.accountById.get(s.options.toSaId);
				if (!to) return no('unknown_sa', 'The new parent serviced account is not known.');
				if (!inReach(s, to.id)) return no('outside_sa_tree', `${to.name} is outside the tree you manage.`);
				if (!isActiveSa(to)) return no('sa_inactive', `${to.name} is not active.`);
				if (to.id === sa.id || isStrictDescendant(world, to.id, sa.id)) return no('invalid_target', `${sa.name} cannot be moved under itself.`);
			}
			if (action === 'sa.change_manager') {
				const to = s.options.toActor;
				if (typeof to !== 'number') return no('missing_target_actor', 'Name the new manager.');
				if (!isActiveMember(world, sa.id, to, s.now)) return no('target_not_member', `The new manager must be an active member of ${sa.name}.`);
			}
			return ok('in_reach', `${sa.name} is below ${s.sa.name}, which you manage.`);
		}
		case 'new_membership': {
			if (target.model !== names.membershipModel) return no('invalid_target', `'${action}' acts on ${names.membershipModel}.`);
			const sa = typeof target.sa === 'number' ? world.accountById.get(target.sa) : undefined;
			if (!sa) return no('unknown_sa', 'A membership needs a known serviced account.');
			if (!inReach(s, sa.id)) return no('outside_sa_tree', `${sa.name} is outside the tree you manage.`);
			if (!isActiveSa(sa)) return no('sa_inactive', `${sa.name} is not active.`);
			if (typeof target.actor !== 'number') return no('missing_target_actor', 'Name the person to admit.');
			if (activeMembershipsOf(world, sa.id, target.actor, s.now).length > 0) return no('duplicate_membership', `This person is already an active member of ${sa.name}.`);
			return ok('in_reach', `You manage ${sa.name}, so you may admit members.`);
		}
		case 'membership': {
			if (target.model !== names.membershipModel || target.id === null) return no('invalid_target', `'${action}' acts on an existing ${names.membershipModel}.`);
			const m = world.membershipById.get(target.id);
			if (!m) return no('unknown_membership', `Membership ${target.id} is not known.`);
			const sa = world.accountById.get(m.sa_id);
			if (!sa) return no('unknown_sa', `The serviced account of membership ${m.id} is not known.`);
			if (!inReach(s, sa.id)) return no('outside_sa_tree', `${sa.name} is outside the tree you manage.`);
			const root = rootMembership(world, sa, s.now);
			if ((action === 'membership.revoke' || action === 'membership.suspend') && (root?.id === m.id || m.partner_id === sa.sa_manager_id)) {
				return no('manager_membership', `This is the manager's membership in ${sa.name}; change the manager first (sa.change_manager).`);
			}
			if (action === 'membership.set_parent') {
				const to = s.options.toParentMembershipId;
				if (to === undefined) return no('invalid_target', 'Name the new parent membership (or null for directly under the manager).');
				if (to !== null) {
					const parent = world.membershipById.get(to);
					if (!parent || parent.sa_id !== m.sa_id) return no('unknown_membership', 'The new parent must be a membership of the same serviced account.');
					if (parent.id === m.id || isBelow(world, parent, m.id)) return no('invalid_target', 'A membership cannot be moved under itself.');
				}
			}
			return ok('in_reach', `You manage ${sa.name}, so you may govern its memberships.`);
		}
		case 'scope': {
			if (target.model === names.assetModel && action === 'scope.assign') {
				return no('odoo_side_only', 'Assets are affiliated to a serviced account from the Odoo side, not by the SA (seed 004 §9.6).');
			}
			const current = stampOf(s, target);
			if (current === undefined) return no('missing_stamp', `The SA of ${target.model} ${target.id} was not read, so its scope is unknown.`);
			if (action === 'scope.assign') {
				if (current.sa !== null) return no('already_affiliated', `${target.model} ${target.id} already belongs to serviced account ${current.sa}; remove it there first.`);
				const to = world.accountById.get(s.options.toSaId ?? s.sa.id);
				if (!to) return no('unknown_sa', 'The destination serviced account is not known.');
				if (!inReach(s, to.id)) return no('outside_sa_tree', `${to.name} is outside the tree you manage.`);
				if (!isActiveSa(to)) return no('sa_inactive', `${to.name} is not active.`);
				return ok('in_reach', `You manage ${to.name}, so you may put this object in its scope.`);
			}
			if (current.sa === null) return no('not_governed', `${target.model} ${target.id} belongs to no serviced account.`);
			const from = world.accountById.get(current.sa);
			if (!from) return no('unknown_sa', `Serviced account ${current.sa} is not known.`);
			if (!inReach(s, from.id)) return no('outside_sa_tree', `${from.name} is outside the tree you manage.`);
			return ok('in_reach', `You manage ${from.name}, so you may take this object out of its scope.`);
		}
		default:
			return no('unknown_action', `'${action}' has no structural rule.`);
	}
}

function isBelow(world: IndexedWorld, m: Membership, ancestorId: number): boolean {
	let current: Membership | undefined = m;
	for (let steps = 0; current && current.parent_membership_id !== null && steps <= world.membershipById.size; steps++) {
		if (current.parent_membership_id === ancestorId) return true;
		current = world.membershipById.get(current.parent_membership_id);
	}
	return false;
}

/** The stamp to trust: the loaded asset wrapper when there is one, otherwise what the caller read. */
function stampOf(s: Scope, target: ActionTarget): { sa: number | null; actor: number | null } | undefined {
	if (target.model === s.names.assetModel && target.id !== null) {
		const asset = s.world.assetById.get(target.id);
		if (asset) return { sa: asset.sa_id, actor: asset.actor_id ?? null };
	}
	if (target.sa === undefined) return undefined;
	return { sa: target.sa, actor: target.actor === undefined ? null : target.actor };
}

function decideWork(s: Scope, action: string, kind: TargetKind, target: ActionTarget): Verdict {
	const label = `${target.model} ${target.id ?? '(new)'}`;
	if (kind === 'new_record') {
		if (target.sa === undefined || target.sa === null) return no('missing_stamp', `A new record needs the serviced account it is stamped to (${s.sa.name}).`);
		if (target.sa !== s.sa.id) return no('other_sa', `New records are created in the current serviced account ${s.sa.name} only.`);
		const actor = target.actor ?? null;
		if (actor !== null && !isActiveMember(s.world, s.sa.id, actor, s.now)) return no('actor_not_member', `Partner ${actor} is not an active member of ${s.sa.name}.`);
		return ok('in_current_sa', `The record will be stamped to ${s.sa.name}.`);
	}
	if (target.id === null) return no('invalid_target', `'${action}' acts on an existing record.`);
	const stamp = stampOf(s, target);
	if (stamp === undefined) return no('missing_stamp', `The {actor, sa} stamp of ${label} was not read, so nothing can be established.`);

	if (action === 'record.read') {
		const decided = visibilitySpec(
			{ actor: s.actor, sa: s.sa, membership: s.membership, authority: { saa: s.isSaManager, sam: true }, isSaManager: s.isSaManager, subordinates: { direct: [], team: [...s.team] }, descendantSaIds: s.isSaManager ? descendantSaIds(s.world, s.sa.id, true) : [], at: s.now.toISOString() },
			s.options.policy ?? 'assigned_only',
			{ scope: s.options.scope ?? 'own' },
		);
		if (!decided.ok) return no(decided.reason, decided.message);
		if (stamp.sa === null) return no('not_governed', `${label} is not stamped to any serviced account.`);
		if (!isVisible({ id: target.id, model: target.model, sa: stamp.sa, actor: stamp.actor }, decided.spec)) {
			return stamp.sa === s.sa.id || decided.spec.treeSaIds.includes(stamp.sa)
				? no('not_visible', `${label} is not visible to you under the '${decided.policy}' policy.`)
				: no('other_sa', `${label} belongs to another serviced account.`);
		}
		return ok('visible', `${label} is visible under the '${decided.policy}' policy.`);
	}

	if (stamp.sa === null) return no('not_governed', `${label} is not stamped to any serviced account.`);
	if (stamp.sa !== s.sa.id) return no('other_sa', `${label} belongs to another serviced account; work happens in the current one only.`);
	const held = control(s, stamp.actor);
	if (!held.allowed) return held;
	if (action === 'record.assign') {
		const to = s.options.toActor;
		if (typeof to !== 'number') return no('missing_target_actor', 'Name the actor to assign (use record.release to unassign).');
		if (!isActiveMember(s.world, s.sa.id, to, s.now)) return no('target_not_member', `Partner ${to} is not an active member of ${s.sa.name}.`);
	}
	return held;
}

/** A member controls records assigned to them, unassigned (shared) records, and records of their team. */
function control(s: Scope, actor: number | null): Verdict {
	if (actor === null) return ok('unassigned', 'The record is shared in the serviced account.');
	if (actor === s.actor) return ok('assigned_to_actor', 'The record is assigned to you.');
	if (s.team.has(actor)) return ok('assigned_to_team', 'The record is assigned to someone in your team.');
	return no('assigned_to_other', 'The record is assigned to someone outside your team.');
}
