/**
 * Fields and models the pack adds to a database on first use, the way Odoo's own "Custom Fields" screen does: rows in
 * `ir.model.fields` / `ir.model` with state 'manual' and an `x_` name. Every function here is idempotent and safe when
 * two executions race to add the same thing: a failed create is not an error until a re-read shows the thing missing.
 */
import { OdooError } from './errors';
import type { OdooClient, OdooFieldInfo } from './types';

export interface ManualFieldSpec {
	/** Technical name; Odoo requires the `x_` prefix for manual fields. */
	name: string;
	/** Odoo field type: char, text, html, integer, float, boolean, date, datetime, selection, many2one, many2many… */
	ttype: string;
	/** The label users see. */
	description: string;
	index?: boolean;
	relation?: string;
	/** For selection fields, Odoo's own notation: "[('a', 'A'), ('b', 'B')]". */
	selection?: string;
	/** For many2one fields. */
	onDelete?: 'set null' | 'restrict' | 'cascade';
	help?: string;
}

export interface EnsureFieldsResult {
	/** fields_get of the model after the call. */
	fields: Record<string, OdooFieldInfo>;
	/** Names this call added (empty on a second run). */
	created: string[];
}

export async function irModelId(client: OdooClient, model: string): Promise<number> {
	const ids = await client.search('ir.model', [['model', '=', model]], { limit: 1 });
	if (ids.length === 0) throw new OdooError({ kind: 'unknown-model', model, message: `Model '${model}' is not installed on this Odoo database` });
	return ids[0];
}

function fieldValues(spec: ManualFieldSpec): Record<string, unknown> {
	return {
		name: spec.name,
		ttype: spec.ttype,
		field_description: spec.description,
		state: 'manual',
		store: true,
		copied: false,
		...(spec.index ? { index: true } : {}),
		...(spec.relation ? { relation: spec.relation } : {}),
		...(spec.selection ? { selection: spec.selection } : {}),
		...(spec.onDelete ? { on_delete: spec.onDelete } : {}),
		...(spec.help ? { help: spec.help } : {}),
	};
}

function accessDenied(model: string, what: string, error: OdooError): OdooError {
	return new OdooError({
		kind: 'access',
		model,
		message: `Cannot add ${what} to '${model}': ${error.message}`,
		hint: 'Run this once with an Odoo user that has Administration/Settings rights, or create it by hand (Settings → Technical)',
	});
}

/** Creates one manual field; a concurrent creation of the same field is left for the caller's re-read to judge. */
export async function createManualField(client: OdooClient, model: string, spec: ManualFieldSpec): Promise<void> {
	try {
		await client.create('ir.model.fields', [{ model_id: await irModelId(client, model), ...fieldValues(spec) }]);
	} catch (error) {
		if (error instanceof OdooError && error.kind === 'access') throw accessDenied(model, `the field '${spec.name}'`, error);
		// Anything else (most often "Field names must be unique per model" from a racing execution) is judged by the
		// re-read in ensureManualFields.
	}
}

/** Adds the fields of `specs` that `model` lacks. A field of the same name but another type is reported, not changed. */
export async function ensureManualFields(client: OdooClient, model: string, specs: ManualFieldSpec[]): Promise<EnsureFieldsResult> {
	let fields = await client.fieldsGet(model);
	const missing = specs.filter((spec) => !fields[spec.name]);
	for (const spec of missing) await createManualField(client, model, spec);
	if (missing.length > 0) fields = await client.fieldsGet(model);
	const still = specs.filter((spec) => !fields[spec.name]);
	if (still.length > 0) {
		throw new OdooError({
			kind: 'unknown-field',
			model,
			field: still[0].name,
			message: `Could not add ${still.map((spec) => `'${spec.name}'`).join(', ')} to '${model}'`,
			hint: 'Create the fields by hand (Settings → Technical → Fields) or use a user with Administration rights',
		});
	}
	const clash = specs.find((spec) => fields[spec.name].type !== spec.ttype);
	if (clash) {
		throw new OdooError({
			kind: 'validation',
			model,
			field: clash.name,
			message: `Field '${clash.name}' on '${model}' is a ${fields[clash.name].type} field; the pack needs a ${clash.ttype} field there`,
			hint: `Rename or remove the existing field, or map the pack to another field name`,
		});
	}
	return { fields, created: missing.map((spec) => spec.name).filter((name) => fields[name]) };
}

/** One ir.model.access row: what members of `group` may do with the model's records. */
export interface ManualAccessSpec {
	/** External id of the res.groups record, e.g. 'base.group_user'. */
	group: string;
	read: boolean;
	write: boolean;
	create: boolean;
	unlink: boolean;
}

/** A rule this call created, with its ir.model.access id. */
export type AddedAccessRule = ManualAccessSpec & { id: number };

/**
 * Internal users (the pack's n8n credentials are usually one) work with the records but do not delete them; Settings
 * users may do everything, so an admin can clean up. Portal and public users get nothing.
 */
export const DEFAULT_MANUAL_ACCESS: readonly ManualAccessSpec[] = [
	{ group: 'base.group_user', read: true, write: true, create: true, unlink: false },
	{ group: 'base.group_system', read: true, write: true, create: true, unlink: true },
];

export interface EnsureManualModelOptions {
	/** ACL rows for the model; default DEFAULT_MANUAL_ACCESS. An empty list adds none. */
	access?: readonly ManualAccessSpec[];
}

export interface EnsureManualModelResult extends EnsureFieldsResult {
	modelCreated: boolean;
	/** ir.model.access rows this call added (empty on a second run, or when the model already had rules). */
	accessAdded: AddedAccessRule[];
}

/** The name Odoo's own CSV files would give the row (access_<model>_<group>); also how a racing duplicate is recognised. */
function accessRuleName(model: string, group: string): string {
	return `access_${model.replace(/\./g, '_')}_${group.replace(/\./g, '_')}`;
}

function many2oneId(value: unknown): number | null {
	if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
	return typeof value === 'number' && value > 0 ? value : null;
}

/** xmlid → res.groups id through ir.model.data; ids that do not exist on this database are simply absent. */
async function groupIds(client: OdooClient, xmlids: string[]): Promise<Map<string, number>> {
	const parts = xmlids.map((xmlid) => xmlid.split('.')).filter((p) => p.length === 2 && p[0] && p[1]);
	const found = new Map<string, number>();
	if (parts.length === 0) return found;
	const rows = await client.searchRead(
		'ir.model.data',
		[
			['model', '=', 'res.groups'],
			['module', 'in', [...new Set(parts.map((p) => p[0]))]],
			['name', 'in', [...new Set(parts.map((p) => p[1]))]],
		],
		{ fields: ['module', 'name', 'res_id'] },
	);
	for (const row of rows) if (typeof row.res_id === 'number' && row.res_id > 0) found.set(`${String(row.module)}.${String(row.name)}`, row.res_id);
	return found;
}

/**
 * Gives the model its ACL rows. A model that already has any row (inactive ones included) was set up, maybe tuned by
 * an admin, and is left alone unless this call just created it. Two executions may both decide to add the same rule:
 * each creates its row, then re-reads, and the row with the lowest id of each (name, group) survives; the others are
 * deleted by their creators. A duplicate can only outlive this if a lower id commits after a higher one's re-read,
 * and it would grant exactly the same thing.
 */
async function ensureModelAccess(client: OdooClient, model: string, modelId: number, access: readonly ManualAccessSpec[], created: boolean): Promise<AddedAccessRule[]> {
	if (access.length === 0) return [];
	// Inactive rules count: switching one off is tuning too.
	const existing = await client.searchRead('ir.model.access', [['model_id', '=', modelId]], { fields: ['name', 'group_id'], context: { active_test: false } });
	if (!created && existing.length > 0) return [];
	const groups = await groupIds(client, access.map((rule) => rule.group));
	const wanted: Array<{ rule: ManualAccessSpec; name: string; groupId: number }> = [];
	for (const rule of access) {
		const groupId = groups.get(rule.group);
		// Without its group the rule would be global, open to portal and public users: leave it out instead.
		if (groupId === undefined) continue;
		const name = accessRuleName(model, rule.group);
		if (existing.some((row) => row.name === name && many2oneId(row.group_id) === groupId)) continue;
		if (wanted.some((w) => w.name === name)) continue;
		wanted.push({ rule, name, groupId });
	}
	if (wanted.length === 0) return [];
	const ids = await client.create(
		'ir.model.access',
		wanted.map(({ rule, name, groupId }) => ({
			name,
			model_id: modelId,
			group_id: groupId,
			perm_read: rule.read,
			perm_write: rule.write,
			perm_create: rule.create,
			perm_unlink: rule.unlink,
		})),
	);
	const rows = await client.searchRead('ir.model.access', [['model_id', '=', modelId], ['name', 'in', wanted.map((w) => w.name)]], {
		fields: ['name', 'group_id'],
		context: { active_test: false },
	});
	const added: AddedAccessRule[] = [];
	const losers: number[] = [];
	wanted.forEach(({ rule, name, groupId }, i) => {
		const same = rows.filter((row) => row.name === name && many2oneId(row.group_id) === groupId).map((row) => row.id);
		if (same.length > 0 && Math.min(...same) < ids[i]) losers.push(ids[i]);
		else added.push({ ...rule, id: ids[i] });
	});
	if (losers.length > 0) {
		try {
			await client.unlink('ir.model.access', losers);
		} catch (error) {
			// Gone already is what we wanted; anything else leaves a harmless duplicate rather than failing the caller.
			if (!(error instanceof OdooError)) throw error;
		}
	}
	return added;
}

export async function modelExists(client: OdooClient, model: string): Promise<boolean> {
	return (await client.searchCount('ir.model', [['model', '=', model]])) > 0;
}

/**
 * Creates the manual model `model` (an `x_` name) with its fields when it does not exist, gives it its access rules,
 * then adds any field it lacks. Odoo creates the table with the ir.model row; the fields come as one2many commands in
 * the same call so the model never exists without them.
 *
 * Odoo gives a model created over RPC no ir.model.access row, and since Odoo 12 the admin is not the superuser: without
 * rules every call on the model fails for everyone. So the call that creates the model adds `options.access`, and so
 * does any later call that finds the model without a single rule (created by an older version, or by a run that died
 * in between). A model that has rules keeps them as they are.
 */
export async function ensureManualModel(
	client: OdooClient,
	model: string,
	description: string,
	specs: ManualFieldSpec[],
	options: EnsureManualModelOptions = {},
): Promise<EnsureManualModelResult> {
	if (!model.startsWith('x_')) {
		throw new OdooError({ kind: 'validation', model, message: `Custom model '${model}' must start with 'x_'`, hint: "Odoo only lets manual models have names like 'x_ops_credential_ref'" });
	}
	let modelCreated = false;
	let modelId: number | null = null;
	if (!(await modelExists(client, model))) {
		try {
			[modelId] = await client.create('ir.model', [{ name: description, model, state: 'manual', field_id: specs.map((spec) => [0, 0, fieldValues(spec)]) }]);
			modelCreated = true;
		} catch (error) {
			if (error instanceof OdooError && error.kind === 'access') throw accessDenied(model, 'the model', error);
			if (!(await modelExists(client, model))) throw error;
		}
	}
	let accessAdded: AddedAccessRule[];
	try {
		accessAdded = await ensureModelAccess(client, model, modelId ?? (await irModelId(client, model)), options.access ?? DEFAULT_MANUAL_ACCESS, modelCreated);
	} catch (error) {
		if (error instanceof OdooError && error.kind === 'access') throw accessDenied(model, 'access rights', error);
		throw error;
	}
	const result = await ensureManualFields(client, model, specs);
	return { ...result, modelCreated, accessAdded, created: modelCreated ? specs.map((spec) => spec.name) : result.created };
}
