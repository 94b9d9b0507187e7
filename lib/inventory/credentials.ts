/**
 * Credential references (seed 002): where a secret lives in the vault, how often it is rotated, who owns it. Odoo
 * holds the reference, never the secret (DESIGN §2 rule 4): every input passes the secret guard, and the vault path
 * itself must not carry a password or a token.
 *
 * The references live in a manual model the pack creates on first use, `x_ops_credential_ref`, so no Odoo module is
 * needed.
 */
import type { ManualFieldSpec } from '../odoo/manual-schema';
import { ensureManualModel } from '../odoo/manual-schema';
import { OdooError } from '../odoo/errors';
import type { OdooClient, OdooDomain, OdooFieldInfo, OdooRecord } from '../odoo/types';
import { assertUsersResolved, ownerReference, resolveUsers, toIsoDate } from './assets';
import { assertNoSecrets, findSecretLikeValues, VAULT_PATH_EXAMPLE } from './secrets';
import { InventoryInputError, type AssetOwner, type CredentialReference } from './types';

export const CREDENTIAL_REF_MODEL = 'x_ops_credential_ref';

export const CREDENTIAL_REF_FIELDS: ManualFieldSpec[] = [
	{ name: 'x_name', ttype: 'char', description: 'Name', index: true },
	{ name: 'x_vault_path', ttype: 'char', description: 'Vault path', help: `Where the secret lives, e.g. ${VAULT_PATH_EXAMPLE}. Never the secret itself.` },
	{ name: 'x_rotation_policy', ttype: 'char', description: 'Rotation policy', help: 'monthly, quarterly, semiannual, yearly or a number of days like 90d' },
	{ name: 'x_mfa_required', ttype: 'boolean', description: 'MFA required' },
	{ name: 'x_last_rotation', ttype: 'date', description: 'Last rotation' },
	{ name: 'x_owner_id', ttype: 'many2one', description: 'Owner', relation: 'res.users', onDelete: 'set null' },
	{ name: 'x_asset_ref', ttype: 'char', description: 'Asset', help: 'model,id of the asset the secret belongs to' },
	{ name: 'x_notes', ttype: 'text', description: 'Notes' },
];

// ---------------------------------------------------------------------------------------------------------------
// Rotation policies

/** A rotation period: calendar months (monthly, quarterly…) or a number of days (90d). */
export type RotationPeriod = { unit: 'month'; count: number; policy: string } | { unit: 'day'; count: number; policy: string };

const NAMED_POLICIES: Record<string, { count: number; policy: string }> = {
	monthly: { count: 1, policy: 'monthly' },
	quarterly: { count: 3, policy: 'quarterly' },
	semiannual: { count: 6, policy: 'semiannual' },
	'semi-annual': { count: 6, policy: 'semiannual' },
	semiannually: { count: 6, policy: 'semiannual' },
	'half-yearly': { count: 6, policy: 'semiannual' },
	yearly: { count: 12, policy: 'yearly' },
	annual: { count: 12, policy: 'yearly' },
	annually: { count: 12, policy: 'yearly' },
};

export class RotationPolicyError extends InventoryInputError {
	constructor(policy: unknown, field = 'rotationPolicy') {
		super({
			field,
			message: `Rotation policy ${JSON.stringify(policy)} is not understood`,
			hint: 'Use monthly, quarterly, semiannual, yearly, or a number of days like 90d (1d to 3650d)',
		});
		this.name = 'RotationPolicyError';
	}
}

/** 'monthly' | 'quarterly' | 'semiannual' | 'yearly' | '<N>d' (also 'annual', 'semi-annual', '90 days'). */
export function parseRotationPolicy(policy: string): RotationPeriod {
	if (typeof policy !== 'string') throw new RotationPolicyError(policy);
	const text = policy.trim().toLowerCase();
	const named = NAMED_POLICIES[text];
	if (named) return { unit: 'month', ...named };
	const days = /^(\d{1,4})\s*(d|days?)$/.exec(text);
	if (days) {
		const count = Number(days[1]);
		if (count >= 1 && count <= 3650) return { unit: 'day', count, policy: `${count}d` };
	}
	throw new RotationPolicyError(policy);
}

// ---------------------------------------------------------------------------------------------------------------
// Vault paths

/** Schemes of the vaults teams use; others are accepted when they look like scheme://something. */
export const KNOWN_VAULT_SCHEMES = ['vaultwarden', 'bitwarden', 'vault', 'hashicorp-vault', '1password', 'op', 'keepass', 'keepassxc', 'aws-sm', 'azure-kv', 'gcp-sm', 'passbolt', 'infisical', 'doppler', 'sops'];

export interface VaultPath {
	scheme: string;
	path: string;
	/** One of KNOWN_VAULT_SCHEMES. */
	known: boolean;
}

/** Checks a vault path (scheme://path) and that it carries no secret itself; throws an InventoryInputError with the fix. */
export function checkVaultPath(value: unknown, label = 'Credential reference', field = 'vaultPath'): VaultPath {
	const hint = `Write where the secret lives as scheme://path, e.g. ${VAULT_PATH_EXAMPLE}`;
	if (typeof value !== 'string' || value.trim() === '') throw new InventoryInputError({ field, message: `${label}: '${field}' is missing`, hint });
	const text = value.trim();
	const match = /^([a-z][a-z0-9+.-]*):\/\/(\S+)$/i.exec(text);
	if (!match || match[2].replace(/\//g, '') === '') {
		throw new InventoryInputError({ field, message: `${label}: '${field}' is not a vault path (scheme://path)`, hint });
	}
	const [, scheme, path] = match;
	const authority = path.split('/')[0];
	if (authority.includes('@') && authority.split('@')[0].includes(':')) {
		throw new InventoryInputError({ field, message: `${label}: '${field}' carries a password (user:password@)`, hint: `Drop the user:password@ part: ${hint}` });
	}
	if (/[?#&]/.test(path)) {
		const findings = findSecretLikeValues({ [field]: text });
		const query = path.split(/[?#]/).slice(1).join('&');
		const tokenish = query.split('&').some((pair) => /^(token|secret|password|pass|pwd|key|api_?key|auth|sig|signature|access_token|client_secret)=./i.test(pair));
		if (findings.length > 0 || tokenish) {
			throw new InventoryInputError({ field, message: `${label}: '${field}' carries a credential in its query`, hint: `Drop the query: ${hint}` });
		}
	}
	return { scheme: scheme.toLowerCase(), path, known: KNOWN_VAULT_SCHEMES.includes(scheme.toLowerCase()) };
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

export interface CredentialReferenceInput {
	name: string;
	vaultPath: string;
	rotationPolicy: string;
	mfaRequired?: boolean;
	/** YYYY-MM-DD; null when never rotated. */
	lastRotation?: string | Date | null;
	/** res.users id, login or name. */
	owner?: number | string | AssetOwner | null;
	/** `${model},${id}` of the asset the secret belongs to. */
	assetRef?: string | null;
	notes?: string | null;
	[other: string]: unknown;
}

export interface CheckedCredentialReference {
	index: number;
	label: string;
	name: string;
	/** x_ field → value, without the owner (resolved later). */
	values: Record<string, unknown>;
	owner?: number | string | null;
}

const ALIASES: Record<string, string> = {
	name: 'name',
	vaultpath: 'vaultPath',
	rotationpolicy: 'rotationPolicy',
	mfarequired: 'mfaRequired',
	lastrotation: 'lastRotation',
	owner: 'owner',
	assetref: 'assetRef',
	notes: 'notes',
};

/** Validates one input; the secret guard runs first, on everything the input carries. */
export function checkCredentialReferenceInput(input: CredentialReferenceInput, index: number): CheckedCredentialReference {
	if (!input || typeof input !== 'object' || Array.isArray(input)) {
		throw new InventoryInputError({ field: 'reference', message: `Credential reference ${index + 1} is not an object`, hint: `Give each reference as {"name": "pfSense admin", "vaultPath": "${VAULT_PATH_EXAMPLE}", "rotationPolicy": "quarterly"}` });
	}
	const raw: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(input)) {
		const known = ALIASES[key.replace(/[^A-Za-z0-9]/g, '').toLowerCase()];
		if (known && value !== undefined) raw[known] = value;
	}
	const name = typeof raw.name === 'string' ? raw.name.trim() : '';
	const label = `Credential reference ${index + 1}${name ? ` ('${name}')` : ''}`;
	assertNoSecrets(input as Record<string, unknown>, label);
	if (!name) throw new InventoryInputError({ field: 'name', message: `${label}: 'name' is missing`, hint: "Name the credential the way people say it, e.g. 'pfSense admin'" });
	const vault = checkVaultPath(raw.vaultPath, label);
	let policy: RotationPeriod;
	try {
		policy = parseRotationPolicy(raw.rotationPolicy as string);
	} catch (error) {
		const missing = raw.rotationPolicy === undefined || raw.rotationPolicy === null || raw.rotationPolicy === '';
		throw new InventoryInputError({
			field: 'rotationPolicy',
			message: `${label}: ${missing ? "'rotationPolicy' is missing" : `rotation policy ${JSON.stringify(raw.rotationPolicy)} is not understood`}`,
			hint: (error as RotationPolicyError).hint,
		});
	}
	const values: Record<string, unknown> = { x_name: name, x_vault_path: `${vault.scheme}://${vault.path}`, x_rotation_policy: policy.policy };
	if ('mfaRequired' in raw) {
		const mfa = raw.mfaRequired;
		if (typeof mfa !== 'boolean' && !['true', 'false'].includes(String(mfa).toLowerCase())) {
			throw new InventoryInputError({ field: 'mfaRequired', message: `${label}: 'mfaRequired' must be true or false`, hint: 'Set mfaRequired to true when logging in with this credential needs a second factor' });
		}
		values.x_mfa_required = typeof mfa === 'boolean' ? mfa : String(mfa).toLowerCase() === 'true';
	}
	if ('lastRotation' in raw) {
		if (raw.lastRotation === null || raw.lastRotation === '') values.x_last_rotation = false;
		else {
			const date = toIsoDate(raw.lastRotation);
			if (!date) throw new InventoryInputError({ field: 'lastRotation', message: `${label}: 'lastRotation' ${JSON.stringify(raw.lastRotation)} is not a date`, hint: 'Write the day the secret was last changed as YYYY-MM-DD, or null when never' });
			values.x_last_rotation = date;
		}
	}
	if ('assetRef' in raw) {
		const ref = raw.assetRef;
		if (ref === null || ref === '') values.x_asset_ref = false;
		else if (typeof ref !== 'string' || !/^[a-z_][a-z0-9_.]*,[1-9]\d*$/.test(ref.trim())) {
			throw new InventoryInputError({ field: 'assetRef', message: `${label}: 'assetRef' is not an asset reference`, hint: "Write it as model,id, e.g. 'maintenance.equipment,12' (the ref the asset list gives)" });
		} else values.x_asset_ref = ref.trim();
	}
	if ('notes' in raw) {
		if (raw.notes !== null && typeof raw.notes !== 'string') throw new InventoryInputError({ field: 'notes', message: `${label}: 'notes' must be text`, hint: 'Give notes as a string' });
		values.x_notes = raw.notes ? String(raw.notes) : false;
	}
	let owner: number | string | null | undefined;
	if ('owner' in raw) owner = ownerReference(label, raw.owner);
	return { index, label, name, values, ...(owner !== undefined ? { owner } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Odoo

/** A reference as stored, with what the rotation reminders need besides the shared shape. */
export interface StoredCredentialReference extends CredentialReference {
	notes: string | null;
	/** YYYY-MM-DD the reference was recorded: a never-rotated secret has been due since then. */
	recordedOn: string | null;
}

const READ_FIELDS = [...CREDENTIAL_REF_FIELDS.map((spec) => spec.name), 'create_date'];

export function toCredentialReference(record: OdooRecord): StoredCredentialReference {
	const text = (value: unknown) => (value === false || value === null || value === undefined || value === '' ? null : String(value));
	const owner = Array.isArray(record.x_owner_id) ? { id: Number(record.x_owner_id[0]), name: String(record.x_owner_id[1] ?? '') } : null;
	return {
		id: record.id,
		name: text(record.x_name) ?? '',
		vaultPath: text(record.x_vault_path) ?? '',
		rotationPolicy: text(record.x_rotation_policy) ?? '',
		mfaRequired: record.x_mfa_required === true,
		lastRotation: text(record.x_last_rotation)?.slice(0, 10) ?? null,
		owner,
		assetRef: text(record.x_asset_ref),
		notes: text(record.x_notes),
		recordedOn: text(record.create_date)?.slice(0, 10) ?? null,
	};
}

async function modelFields(client: OdooClient): Promise<Record<string, OdooFieldInfo> | null> {
	try {
		return await client.fieldsGet(CREDENTIAL_REF_MODEL, ['type', 'relation']);
	} catch (error) {
		if (error instanceof OdooError && error.kind === 'unknown-model') return null;
		throw error;
	}
}

/** Every credential reference (none before the first upsert made the model), by name. */
export async function listCredentialReferences(client: OdooClient, options: { domain?: OdooDomain } = {}): Promise<StoredCredentialReference[]> {
	if (!(await modelFields(client))) return [];
	const references: StoredCredentialReference[] = [];
	for await (const page of client.searchReadPages(CREDENTIAL_REF_MODEL, options.domain ?? [], { fields: READ_FIELDS })) {
		for (const record of page) references.push(toCredentialReference(record));
	}
	return references.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

export interface CredentialReferenceUpsertResult {
	id: number;
	name: string;
	action: 'created' | 'updated' | 'unchanged';
	/** x_ fields written to an existing reference. */
	changed: string[];
}

function same(field: string, want: unknown, have: unknown): boolean {
	const norm = (value: unknown) => {
		if (Array.isArray(value)) return value[0];
		if (value === null || value === undefined || value === '') return false;
		if (field === 'x_last_rotation' && typeof value === 'string') return value.slice(0, 10);
		return value;
	};
	return norm(want) === norm(have);
}

/**
 * Creates or updates references keyed by name. All inputs are secret-guarded and validated and all owners resolved
 * before anything is written (the model itself included), so a refused input leaves Odoo as it was.
 */
export async function upsertCredentialReferences(client: OdooClient, inputs: CredentialReferenceInput[]): Promise<CredentialReferenceUpsertResult[]> {
	const checked = inputs.map((input, index) => checkCredentialReferenceInput(input, index));
	const byName = new Map<string, CheckedCredentialReference>();
	for (const reference of checked) {
		const earlier = byName.get(reference.name);
		if (earlier) {
			throw new InventoryInputError({ field: 'name', message: `${reference.label}: repeats the name of reference ${earlier.index + 1}`, hint: 'Give each reference once per run (merge the two), or name them apart' });
		}
		byName.set(reference.name, reference);
	}
	if (checked.length === 0) return [];
	const owners = checked.filter((reference): reference is CheckedCredentialReference & { owner: number | string } => reference.owner !== undefined && reference.owner !== null);
	if (owners.length > 0) {
		const resolved = await resolveUsers(client, owners.map((reference) => reference.owner));
		assertUsersResolved(owners, resolved);
		for (const reference of owners) reference.values.x_owner_id = resolved.found.get(reference.owner)!.id;
	}
	for (const reference of checked) if (reference.owner === null) reference.values.x_owner_id = false;

	// Once the model is complete, users without Settings rights can keep references up to date too.
	const fields = await modelFields(client);
	if (!fields || CREDENTIAL_REF_FIELDS.some((spec) => !fields[spec.name])) await ensureManualModel(client, CREDENTIAL_REF_MODEL, 'Credential reference', CREDENTIAL_REF_FIELDS);
	const existing = await client.searchRead(CREDENTIAL_REF_MODEL, [['x_name', 'in', [...byName.keys()]]], { fields: READ_FIELDS, order: 'id asc' });
	const recordOf = new Map<string, OdooRecord>();
	for (const record of existing) if (!recordOf.has(String(record.x_name))) recordOf.set(String(record.x_name), record);

	const results: CredentialReferenceUpsertResult[] = new Array(checked.length);
	const toCreate = checked.filter((reference) => !recordOf.has(reference.name));
	const ids = await client.create(CREDENTIAL_REF_MODEL, toCreate.map((reference) => reference.values));
	toCreate.forEach((reference, position) => {
		results[reference.index] = { id: ids[position], name: reference.name, action: 'created', changed: [] };
	});
	for (const reference of checked) {
		const record = recordOf.get(reference.name);
		if (!record) continue;
		const changed = Object.keys(reference.values).filter((field) => !same(field, reference.values[field], record[field]));
		if (changed.length > 0) await client.write(CREDENTIAL_REF_MODEL, [record.id], Object.fromEntries(changed.map((field) => [field, reference.values[field]])));
		results[reference.index] = { id: record.id, name: reference.name, action: changed.length > 0 ? 'updated' : 'unchanged', changed };
	}
	return results;
}
