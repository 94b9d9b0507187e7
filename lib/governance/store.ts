import { checkAction, type ActionTarget, type CheckOptions, type CheckResult } from './actions';
import { resolveContext, type ResolveResult } from './context';
import { planRevoke, type RevokePlan } from './integrity';
import { DEFAULT_NAMES, type Assignment, type Denial, type GovernanceNames, type GovernanceWorld, type Membership, type ServicedAccount, type StampedRecord } from './types';
import { descendantAccounts, indexWorld, type IndexedWorld } from './world';

/**
 * The few questions a caller must answer before the pure decisions can run. Each method is meant to be one batched
 * Odoo round trip (or a fixed small number), never one per record, so a check over N records costs a constant
 * number of calls. An Odoo-backed store implements this with `search_read`; tests use `InMemoryGovernanceStore`.
 */
export interface GovernanceStore {
	/**
	 * Everything resolve, roll-up and checks need for one person: their memberships, the SAs those point to with all
	 * descendants, and every membership of those SAs. In Odoo: memberships of the partner; SAs `child_of` their SAs;
	 * memberships `sa_id in` those — three `search_read` calls, a fourth when asset wrappers are governed.
	 */
	loadWorld(partnerId: number): Promise<GovernanceWorld>;
	/** The `{actor, sa}` stamps of the given records, in one read. Ids that do not exist are simply absent. */
	readStamps(model: string, ids: readonly number[]): Promise<StampedRecord[]>;
	/** Records of a model stamped to an SA, optionally to one actor (null = unassigned only). */
	stampedRecords(model: string, saId: number, actorId?: number | null): Promise<StampedRecord[]>;
	/** V3 assignment rows of an SA, optionally only active ones and only for given records. */
	assignments(saId: number, filter?: { recordModel?: string; recordIds?: readonly number[]; activeOnly?: boolean }): Promise<Assignment[]>;
}

/** A store over arrays; it counts queries so tests and the benchmark can show a check's cost. */
export class InMemoryGovernanceStore implements GovernanceStore {
	queries = 0;
	readonly queriesByMethod: Record<string, number> = {};
	private readonly world: IndexedWorld;
	private readonly recordsByModel = new Map<string, Map<number, StampedRecord>>();

	constructor(
		world: GovernanceWorld,
		records: readonly StampedRecord[] = [],
		private readonly assignmentRows: readonly Assignment[] = world.assignments ?? [],
	) {
		this.world = indexWorld(world);
		for (const r of records) {
			let byId = this.recordsByModel.get(r.model);
			if (!byId) this.recordsByModel.set(r.model, (byId = new Map()));
			byId.set(r.id, r);
		}
	}

	private count(method: string): void {
		this.queries++;
		this.queriesByMethod[method] = (this.queriesByMethod[method] ?? 0) + 1;
	}

	resetCounts(): void {
		this.queries = 0;
		for (const key of Object.keys(this.queriesByMethod)) delete this.queriesByMethod[key];
	}

	async loadWorld(partnerId: number): Promise<GovernanceWorld> {
		this.count('loadWorld');
		const mine = this.world.membershipsByPartner.get(partnerId) ?? [];
		const accounts = new Map<number, ServicedAccount>();
		for (const m of mine) {
			const sa = this.world.accountById.get(m.sa_id);
			if (!sa || accounts.has(sa.id)) continue;
			accounts.set(sa.id, sa);
			// child_of in Odoo follows the tree whatever the state; decisions then judge states themselves.
			for (const d of descendantAccounts(this.world, sa.id, false)) accounts.set(d.id, d);
		}
		const memberships: Membership[] = [];
		for (const id of accounts.keys()) memberships.push(...(this.world.membershipsBySa.get(id) ?? []));
		const assets = (this.world.data.assets ?? []).filter((a) => a.sa_id !== null && accounts.has(a.sa_id));
		return { accounts: [...accounts.values()], memberships, assets };
	}

	async readStamps(model: string, ids: readonly number[]): Promise<StampedRecord[]> {
		this.count('readStamps');
		const byId = this.recordsByModel.get(model);
		if (!byId) return [];
		return ids.map((id) => byId.get(id)).filter((r): r is StampedRecord => r !== undefined);
	}

	async stampedRecords(model: string, saId: number, actorId?: number | null): Promise<StampedRecord[]> {
		this.count('stampedRecords');
		return [...(this.recordsByModel.get(model)?.values() ?? [])].filter((r) => r.sa === saId && (actorId === undefined || r.actor === actorId));
	}

	async assignments(saId: number, filter: { recordModel?: string; recordIds?: readonly number[]; activeOnly?: boolean } = {}): Promise<Assignment[]> {
		this.count('assignments');
		const ids = filter.recordIds === undefined ? undefined : new Set(filter.recordIds);
		return this.assignmentRows.filter(
			(a) => a.sa_id === saId && (filter.recordModel === undefined || a.record_model === filter.recordModel) && (ids === undefined || ids.has(a.record_id)) && (!filter.activeOnly || a.state === 'active'),
		);
	}
}

export interface StoreCheckRequest {
	loginPartnerId: number;
	saId?: number | null;
	action: string;
	model: string;
	/** Existing records to check; for a create pass `newTargets` instead. */
	recordIds?: readonly number[];
	newTargets?: readonly ActionTarget[];
	now: Date;
	options?: CheckOptions;
}

export type StoreCheckResult = { ok: true; context: Extract<ResolveResult, { ok: true }>; check: CheckResult; queries: number } | (Denial & { queries: number });

/**
 * Resolve + check for a batch of records in two store queries (world, stamps) whatever the batch size. Ids the store
 * cannot read come back denied as `unknown_record` rather than disappearing from the answer.
 */
export async function checkWithStore(store: GovernanceStore, request: StoreCheckRequest): Promise<StoreCheckResult> {
	let queries = 0;
	const world = indexWorld(await store.loadWorld(request.loginPartnerId));
	queries++;
	const ctx = resolveContext(world, request.loginPartnerId, request.saId, request.now);
	if (!ctx.ok) return { ...ctx, queries };
	const ids = [...new Set(request.recordIds ?? [])];
	let targets: ActionTarget[] = [...(request.newTargets ?? [])];
	const missing: number[] = [];
	if (ids.length > 0) {
		const stamps = new Map((await store.readStamps(request.model, ids)).map((r) => [r.id, r]));
		queries++;
		for (const id of ids) {
			const r = stamps.get(id);
			if (r) targets.push({ model: r.model, id: r.id, sa: r.sa, actor: r.actor });
			else missing.push(id);
		}
	}
	targets = targets.filter(Boolean);
	const check = checkAction(world, ctx, request.action, targets, request.now, request.options);
	for (const id of missing) {
		const denied = { model: request.model, id, allowed: false, reason: 'unknown_record' as const, message: `${request.model} ${id} does not exist or cannot be read.` };
		check.results.push(denied);
		check.denied.push(denied);
	}
	return { ok: true, context: ctx, check, queries };
}

export interface StoreRevokeRequest {
	/** The SAA acting: the manager of the membership's SA or of an SA above it. */
	loginPartnerId: number;
	saId?: number | null;
	membershipId: number;
	/** Governed models whose stamps must be normalised (e.g. res.partner, sale.order, helpdesk.ticket). */
	models: readonly string[];
	now: Date;
	names?: GovernanceNames;
}

export type StoreRevokeResult = { ok: true; plan: RevokePlan; queries: number } | (Denial & { queries: number });

/**
 * The Revoke Membership path: authority first (`membership.revoke` is SAA), then only the stamps of that person in
 * that SA are read, one query per governed model, plus one for the V3 rows: 2 + models.length queries in all.
 */
export async function revokeWithStore(store: GovernanceStore, request: StoreRevokeRequest): Promise<StoreRevokeResult> {
	let queries = 0;
	const names = request.names ?? DEFAULT_NAMES;
	const loaded = await store.loadWorld(request.loginPartnerId);
	queries++;
	const ctx = resolveContext(loaded, request.loginPartnerId, request.saId, request.now);
	if (!ctx.ok) return { ...ctx, queries };
	const check = checkAction(loaded, ctx, 'membership.revoke', [{ model: names.membershipModel, id: request.membershipId }], request.now, { names });
	const verdict = check.results[0];
	if (!verdict.allowed) return { ok: false, reason: verdict.reason as Denial['reason'], message: verdict.message, queries };
	const membership = loaded.memberships.find((m) => m.id === request.membershipId) as Membership;
	const stamped: StampedRecord[] = [];
	for (const model of request.models) {
		stamped.push(...(await store.stampedRecords(model, membership.sa_id, membership.partner_id)));
		queries++;
	}
	const assignments = await store.assignments(membership.sa_id, { activeOnly: true });
	queries++;
	const plan = planRevoke({ ...loaded, assignments }, membership.id, stamped, request.now, names);
	return plan.ok ? { ok: true, plan, queries } : { ...plan, queries };
}
