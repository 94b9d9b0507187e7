import { deny, type Denial, type Membership, type ServicedAccount } from './types';
import {
	descendantSaIds,
	indexWorld,
	isActiveSa,
	isActiveMembership,
	membershipStatus,
	rootMembership,
	walkDescendants,
	type IndexedWorld,
	type WorldInput,
} from './world';

/**
 * The `{actor, sa}` operating context of seed 004 §3.3, plus what the hierarchy gives this actor here. It is plain
 * data so a node can pass it between items; decisions that act on it re-check it against the world they are given.
 */
export interface GovernanceContext {
	/** Person partner acting (the real human, not the proxy user). */
	actor: number;
	sa: ServicedAccount;
	membership: Membership;
	authority: {
		/** Structure (SA Administration): held by the current sa_manager of `sa`, reaching into descendant SAs. */
		saa: boolean;
		/** Work inside the valid scope (SA Management): every active member. */
		sam: boolean;
	};
	/** The actor is the current sa_manager: root of the membership tree, may roll up into descendant SAs. */
	isSaManager: boolean;
	/** Partner ids below the actor in the membership tree of `sa` (active memberships only). */
	subordinates: { direct: number[]; team: number[] };
	/** Active descendant SAs, only for the sa_manager; empty for everyone else. */
	descendantSaIds: number[];
	/** When the context was established (ISO). */
	at: string;
}

export interface SaChoice {
	sa_id: number;
	name: string;
	sa_class: string;
}

export type ResolveResult = ({ ok: true } & GovernanceContext) | Denial;

export interface TeamMember {
	membership_id: number;
	partner_id: number;
	parent_membership_id: number | null;
	/** 1 = direct report. */
	depth: number;
}

export interface RolledUpSa {
	id: number;
	name: string;
	parent_id: number | null;
	sa_manager_id: number | null;
	/** 1 = child of the current SA. */
	depth: number;
}

export interface RollUp {
	ok: true;
	sa_id: number;
	direct: TeamMember[];
	team: TeamMember[];
	/** Only for the current sa_manager; a non-manager's roll-up never leaves its SA. */
	descendantSas: RolledUpSa[];
	/** The SAs the roll-up covers: the current one, then the descendants when allowed. */
	saIds: number[];
}

const statusDenial = (status: string, sa: ServicedAccount): Denial => {
	switch (status) {
		case 'suspended':
			return deny('membership_suspended', `Your membership in ${sa.name} is suspended.`, { sa_id: sa.id });
		case 'revoked':
			return deny('membership_revoked', `Your membership in ${sa.name} has been revoked.`, { sa_id: sa.id });
		case 'invalid_date':
			return deny('invalid_date', `Your membership in ${sa.name} has a date that cannot be read, so it cannot be trusted.`, { sa_id: sa.id });
		default:
			return deny('membership_not_effective', `Your membership in ${sa.name} is not in effect at this time.`, { sa_id: sa.id });
	}
};

/**
 * Login partner → memberships → SA (auto-selected when exactly one is usable) → context. Ambiguity is a denial that
 * lists the choices, which is the "My SAs" step of the PA flow.
 */
export function resolveContext(worldInput: WorldInput, loginPartnerId: number, requestedSaId: number | null | undefined, now: Date): ResolveResult {
	const world = indexWorld(worldInput);
	const mine = world.membershipsByPartner.get(loginPartnerId) ?? [];
	if (mine.length === 0) return deny('not_member', 'This person has no membership in any serviced account.', { partner_id: loginPartnerId });

	let membership: Membership;
	let sa: ServicedAccount;
	if (requestedSaId !== undefined && requestedSaId !== null) {
		const requested = world.accountById.get(requestedSaId);
		if (!requested) return deny('unknown_sa', `Serviced account ${requestedSaId} does not exist or is not loaded.`, { sa_id: requestedSaId });
		if (!isActiveSa(requested)) return deny('sa_inactive', `Serviced account ${requested.name} is not active.`, { sa_id: requested.id });
		const here = mine.filter((m) => m.sa_id === requested.id);
		if (here.length === 0) return deny('not_member', `You are not a member of ${requested.name}.`, { sa_id: requested.id });
		const active = here.filter((m) => isActiveMembership(world, m, now));
		if (active.length > 1) return deny('duplicate_membership', `You hold ${active.length} active memberships in ${requested.name}; an administrator must remove the duplicate.`, { sa_id: requested.id, membership_ids: active.map((m) => m.id) });
		if (active.length === 0) return statusDenial(membershipStatus(world, here[0], now), requested);
		membership = active[0];
		sa = requested;
	} else {
		const usable = mine.filter((m) => isActiveMembership(world, m, now) && isActiveSa(world.accountById.get(m.sa_id)));
		const saIds = [...new Set(usable.map((m) => m.sa_id))];
		if (saIds.length === 0) return deny('no_active_membership', 'You have no active membership in an active serviced account right now.', { partner_id: loginPartnerId });
		if (saIds.length > 1) {
			const choices: SaChoice[] = saIds.map((id) => {
				const account = world.accountById.get(id) as ServicedAccount;
				return { sa_id: id, name: account.name, sa_class: account.sa_class };
			});
			return deny('ambiguous_sa', `You are a member of ${saIds.length} serviced accounts; choose one.`, { choices });
		}
		if (usable.length > 1) return deny('duplicate_membership', 'You hold more than one active membership in the same serviced account; an administrator must remove the duplicate.', { sa_id: saIds[0], membership_ids: usable.map((m) => m.id) });
		membership = usable[0];
		sa = world.accountById.get(membership.sa_id) as ServicedAccount;
	}

	const root = rootMembership(world, sa, now);
	const isSaManager = root !== undefined && root.id === membership.id;
	const team = teamOf(world, sa, membership, isSaManager, now);
	const descendants = isSaManager ? descendantSaIds(world, sa.id, true) : [];
	return {
		ok: true,
		actor: loginPartnerId,
		sa,
		membership,
		authority: { saa: isSaManager, sam: true },
		isSaManager,
		subordinates: {
			direct: uniquePartners(team.filter((t) => t.depth === 1)),
			team: uniquePartners(team),
		},
		descendantSaIds: descendants,
		at: now.toISOString(),
	};
}

function uniquePartners(members: TeamMember[]): number[] {
	return [...new Set(members.map((m) => m.partner_id))];
}

/**
 * Breadth-first walk down the membership tree. It stops at memberships that are not active, so a suspended or
 * revoked middle manager cuts their branch off (fail closed) until SAA re-parents it; the audit reports such orphans.
 * The root also adopts members with no parent, because the seeds put the sa_manager at the root of the whole tree.
 */
export function teamOf(world: IndexedWorld, sa: ServicedAccount, start: Membership, isRoot: boolean, now: Date): TeamMember[] {
	const out: TeamMember[] = [];
	const seen = new Set<number>([start.id]);
	const queue: Array<{ m: Membership; depth: number }> = [{ m: start, depth: 0 }];
	const visit = (child: Membership, depth: number) => {
		if (seen.has(child.id) || child.sa_id !== sa.id) return;
		seen.add(child.id);
		if (!isActiveMembership(world, child, now)) return;
		out.push({ membership_id: child.id, partner_id: child.partner_id, parent_membership_id: child.parent_membership_id, depth });
		queue.push({ m: child, depth });
	};
	if (isRoot) {
		for (const m of world.membershipsBySa.get(sa.id) ?? []) if (m.parent_membership_id === null && m.id !== start.id) visit(m, 1);
	}
	for (let head = 0; head < queue.length; head++) {
		const { m, depth } = queue[head];
		for (const child of world.childrenOf(m.id)) visit(child, depth + 1);
	}
	// The actor is never their own subordinate, even if a second membership of theirs sits below them.
	return out.filter((t) => t.partner_id !== start.partner_id);
}

/**
 * Checks that a context handed back by a caller still holds in this world at `now`: same SA, same membership, still
 * active. Contexts travel through n8n items, so they are claims to verify, not proofs.
 */
export function verifyContext(worldInput: WorldInput, ctx: GovernanceContext | null | undefined, now: Date): ({ ok: true; world: IndexedWorld; sa: ServicedAccount; membership: Membership; isSaManager: boolean }) | Denial {
	const world = indexWorld(worldInput);
	if (!ctx || typeof ctx !== 'object' || !ctx.sa || !ctx.membership) return deny('invalid_context', 'No governance context was given; resolve the context first.');
	const sa = world.accountById.get(ctx.sa.id);
	if (!sa) return deny('unknown_sa', `Serviced account ${ctx.sa.id} is not known here.`, { sa_id: ctx.sa.id });
	if (!isActiveSa(sa)) return deny('sa_inactive', `Serviced account ${sa.name} is not active.`, { sa_id: sa.id });
	const membership = world.membershipById.get(ctx.membership.id);
	if (!membership || membership.partner_id !== ctx.actor || membership.sa_id !== sa.id) {
		return deny('invalid_context', 'The context does not match a membership of this actor in this serviced account.', { sa_id: sa.id, actor: ctx.actor });
	}
	const status = membershipStatus(world, membership, now);
	if (status !== 'active') return statusDenial(status, sa);
	const root = rootMembership(world, sa, now);
	return { ok: true, world, sa, membership, isSaManager: root !== undefined && root.id === membership.id };
}

/** Direct reports, the recursive team, and, for the current sa_manager only, the active descendant SAs. */
export function rollUp(worldInput: WorldInput, ctx: GovernanceContext, now: Date): RollUp | Denial {
	const verified = verifyContext(worldInput, ctx, now);
	if (!verified.ok) return verified;
	const { world, sa, membership, isSaManager } = verified;
	const team = teamOf(world, sa, membership, isSaManager, now);
	const descendantSas: RolledUpSa[] = [];
	if (isSaManager) {
		const { positions, depths } = walkDescendants(world, sa.id, true);
		positions.forEach((p, i) => {
			const d = world.sa.accounts[p];
			descendantSas.push({ id: d.id, name: d.name, parent_id: d.parent_id, sa_manager_id: d.sa_manager_id, depth: depths[i] });
		});
	}
	return {
		ok: true,
		sa_id: sa.id,
		direct: team.filter((t) => t.depth === 1),
		team,
		descendantSas,
		saIds: [sa.id, ...descendantSas.map((d) => d.id)],
	};
}
