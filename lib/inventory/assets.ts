/**
 * Assets in Odoo (seed 002): network gear, compute nodes, VMs and endpoints, kept in whichever model this database has
 * for them. `ov.asset` (the governance wrapper) when installed, else `maintenance.equipment` (Community); the facts
 * Odoo lacks live in `x_` fields the pack adds on request. Everything is read from Odoo on each call: another worker
 * may have added a field or an asset a second ago.
 */
import { isIP } from 'node:net';

import { ensureManualFields, type ManualFieldSpec } from '../odoo/manual-schema';
import { OdooError } from '../odoo/errors';
import type { OdooClient, OdooDomain, OdooFieldInfo, OdooRecord } from '../odoo/types';
import { assertNoSecrets, fieldNameWords } from './secrets';
import { ASSET_FACTS, ASSET_KINDS, InventoryInputError, type Asset, type AssetFact, type AssetHome, type AssetKind, type AssetOwner } from './types';

export const OV_ASSET = 'ov.asset';
export const MAINTENANCE_EQUIPMENT = 'maintenance.equipment';

/** maintenance.equipment has a name and an owner (res.users); the rest are the pack's x_ fields. */
export const MAINTENANCE_EQUIPMENT_HOME: AssetHome = {
	model: MAINTENANCE_EQUIPMENT,
	fields: {
		name: 'name',
		owner: 'owner_user_id',
		hostname: 'x_hostname',
		ip: 'x_ip',
		vlan: 'x_vlan',
		os: 'x_os',
		osVersion: 'x_os_version',
		purpose: 'x_purpose',
		docsUrl: 'x_docs_url',
		lastPatched: 'x_last_patched',
		patchGroup: 'x_patch_group',
		kind: 'x_asset_kind',
	},
};

/**
 * ov.asset has name and description (what the asset is for). Its actor_id is a res.partner stamped for governance
 * (it must stay a member of the asset's serviced account), so the owner, a res.users, gets its own x_ field.
 */
export const OV_ASSET_HOME: AssetHome = {
	model: OV_ASSET,
	fields: { ...MAINTENANCE_EQUIPMENT_HOME.fields, owner: 'x_owner_user_id', purpose: 'description' },
};

/** Values a new record needs that no fact provides: ov.asset requires a class, and an IT asset is an item. */
const CREATE_DEFAULTS: Record<string, Record<string, unknown>> = {
	[OV_ASSET]: { asset_class: 'ITEM' },
};

/** What each fact is in Odoo, for the x_ fields the pack creates and for checking a mapped field fits. */
const FACT_FIELDS: Record<AssetFact, Omit<ManualFieldSpec, 'name'>> = {
	name: { ttype: 'char', description: 'Name' },
	hostname: { ttype: 'char', description: 'Hostname', index: true },
	ip: { ttype: 'char', description: 'IP address' },
	vlan: { ttype: 'char', description: 'VLAN' },
	os: { ttype: 'char', description: 'Operating system' },
	osVersion: { ttype: 'char', description: 'OS version' },
	owner: { ttype: 'many2one', description: 'Owner', relation: 'res.users', onDelete: 'set null' },
	purpose: { ttype: 'text', description: 'Purpose' },
	docsUrl: { ttype: 'char', description: 'Documentation URL' },
	lastPatched: { ttype: 'date', description: 'Last patched' },
	patchGroup: { ttype: 'char', description: 'Patch group', index: true },
	kind: {
		ttype: 'selection',
		description: 'Asset kind',
		selection: `[${ASSET_KINDS.map((kind) => `('${kind}', '${kind === 'vm' ? 'VM' : kind[0].toUpperCase() + kind.slice(1)}')`).join(', ')}]`,
	},
};

/** Odoo field types that can hold each fact when the user maps it to a field of their own. */
const COMPATIBLE_TYPES: Record<AssetFact, string[]> = {
	name: ['char', 'text'],
	hostname: ['char', 'text'],
	ip: ['char', 'text'],
	vlan: ['char', 'integer'],
	os: ['char', 'text', 'selection'],
	osVersion: ['char', 'text'],
	owner: ['many2one'],
	purpose: ['char', 'text', 'html'],
	docsUrl: ['char', 'text'],
	lastPatched: ['date', 'datetime'],
	patchGroup: ['char', 'text', 'selection'],
	kind: ['selection', 'char'],
};

// ---------------------------------------------------------------------------------------------------------------
// Where assets live

/** A fact → field map as users write it; null (or '') leaves a fact out of Odoo. */
export type AssetFieldMap = Partial<Record<AssetFact, string | null>>;

export interface ResolveAssetHomeOptions {
	/** The model to use; by default ov.asset when installed, else maintenance.equipment. */
	model?: string;
	/** Overrides of the default mapping, fact → Odoo field. */
	fieldMap?: AssetFieldMap;
}

/** Whether `model` is installed, asked with fields_get so users without access to ir.model can ask too. */
async function installed(client: OdooClient, model: string): Promise<boolean> {
	try {
		await client.fieldsGet(model, ['type']);
		return true;
	} catch (error) {
		if (error instanceof OdooError && error.kind === 'unknown-model') return false;
		throw error;
	}
}

function defaultHomeFor(model: string): AssetHome {
	if (model === OV_ASSET) return OV_ASSET_HOME;
	if (model === MAINTENANCE_EQUIPMENT) return MAINTENANCE_EQUIPMENT_HOME;
	// Any other model: its name field, x_ fields for everything else (owner too: we cannot know its users field).
	return { model, fields: { ...MAINTENANCE_EQUIPMENT_HOME.fields, owner: 'x_owner_user_id' } };
}

/** Applies user overrides to a mapping; unknown facts and bad field names are refused with the fix. */
export function applyFieldMap(home: AssetHome, fieldMap: AssetFieldMap | undefined): AssetHome {
	const fields: AssetHome['fields'] = { ...home.fields };
	for (const [fact, field] of Object.entries(fieldMap ?? {})) {
		if (!(ASSET_FACTS as readonly string[]).includes(fact)) {
			throw new InventoryInputError({
				field: `fieldMap.${fact}`,
				message: `Field mapping names '${fact}', which is not an asset fact`,
				hint: `Map only ${ASSET_FACTS.join(', ')}`,
			});
		}
		if (field === null || field === undefined || field === '') {
			if (fact === 'name') {
				throw new InventoryInputError({ field: 'fieldMap.name', message: "Field mapping leaves out 'name'", hint: 'Every asset needs a name field: map name to a char field of the model (usually name)' });
			}
			delete fields[fact as AssetFact];
			continue;
		}
		if (typeof field !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(field)) {
			throw new InventoryInputError({
				field: `fieldMap.${fact}`,
				message: `Field mapping for '${fact}' is not an Odoo field name`,
				hint: 'Use the technical name of a field (lower case, digits and underscores, e.g. x_hostname)',
			});
		}
		fields[fact as AssetFact] = field;
	}
	return { model: home.model, fields };
}

/**
 * The asset home for this database: the given model, or ov.asset when installed, else maintenance.equipment, with the
 * user's mapping applied. The x_ fields are not created here (see ensureAssetFields).
 */
export async function resolveAssetHome(client: OdooClient, options: ResolveAssetHomeOptions = {}): Promise<AssetHome> {
	const wanted = options.model?.trim();
	if (wanted) {
		if (!(await installed(client, wanted))) {
			throw new OdooError({
				kind: 'unknown-model',
				model: wanted,
				message: `Asset model '${wanted}' is not installed on this Odoo database`,
				hint: `Install its app, fix the technical name, or leave the model empty to use ${OV_ASSET} or ${MAINTENANCE_EQUIPMENT}`,
			});
		}
		return applyFieldMap(defaultHomeFor(wanted), options.fieldMap);
	}
	for (const model of [OV_ASSET, MAINTENANCE_EQUIPMENT]) {
		if (await installed(client, model)) return applyFieldMap(defaultHomeFor(model), options.fieldMap);
	}
	throw new OdooError({
		kind: 'unknown-model',
		model: MAINTENANCE_EQUIPMENT,
		message: `Neither ${OV_ASSET} nor ${MAINTENANCE_EQUIPMENT} is installed on this Odoo database, so assets have no home`,
		hint: 'Install the Maintenance app (module maintenance), or name the model that holds your assets',
	});
}

function checkMappedField(home: AssetHome, fact: AssetFact, field: string, info: OdooFieldInfo | undefined): void {
	if (!info) {
		throw new OdooError({
			kind: 'unknown-field',
			model: home.model,
			field,
			message: `Field '${field}' (asset ${fact}) does not exist on '${home.model}'`,
			hint: field.startsWith('x_') ? "Run 'Ensure Fields' once to add the pack's fields" : `Map ${fact} to an existing field, or to an x_ name the pack can create`,
		});
	}
	if (!COMPATIBLE_TYPES[fact].includes(info.type) || (fact === 'owner' && info.relation !== 'res.users')) {
		throw new OdooError({
			kind: 'validation',
			model: home.model,
			field,
			message: `Field '${field}' on '${home.model}' is a ${info.type}${info.relation ? ` to ${info.relation}` : ''} field; asset ${fact} needs ${fact === 'owner' ? 'a many2one to res.users' : COMPATIBLE_TYPES[fact].join(' or ')}`,
			hint: `Map ${fact} to another field`,
		});
	}
}

/**
 * Adds the x_ fields of `home` that the model lacks (idempotent: a second run creates nothing) and checks that the
 * mapped fields it does not create exist and fit. Returns the names it created.
 */
export async function ensureAssetFields(client: OdooClient, home: AssetHome): Promise<string[]> {
	const existing = await client.fieldsGet(home.model);
	const specs: ManualFieldSpec[] = [];
	for (const [fact, field] of Object.entries(home.fields) as Array<[AssetFact, string]>) {
		if (existing[field] || !field.startsWith('x_')) checkMappedField(home, fact, field, existing[field]);
		else specs.push({ name: field, ...FACT_FIELDS[fact] });
	}
	if (specs.length === 0) return [];
	const { created } = await ensureManualFields(client, home.model, specs);
	return created;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

const textOf = (value: unknown): string | null => (value === false || value === null || value === undefined || value === '' ? null : String(value));

function ownerOf(value: unknown): AssetOwner | null {
	if (Array.isArray(value) && typeof value[0] === 'number') return { id: value[0], name: String(value[1] ?? '') };
	if (typeof value === 'number' && value > 0) return { id: value, name: '' };
	return null;
}

/** One Odoo record as an Asset; facts the home does not map (or whose field is missing) are null. */
export function toAsset(record: OdooRecord, home: AssetHome): Asset {
	const get = (fact: AssetFact): unknown => (home.fields[fact] ? record[home.fields[fact]!] : undefined);
	const kind = textOf(get('kind'));
	return {
		id: record.id,
		model: home.model,
		name: textOf(get('name')) ?? '',
		hostname: textOf(get('hostname')),
		ip: textOf(get('ip')),
		vlan: textOf(get('vlan')),
		os: textOf(get('os')),
		osVersion: textOf(get('osVersion')),
		owner: ownerOf(get('owner')),
		purpose: textOf(get('purpose')),
		docsUrl: textOf(get('docsUrl')),
		lastPatched: textOf(get('lastPatched'))?.slice(0, 10) ?? null,
		patchGroup: textOf(get('patchGroup')),
		kind: kind && (ASSET_KINDS as readonly string[]).includes(kind) ? (kind as AssetKind) : null,
	};
}

/** The mapped fields the model has: before 'Ensure Fields' ran, the missing ones read as null instead of failing. */
function readableFields(home: AssetHome, fields: Record<string, OdooFieldInfo>): string[] {
	return [...new Set(Object.values(home.fields).filter((field): field is string => Boolean(field && fields[field])))];
}

/** Every asset in the home matching `domain` (all pages), in id order. */
export async function listAssets(client: OdooClient, home: AssetHome, options: { domain?: OdooDomain; pageSize?: number } = {}): Promise<Asset[]> {
	const fields = await client.fieldsGet(home.model);
	const assets: Asset[] = [];
	for await (const page of client.searchReadPages(home.model, options.domain ?? [], { fields: readableFields(home, fields), pageSize: options.pageSize })) {
		for (const record of page) assets.push(toAsset(record, home));
	}
	return assets;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (pure)

/** What a user or a workflow item may say about an asset. Keys may also be written os_version, last_patched… */
export interface AssetInput {
	name?: string | null;
	hostname?: string | null;
	ip?: string | null;
	/** 802.1Q VLAN id, 1–4094. */
	vlan?: number | string | null;
	os?: string | null;
	osVersion?: string | null;
	/** res.users id, login or name (or an AssetOwner as listAssets returns it). */
	owner?: number | string | AssetOwner | null;
	purpose?: string | null;
	docsUrl?: string | null;
	/** YYYY-MM-DD (an ISO timestamp or a Date is cut to its UTC date). */
	lastPatched?: string | Date | null;
	patchGroup?: string | null;
	kind?: AssetKind | string | null;
	[other: string]: unknown;
}

/** A validated input: each fact present is its Odoo-ready value (owner still a reference), null clears it. */
export interface CheckedAsset {
	index: number;
	/** Lower-case hostname, or the name when there is no hostname. */
	key: string;
	keyKind: 'hostname' | 'name';
	label: string;
	facts: Partial<Record<AssetFact, string | number | null>>;
	owner?: number | string | null;
}

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** YYYY-MM-DD of a date given as text or Date, or undefined when it is not a real calendar date. */
export function toIsoDate(value: unknown): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$)/.exec(text);
	if (!match) return undefined;
	const [, y, m, d] = match;
	const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
	if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
	// A timestamp with an offset is cut to its UTC date, like Odoo stores it.
	if (match[4] !== undefined && match[7] && match[7] !== 'Z') {
		const instant = new Date(text.replace(' ', 'T'));
		return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString().slice(0, 10);
	}
	return `${y}-${m}-${d}`;
}

/** The fact a key of an input names: "osVersion", "os_version", "OS Version" → osVersion. */
function factOf(key: string): AssetFact | undefined {
	const flat = fieldNameWords(key).join('');
	return ASSET_FACTS.find((fact) => fact.toLowerCase() === flat);
}

function inputError(label: string, field: string, message: string, hint: string): InventoryInputError {
	return new InventoryInputError({ field, message: `${label}: ${message}`, hint });
}

function text(label: string, field: string, value: unknown): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value !== 'string') throw inputError(label, field, `'${field}' must be text`, `Give '${field}' as a string`);
	return value.trim() === '' ? null : value.trim();
}

/** Validates one input; `index` is its 0-based position, for messages (which count from 1). */
export function checkAssetInput(input: AssetInput, index: number): CheckedAsset {
	if (!input || typeof input !== 'object' || Array.isArray(input)) {
		throw inputError(`Asset ${index + 1}`, 'asset', 'is not an object', 'Give each asset as an object like {"hostname": "pve01", "ip": "10.20.0.5"}');
	}
	const raw: Partial<Record<AssetFact, unknown>> = {};
	for (const [key, value] of Object.entries(input)) {
		const fact = factOf(key);
		if (fact && value !== undefined) raw[fact] = value;
	}
	const hostnameText = text(`Asset ${index + 1}`, 'hostname', raw.hostname);
	const nameText = text(`Asset ${index + 1}`, 'name', raw.name);
	const label = `Asset ${index + 1}${hostnameText || nameText ? ` ('${hostnameText ?? nameText}')` : ''}`;
	if (!hostnameText && !nameText) {
		throw inputError(label, 'hostname', 'has neither a hostname nor a name', 'Give each asset a hostname (preferred: it is the key) or at least a name');
	}
	const facts: CheckedAsset['facts'] = {};
	if (hostnameText !== null) {
		if (!HOSTNAME_RE.test(hostnameText)) {
			throw inputError(label, 'hostname', `'hostname' '${hostnameText}' is not a host name`, 'Use letters, digits and dashes, with dots between labels, e.g. pve01 or pve01.lab.example.com');
		}
		facts.hostname = hostnameText.toLowerCase();
	} else if ('hostname' in raw) facts.hostname = null;
	// A new asset without a name is named after its host: Odoo requires a name.
	if (nameText !== null) facts.name = nameText;
	for (const fact of ['os', 'osVersion', 'purpose', 'patchGroup'] as const) {
		if (fact in raw) facts[fact] = text(label, fact, raw[fact]);
	}
	if ('ip' in raw) {
		const ip = text(label, 'ip', raw.ip);
		if (ip !== null && isIP(ip) === 0) {
			throw inputError(label, 'ip', `'ip' '${ip}' is not an IPv4 or IPv6 address`, 'Write one address like 10.20.0.5 or 2001:db8::5 (no prefix length, no port)');
		}
		facts.ip = ip;
	}
	if ('vlan' in raw) {
		const vlan = raw.vlan;
		if (vlan === null || vlan === '') facts.vlan = null;
		else {
			const number = typeof vlan === 'number' ? vlan : typeof vlan === 'string' && /^\s*\d+\s*$/.test(vlan) ? Number(vlan) : NaN;
			if (!Number.isInteger(number) || number < 1 || number > 4094) {
				throw inputError(label, 'vlan', `'vlan' ${JSON.stringify(vlan)} is not a VLAN id`, 'Use a whole number from 1 to 4094 (the 802.1Q VLAN id), e.g. 20');
			}
			facts.vlan = number;
		}
	}
	if ('lastPatched' in raw) {
		if (raw.lastPatched === null || raw.lastPatched === '') facts.lastPatched = null;
		else {
			const date = toIsoDate(raw.lastPatched);
			if (!date) throw inputError(label, 'lastPatched', `'lastPatched' ${JSON.stringify(raw.lastPatched)} is not a date`, 'Write the day of the last patch as YYYY-MM-DD, e.g. 2026-05-14');
			facts.lastPatched = date;
		}
	}
	if ('kind' in raw) {
		const kind = text(label, 'kind', raw.kind)?.toLowerCase() ?? null;
		if (kind !== null && !(ASSET_KINDS as readonly string[]).includes(kind)) {
			throw inputError(label, 'kind', `'kind' '${kind}' is not an asset kind`, `Use one of ${ASSET_KINDS.join(', ')}`);
		}
		facts.kind = kind;
	}
	if ('docsUrl' in raw) {
		const url = text(label, 'docsUrl', raw.docsUrl);
		if (url !== null && !isUrl(url)) throw inputError(label, 'docsUrl', `'docsUrl' '${url}' is not a URL`, 'Give the full address, e.g. https://wiki.lab.example.com/pve01');
		facts.docsUrl = url;
	}
	let owner: CheckedAsset['owner'];
	if ('owner' in raw) owner = ownerReference(label, raw.owner);
	return { index, key: (hostnameText ?? nameText)!.toLowerCase(), keyKind: hostnameText ? 'hostname' : 'name', label, facts, ...(owner !== undefined ? { owner } : {}) };
}

export function isUrl(value: string): boolean {
	if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

/** An owner as given: a res.users id, a login or name, an {id, name} as listAssets returns, or null to clear. */
export function ownerReference(label: string, value: unknown): number | string | null {
	if (value === null || value === '' || value === false) return null;
	if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	if (typeof value === 'string') return value.trim();
	if (value && typeof value === 'object' && typeof (value as AssetOwner).id === 'number') return (value as AssetOwner).id;
	throw inputError(label, 'owner', "'owner' is not a user", 'Give the owner as an Odoo user id, login or name (Settings → Users)');
}

// ---------------------------------------------------------------------------------------------------------------
// Owners

/**
 * Resolves user references (ids, logins, names) to res.users with at most two calls. Unknown or ambiguous references
 * are absent from the map; the caller names them in its own words.
 */
export async function resolveUsers(client: OdooClient, references: Array<number | string>): Promise<{ found: Map<number | string, AssetOwner>; ambiguous: Set<string> }> {
	const found = new Map<number | string, AssetOwner>();
	const ambiguous = new Set<string>();
	const ids = [...new Set(references.filter((ref): ref is number => typeof ref === 'number'))];
	const names = [...new Set(references.filter((ref): ref is string => typeof ref === 'string'))];
	if (ids.length > 0) {
		// Archived users still own things; reading by id finds them.
		for (const user of await client.read('res.users', ids, ['name'])) found.set(user.id, { id: user.id, name: String(user.name ?? '') });
	}
	if (names.length > 0) {
		const domain: OdooDomain = [];
		for (let n = 0; n < names.length * 2 - 1; n++) domain.push('|');
		for (const name of names) domain.push(['login', '=ilike', name], ['name', '=ilike', name]);
		const users = await client.searchRead('res.users', domain, { fields: ['login', 'name'], order: 'id asc' });
		for (const name of names) {
			const lower = name.toLowerCase();
			// =ilike treats _ and % as wildcards: keep only exact (case-insensitive) matches, logins first.
			const byLogin = users.filter((user) => String(user.login).toLowerCase() === lower);
			const byName = users.filter((user) => String(user.name).toLowerCase() === lower);
			const match = byLogin.length === 1 ? byLogin : byName;
			if (match.length === 1) found.set(name, { id: match[0].id, name: String(match[0].name) });
			else if (match.length > 1) ambiguous.add(name);
		}
	}
	return { found, ambiguous };
}

/** Throws for the first reference that did not resolve, naming the input it came from. */
export function assertUsersResolved(owners: Array<{ label: string; owner: number | string }>, resolved: Awaited<ReturnType<typeof resolveUsers>>): void {
	for (const { label, owner } of owners) {
		if (resolved.found.has(owner)) continue;
		if (typeof owner === 'string' && resolved.ambiguous.has(owner)) {
			throw inputError(label, 'owner', `owner '${owner}' matches several Odoo users`, 'Give the login or the id of the user instead of the name');
		}
		throw inputError(label, 'owner', `owner ${typeof owner === 'number' ? `#${owner}` : `'${owner}'`} is not an Odoo user`, 'Use the login, the exact name or the id of an existing user (Settings → Users)');
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Upsert

export interface AssetUpsertResult {
	id: number;
	action: 'created' | 'updated' | 'unchanged';
	/** The hostname (lower case), or the name for assets without one. */
	key: string;
	/** Facts written to an existing asset. */
	changed: AssetFact[];
}

/** An Odoo value as a comparable scalar: many2one → id, false/''/null → null, dates cut to the day. */
function comparable(value: unknown, type: string | undefined): string | number | null {
	if (value === false || value === null || value === undefined || value === '') return null;
	if (Array.isArray(value)) return typeof value[0] === 'number' ? value[0] : null;
	if (type === 'date' || type === 'datetime') return String(value).slice(0, 10);
	return typeof value === 'number' ? value : String(value);
}

function odooValue(fact: AssetFact, value: string | number | null, info: OdooFieldInfo): unknown {
	if (value === null) return false;
	if (fact === 'vlan') return info.type === 'integer' ? Number(value) : String(value);
	// A datetime field gets noon UTC: the same calendar day in every timezone from UTC-11 to UTC+11.
	if (fact === 'lastPatched' && info.type === 'datetime') return `${value} 12:00:00`;
	return value;
}

function keyDomainChunks(field: string, keys: string[], size = 80): OdooDomain[] {
	const chunks: OdooDomain[] = [];
	for (let start = 0; start < keys.length; start += size) {
		const slice = keys.slice(start, start + size);
		const domain: OdooDomain = [];
		for (let n = 0; n < slice.length - 1; n++) domain.push('|');
		for (const key of slice) domain.push([field, '=ilike', key]);
		chunks.push(domain);
	}
	return chunks;
}

/**
 * Creates or updates assets keyed by hostname (or name when an asset has none), case-insensitively. Every input is
 * secret-guarded and validated, and every owner resolved, before the first write, so a refused input leaves Odoo
 * untouched. New assets are created in batches; an existing one is written only when a fact changed.
 */
export async function upsertAssets(client: OdooClient, home: AssetHome, inputs: AssetInput[]): Promise<AssetUpsertResult[]> {
	const checked = inputs.map((input, index) => {
		const record = input && typeof input === 'object' ? (input as Record<string, unknown>) : { asset: input };
		const named = [record.hostname, record.name].find((value) => typeof value === 'string' && value.trim() !== '') as string | undefined;
		assertNoSecrets(record, `Asset ${index + 1}${named ? ` ('${named.trim()}')` : ''}`);
		return checkAssetInput(input, index);
	});
	const seen = new Map<string, CheckedAsset>();
	for (const asset of checked) {
		const earlier = seen.get(`${asset.keyKind}:${asset.key}`);
		if (earlier) {
			throw inputError(asset.label, asset.keyKind, `repeats the ${asset.keyKind} of asset ${earlier.index + 1}`, 'Give each asset once per run (merge the two)');
		}
		seen.set(`${asset.keyKind}:${asset.key}`, asset);
	}
	if (checked.length === 0) return [];
	for (const asset of checked) {
		for (const fact of Object.keys(asset.facts) as AssetFact[]) {
			if (!home.fields[fact] && asset.facts[fact] !== null && fact !== 'name') {
				throw inputError(asset.label, fact, `'${fact}' has no field in the asset home (${home.model})`, `Map ${fact} to a field of ${home.model}, or leave it out`);
			}
		}
		if (asset.owner !== undefined && asset.owner !== null && !home.fields.owner) {
			throw inputError(asset.label, 'owner', `'owner' has no field in the asset home (${home.model})`, `Map owner to a many2one to res.users on ${home.model}, or leave it out`);
		}
	}

	const fields = await client.fieldsGet(home.model);
	const used = new Set<AssetFact>(['name']);
	for (const asset of checked) {
		for (const fact of Object.keys(asset.facts) as AssetFact[]) used.add(fact);
		if (asset.owner !== undefined) used.add('owner');
	}
	if (home.fields.hostname) used.add('hostname');
	for (const fact of used) {
		const field = home.fields[fact];
		if (field) checkMappedField(home, fact, field, fields[field]);
	}

	const owners = checked.filter((asset): asset is CheckedAsset & { owner: number | string } => asset.owner !== undefined && asset.owner !== null);
	const resolved = owners.length > 0 ? await resolveUsers(client, owners.map((asset) => asset.owner)) : { found: new Map(), ambiguous: new Set<string>() };
	assertUsersResolved(owners, resolved);

	// Existing assets, by hostname (and by name for assets without one, or whose host is not recorded yet).
	const hostField = home.fields.hostname;
	const nameField = home.fields.name!;
	const readFields = readableFields(home, fields);
	const records: OdooRecord[] = [];
	const hostKeys = checked.filter((asset) => asset.keyKind === 'hostname').map((asset) => asset.key);
	const nameKeys = checked.map((asset) => (asset.facts.name ? String(asset.facts.name) : asset.key));
	if (hostField) for (const domain of keyDomainChunks(hostField, hostKeys)) records.push(...(await client.searchRead(home.model, domain, { fields: readFields, order: 'id asc' })));
	for (const domain of keyDomainChunks(nameField, [...new Set(nameKeys)])) records.push(...(await client.searchRead(home.model, domain, { fields: readFields, order: 'id asc' })));
	const byHost = new Map<string, OdooRecord>();
	const byName = new Map<string, OdooRecord>();
	for (const record of records.sort((a, b) => a.id - b.id)) {
		const host = hostField ? comparable(record[hostField], 'char') : null;
		if (host !== null && !byHost.has(String(host).toLowerCase())) byHost.set(String(host).toLowerCase(), record);
		// A record found by name only stands in for an input when it has no hostname of its own.
		const name = comparable(record[nameField], 'char');
		if (name !== null && host === null && !byName.has(String(name).toLowerCase())) byName.set(String(name).toLowerCase(), record);
	}

	const results: AssetUpsertResult[] = new Array(checked.length);
	const toCreate: Array<{ asset: CheckedAsset; values: Record<string, unknown> }> = [];
	const toWrite: Array<{ asset: CheckedAsset; id: number; values: Record<string, unknown>; changed: AssetFact[] }> = [];
	const claimed = new Set<number>();
	for (const asset of checked) {
		const desired: Partial<Record<AssetFact, string | number | null>> = { ...asset.facts };
		if (asset.owner !== undefined) desired.owner = asset.owner === null ? null : resolved.found.get(asset.owner)!.id;
		let record = asset.keyKind === 'hostname' ? byHost.get(asset.key) : undefined;
		if (!record) record = byName.get(String(asset.facts.name ?? asset.key).toLowerCase());
		if (record && claimed.has(record.id)) record = undefined;
		if (!record) {
			const values: Record<string, unknown> = { ...CREATE_DEFAULTS[home.model] };
			desired.name = desired.name ?? asset.facts.hostname ?? asset.key;
			for (const [fact, value] of Object.entries(desired) as Array<[AssetFact, string | number | null]>) {
				const field = home.fields[fact];
				if (field && value !== null) values[field] = odooValue(fact, value, fields[field]);
			}
			toCreate.push({ asset, values });
			continue;
		}
		claimed.add(record.id);
		const values: Record<string, unknown> = {};
		const changed: AssetFact[] = [];
		for (const [fact, value] of Object.entries(desired) as Array<[AssetFact, string | number | null]>) {
			const field = home.fields[fact];
			if (!field) continue;
			const want = value === null ? null : comparable(odooValue(fact, value, fields[field]), fields[field].type);
			if (want !== comparable(record[field], fields[field].type)) {
				values[field] = odooValue(fact, value, fields[field]);
				changed.push(fact);
			}
		}
		if (changed.length > 0) toWrite.push({ asset, id: record.id, values, changed });
		else results[asset.index] = { id: record.id, action: 'unchanged', key: asset.key, changed: [] };
	}

	const ids = await client.create(home.model, toCreate.map((entry) => entry.values));
	toCreate.forEach((entry, position) => {
		results[entry.asset.index] = { id: ids[position], action: 'created', key: entry.asset.key, changed: [] };
	});
	for (const entry of toWrite) {
		await client.write(home.model, [entry.id], entry.values);
		results[entry.asset.index] = { id: entry.id, action: 'updated', key: entry.asset.key, changed: entry.changed };
	}
	return results;
}
