/** Model and field definitions: the subset of Odoo's registry that the external API exposes. */

export type FieldType =
	| 'char'
	| 'text'
	| 'html'
	| 'integer'
	| 'float'
	| 'monetary'
	| 'boolean'
	| 'selection'
	| 'date'
	| 'datetime'
	| 'many2one'
	| 'one2many'
	| 'many2many'
	| 'binary'
	| 'json'
	| 'properties'
	| 'many2one_reference'
	| 'reference';

export interface FieldDef {
	name: string;
	type: FieldType;
	string: string;
	required?: boolean;
	readonly?: boolean;
	relation?: string;
	selection?: Array<[string, string]>;
	/** one2many: the many2one on the comodel that points back. */
	inverse?: string;
	/** Special one2many/many2many backed by (res_model, res_id) pairs, like mail's message_ids. */
	thread?: 'messages' | 'attachments' | 'followers' | 'follower_partners';
	/** Not stored: computed on read; cannot be searched unless `search` is given. */
	compute?: (rec: Record<string, unknown>, ctx: ComputeCtx) => unknown;
	store?: boolean;
	/** many2one: what deleting the target does; Odoo's default is 'set null', required fields use 'restrict'. */
	ondelete?: 'cascade' | 'restrict' | 'set null';
	manual?: boolean;
	help?: string;
}

export interface ComputeCtx {
	uid: number;
	get(model: string, id: number): Record<string, unknown> | undefined;
	displayName(model: string, id: number): string;
	related(model: string, pred: (r: Record<string, unknown>) => boolean): Array<Record<string, unknown>>;
}

export interface ModelDef {
	name: string;
	description: string;
	order: string;
	recName?: string;
	parentName?: string;
	mailThread?: boolean;
	fields: Map<string, FieldDef>;
	irModelId: number;
	/** name_search matches these (res.partner searches email and ref too). */
	recNamesSearch?: string[];
	defaults?: (ctx: { uid: number; now: string; companyId: number }) => Record<string, unknown>;
	displayName?: (rec: Record<string, unknown>, ctx: ComputeCtx) => string;
	/** Odoo's _sql_constraints that clients can hit: message shown as "The operation cannot be completed: <msg>". */
	checks?: Array<{ check: (rec: Record<string, unknown>) => boolean; message: string }>;
	transient?: boolean;
	/** Fields with tracking=True: a change posts a notification on the record's chatter. */
	tracked?: string[];
	/**
	 * Odoo's UNIQUE _sql_constraints: PostgreSQL refuses the INSERT/UPDATE, the service layer shows "The operation
	 * cannot be completed: <message>". NULLs never collide, as in SQL.
	 */
	unique?: Array<{ fields: string[]; message: string }>;
	/** A custom model created through ir.model (state 'manual'): its _rec_name falls back to x_name. */
	manual?: boolean;
	/** _name_search tries an exact name match first and only then the operator (maintenance.equipment). */
	nameSearchExactFirst?: boolean;
}

export function fieldsFrom(list: FieldDef[]): Map<string, FieldDef> {
	const m = new Map<string, FieldDef>();
	for (const f of list) m.set(f.name, f);
	return m;
}

type Extra = Partial<Omit<FieldDef, 'name' | 'type' | 'string'>>;
export const fd = (name: string, type: FieldType, string: string, extra: Extra = {}): FieldDef => ({
	name,
	type,
	string,
	...extra,
});

/** Fields every Odoo model has (models.py MAGIC_COLUMNS + display_name). */
export function magicFields(): FieldDef[] {
	return [
		fd('id', 'integer', 'ID', { readonly: true }),
		fd('display_name', 'char', 'Display Name', { readonly: true, store: false }),
		fd('create_uid', 'many2one', 'Created by', { relation: 'res.users', readonly: true }),
		fd('create_date', 'datetime', 'Created on', { readonly: true }),
		fd('write_uid', 'many2one', 'Last Updated by', { relation: 'res.users', readonly: true }),
		fd('write_date', 'datetime', 'Last Updated on', { readonly: true }),
	];
}

export function mailThreadFields(): FieldDef[] {
	return [
		fd('message_is_follower', 'boolean', 'Is Follower', { readonly: true, store: false }),
		fd('message_follower_ids', 'one2many', 'Followers', { relation: 'mail.followers', thread: 'followers' }),
		fd('message_partner_ids', 'many2many', 'Followers (Partners)', {
			relation: 'res.partner',
			thread: 'follower_partners',
		}),
		fd('message_ids', 'one2many', 'Messages', { relation: 'mail.message', thread: 'messages' }),
		fd('has_message', 'boolean', 'Has Message', { readonly: true, store: false }),
		fd('message_attachment_count', 'integer', 'Attachment Count', { readonly: true, store: false }),
		fd('activity_ids', 'one2many', 'Activities', { relation: 'mail.activity', inverse: 'res_id' }),
	];
}

/** Converts a recorded fields_get answer (transcripts 021-024) into field definitions. */
export function fieldsFromFieldsGet(fg: Record<string, Record<string, unknown>>): FieldDef[] {
	return Object.entries(fg).map(([name, a]) => ({
		name,
		type: a.type as FieldType,
		string: String(a.string ?? name),
		required: Boolean(a.required),
		readonly: Boolean(a.readonly),
		relation: a.relation as string | undefined,
		selection: a.selection as Array<[string, string]> | undefined,
	}));
}

/**
 * The ir.model.fields row Odoo keeps for a field. `onDelete` adds the many2one's on_delete column, which the rows of
 * later-installed modules carry (the recorded demo rows do not).
 */
export function irFieldRow(
	model: { name: string; irModelId: number },
	f: FieldDef,
	id: number,
	options: { state?: 'base' | 'manual'; onDelete?: boolean; base?: Record<string, unknown> } = {},
): Record<string, unknown> {
	const state = options.state ?? 'base';
	return {
		id,
		name: f.name,
		complete_name: `${model.name}.${f.name}`,
		model: model.name,
		model_id: model.irModelId,
		field_description: f.string,
		ttype: f.type,
		relation: f.relation ?? false,
		relation_field: f.inverse ?? false,
		required: Boolean(f.required),
		readonly: Boolean(f.readonly),
		store: f.store !== false && !f.compute,
		state,
		index: false,
		copied: state === 'manual',
		...(options.onDelete ? { on_delete: f.type === 'many2one' ? (f.ondelete ?? (f.required ? 'restrict' : 'set null')) : false } : {}),
		...options.base,
	};
}
