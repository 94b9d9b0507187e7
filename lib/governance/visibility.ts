import type { GovernanceContext } from './context';
import { DEFAULT_NAMES, deny, stampFieldsOf, type Denial, type GovernanceNames, type OdooDomain, type StampedRecord } from './types';

/** Seed 004 §7.3; visibility is chosen per app. */
export const VISIBILITY_POLICIES = ['sa_wide', 'assigned_plus_unassigned', 'assigned_only'] as const;
export type VisibilityPolicy = (typeof VISIBILITY_POLICIES)[number];

/**
 * How far the actor looks. `own`: the policy as written. `team`: "actor = me" widens to me and my recursive team
 * (seed 004 §7.4, anyone with subordinates). `sa_tree`: the sa_manager's SA-level roll-up, which adds every record of
 * the active descendant SAs. `own` and `team` never leave `record.sa == current_sa`.
 */
export const VISIBILITY_SCOPES = ['own', 'team', 'sa_tree'] as const;
export type VisibilityScope = (typeof VISIBILITY_SCOPES)[number];

export interface VisibilityOptions {
	scope?: VisibilityScope;
	/** The model the domain is for, when its stamp fields differ (`GovernanceNames.stampFields`). */
	model?: string;
}

/** The decision in one shape, from which both the Odoo domain and the in-memory filter are derived. */
export interface VisibilitySpec {
	saId: number;
	/** Actors whose records are visible inside the current SA; null = any actor (sa_wide). */
	actorIds: number[] | null;
	includeUnassigned: boolean;
	/** Descendant SAs seen whole (sa_tree scope of the sa_manager); empty otherwise. */
	treeSaIds: number[];
}

export type VisibilityResult =
	| { ok: true; policy: VisibilityPolicy; scope: VisibilityScope; spec: VisibilitySpec; domain: OdooDomain }
	| (Denial & { domain: OdooDomain });

/** Matches nothing in Odoo: what a caller gets if it ignores a denial and searches anyway. */
export const NOTHING_DOMAIN: OdooDomain = [['id', 'in', []]];

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** Ascending, without duplicates or `except`; a typed-array sort, as a manager's SA tree can hold thousands of ids. */
function sortedUnique(ids: readonly number[], except: number): number[] {
	const sorted = Float64Array.from(ids).sort();
	const out: number[] = [];
	for (let i = 0; i < sorted.length; i++) if (sorted[i] !== except && (i === 0 || sorted[i] !== sorted[i - 1])) out.push(sorted[i]);
	return out;
}
const isIdList = (value: unknown): value is number[] => Array.isArray(value) && value.every(isId);

export function visibilitySpec(ctx: GovernanceContext | null | undefined, policy: string, options: VisibilityOptions = {}): { ok: true; policy: VisibilityPolicy; scope: VisibilityScope; spec: VisibilitySpec } | Denial {
	if (!ctx || !ctx.sa || !isId(ctx.sa.id) || !isId(ctx.actor) || !ctx.subordinates || !isIdList(ctx.subordinates.team) || !isIdList(ctx.descendantSaIds)) {
		return deny('invalid_context', 'No valid governance context was given; resolve the context first.');
	}
	if (!(VISIBILITY_POLICIES as readonly string[]).includes(policy)) {
		return deny('unknown_policy', `Unknown visibility policy '${policy}'; use one of ${VISIBILITY_POLICIES.join(', ')}.`, { policy });
	}
	const scope = options.scope ?? 'own';
	if (!(VISIBILITY_SCOPES as readonly string[]).includes(scope)) {
		return deny('unknown_scope', `Unknown visibility scope '${String(scope)}'; use one of ${VISIBILITY_SCOPES.join(', ')}.`, { scope });
	}
	if (scope === 'sa_tree' && ctx.isSaManager !== true) {
		return deny('needs_sa_manager', `Only the current manager of ${ctx.sa.name} may roll up into its descendant serviced accounts.`, { sa_id: ctx.sa.id });
	}
	const p = policy as VisibilityPolicy;
	const actorIds = p === 'sa_wide' ? null : scope === 'own' ? [ctx.actor] : sortedUnique([ctx.actor, ...ctx.subordinates.team], 0);
	return {
		ok: true,
		policy: p,
		scope,
		spec: {
			saId: ctx.sa.id,
			actorIds,
			includeUnassigned: p !== 'assigned_only',
			treeSaIds: scope === 'sa_tree' ? sortedUnique(ctx.descendantSaIds, ctx.sa.id) : [],
		},
	};
}

/** The domain for a spec. Ids are sorted so the same decision always yields the same domain (cacheable, diffable). */
export function specDomain(spec: VisibilitySpec, fields: { sa: string; actor: string }): OdooDomain {
	const wall: OdooDomain = [[fields.sa, '=', spec.saId]];
	let inside: OdooDomain = wall;
	if (spec.actorIds !== null) {
		const assigned: OdooDomain = [spec.actorIds.length === 1 ? [fields.actor, '=', spec.actorIds[0]] : [fields.actor, 'in', spec.actorIds]];
		const actorClause: OdooDomain = spec.includeUnassigned ? ['|', ...assigned, [fields.actor, '=', false]] : assigned;
		inside = ['&', ...wall, ...actorClause];
	}
	if (spec.treeSaIds.length === 0) return inside;
	return ['|', ...inside, [fields.sa, 'in', spec.treeSaIds]];
}

/** The Odoo domain for a policy, to AND with any search on a governed model. Fails closed with `NOTHING_DOMAIN`. */
export function visibilityDomain(ctx: GovernanceContext | null | undefined, policy: string, names: GovernanceNames = DEFAULT_NAMES, options: VisibilityOptions = {}): VisibilityResult {
	const decided = visibilitySpec(ctx, policy, options);
	if (!decided.ok) return { ...decided, domain: NOTHING_DOMAIN };
	return { ...decided, domain: specDomain(decided.spec, stampFieldsOf(names, options.model)) };
}

export function isVisible(record: StampedRecord, spec: VisibilitySpec): boolean {
	if (record.sa === null || record.sa === undefined) return false;
	if (record.sa === spec.saId) {
		if (spec.actorIds === null) return true;
		if (record.actor === null || record.actor === undefined) return spec.includeUnassigned;
		return spec.actorIds.includes(record.actor);
	}
	return spec.treeSaIds.includes(record.sa);
}

/** The same decision as `visibilityDomain`, applied to records already in memory. Denied → nothing visible. */
export function filterVisible<R extends StampedRecord>(records: readonly R[], ctx: GovernanceContext | null | undefined, policy: string, options: VisibilityOptions = {}): R[] {
	const decided = visibilitySpec(ctx, policy, options);
	if (!decided.ok) return [];
	const { spec } = decided;
	// Sets keep the filter linear when a manager's team or SA tree is large.
	const actors = spec.actorIds === null ? null : new Set(spec.actorIds);
	const tree = new Set(spec.treeSaIds);
	return records.filter((r) => {
		if (r.sa === null || r.sa === undefined) return false;
		if (r.sa === spec.saId) {
			if (actors === null) return true;
			if (r.actor === null || r.actor === undefined) return spec.includeUnassigned;
			return actors.has(r.actor);
		}
		return tree.has(r.sa);
	});
}
