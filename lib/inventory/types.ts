/**
 * The IT-glue inventory of seed 002 as the pack sees it, independent of where it lives in Odoo. Odoo is the record:
 * these shapes are read from it and written back; nothing here is kept between executions.
 */

/** The asset facts the seed tracks, under the pack's names; an AssetHome maps each to an Odoo field. */
export const ASSET_FACTS = [
	'name',
	'hostname',
	'ip',
	'vlan',
	'os',
	'osVersion',
	'owner',
	'purpose',
	'docsUrl',
	'lastPatched',
	'patchGroup',
	'kind',
] as const;
export type AssetFact = (typeof ASSET_FACTS)[number];

/** Network gear, compute nodes, VMs, endpoints (seed 002 "Assets"). */
export const ASSET_KINDS = ['network', 'compute', 'vm', 'endpoint', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Where assets live in this database and which Odoo field holds each fact. */
export interface AssetHome {
	model: string;
	/** Fact → Odoo field name. `owner` is a many2one to res.users; `lastPatched` a date; the rest text. */
	fields: Partial<Record<AssetFact, string>>;
}

export interface AssetOwner {
	id: number;
	name: string;
}

export interface Asset {
	/** Odoo id in the home model. */
	id: number;
	/** The home model, so `${model},${id}` is a stable reference. */
	model: string;
	name: string;
	hostname: string | null;
	ip: string | null;
	vlan: string | null;
	os: string | null;
	osVersion: string | null;
	owner: AssetOwner | null;
	purpose: string | null;
	docsUrl: string | null;
	/** YYYY-MM-DD, or null when never patched. */
	lastPatched: string | null;
	patchGroup: string | null;
	kind: AssetKind | null;
}

/** A reference to a secret kept in a vault (seed 002): never the secret itself. */
export interface CredentialReference {
	id: number;
	name: string;
	/** scheme://path, e.g. vaultwarden://Collections/Homelab/pfsense_admin */
	vaultPath: string;
	/** monthly | quarterly | semiannual | yearly | <N>d */
	rotationPolicy: string;
	mfaRequired: boolean;
	/** YYYY-MM-DD, or null when never rotated. */
	lastRotation: string | null;
	owner: AssetOwner | null;
	/** `${model},${id}` of the asset the secret belongs to, when known. */
	assetRef: string | null;
}

/** `${model},${id}`: how tasks, snapshots and references point at an asset across executions. */
export function assetRef(asset: Pick<Asset, 'model' | 'id'>): string {
	return `${asset.model},${asset.id}`;
}

/**
 * Bad inventory input (a field value the pack cannot store, or a secret where a reference belongs). The message names
 * the field and says what to do, so a node can show it as is; `hint` repeats the fix on its own.
 */
export class InventoryInputError extends Error {
	readonly field: string;
	readonly hint: string;

	/** `{ field, message, hint }`, or `(field, problem, hint)` for "field: problem. hint". */
	constructor(details: { field: string; message: string; hint: string } | string, problem?: string, hint?: string) {
		const parts = typeof details === 'string' ? { field: details, hint: hint ?? '', text: `${details}: ${problem ?? ''}${hint ? `. ${hint}` : ''}` } : { field: details.field, hint: details.hint, text: `${details.message}: ${details.hint}` };
		super(parts.text);
		this.name = 'InventoryInputError';
		this.field = parts.field;
		this.hint = parts.hint;
	}
}
