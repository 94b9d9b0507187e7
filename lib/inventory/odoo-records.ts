/**
 * Small Odoo record helpers the inventory's executors share: the ops key that lets a re-run find what an earlier run
 * made, a project found (or made) by its name, and a text attachment replaced only when its content changed.
 */
import type { ManualFieldSpec } from '../odoo/manual-schema';
import type { OdooClient, OdooRecord } from '../odoo/types';
import { InventoryInputError } from './types';

/** The pack's key on a task: what makes re-running a workflow find the task it made instead of making another. */
export const OPS_KEY_FIELD = 'x_ops_key';
/** `${model},${id}` of the asset a task is about. */
export const ASSET_REF_FIELD = 'x_asset_ref';

export const OPS_KEY_SPEC: ManualFieldSpec = { name: OPS_KEY_FIELD, ttype: 'char', description: 'Ops key', index: true, help: 'Set by n8n-nodes-odoo-ops so a re-run finds this record again' };
export const ASSET_REF_SPEC: ManualFieldSpec = { name: ASSET_REF_FIELD, ttype: 'char', description: 'Asset reference', help: 'model,id of the asset this task is about' };

/** search with archived records too: a re-run must find what a person archived, not make a second one. */
export const WITH_ARCHIVED = { active_test: false };

export interface NamedProject {
	id: number;
	name: string;
	created: boolean;
	/** The only project of that name is archived: it is used anyway (one project per name), and the caller warns. */
	archived: boolean;
}

/** The project with exactly this name (an active one first, then the oldest), created when there is none. */
export async function ensureProjectNamed(client: OdooClient, name: string): Promise<NamedProject> {
	const found = await client.searchRead('project.project', [['name', '=', name]], { fields: ['id', 'name', 'active'], order: 'id asc', context: WITH_ARCHIVED });
	const exact = found.filter((row) => row.name === name);
	const pick = exact.find((row) => row.active !== false) ?? exact[0];
	if (pick) return { id: pick.id, name, created: false, archived: pick.active === false };
	const [id] = await client.create('project.project', [{ name }]);
	// Two first runs at once may both create one; the oldest is the one everybody uses from then on.
	const [oldest] = await client.search('project.project', [['name', '=', name]], { order: 'id asc', limit: 1, context: WITH_ARCHIVED });
	return { id: oldest ?? id, name, created: (oldest ?? id) === id, archived: false };
}

export async function findProject(client: OdooClient, ref: { id?: number; name?: string }, field: string): Promise<{ id: number; name: string }> {
	if (ref.id !== undefined) {
		if (!Number.isInteger(ref.id) || ref.id <= 0) throw new InventoryInputError(field, `expected a positive project id, got ${JSON.stringify(ref.id)}`);
		// search_read, not read: a deleted project is an empty answer here, not a MissingError to translate.
		const [row] = await client.searchRead('project.project', [['id', '=', ref.id]], { fields: ['id', 'name'], context: WITH_ARCHIVED });
		if (!row) throw new InventoryInputError(field, `project.project #${ref.id} does not exist`, 'Pass the project id ensurePatchCycle returned');
		return { id: row.id, name: String(row.name) };
	}
	if (!ref.name) throw new InventoryInputError(field, 'neither a project id nor a cycle key was given', "Pass projectId, or key (e.g. 'Patch 2026-11')");
	const rows = await client.searchRead('project.project', [['name', '=', ref.name]], { fields: ['id', 'name', 'active'], order: 'id asc', context: WITH_ARCHIVED });
	const pick = rows.find((row) => row.name === ref.name && row.active !== false) ?? rows.find((row) => row.name === ref.name);
	if (!pick) throw new InventoryInputError(field, `no project named '${ref.name}'`, 'Run the patch cycle for this key first, or pass the project id');
	return { id: pick.id, name: ref.name };
}

export function decodeBase64(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? Buffer.from(value, 'base64').toString('utf8') : null;
}

export function encodeBase64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

/** The attachments of a record with these names, oldest first (a racing run may have made a second one). */
export async function attachmentsNamed(client: OdooClient, resModel: string, resId: number, names: string[]): Promise<OdooRecord[]> {
	return client.searchRead(
		'ir.attachment',
		[
			['res_model', '=', resModel],
			['res_id', '=', resId],
			['name', 'in', names],
		],
		{ fields: ['id', 'name', 'datas'], order: 'id asc' },
	);
}

export interface TextAttachmentResult {
	id: number;
	action: 'created' | 'replaced' | 'unchanged';
}

/**
 * One attachment of that name on the record holding `text`: created when missing, its content replaced in place when
 * different (the id, and links already posted to Slack, stay valid), untouched otherwise.
 */
export async function upsertTextAttachment(
	client: OdooClient,
	target: { resModel: string; resId: number; name: string; mimetype: string; text: string },
	existing?: OdooRecord | null,
): Promise<TextAttachmentResult> {
	const found = existing === undefined ? (await attachmentsNamed(client, target.resModel, target.resId, [target.name]))[0] : existing;
	if (!found) {
		const id = await client.createAttachment({ name: target.name, datas: encodeBase64(target.text), mimetype: target.mimetype, resModel: target.resModel, resId: target.resId });
		return { id, action: 'created' };
	}
	if (decodeBase64(found.datas) === target.text) return { id: found.id, action: 'unchanged' };
	await client.write('ir.attachment', [found.id], { datas: encodeBase64(target.text), mimetype: target.mimetype });
	return { id: found.id, action: 'replaced' };
}

