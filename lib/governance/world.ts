import type { Assignment, Asset, GovernanceWorld, Membership, ServicedAccount } from './types';

/**
 * Reads the date forms a loader may pass: Odoo's 'YYYY-MM-DD HH:MM:SS' (always UTC on the wire), ISO 8601, or a bare
 * date. Returns NaN when unreadable so callers can fail closed instead of guessing.
 */
export function parseOdooDate(value: string): number {
	const text = value.trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
	const odoo = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(text);
	if (odoo) return Date.parse(`${odoo[1]}T${odoo[2]}Z`);
	// Only strings that look like ISO with an explicit zone get here; anything else is refused rather than parsed
	// by the host's lenient Date rules.
	if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(text)) return Date.parse(text);
	return Number.NaN;
}

/** A bare date as an end means "through that day": the window closes at the next midnight (UTC). */
function parseEnd(value: string): number {
	const at = parseOdooDate(value);
	return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? at + 86_400_000 : at;
}

export function toOdooDatetime(at: Date): string {
	return at.toISOString().slice(0, 19).replace('T', ' ');
}

export type MembershipStatus = 'active' | 'suspended' | 'revoked' | 'not_effective' | 'invalid_date';

const INDEXED = Symbol('governance.indexedWorld');

/**
 * The world with its lookups built once. Every decision takes either this or the raw world (then indexes it, O(n)),
 * so a node that asks several questions of one load indexes once and each question stays about linear.
 *
 * Per-SA lookups (members by partner, children in the membership tree) and date parsing are built on first use and
 * memoised: a question about one SA should not pay for indexing 100k memberships it never looks at.
 */
export interface IndexedWorld {
	readonly [INDEXED]: true;
	readonly data: GovernanceWorld;
	readonly accountById: IdLookup<ServicedAccount>;
	/** The SA tree as compact arrays (positions into `accounts`): roll-ups over 10k SAs stay in cache. */
	readonly sa: SaTree;
	readonly membershipById: IdLookup<Membership>;
	readonly membershipsByPartner: IdLookup<readonly Membership[]>;
	readonly membershipsBySa: IdLookup<readonly Membership[]>;
	/** partner_id → memberships inside one SA: the "is P a member of S" question in O(1). */
	membersOf(saId: number): ReadonlyMap<number, Membership[]>;
	/** Children of a membership in its SA's tree (a child in another SA is bad data and is not followed). */
	childrenOf(membershipId: number): readonly Membership[];
	readonly assetById: IdLookup<Asset>;
	readonly assignments: readonly Assignment[];
	/** Epoch ms of a start/end date string; NaN when unreadable. */
	dateAt(text: string, asEnd: boolean): number;
}

export type WorldInput = GovernanceWorld | IndexedWorld;

/** The read side of a Map keyed by Odoo id; a `Map` is one, and so is the dense form below. */
export interface IdLookup<V> {
	get(id: number): V | undefined;
	has(id: number): boolean;
	readonly size: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

export function isIndexed(world: WorldInput): world is IndexedWorld {
	return (world as IndexedWorld)[INDEXED] === true;
}

/**
 * Odoo ids are small dense integers, so when the largest key is within a few times the row count, a key → position
 * table in an Int32Array replaces the Map. Measured at 100k memberships: about 1 ms instead of 50–150 ms for a Map,
 * whose cost also grew faster than the row count on a loaded machine. Other keys fall back to a Map.
 */
function denseMax(keys: ArrayLike<number>): number | undefined {
	let max = 0;
	for (let i = 0; i < keys.length; i++) {
		const k = keys[i];
		if (!Number.isInteger(k) || k < 0) return undefined;
		if (k > max) max = k;
	}
	return max <= 4 * keys.length + 1024 ? max : undefined;
}

const inRange = (id: number, max: number) => Number.isInteger(id) && id >= 0 && id <= max;

/**
 * The keys of every row read into typed arrays in a single pass over the row objects. At 100k memberships the
 * objects no longer fit in cache, so each pass over them costs a cache miss per row; the lookups below then work on
 * the compact key arrays only.
 */
function keyColumns<T>(rows: readonly T[], ...keys: Array<(row: T) => number>): Float64Array[] {
	const columns = keys.map(() => new Float64Array(rows.length));
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		for (let c = 0; c < keys.length; c++) {
			const k = keys[c](row);
			// NaN marks a key that is not a number (bad data); it never matches a lookup.
			columns[c][i] = typeof k === 'number' ? k : Number.NaN;
		}
	}
	return columns;
}

/** Position of the last row with each key (the row a Map built in order would keep). */
function positionsBy(keys: Float64Array): IdLookup<number> {
	const max = denseMax(keys);
	if (max === undefined) {
		const map = new Map<number, number>();
		keys.forEach((k, i) => map.set(k, i));
		return map;
	}
	const slot = new Int32Array(max + 1);
	let size = 0;
	for (let i = 0; i < keys.length; i++) {
		const k = keys[i];
		if (slot[k] === 0) size++;
		slot[k] = i + 1;
	}
	const get = (id: number) => (inRange(id, max) && slot[id] !== 0 ? slot[id] - 1 : undefined);
	return { get, has: (id) => get(id) !== undefined, size };
}

function rowsAt<T>(rows: readonly T[], positions: IdLookup<number>): IdLookup<T> {
	const get = (id: number) => {
		const p = positions.get(id);
		return p === undefined ? undefined : rows[p];
	};
	return { get, has: (id) => positions.has(id), size: positions.size };
}

/** Rows grouped by a key, in row order, as CSR arrays; a group's array is made on first request and kept. */
function groupBy<T>(rows: readonly T[], keys: Float64Array): IdLookup<readonly T[]> {
	const max = denseMax(keys);
	if (max === undefined) {
		const map = new Map<number, T[]>();
		keys.forEach((k, i) => push(map, k, rows[i]));
		return map;
	}
	const start = new Int32Array(max + 2);
	for (let i = 0; i < keys.length; i++) start[keys[i] + 1]++;
	let size = 0;
	for (let k = 0; k <= max; k++) {
		if (start[k + 1] > 0) size++;
		start[k + 1] += start[k];
	}
	const list = new Int32Array(keys.length);
	const cursor = start.slice(0, max + 1);
	for (let i = 0; i < keys.length; i++) list[cursor[keys[i]]++] = i;
	const made = new Map<number, T[]>();
	const get = (k: number): readonly T[] | undefined => {
		if (!inRange(k, max) || start[k] === start[k + 1]) return undefined;
		let group = made.get(k);
		if (!group) {
			group = [];
			for (let j = start[k]; j < start[k + 1]; j++) group.push(rows[list[j]]);
			made.set(k, group);
		}
		return group;
	};
	return { get, has: (k) => inRange(k, max) && start[k] !== start[k + 1], size };
}

const NONE: readonly Membership[] = Object.freeze([]);

/**
 * Children lists in CSR form: the children of the SA at position p are `list[start[p] .. start[p + 1])`. Typed
 * arrays rather than a Map of arrays because a manager's roll-up walks the whole subtree, and at 10k SAs pointer-
 * chasing through Map entries and objects was several times slower per SA than at 1k (cache misses, not work).
 */
export interface SaTree {
	readonly accounts: readonly ServicedAccount[];
	/** `accounts[p].id`, so id lists are made without touching thousands of objects. */
	readonly ids: Float64Array;
	readonly position: IdLookup<number>;
	readonly start: Int32Array;
	readonly list: Int32Array;
	readonly active: Uint8Array;
}

function buildSaTree(accounts: readonly ServicedAccount[], position: IdLookup<number>): SaTree {
	const n = accounts.length;
	const parentPos = new Int32Array(n).fill(-1);
	const start = new Int32Array(n + 1);
	const active = new Uint8Array(n);
	const ids = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const sa = accounts[i];
		ids[i] = sa.id;
		// With duplicate ids in bad data, only the row the lookup kept (the last) is in the tree.
		if (position.get(sa.id) !== i) continue;
		active[i] = isActiveSa(sa) ? 1 : 0;
		const p = sa.parent_id === null || sa.parent_id === sa.id ? undefined : position.get(sa.parent_id);
		if (p === undefined) continue;
		parentPos[i] = p;
		start[p + 1]++;
	}
	for (let i = 0; i < n; i++) start[i + 1] += start[i];
	const list = new Int32Array(start[n]);
	const cursor = start.slice(0, n);
	for (let i = 0; i < n; i++) if (parentPos[i] >= 0) list[cursor[parentPos[i]]++] = i;
	return { accounts, ids, position, start, list, active };
}

export function indexWorld(world: WorldInput): IndexedWorld {
	if (isIndexed(world)) return world;
	const [accountIds] = keyColumns(world.accounts, (sa) => sa.id);
	const positions = positionsBy(accountIds);
	const accountById = rowsAt(world.accounts, positions);
	const sa = buildSaTree(world.accounts, positions);
	const [membershipIds, partnerIds, saIds] = keyColumns(world.memberships, (m) => m.id, (m) => m.partner_id, (m) => m.sa_id);
	const membershipById = rowsAt(world.memberships, positionsBy(membershipIds));
	const membershipsByPartner = groupBy(world.memberships, partnerIds);
	const membershipsBySa = groupBy(world.memberships, saIds);

	const byPartnerCache = new Map<number, Map<number, Membership[]>>();
	const membersOf = (saId: number): ReadonlyMap<number, Membership[]> => {
		let byPartner = byPartnerCache.get(saId);
		if (!byPartner) {
			byPartner = new Map();
			for (const m of membershipsBySa.get(saId) ?? NONE) push(byPartner, m.partner_id, m);
			byPartnerCache.set(saId, byPartner);
		}
		return byPartner;
	};
	const childCache = new Map<number, Map<number, Membership[]>>();
	const childrenOf = (membershipId: number): readonly Membership[] => {
		const m = membershipById.get(membershipId);
		if (!m) return NONE;
		let children = childCache.get(m.sa_id);
		if (!children) {
			children = new Map();
			for (const c of membershipsBySa.get(m.sa_id) ?? NONE) {
				if (c.parent_membership_id !== null && c.parent_membership_id !== c.id) push(children, c.parent_membership_id, c);
			}
			childCache.set(m.sa_id, children);
		}
		return children.get(membershipId) ?? NONE;
	};
	// Real worlds repeat a handful of dates (bulk imports, month starts), so each distinct string is parsed once.
	const starts = new Map<string, number>();
	const ends = new Map<string, number>();
	const dateAt = (text: string, asEnd: boolean): number => {
		const cache = asEnd ? ends : starts;
		let at = cache.get(text);
		if (at === undefined) cache.set(text, (at = asEnd ? parseEnd(text) : parseOdooDate(text)));
		return at;
	};

	const assets = world.assets ?? [];
	const assetById = rowsAt<Asset>(assets, positionsBy(keyColumns(assets, (a) => a.id)[0]));
	return {
		[INDEXED]: true,
		data: world,
		accountById,
		sa,
		membershipById,
		membershipsByPartner,
		membershipsBySa,
		membersOf,
		childrenOf,
		assetById,
		assignments: world.assignments ?? [],
		dateAt,
	};
}

/** Where a membership stands at `now`. The window is [start, end): a membership ending at `now` no longer counts. */
export function membershipStatus(world: IndexedWorld, m: Membership, now: Date): MembershipStatus {
	if (m.state === 'revoked') return 'revoked';
	if (m.state === 'suspended') return 'suspended';
	if (m.state !== 'active') return 'revoked';
	const from = m.date_start === null ? Number.NEGATIVE_INFINITY : world.dateAt(m.date_start, false);
	const to = m.date_end === null ? Number.POSITIVE_INFINITY : world.dateAt(m.date_end, true);
	if (Number.isNaN(from) || Number.isNaN(to)) return 'invalid_date';
	const at = now.getTime();
	return from <= at && at < to ? 'active' : 'not_effective';
}

export function isActiveMembership(world: IndexedWorld, m: Membership, now: Date): boolean {
	return membershipStatus(world, m, now) === 'active';
}

/** An SA that can be worked in: known, state active, not archived. */
export function isActiveSa(sa: ServicedAccount | undefined): boolean {
	return sa !== undefined && sa.state === 'active' && sa.archived !== true;
}

/** The partner's active memberships in one SA (normally zero or one). */
export function activeMembershipsOf(world: IndexedWorld, saId: number, partnerId: number, now: Date): Membership[] {
	const list = world.membersOf(saId).get(partnerId) ?? [];
	return list.filter((m) => isActiveMembership(world, m, now));
}

export function isActiveMember(world: IndexedWorld, saId: number, partnerId: number, now: Date): boolean {
	const list = world.membersOf(saId).get(partnerId);
	return list !== undefined && list.some((m) => isActiveMembership(world, m, now));
}

/**
 * The membership at the root of an SA's tree: the sa_manager's single active membership there. None when the
 * manager is unset, not a member, or has two active memberships (then nobody can be sure who the root is).
 */
export function rootMembership(world: IndexedWorld, sa: ServicedAccount, now: Date): Membership | undefined {
	if (sa.sa_manager_id === null) return undefined;
	const active = activeMembershipsOf(world, sa.id, sa.sa_manager_id, now);
	return active.length === 1 ? active[0] : undefined;
}

/**
 * Strict descendants of an SA, breadth first, as positions in `world.sa.accounts` with their depth (1 = child).
 * `onlyActive` stops at inactive or archived SAs: their branch is not rolled up. No visited set is needed: every SA
 * has one parent, so a walk down can only come back to where it started, and only when the start sits on a cycle of
 * bad data; skipping the start ends that.
 */
export function walkDescendants(world: IndexedWorld, saId: number, onlyActive: boolean): { positions: number[]; depths: number[] } {
	const { position, start, list, active } = world.sa;
	const from = position.get(saId);
	const positions: number[] = [];
	const depths: number[] = [];
	if (from === undefined) return { positions, depths };
	let frontier = [from];
	for (let depth = 1; frontier.length > 0; depth++) {
		const next: number[] = [];
		for (const p of frontier) {
			for (let k = start[p]; k < start[p + 1]; k++) {
				const child = list[k];
				if (child === from || (onlyActive && active[child] === 0)) continue;
				positions.push(child);
				depths.push(depth);
				next.push(child);
			}
		}
		frontier = next;
	}
	return { positions, depths };
}

export function descendantSaIds(world: IndexedWorld, saId: number, onlyActive: boolean): number[] {
	const { ids } = world.sa;
	return walkDescendants(world, saId, onlyActive).positions.map((p) => ids[p]);
}

export function descendantAccounts(world: IndexedWorld, saId: number, onlyActive: boolean): ServicedAccount[] {
	const { accounts } = world.sa;
	return walkDescendants(world, saId, onlyActive).positions.map((p) => accounts[p]);
}

/** True when `saId` lies strictly below `ancestorId`; walks parents with a step bound so bad data cannot loop. */
export function isStrictDescendant(world: IndexedWorld, saId: number, ancestorId: number): boolean {
	let current = world.accountById.get(saId);
	for (let steps = 0; current && current.parent_id !== null && steps <= world.accountById.size; steps++) {
		if (current.parent_id === ancestorId) return true;
		current = world.accountById.get(current.parent_id);
	}
	return false;
}
