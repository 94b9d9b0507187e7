/**
 * Serviced Account governance (seeds 004 and 001) as plain data. These shapes mirror the Odoo models closely enough
 * that a loader can fill them from `search_read` with a rename of fields and `false` → `null`; nothing here knows
 * n8n or a transport, so every decision is a pure function that can be tested on hand-made or random worlds.
 *
 * Ids are Odoo ids. Every "partner" is a `res.partner` id: the seeds anchor people in `res.partner` and put authority
 * on the membership, so the actor of a stamp is a person partner, never a `res.users` (the proxy user is separate).
 */
import type { OdooDomain } from '../odoo/types';

export type { OdooDomain };

export type SaClass = 'OVAC' | 'EXTC';
/** Seed 004 §4.2: "Start with active, inactive". Anything else a loader meets is treated as not active. */
export type SaState = 'active' | 'inactive';
export type MembershipState = 'active' | 'suspended' | 'revoked';
export type AssetClass = 'FLEET' | 'ITEM';
export type AssignmentState = 'active' | 'expired';

/** `ov.serviced_account`. */
export interface ServicedAccount {
	id: number;
	name: string;
	parent_id: number | null;
	/** The one company `res.partner` the SA wraps (seed: `partner_id`). */
	anchor_partner_id: number | null;
	sa_class: SaClass;
	state: SaState;
	/** Person partner at the root of the membership tree; their active membership in this SA is the root. */
	sa_manager_id: number | null;
	/** Odoo's archive flag read as data: `active = false` in Odoo becomes `archived = true` here. */
	archived?: boolean;
}

/** `ov.membership`: the authority-bearing relation between a person partner and an SA. */
export interface Membership {
	id: number;
	partner_id: number;
	sa_id: number;
	state: MembershipState;
	/** Odoo datetime ('YYYY-MM-DD HH:MM:SS', UTC), ISO 8601, or a date; null = open. */
	date_start: string | null;
	date_end: string | null;
	/** The membership tree inside the SA; null for the root (the sa_manager) and for members hung directly under it. */
	parent_membership_id: number | null;
}

/** `ov.asset`: a governance wrapper over a physical thing (FLEET → stock.location, ITEM → stock.production.lot). */
export interface Asset {
	id: number;
	name?: string;
	/** Null = limbo: the wrapper exists but no SA holds it (seed 004 §9.4). */
	sa_id: number | null;
	actor_id?: number | null;
	asset_class: AssetClass;
	location_id: number | null;
	lot_id: number | null;
}

/** V3 `ov.sa_customer_assignment`: who handles a record inside an SA, with history. */
export interface Assignment {
	id: number;
	sa_id: number;
	record_model: string;
	record_id: number;
	actor_partner_id: number;
	state: AssignmentState;
	date_from: string | null;
	date_to: string | null;
}

/** Any governed record read with its `{actor, sa}` stamp. `sa = null` means the record is not SA-governed. */
export interface StampedRecord {
	id: number;
	model: string;
	sa: number | null;
	actor: number | null;
}

/** The stamp alone, as written by the Stamp operation. */
export interface Stamp {
	sa: number | null;
	actor: number | null;
}

/** What a caller loads from Odoo before asking a decision; see `GovernanceStore.loadWorld`. */
export interface GovernanceWorld {
	accounts: ServicedAccount[];
	memberships: Membership[];
	assets?: Asset[];
	assignments?: Assignment[];
}

/** Model and field names, overridable because the seeds defer the exact stamp field design (004 §12). */
export interface GovernanceNames {
	servicedAccountModel: string;
	membershipModel: string;
	assetModel: string;
	assignmentModel: string;
	/** V2 stamp fields on governed models. */
	saField: string;
	actorField: string;
	/** Models whose stamp lives in other fields (e.g. the asset wrapper's own SA field). */
	stampFields?: Record<string, { sa: string; actor: string }>;
}

export const DEFAULT_NAMES: Readonly<GovernanceNames> = Object.freeze({
	servicedAccountModel: 'ov.serviced_account',
	membershipModel: 'ov.membership',
	assetModel: 'ov.asset',
	assignmentModel: 'ov.sa_customer_assignment',
	saField: 'x_sa_id',
	actorField: 'x_actor_id',
});

export function stampFieldsOf(names: GovernanceNames, model?: string): { sa: string; actor: string } {
	const special = model === undefined ? undefined : names.stampFields?.[model];
	return special ?? { sa: names.saField, actor: names.actorField };
}

/** Machine-readable reasons. Stable strings: workflows branch on them. */
export type DenyReason =
	| 'unknown_partner'
	| 'no_active_membership'
	| 'ambiguous_sa'
	| 'unknown_sa'
	| 'sa_inactive'
	| 'not_member'
	| 'membership_suspended'
	| 'membership_revoked'
	| 'membership_not_effective'
	| 'duplicate_membership'
	| 'invalid_context'
	| 'unknown_action'
	| 'unknown_policy'
	| 'unknown_scope'
	| 'unknown_record'
	| 'unknown_membership'
	| 'missing_stamp'
	| 'not_governed'
	| 'other_sa'
	| 'outside_sa_tree'
	| 'not_visible'
	| 'assigned_to_other'
	| 'actor_not_member'
	| 'target_not_member'
	| 'missing_target_actor'
	| 'needs_sa_manager'
	| 'needs_parent_sa_manager'
	| 'root_is_platform_managed'
	| 'manager_membership'
	| 'already_affiliated'
	| 'odoo_side_only'
	| 'invalid_date'
	| 'invalid_target';

export interface Denial {
	ok: false;
	reason: DenyReason;
	/** One sentence a person can act on. */
	message: string;
	details?: Record<string, unknown>;
}

export const deny = (reason: DenyReason, message: string, details?: Record<string, unknown>): Denial =>
	details === undefined ? { ok: false, reason, message } : { ok: false, reason, message, details };
