/**
 * The registry and demo data. Seeds are chosen so that a replay of the recorded transcripts, in
 * order, against a fresh sandbox gets the recorded answers, ids included: e.g. the next res.partner
 * id is 2644 (transcript 029), the next helpdesk.ticket id 10 (033 burns it), the next mail.message
 * id 3222 (six partner creations, then two tickets, then the posts of 054-057), the next
 * ir.attachment id 847 (058).
 */
import * as fs from 'fs';
import * as path from 'path';
import { HOOKS, OdooDatabase, type CallEnv, type Rec } from './orm';
import { validationError } from './errors';
import type { ComputeCtx, FieldDef, ModelDef } from './schema';
import { fd, fieldsFrom, fieldsFromFieldsGet, irFieldRow, magicFields, mailThreadFields } from './schema';
import { buildGovernanceRegistry, governanceByDefault, seedGovernance } from './governance';

const SEED_DATE = '2026-11-23 15:02:30';

function loadSchema(model: string): FieldDef[] {
	const file = path.join(__dirname, 'schemas', `${model}.json`);
	return fieldsFromFieldsGet(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Keep the recorded field order (fields_get answers in definition order) but make sure the magic fields exist. */
function withMagic(list: FieldDef[], mail = false): Map<string, FieldDef> {
	const m = fieldsFrom(list);
	if (mail) for (const f of mailThreadFields()) if (!m.has(f.name)) m.set(f.name, f);
	for (const f of magicFields()) if (!m.has(f.name)) m.set(f.name, f);
	return m;
}

function patch(m: Map<string, FieldDef>, name: string, extra: Partial<FieldDef>): void {
	const f = m.get(name);
	if (f) m.set(name, { ...f, ...extra });
}

const partnerName = (ctx: ComputeCtx, id: unknown) => (typeof id === 'number' ? ctx.displayName('res.partner', id) : '');

let irModelSeq = 600;
const IR_MODEL_IDS: Record<string, number> = {
	'res.partner': 87,
	'res.users': 93,
	'res.company': 83,
	'helpdesk.ticket': 453,
	'project.task': 542,
	'project.project': 540,
	'ir.model': 1,
	'ir.model.fields': 2,
	'ir.attachment': 25,
	'mail.message': 147,
};

function model(name: string, description: string, fields: Map<string, FieldDef>, extra: Partial<ModelDef> = {}): ModelDef {
	return {
		name,
		description,
		order: 'id',
		fields,
		irModelId: IR_MODEL_IDS[name] ?? irModelSeq++,
		...extra,
	};
}

function simple(name: string, description: string, extra: FieldDef[] = [], opts: Partial<ModelDef> = {}): ModelDef {
	return model(name, description, withMagic([fd('name', 'char', 'Name', { required: true }), ...extra]), opts);
}

export function buildRegistry(db: OdooDatabase): void {
	irModelSeq = 600;
	// ------------------------------------------------------------------ res.partner
	const partnerFields = withMagic(
		[
			fd('name', 'char', 'Name'),
			fd('complete_name', 'char', 'Complete Name'),
			fd('parent_id', 'many2one', 'Related Company', { relation: 'res.partner' }),
			fd('parent_name', 'char', 'Parent name', {
				readonly: true,
				store: false,
				compute: (r, c) => (typeof r.parent_id === 'number' ? c.displayName('res.partner', r.parent_id) : false),
			}),
			fd('child_ids', 'one2many', 'Contact', { relation: 'res.partner', inverse: 'parent_id' }),
			fd('ref', 'char', 'Reference'),
			fd('lang', 'selection', 'Language', { selection: [['en_US', 'English (US)'], ['fr_FR', 'French / Français'], ['de_DE', 'German / Deutsch']] }),
			fd('tz', 'selection', 'Timezone', { selection: [['UTC', 'UTC'], ['Europe/Brussels', 'Europe/Brussels'], ['America/New_York', 'America/New_York'], ['Europe/Paris', 'Europe/Paris']] }),
			fd('user_id', 'many2one', 'Salesperson', { relation: 'res.users' }),
			fd('vat', 'char', 'Tax ID'),
			fd('website', 'char', 'Website Link'),
			fd('comment', 'html', 'Notes'),
			fd('category_id', 'many2many', 'Tags', { relation: 'res.partner.category' }),
			fd('active', 'boolean', 'Active'),
			fd('employee', 'boolean', 'Employee'),
			fd('function', 'char', 'Job Position'),
			fd('type', 'selection', 'Address Type', {
				selection: [
					['contact', 'Contact'],
					['invoice', 'Invoice Address'],
					['delivery', 'Delivery Address'],
					['other', 'Other Address'],
				],
			}),
			fd('street', 'char', 'Street'),
			fd('street2', 'char', 'Street2'),
			fd('zip', 'char', 'Zip'),
			fd('city', 'char', 'City'),
			fd('state_id', 'many2one', 'State', { relation: 'res.country.state' }),
			fd('country_id', 'many2one', 'Country', { relation: 'res.country' }),
			fd('email', 'char', 'Email'),
			fd('phone', 'char', 'Phone'),
			fd('mobile', 'char', 'Mobile'),
			fd('is_company', 'boolean', 'Is a Company'),
			fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
			fd('company_name', 'char', 'Company Name'),
			fd('commercial_partner_id', 'many2one', 'Commercial Entity', {
				relation: 'res.partner',
				readonly: true,
				store: false,
				compute: (r, c) => {
					let cur: Rec | undefined = r;
					while (cur && !cur.is_company && typeof cur.parent_id === 'number') cur = c.get('res.partner', cur.parent_id);
					const id = (cur ?? r).id as number;
					return [id, c.displayName('res.partner', id)];
				},
			}),
			fd('user_ids', 'one2many', 'Users', { relation: 'res.users', inverse: 'partner_id' }),
			...mailThreadFields(),
		],
		true,
	);
	db.addModel(
		model('res.partner', 'Contact', partnerFields, {
			order: 'complete_name ASC, id DESC',
			mailThread: true,
			parentName: 'parent_id',
			recNamesSearch: ['complete_name', 'email', 'ref', 'vat'],
			defaults: () => ({ type: 'contact', is_company: false, lang: 'en_US', active: true }),
			displayName: (r, c) => {
				const name = (r.name as string) || '';
				if (typeof r.parent_id === 'number' && !r.is_company) {
					// complete_name: "<commercial company>, <name>"
					let top: Rec | undefined = c.get('res.partner', r.parent_id);
					while (top && !top.is_company && typeof top.parent_id === 'number') top = c.get('res.partner', top.parent_id);
					const company = top ? (top.name as string) || '' : '';
					return name ? `${company}, ${name}` : company;
				}
				return name;
			},
			checks: [{ check: (r) => r.type !== 'contact' || (typeof r.name === 'string' && r.name !== ''), message: 'Contacts require a name' }],
		}),
	);
	db.addModel(simple('res.partner.category', 'Partner Tags', [fd('color', 'integer', 'Color'), fd('parent_id', 'many2one', 'Parent Category', { relation: 'res.partner.category' }), fd('active', 'boolean', 'Active')], { order: 'name' }));
	db.addModel(simple('res.country', 'Country', [fd('code', 'char', 'Country Code')], { order: 'name' }));
	db.addModel(simple('res.country.state', 'Country state', [fd('code', 'char', 'State Code', { required: true }), fd('country_id', 'many2one', 'Country', { relation: 'res.country', required: true, ondelete: 'cascade' })]));

	// ------------------------------------------------------------------ res.users / res.company
	db.addModel(
		model(
			'res.users',
			'User',
			withMagic([
				fd('name', 'char', 'Name', { required: true }),
				fd('login', 'char', 'Login', { required: true }),
				fd('password', 'char', 'Password'),
				fd('partner_id', 'many2one', 'Related Partner', { relation: 'res.partner', required: true }),
				fd('email', 'char', 'Email'),
				fd('active', 'boolean', 'Active'),
				fd('share', 'boolean', 'Share User', { readonly: true }),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company', required: true }),
				fd('company_ids', 'many2many', 'Companies', { relation: 'res.company' }),
				fd('groups_id', 'many2many', 'Groups', { relation: 'res.groups' }),
				fd('tz', 'char', 'Timezone'),
				fd('lang', 'char', 'Language'),
			]),
			{ order: 'name, login', defaults: () => ({ company_id: 1, company_ids: [1], active: true, share: false }) },
		),
	);
	db.addModel(simple('res.groups', 'Access Groups', [fd('full_name', 'char', 'Group Name')]));
	db.addModel(
		simple(
			'res.company',
			'Companies',
			[
				fd('partner_id', 'many2one', 'Partner', { relation: 'res.partner', required: true }),
				fd('email', 'char', 'Email'),
				fd('currency_id', 'many2one', 'Currency', { relation: 'res.currency' }),
				fd('sequence', 'integer', 'Sequence'),
				fd('active', 'boolean', 'Active'),
			],
			{ order: 'sequence, name' },
		),
	);
	db.addModel(simple('res.currency', 'Currency', [fd('symbol', 'char', 'Symbol'), fd('active', 'boolean', 'Active')]));

	// ------------------------------------------------------------------ helpdesk (OCA helpdesk_mgmt)
	const ticketFields = withMagic(loadSchema('helpdesk.ticket'), true);
	patch(ticketFields, 'message_ids', { thread: 'messages' });
	patch(ticketFields, 'website_message_ids', { thread: 'messages' });
	patch(ticketFields, 'message_follower_ids', { thread: 'followers' });
	patch(ticketFields, 'message_partner_ids', { thread: 'follower_partners' });
	patch(ticketFields, 'attachment_ids', { thread: 'attachments' });
	patch(ticketFields, 'duplicate_ids', { inverse: 'duplicate_id' });
	patch(ticketFields, 'closed', { compute: (r, c) => Boolean(typeof r.stage_id === 'number' && c.get('helpdesk.ticket.stage', r.stage_id)?.closed) });
	patch(ticketFields, 'unattended', { compute: (r, c) => Boolean(typeof r.stage_id === 'number' && c.get('helpdesk.ticket.stage', r.stage_id)?.unattended) });
	patch(ticketFields, 'user_ids', {
		compute: (r, c) => (typeof r.team_id === 'number' ? ((c.get('helpdesk.ticket.team', r.team_id)?.user_ids as number[]) ?? []) : []),
	});
	patch(ticketFields, 'commercial_partner_id', {
		compute: (r, c) => (typeof r.partner_id === 'number' ? [r.partner_id, partnerName(c, r.partner_id)] : false),
	});
	patch(ticketFields, 'has_message', { compute: () => true });
	patch(ticketFields, 'access_url', { compute: (r) => `/my/ticket/${r.id}` });
	patch(ticketFields, 'duplicate_count', { compute: (r, c) => c.related('helpdesk.ticket', (t) => t.duplicate_id === r.id).length });
	patch(ticketFields, 'message_attachment_count', { compute: (r, c) => c.related('ir.attachment', (a) => a.res_model === 'helpdesk.ticket' && a.res_id === r.id).length });
	patch(ticketFields, 'message_is_follower', {
		compute: (r, c) => {
			const pid = (c.get('res.users', c.uid)?.partner_id as number) ?? 0;
			return c.related('mail.followers', (f) => f.res_model === 'helpdesk.ticket' && f.res_id === r.id && f.partner_id === pid).length > 0;
		},
	});
	db.addModel(
		model('helpdesk.ticket', 'Helpdesk Ticket', ticketFields, {
			order: 'priority desc, sequence, number desc, id desc',
			recName: 'number',
			tracked: ['stage_id', 'user_id'],
			mailThread: true,
			recNamesSearch: ['number', 'name'],
			defaults: ({ companyId }) => ({ stage_id: 1, company_id: companyId, priority: '1', kanban_state: 'normal', active: true, sequence: 10, color: 0 }),
			displayName: (r) => `${r.number ?? ''} - ${r.name ?? ''}`,
		}),
	);
	db.addModel(
		simple(
			'helpdesk.ticket.stage',
			'Helpdesk Ticket Stage',
			[
				fd('description', 'html', 'Description'),
				fd('sequence', 'integer', 'Sequence'),
				fd('active', 'boolean', 'Active'),
				fd('unattended', 'boolean', 'Unattended'),
				fd('closed', 'boolean', 'Closed'),
				fd('fold', 'boolean', 'Folded in Kanban'),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
				fd('team_ids', 'many2many', 'Helpdesk Teams', { relation: 'helpdesk.ticket.team' }),
			],
			{ order: 'sequence, id' },
		),
	);
	db.addModel(
		simple(
			'helpdesk.ticket.team',
			'Helpdesk Ticket Team',
			[
				fd('user_ids', 'many2many', 'Members', { relation: 'res.users' }),
				fd('active', 'boolean', 'Active'),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
				fd('alias_name', 'char', 'Alias Name'),
				fd('color', 'integer', 'Color Index'),
				fd('user_id', 'many2one', 'Team Leader', { relation: 'res.users' }),
				fd('ticket_ids', 'one2many', 'Tickets', { relation: 'helpdesk.ticket', inverse: 'team_id' }),
			],
			{ order: 'sequence, name', mailThread: false },
		),
	);
	db.models.get('helpdesk.ticket.team')!.fields.set('sequence', fd('sequence', 'integer', 'Sequence'));
	db.addModel(simple('helpdesk.ticket.tag', 'Helpdesk Ticket Tag', [fd('color', 'integer', 'Color Index'), fd('active', 'boolean', 'Active'), fd('company_id', 'many2one', 'Company', { relation: 'res.company' })], { order: 'name' }));
	db.addModel(simple('helpdesk.ticket.channel', 'Helpdesk Ticket Channel', [fd('active', 'boolean', 'Active')]));
	db.addModel(simple('helpdesk.ticket.category', 'Helpdesk Ticket Category', [fd('active', 'boolean', 'Active')]));

	// ------------------------------------------------------------------ project
	const taskFields = withMagic(loadSchema('project.task'), true);
	patch(taskFields, 'message_ids', { thread: 'messages' });
	patch(taskFields, 'website_message_ids', { thread: 'messages' });
	patch(taskFields, 'message_follower_ids', { thread: 'followers' });
	patch(taskFields, 'message_partner_ids', { thread: 'follower_partners' });
	patch(taskFields, 'attachment_ids', { thread: 'attachments' });
	patch(taskFields, 'child_ids', { inverse: 'parent_id' });
	patch(taskFields, 'is_closed', { compute: (r) => r.state === '1_done' || r.state === '1_canceled' });
	patch(taskFields, 'subtask_count', { compute: (r, c) => c.related('project.task', (t) => t.parent_id === r.id).length });
	db.addModel(
		model('project.task', 'Task', taskFields, {
			order: 'priority desc, sequence, date_deadline asc, id desc',
			mailThread: true,
			tracked: ['stage_id', 'project_id', 'state'],
			parentName: 'parent_id',
			defaults: ({ companyId }) => ({ state: '01_in_progress', priority: '0', sequence: 10, company_id: companyId, active: true, display_in_project: true }),
		}),
	);
	db.addModel(
		model(
			'project.project',
			'Project',
			withMagic(
				[
					fd('name', 'char', 'Name', { required: true }),
					fd('description', 'html', 'Description'),
					fd('active', 'boolean', 'Active'),
					fd('sequence', 'integer', 'Sequence'),
					fd('partner_id', 'many2one', 'Customer', { relation: 'res.partner' }),
					fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
					fd('user_id', 'many2one', 'Project Manager', { relation: 'res.users' }),
					fd('task_ids', 'one2many', 'Tasks', { relation: 'project.task', inverse: 'project_id' }),
					fd('type_ids', 'many2many', 'Tasks Stages', { relation: 'project.task.type' }),
					fd('tag_ids', 'many2many', 'Tags', { relation: 'project.tags' }),
					fd('date_start', 'date', 'Start Date'),
					fd('date', 'date', 'Expiration Date'),
					fd('privacy_visibility', 'selection', 'Visibility', {
						selection: [
							['followers', 'Invited internal users (private)'],
							['employees', 'All internal users'],
							['portal', 'Invited portal users and all internal users (public)'],
						],
						required: true,
					}),
					fd('task_count', 'integer', 'Task Count', {
						readonly: true,
						store: false,
						compute: (r, c) => c.related('project.task', (t) => t.project_id === r.id && t.active !== false).length,
					}),
					...mailThreadFields(),
				],
				true,
			),
			{ order: 'sequence, name, id', mailThread: true, defaults: ({ companyId }) => ({ privacy_visibility: 'portal', sequence: 10, company_id: companyId, active: true }) },
		),
	);
	db.addModel(simple('project.task.type', 'Task Stage', [fd('sequence', 'integer', 'Sequence'), fd('fold', 'boolean', 'Folded in Kanban'), fd('active', 'boolean', 'Active'), fd('project_ids', 'many2many', 'Projects', { relation: 'project.project' })], { order: 'sequence, id' }));
	db.addModel(simple('project.tags', 'Project Tags', [fd('color', 'integer', 'Color')], { order: 'name' }));

	// ------------------------------------------------------------------ technical models
	db.addModel(
		model(
			'ir.model',
			'Models',
			withMagic([
				fd('name', 'char', 'Model Description', { required: true }),
				fd('model', 'char', 'Model', { required: true }),
				fd('order', 'char', 'Order'),
				fd('info', 'text', 'Information'),
				fd('field_id', 'one2many', 'Fields', { relation: 'ir.model.fields', inverse: 'model_id' }),
				fd('state', 'selection', 'Type', { selection: [['manual', 'Custom Object'], ['base', 'Base Object']] }),
				fd('transient', 'boolean', 'Transient Model'),
				fd('modules', 'char', 'In Apps', { readonly: true }),
			]),
			// Transcripts 027/028 come back in id order.
			{ order: 'id', unique: [{ fields: ['model'], message: 'Each model must have a unique name.' }] },
		),
	);
	db.addModel(
		model(
			'ir.model.fields',
			'Fields',
			withMagic([
				fd('name', 'char', 'Field Name', { required: true }),
				fd('complete_name', 'char', 'Complete Name'),
				fd('model', 'char', 'Model Name', { required: true }),
				fd('relation', 'char', 'Related Model'),
				fd('relation_field', 'char', 'Relation Field'),
				fd('model_id', 'many2one', 'Model', { relation: 'ir.model', required: true, ondelete: 'cascade' }),
				fd('field_description', 'char', 'Field Label', { required: true }),
				fd('help', 'text', 'Field Help'),
				fd('ttype', 'selection', 'Field Type', {
					required: true,
					selection: [
						['binary', 'binary'],
						['boolean', 'boolean'],
						['char', 'char'],
						['date', 'date'],
						['datetime', 'datetime'],
						['float', 'float'],
						['html', 'html'],
						['integer', 'integer'],
						['json', 'json'],
						['many2many', 'many2many'],
						['many2one', 'many2one'],
						['many2one_reference', 'many2one_reference'],
						['monetary', 'monetary'],
						['one2many', 'one2many'],
						['properties', 'properties'],
						['properties_definition', 'properties_definition'],
						['reference', 'reference'],
						['selection', 'selection'],
						['text', 'text'],
					],
				}),
				fd('selection', 'char', 'Selection Options'),
				fd('required', 'boolean', 'Required'),
				fd('readonly', 'boolean', 'Readonly'),
				fd('index', 'boolean', 'Indexed'),
				fd('store', 'boolean', 'Stored'),
				fd('copied', 'boolean', 'Copied'),
				fd('state', 'selection', 'Type', { required: true, selection: [['manual', 'Custom Field'], ['base', 'Base Field']] }),
				fd('on_delete', 'selection', 'On Delete', { selection: [['cascade', 'Cascade'], ['set null', 'Set NULL'], ['restrict', 'Restrict']] }),
				fd('size', 'integer', 'Size'),
				fd('tracking', 'integer', 'Enable Ordered Tracking'),
			]),
			{
				order: 'name',
				defaults: () => ({ state: 'manual', field_description: '', store: true, copied: false, required: false, readonly: false, index: false, on_delete: 'set null' }),
				displayName: (r) => `${r.field_description ?? ''} (${r.model ?? ''})`,
			},
		),
	);
	db.addModel(
		model(
			'ir.attachment',
			'Attachment',
			withMagic([
				fd('name', 'char', 'Name', { required: true }),
				fd('description', 'text', 'Description'),
				fd('res_name', 'char', 'Resource Name', {
					readonly: true,
					store: false,
					compute: (r, c) => (typeof r.res_model === 'string' && r.res_id ? c.displayName(r.res_model, r.res_id as number) || false : false),
				}),
				fd('res_model', 'char', 'Resource Model'),
				fd('res_field', 'char', 'Resource Field'),
				fd('res_id', 'many2one_reference', 'Resource ID'),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
				fd('type', 'selection', 'Type', { required: true, selection: [['url', 'URL'], ['binary', 'File']] }),
				fd('url', 'char', 'Url'),
				fd('public', 'boolean', 'Is public document'),
				fd('access_token', 'char', 'Access Token'),
				fd('datas', 'binary', 'File Content (base64)'),
				fd('db_datas', 'binary', 'Database Data'),
				fd('store_fname', 'char', 'Stored Filename'),
				fd('file_size', 'integer', 'File Size', { readonly: true }),
				fd('checksum', 'char', 'Checksum/SHA1', { readonly: true }),
				fd('mimetype', 'char', 'Mime Type'),
				fd('index_content', 'text', 'Indexed Content', { readonly: true }),
			]),
			{ order: 'id desc', defaults: ({ companyId }) => ({ type: 'binary', company_id: companyId, res_id: 0, public: false }) },
		),
	);
	db.addModel(
		model(
			'mail.message',
			'Message',
			withMagic([
				fd('subject', 'char', 'Subject'),
				fd('date', 'datetime', 'Date'),
				fd('body', 'html', 'Contents'),
				fd('preview', 'char', 'Preview', {
					readonly: true,
					store: false,
					compute: (r) => String(r.body ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
				}),
				fd('attachment_ids', 'many2many', 'Attachments', { relation: 'ir.attachment' }),
				fd('parent_id', 'many2one', 'Parent Message', { relation: 'mail.message' }),
				fd('child_ids', 'one2many', 'Child Messages', { relation: 'mail.message', inverse: 'parent_id' }),
				fd('model', 'char', 'Related Document Model'),
				fd('res_id', 'many2one_reference', 'Related Document ID'),
				fd('record_name', 'char', 'Message Record Name'),
				fd('message_type', 'selection', 'Type', {
					required: true,
					selection: [
						['email', 'Incoming Email'],
						['comment', 'Comment'],
						['email_outgoing', 'Outgoing Email'],
						['notification', 'System notification'],
						['auto_comment', 'Automated Targeted Notification'],
						['user_notification', 'User Specific Notification'],
					],
				}),
				fd('subtype_id', 'many2one', 'Subtype', { relation: 'mail.message.subtype' }),
				fd('is_internal', 'boolean', 'Employee Only', {
					store: false,
					compute: (r, c) => Boolean(typeof r.subtype_id === 'number' && c.get('mail.message.subtype', r.subtype_id)?.internal),
				}),
				fd('email_from', 'char', 'From'),
				fd('author_id', 'many2one', 'Author', { relation: 'res.partner' }),
				fd('partner_ids', 'many2many', 'Recipients', { relation: 'res.partner' }),
				fd('starred', 'boolean', 'Starred'),
			]),
			{ order: 'id desc', displayName: (r) => String(r.subject || r.record_name || '') },
		),
	);
	db.addModel(simple('mail.message.subtype', 'Message subtypes', [fd('description', 'text', 'Description'), fd('internal', 'boolean', 'Internal Only'), fd('xmlid', 'char', 'External ID', { readonly: true }), fd('sequence', 'integer', 'Sequence'), fd('default', 'boolean', 'Default')], { order: 'sequence, id' }));
	db.addModel(
		model(
			'mail.followers',
			'Document Followers',
			withMagic([
				fd('res_model', 'char', 'Related Document Model Name', { required: true }),
				fd('res_id', 'many2one_reference', 'Related Document ID'),
				fd('partner_id', 'many2one', 'Related Partner', { relation: 'res.partner', required: true, ondelete: 'cascade' }),
				fd('subtype_ids', 'many2many', 'Subtype', { relation: 'mail.message.subtype' }),
				fd('name', 'char', 'Name', { store: false, compute: (r, c) => partnerName(c, r.partner_id) }),
			]),
			{ displayName: (r, c) => partnerName(c, r.partner_id) },
		),
	);

	// Comodels named by the recorded schemas that the sandbox does not model: empty, but present,
	// so reads, searches and foreign-key checks behave as on a server that has them installed.
	for (const def of [...db.models.values()]) {
		for (const f of def.fields.values()) {
			if (f.relation && !db.models.has(f.relation)) db.addModel(simple(f.relation, f.relation, [fd('res_id', 'integer', 'Related Document ID')]));
		}
	}
}

// ---------------------------------------------------------------------- demo data

const DEMO_COMPANIES: Array<[number, string, string | false, number[], string]> = [
	// [id, name, email, category ids, write_date]
	[9, 'Wood Corner', 'bhu.a100@ic.example.com', [7, 6], '2026-11-23 15:02:35'],
	[10, 'Deco Addict', 'info@agrolait.com', [7], '2026-11-23 15:03:03'],
	[11, 'Gemini Furniture', 'gemini.furniture39@example.com', [6], '2026-11-23 15:02:36'],
	[12, 'Ready Mat', 'ready.mat28@example.com', [6], '2026-11-23 15:02:36'],
	[13, 'The Jackson Group', 'jackson.group82@example.com', [], '2026-11-23 15:02:36'],
	[14, 'YourCompany', false, [], '2026-11-23 15:02:36'],
	[15, 'Azure Interior', 'azure.Interior24@example.com', [6], '2026-11-23 15:02:37'],
	[16, 'Lumber Inc', 'lumber-inv92@example.com', [], '2026-11-23 15:02:37'],
];

/** [id, name, parent id, email] */
const DEMO_CONTACTS: Array<[number, string, number, string]> = [
	[17, 'Willie Burke', 12, 'willie.burke80@example.com'],
	[18, 'Ron Gibson', 9, 'ron.gibson76@example.com'],
	[19, 'Douglas Fletcher', 10, 'douglas.fletcher51@example.com'],
	[20, 'Floyd Steward', 10, 'floyd.steward34@example.com'],
	[21, 'Edwin Hansen', 11, 'edwin.hansen58@example.com'],
	[22, 'Jesse Brown', 11, 'jesse.brown74@example.com'],
	[23, 'Soham Palmer', 15, 'soham.palmer15@example.com'],
	[24, 'Oscar Morgan', 11, 'oscar.morgan11@example.com'],
	[25, 'Kim Snyder', 15, 'kim.snyder96@example.com'],
	[26, 'Nicole Ford', 15, 'nicole.ford75@example.com'],
	[27, 'Colleen Diaz', 15, 'colleen.diaz83@example.com'],
	[28, 'Lorraine Douglas', 11, 'lorraine.douglas35@example.com'],
	[29, 'Theodore Gardner', 9, 'theodore.gardner36@example.com'],
	[30, 'Tom Ruiz', 13, 'tom.ruiz89@example.com'],
	[31, 'Brandon Freeman', 15, 'brandon.freeman55@example.com'],
	[32, 'Toni Jimenez', 13, 'toni.jimenez23@example.com'],
	[33, 'Julie Richards', 13, 'julie.richards84@example.com'],
	[34, 'Travis Mendoza', 16, 'travis.mendoza24@example.com'],
	[35, 'Billy Fox', 12, 'billy.fox45@example.com'],
	[36, 'Addison Olson', 10, 'addison.olson28@example.com'],
	[37, 'Sandra Neal', 16, 'sandra.neal80@example.com'],
	[38, 'Gordon Owens', 9, 'gordon.owens72@example.com'],
	[39, 'Edith Sanchez', 12, 'edith.sanchez68@example.com'],
	[40, 'Chester Reed', 14, 'chester.reed79@example.com'],
	[41, 'Jeff Lawson', 14, 'jeff.lawson52@example.com'],
];

/** Bulk rows that earlier load tests left in the recorded database (transcript 013 counts 2639 active partners). */
const FILLER_FROM = 43;
const FILLER_TO = 2642;

export function seedDemo(db: OdooDatabase): void {
	const base = { create_uid: 1, write_uid: 1, create_date: SEED_DATE, write_date: SEED_DATE };
	const partners: Rec[] = [];
	const p = (r: Rec) => partners.push({ type: 'contact', active: true, is_company: false, lang: 'en_US', category_id: [], ...base, ...r });
	p({ id: 1, name: 'My Company (San Francisco)', is_company: true, email: 'info@yourcompany.com', country_id: 233, company_id: 1, city: 'San Francisco', street: '250 Executive Park Blvd, Suite 3400', zip: '94134', phone: '+1 555-555-5556', website: 'http://www.example.com', write_date: '2026-11-23 15:02:44' });
	p({ id: 2, name: 'OdooBot', active: false, email: 'odoobot@example.com' });
	p({ id: 3, name: 'Mitchell Admin', email: 'admin@yourcompany.example.com', country_id: 233, city: 'Scranton', company_id: 1 });
	p({ id: 4, name: 'Public user', active: false, company_id: 1 });
	p({ id: 5, name: 'Default User Template', active: false, company_id: 1 });
	p({ id: 6, name: 'Joel Willis', email: 'joel.willis63@example.com', country_id: 233, city: 'Tracy' });
	p({ id: 7, name: 'Marc Demo', email: 'mark.brown23@example.com', country_id: 233, city: 'Scranton', company_id: 1 });
	p({ id: 8, name: 'Lucille Camarero', email: 'lucille.camarero@example.com', country_id: 233 });
	for (const [id, name, email, cats, wd] of DEMO_COMPANIES)
		p({ id, name, email, is_company: true, category_id: cats, country_id: 233, write_date: wd, phone: `(555)-${String(id).padStart(3, '0')}-1234` });
	for (const [id, name, parent, email] of DEMO_CONTACTS) p({ id, name, parent_id: parent, email, country_id: 233, function: 'Employee' });
	p({ id: 42, name: 'My Company (Chicago)', is_company: true, email: 'chicago@yourcompany.com', country_id: 233, company_id: 2, city: 'Chicago' });
	for (let id = FILLER_FROM; id <= FILLER_TO; id++) {
		const n = String(id - FILLER_FROM + 1).padStart(4, '0');
		p({ id, name: `rec-1795440000000-${n}`, email: `rec-${n}@example.com` });
	}
	db.seed('res.partner', partners, 2644);
	for (const r of db.tables.get('res.partner')!.rows.values()) r.complete_name = db.displayName('res.partner', r.id as number);

	db.seed('res.partner.category', [
		{ id: 1, name: 'Prospects', color: 1, active: true, ...base },
		{ id: 2, name: 'Consulting Services', color: 2, active: true, ...base },
		{ id: 3, name: 'Vendor', color: 3, active: true, ...base },
		{ id: 4, name: 'Employees', color: 4, active: true, ...base },
		{ id: 5, name: 'Services', color: 5, active: true, ...base },
		{ id: 6, name: 'Office Supplies', color: 6, active: true, ...base },
		{ id: 7, name: 'Desk Manufacturers', color: 7, active: true, ...base },
	]);
	db.seed('res.country', [
		{ id: 21, name: 'Belgium', code: 'BE', ...base },
		{ id: 57, name: 'Germany', code: 'DE', ...base },
		{ id: 75, name: 'France', code: 'FR', ...base },
		{ id: 231, name: 'United Kingdom', code: 'GB', ...base },
		{ id: 233, name: 'United States', code: 'US', ...base },
	]);
	db.seed('res.currency', [
		{ id: 1, name: 'EUR', symbol: '€', active: true, ...base },
		{ id: 2, name: 'USD', symbol: '$', active: true, ...base },
	]);
	db.seed('res.company', [
		{ id: 1, name: 'My Company (San Francisco)', partner_id: 1, email: 'info@yourcompany.com', currency_id: 2, sequence: 0, active: true, ...base },
		{ id: 2, name: 'My Company (Chicago)', partner_id: 42, email: 'chicago@yourcompany.com', currency_id: 2, sequence: 10, active: true, ...base },
	]);
	db.seed('res.groups', [
		{ id: 1, name: 'Internal User', full_name: 'User types / Internal User', ...base },
		{ id: 2, name: 'Access Rights', full_name: 'Administration / Access Rights', ...base },
		{ id: 3, name: 'Settings', full_name: 'Administration / Settings', ...base },
		{ id: 10, name: 'Portal', full_name: 'User types / Portal', ...base },
	]);
	db.seed('res.users', [
		{ id: 1, name: 'OdooBot', login: '__system__', partner_id: 2, active: false, company_id: 1, company_ids: [1], groups_id: [1, 2, 3], share: false, ...base },
		{ id: 2, name: 'Mitchell Admin', login: 'admin', password: 'admin', partner_id: 3, email: 'admin@yourcompany.example.com', active: true, company_id: 1, company_ids: [1, 2], groups_id: [1, 2, 3], share: false, tz: 'Europe/Brussels', lang: 'en_US', ...base },
		{ id: 3, name: 'Default User Template', login: 'default', partner_id: 5, active: false, company_id: 1, company_ids: [1], groups_id: [1], share: false, ...base },
		{ id: 4, name: 'Public user', login: 'public', partner_id: 4, active: false, company_id: 1, company_ids: [1], groups_id: [], share: true, ...base },
		{ id: 5, name: 'Joel Willis', login: 'portal', password: 'portal', partner_id: 6, active: true, company_id: 1, company_ids: [1], groups_id: [10], share: true, ...base },
		{ id: 6, name: 'Marc Demo', login: 'demo', password: 'demo', partner_id: 7, email: 'mark.brown23@example.com', active: true, company_id: 1, company_ids: [1], groups_id: [1], share: false, tz: 'Europe/Brussels', lang: 'en_US', ...base },
	]);

	// Helpdesk: stages exactly as transcripts 025/026.
	db.seed('helpdesk.ticket.stage', [
		{ id: 1, name: 'New', sequence: 1, closed: false, fold: false, unattended: true, active: true, ...base },
		{ id: 2, name: 'In Progress', sequence: 2, closed: false, fold: false, unattended: false, active: true, ...base },
		{ id: 3, name: 'Awaiting', sequence: 3, closed: false, fold: false, unattended: false, active: true, ...base },
		{ id: 4, name: 'Done', sequence: 4, closed: true, fold: true, unattended: false, active: true, ...base },
		{ id: 5, name: 'Cancelled', sequence: 5, closed: true, fold: true, unattended: false, active: true, ...base },
		{ id: 6, name: 'Rejected', sequence: 6, closed: true, fold: true, unattended: false, active: true, ...base },
	]);
	db.seed('helpdesk.ticket.team', [
		{ id: 1, name: 'Helpdesk', user_ids: [2, 6], active: true, company_id: 1, sequence: 10, color: 0, user_id: 2, ...base },
		{ id: 2, name: 'Infrastructure', user_ids: [2], active: true, company_id: 1, sequence: 20, color: 1, user_id: 2, ...base },
	]);
	db.seed('helpdesk.ticket.tag', [
		{ id: 1, name: 'Hardware', color: 1, active: true, ...base },
		{ id: 2, name: 'Software', color: 2, active: true, ...base },
		{ id: 3, name: 'Network', color: 3, active: true, ...base },
		{ id: 4, name: 'Monitoring', color: 4, active: true, ...base },
	]);
	db.seed('helpdesk.ticket.channel', [
		{ id: 1, name: 'Web', active: true, ...base },
		{ id: 2, name: 'Email', active: true, ...base },
		{ id: 3, name: 'Phone', active: true, ...base },
		{ id: 4, name: 'Other', active: true, ...base },
	]);
	db.seed('helpdesk.ticket.category', [
		{ id: 1, name: 'Technical', active: true, ...base },
		{ id: 2, name: 'Billing', active: true, ...base },
	]);
	const tickets: Array<[string, number, number | false, string, number[], number]> = [
		// [name, stage, partner, priority, tags, team]
		['Printer does not print', 1, 10, '1', [1], 1],
		['Cannot connect to VPN', 2, 15, '2', [3], 2],
		['Invoice copy requested', 4, 11, '0', [], 1],
		['Website is slow', 2, 9, '2', [2, 3], 2],
		['Password reset', 4, 3, '1', [], 1],
		['New laptop for Marc', 3, 7, '1', [1], 1],
		['Mailbox full', 1, 19, '1', [2], 1],
		['Backup job failed', 5, false, '3', [4], 2],
		['Request for a second monitor', 6, 36, '0', [1], 1],
	];
	const ticketRows: Rec[] = [];
	const messages: Rec[] = [];
	let msgId = 3200;
	tickets.forEach(([name, stage, partner, priority, tags, team], i) => {
		const id = i + 1;
		const closed = stage >= 4;
		ticketRows.push({
			id,
			number: `HT${String(id).padStart(5, '0')}`,
			name,
			description: `<p>${name}.</p>`,
			stage_id: stage,
			partner_id: partner,
			partner_name: partner ? db.displayName('res.partner', partner) : false,
			partner_email: partner ? (db.tables.get('res.partner')!.rows.get(partner)!.email ?? false) : false,
			priority,
			tag_ids: tags,
			team_id: team,
			user_id: 2,
			company_id: 1,
			channel_id: 1,
			kanban_state: 'normal',
			sequence: 10,
			color: 0,
			active: true,
			last_stage_update: SEED_DATE,
			assigned_date: SEED_DATE,
			closed_date: closed ? SEED_DATE : false,
			...base,
		});
		messages.push({ id: msgId++, model: 'helpdesk.ticket', res_id: id, body: '<p>Helpdesk Ticket created</p>', message_type: 'notification', subtype_id: 2, author_id: 3, partner_ids: [], attachment_ids: [], date: SEED_DATE, record_name: `HT${String(id).padStart(5, '0')} - ${name}`, ...base });
	});
	db.seed('helpdesk.ticket', ticketRows, 10);
	db.sequences['helpdesk.ticket.sequence'] = 10;
	messages.push({ id: msgId++, model: 'helpdesk.ticket', res_id: 1, body: '<p>The toner was replaced, please try again.</p>', message_type: 'comment', subtype_id: 1, author_id: 3, partner_ids: [10], attachment_ids: [], date: SEED_DATE, record_name: 'HT00001 - Printer does not print', ...base });
	db.seed('mail.message.subtype', [
		{ id: 1, name: 'Discussions', xmlid: 'mail.mt_comment', internal: false, sequence: 0, default: true, ...base },
		{ id: 2, name: 'Note', xmlid: 'mail.mt_note', internal: true, sequence: 100, default: false, ...base },
		{ id: 3, name: 'Activities', xmlid: 'mail.mt_activities', internal: true, sequence: 90, default: false, ...base },
	]);
	db.seed('mail.message', messages, 3222);
	db.seed(
		'mail.followers',
		ticketRows.map((t, i) => ({ id: i + 1, res_model: 'helpdesk.ticket', res_id: t.id, partner_id: 3, subtype_ids: [1, 2] })),
	);
	db.seed(
		'ir.attachment',
		[
			{ id: 840, name: 'printer-error.png', datas: 'iVBORw0KGgo=', mimetype: 'image/png', file_size: 8, res_model: 'helpdesk.ticket', res_id: 1, type: 'binary', company_id: 1, public: false, ...base },
			{ id: 841, name: 'vpn-log.txt', datas: 'dnBuIGxvZw==', mimetype: 'text/plain', file_size: 7, res_model: 'helpdesk.ticket', res_id: 2, type: 'binary', company_id: 1, public: false, ...base },
		],
		847,
	);

	// Project
	db.seed('project.task.type', [
		{ id: 1, name: 'New', sequence: 1, fold: false, active: true, project_ids: [1, 2], ...base },
		{ id: 2, name: 'In Progress', sequence: 2, fold: false, active: true, project_ids: [1, 2], ...base },
		{ id: 3, name: 'Done', sequence: 3, fold: true, active: true, project_ids: [1, 2], ...base },
	]);
	db.seed('project.tags', [
		{ id: 1, name: 'Bug', color: 1, ...base },
		{ id: 2, name: 'Feature', color: 2, ...base },
		{ id: 3, name: 'Ops', color: 3, ...base },
	]);
	db.seed('project.project', [
		{ id: 1, name: 'Internal', sequence: 10, privacy_visibility: 'employees', company_id: 1, user_id: 2, active: true, type_ids: [1, 2, 3], tag_ids: [], ...base },
		{ id: 2, name: 'Office Design', sequence: 10, privacy_visibility: 'portal', company_id: 1, user_id: 2, partner_id: 15, active: true, type_ids: [1, 2, 3], tag_ids: [], ...base },
		{ id: 3, name: 'Operations', sequence: 10, privacy_visibility: 'employees', company_id: 1, user_id: 2, active: true, type_ids: [1, 2, 3], tag_ids: [3], ...base },
	]);
	const tasks: Array<[string, number, number, string, number[]]> = [
		['Meeting room furnitures', 2, 2, '01_in_progress', [2]],
		['Energy saving lamps', 2, 1, '01_in_progress', []],
		['Update the on-call runbook', 3, 2, '01_in_progress', [3]],
		['Renew TLS certificates', 3, 3, '1_done', [3]],
		['Quarterly access review', 1, 1, '04_waiting_normal', []],
	];
	db.seed(
		'project.task',
		tasks.map(([name, project, stage, state, tags], i) => ({
			id: i + 1,
			name,
			project_id: project,
			stage_id: stage,
			state,
			tag_ids: tags,
			user_ids: [2],
			priority: '0',
			sequence: 10,
			company_id: 1,
			active: true,
			display_in_project: true,
			description: false,
			...base,
		})),
	);

	// ir.model and ir.model.fields mirror the registry.
	const irModels: Rec[] = [];
	const irFields: Rec[] = [];
	let fieldId = 1;
	for (const def of db.models.values()) {
		irModels.push({ id: def.irModelId, name: def.description, model: def.name, order: def.order, state: 'base', transient: Boolean(def.transient), modules: def.name.split('.')[0], ...base });
		for (const f of def.fields.values()) {
			irFields.push(irFieldRow(def, f, fieldId++, { base }));
		}
	}
	db.seed('ir.model', irModels);
	db.seed('ir.model.fields', irFields, 20000);
}

// ---------------------------------------------------------------------- optional modules

/** Which optional modules a sandbox database has (OdooSandboxOptions.modules). */
export interface SandboxModules {
	/** Odoo Community `maintenance` (equipment, categories, teams). Default on. */
	maintenance?: boolean;
	/** OCA `document_page` (knowledge pages). Default off. */
	documentPage?: boolean;
}

/**
 * Adds models the way installing a module on an existing database does: after everything else, with ir.model ids
 * and ir.model.fields rows continuing from the database's highest ids, so no id of an existing model or row moves.
 * ir.model.fields keeps its sequence (20000) as long as the new rows fit below it.
 */
function installModule(db: OdooDatabase, module: string, defs: Array<Omit<ModelDef, 'irModelId'>>): void {
	const irModel = db.tables.get('ir.model')!;
	const irFields = db.tables.get('ir.model.fields')!;
	let irModelId = Math.max(0, ...[...db.models.values()].map((m) => m.irModelId), ...irModel.rows.keys());
	let fieldId = Math.max(0, ...irFields.rows.keys());
	const base = { create_uid: 1, write_uid: 1, create_date: SEED_DATE, write_date: SEED_DATE };
	const modelRows: Rec[] = [];
	const fieldRows: Rec[] = [];
	for (const d of defs) {
		const def: ModelDef = { ...d, irModelId: ++irModelId };
		db.addModel(def);
		modelRows.push({ id: def.irModelId, name: def.description, model: def.name, order: def.order, state: 'base', transient: false, modules: module, ...base });
		for (const f of def.fields.values())
			fieldRows.push(irFieldRow(def, f, ++fieldId, { onDelete: true, base }));
	}
	db.seed('ir.model', modelRows);
	db.seed('ir.model.fields', fieldRows, Math.max(irFields.nextId, fieldId + 1));
}

/**
 * base's access-control models, ir.model.data (external ids) and ir.model.access (ACL rows). Installed last, like a
 * module, so that no model, field or record id of the recorded database moves. The sandbox enforces ACL rows only on
 * models created through ir.model (orm.ts checkAccess); built-in models have none here and keep their fixed rules.
 */
export function installAccessControl(db: OdooDatabase): void {
	installModule(db, 'base', [
		{
			name: 'ir.model.data',
			description: 'Model Data',
			order: 'module, model, name',
			fields: withMagic([
				fd('name', 'char', 'External Identifier', { required: true }),
				fd('complete_name', 'char', 'Complete ID', { readonly: true, store: false, compute: (r) => `${String(r.module ?? '')}.${String(r.name ?? '')}` }),
				fd('model', 'char', 'Model Name', { required: true }),
				fd('module', 'char', 'Module', { required: true }),
				fd('res_id', 'many2one_reference', 'Record ID'),
				fd('noupdate', 'boolean', 'Non Updatable'),
			]),
			defaults: () => ({ module: '', noupdate: false }),
			unique: [{ fields: ['module', 'name'], message: 'You cannot have multiple records with the same external ID in the same module!' }],
		},
		{
			name: 'ir.model.access',
			description: 'Model Access',
			order: 'model_id, group_id, name, id',
			fields: withMagic([
				fd('name', 'char', 'Name', { required: true }),
				fd('active', 'boolean', 'Active'),
				fd('model_id', 'many2one', 'Model', { relation: 'ir.model', required: true, ondelete: 'cascade' }),
				fd('group_id', 'many2one', 'Group', { relation: 'res.groups', ondelete: 'restrict' }),
				fd('perm_read', 'boolean', 'Read Access'),
				fd('perm_write', 'boolean', 'Write Access'),
				fd('perm_create', 'boolean', 'Create Access'),
				fd('perm_unlink', 'boolean', 'Delete Access'),
			]),
			defaults: () => ({ active: true, perm_read: false, perm_write: false, perm_create: false, perm_unlink: false }),
		},
	]);
	const base = { create_uid: 1, write_uid: 1, create_date: SEED_DATE, write_date: SEED_DATE, noupdate: false };
	// The xmlids callers resolve before naming a group or user; res_id points at the demo seed's rows.
	const xmlids: Array<[string, string, number]> = [
		['group_user', 'res.groups', 1],
		['group_erp_manager', 'res.groups', 2],
		['group_system', 'res.groups', 3],
		['group_portal', 'res.groups', 10],
		['user_root', 'res.users', 1],
		['user_admin', 'res.users', 2],
		['main_company', 'res.company', 1],
	];
	db.seed(
		'ir.model.data',
		xmlids.map(([name, model, resId], i) => ({ id: i + 1, module: 'base', name, model, res_id: resId, ...base })),
	);
}

/** Odoo 18 Community `maintenance`: maintenance.equipment (with maintenance.mixin's fields), categories, teams. */
export function installMaintenance(db: OdooDatabase): void {
	installModule(db, 'maintenance', [
		{
			name: 'maintenance.team',
			description: 'Maintenance Teams',
			order: 'id',
			fields: withMagic([
				fd('name', 'char', 'Team Name', { required: true }),
				fd('active', 'boolean', 'Active'),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
				fd('member_ids', 'many2many', 'Team Members', { relation: 'res.users' }),
				fd('color', 'integer', 'Color Index'),
				fd('equipment_ids', 'one2many', 'Equipment', { relation: 'maintenance.equipment', inverse: 'maintenance_team_id' }),
			]),
			defaults: ({ companyId }) => ({ active: true, company_id: companyId, color: 0 }),
		},
		{
			name: 'maintenance.equipment.category',
			description: 'Maintenance Equipment Category',
			order: 'id',
			fields: withMagic(
				[
					fd('name', 'char', 'Category Name', { required: true }),
					fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
					fd('technician_user_id', 'many2one', 'Responsible', { relation: 'res.users' }),
					fd('color', 'integer', 'Color Index'),
					fd('note', 'html', 'Comments'),
					fd('equipment_ids', 'one2many', 'Equipment', { relation: 'maintenance.equipment', inverse: 'category_id' }),
					fd('equipment_count', 'integer', 'Equipment Count', {
						readonly: true,
						store: false,
						compute: (r, c) => c.related('maintenance.equipment', (e) => e.category_id === r.id && e.active !== false).length,
					}),
					fd('fold', 'boolean', 'Folded in Maintenance Pipe', {
						readonly: true,
						compute: (r, c) => !c.related('maintenance.equipment', (e) => e.category_id === r.id && e.active !== false).length,
					}),
					...mailThreadFields(),
				],
				true,
			),
			mailThread: true,
			tracked: ['technician_user_id'],
			defaults: ({ companyId, uid }) => ({ company_id: companyId, technician_user_id: uid, color: 0 }),
		},
		{
			name: 'maintenance.equipment',
			description: 'Maintenance Equipment',
			// maintenance.equipment declares no _order: Odoo's default 'id'.
			order: 'id',
			fields: withMagic(
				[
					fd('name', 'char', 'Equipment Name', { required: true }),
					fd('active', 'boolean', 'Active'),
					fd('owner_user_id', 'many2one', 'Owner', { relation: 'res.users' }),
					fd('category_id', 'many2one', 'Equipment Category', { relation: 'maintenance.equipment.category' }),
					fd('partner_id', 'many2one', 'Vendor', { relation: 'res.partner' }),
					fd('partner_ref', 'char', 'Vendor Reference'),
					fd('location', 'char', 'Location'),
					fd('model', 'char', 'Model'),
					fd('serial_no', 'char', 'Serial Number'),
					fd('assign_date', 'date', 'Assigned Date'),
					fd('cost', 'float', 'Cost'),
					fd('note', 'html', 'Note'),
					fd('warranty_date', 'date', 'Warranty Expiration Date'),
					fd('color', 'integer', 'Color Index'),
					fd('scrap_date', 'date', 'Scrap Date'),
					// maintenance.mixin
					fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
					fd('effective_date', 'date', 'Effective Date', { required: true, help: 'This date will be used to compute the Mean Time Between Failure.' }),
					fd('maintenance_team_id', 'many2one', 'Maintenance Team', { relation: 'maintenance.team' }),
					fd('technician_user_id', 'many2one', 'Technician', { relation: 'res.users' }),
					fd('maintenance_count', 'integer', 'Maintenance Count', { readonly: true }),
					fd('maintenance_open_count', 'integer', 'Current Maintenance', { readonly: true }),
					fd('expected_mtbf', 'integer', 'Expected MTBF', { help: 'Expected Mean Time Between Failure' }),
					...mailThreadFields(),
				],
				true,
			),
			mailThread: true,
			tracked: ['owner_user_id', 'category_id', 'assign_date', 'technician_user_id'],
			nameSearchExactFirst: true,
			unique: [{ fields: ['serial_no'], message: 'Another asset already exists with this serial number!' }],
			// effective_date defaults to fields.Date.context_today.
			defaults: ({ companyId, now }) => ({ active: true, company_id: companyId, effective_date: now.slice(0, 10), color: 0, maintenance_count: 0, maintenance_open_count: 0 }),
			displayName: (r) => (r.serial_no ? `${r.name ?? ''}/${r.serial_no}` : String(r.name ?? '')),
		},
	]);
	const base = { create_uid: 1, write_uid: 1, create_date: SEED_DATE, write_date: SEED_DATE };
	db.seed('maintenance.team', [{ id: 1, name: 'Internal Maintenance', active: true, company_id: 1, member_ids: [2], color: 0, ...base }]);
	db.seed('maintenance.equipment.category', [
		{ id: 1, name: 'Computers', company_id: 1, technician_user_id: 2, color: 0, ...base },
		{ id: 2, name: 'Network', company_id: 1, technician_user_id: 2, color: 0, ...base },
		{ id: 3, name: 'Virtual Machines', company_id: 1, technician_user_id: 2, color: 0, ...base },
	]);
}

HOOKS['maintenance.equipment'] = {
	// MaintenanceEquipment.create/write: the owner follows the equipment.
	afterCreate(db, row, env) {
		const partner = typeof row.owner_user_id === 'number' ? db.tables.get('res.users')!.rows.get(row.owner_user_id)?.partner_id : undefined;
		if (typeof partner === 'number') db.subscribe('maintenance.equipment', row.id as number, [partner], env);
	},
	beforeWrite(db, row, vals, env) {
		const partner = typeof vals.owner_user_id === 'number' ? db.tables.get('res.users')!.rows.get(vals.owner_user_id)?.partner_id : undefined;
		if (typeof partner === 'number') db.subscribe('maintenance.equipment', row.id as number, [partner], env);
	},
};

/** OCA document_page (18.0): knowledge pages whose content is kept as a history of revisions. */
export function installDocumentPage(db: OdooDatabase): void {
	installModule(db, 'document_page', [
		{
			name: 'document.page',
			description: 'Document Page',
			order: 'name',
			parentName: 'parent_id',
			fields: withMagic(
				[
					fd('name', 'char', 'Title', { required: true }),
					fd('type', 'selection', 'Type', { selection: [['content', 'Content'], ['category', 'Category']], help: 'Page type' }),
					fd('active', 'boolean', 'Active'),
					fd('parent_id', 'many2one', 'Category', { relation: 'document.page' }),
					fd('child_ids', 'one2many', 'Children', { relation: 'document.page', inverse: 'parent_id' }),
					fd('content', 'html', 'Content'),
					// No-op computed fields: they only name and describe the revision a content change creates.
					fd('draft_name', 'char', 'Name', { store: false, help: 'Name for the changes made', compute: () => false }),
					fd('draft_summary', 'char', 'Summary', { store: false, help: 'Describe the changes made', compute: () => false }),
					fd('template', 'html', 'Template', { help: 'Template that will be used as a content template for all new page of this category.' }),
					fd('history_head', 'many2one', 'HEAD', { relation: 'document.page.history', readonly: true }),
					fd('history_ids', 'one2many', 'History', { relation: 'document.page.history', inverse: 'page_id', readonly: true }),
					fd('content_date', 'datetime', 'Last Contribution Date', { readonly: true }),
					fd('content_uid', 'many2one', 'Last Contributor', { relation: 'res.users', readonly: true }),
					fd('company_id', 'many2one', 'Company', { relation: 'res.company', ondelete: 'cascade', help: 'If set, page is accessible only from this company' }),
					fd('backend_url', 'char', 'Backend URL', {
						store: false,
						readonly: true,
						help: 'Use it to link resources univocally',
						compute: (r) => `/web#id=${r.id}&model=document.page&view_type=form`,
					}),
					fd('color', 'integer', 'Color Index'),
					...mailThreadFields(),
				],
				true,
			),
			mailThread: true,
			defaults: () => ({ type: 'content', active: true, color: 0 }),
		},
		{
			name: 'document.page.history',
			description: 'Document Page History',
			order: 'id DESC',
			fields: withMagic([
				fd('page_id', 'many2one', 'Page', { relation: 'document.page', ondelete: 'cascade' }),
				fd('name', 'char', 'Name'),
				fd('summary', 'char', 'Summary'),
				fd('content', 'html', 'Content'),
				fd('company_id', 'many2one', 'Company', {
					relation: 'res.company',
					readonly: true,
					store: false,
					compute: (r, c) => {
						const company = typeof r.page_id === 'number' ? c.get('document.page', r.page_id)?.company_id : undefined;
						return typeof company === 'number' ? [company, c.displayName('res.company', company)] : false;
					},
				}),
			]),
		},
	]);
}

/** draft_name/draft_summary live only for the call that sets them (create/write push, the after-hooks pop). */
const pageDrafts: Rec[] = [];

/** DocumentPage._inverse_content: a content page whose content changes gets a new revision, which becomes its HEAD. */
function recordRevision(db: OdooDatabase, page: Rec, draft: Rec, env: CallEnv): void {
	if (page.type !== 'content' || page.content === undefined || page.content === null || page.content === false) return;
	const head = typeof page.history_head === 'number' ? db.tables.get('document.page.history')!.rows.get(page.history_head) : undefined;
	if (head && head.content === page.content) return;
	const id = db.create('document.page.history', { page_id: page.id, name: draft.draft_name ?? false, summary: draft.draft_summary ?? false, content: page.content }, env);
	const rev = db.tables.get('document.page.history')!.rows.get(id)!;
	db.rowUpdate('document.page', page.id as number, { history_head: id, content_date: rev.create_date, content_uid: rev.create_uid });
}

HOOKS['document.page'] = {
	beforeCreate(_db, vals) {
		pageDrafts.push({ draft_name: vals.draft_name, draft_summary: vals.draft_summary });
	},
	afterCreate(db, row, env) {
		recordRevision(db, row, pageDrafts.pop() ?? {}, env);
	},
	beforeWrite(_db, _row, vals) {
		pageDrafts.push({ draft_name: vals.draft_name, draft_summary: vals.draft_summary });
	},
	afterWrite(db, row, env) {
		// _check_parent_id
		const pages = db.tables.get('document.page')!.rows;
		const seen = new Set<number>();
		let cur: unknown = row.parent_id;
		while (typeof cur === 'number' && !seen.has(cur)) {
			if (cur === row.id) throw validationError('You cannot create recursive categories.');
			seen.add(cur);
			cur = pages.get(cur)?.parent_id;
		}
		recordRevision(db, row, pageDrafts.pop() ?? {}, env);
	},
};

export function createDatabase(
	name: string,
	now: () => Date,
	version = 18,
	governance = governanceByDefault(name),
	modules: SandboxModules = {},
): OdooDatabase {
	const db = new OdooDatabase(name, now, version);
	buildRegistry(db);
	seedDemo(db);
	// The SA governance world (governance.ts), installed after the demo data like a module: demo ids do not move.
	if (governance) {
		buildGovernanceRegistry(db);
		seedGovernance(db);
	}
	if (modules.maintenance !== false) installMaintenance(db);
	if (modules.documentPage) installDocumentPage(db);
	installAccessControl(db);
	// governance.ts writes its ir.model rows directly; the next custom model created through ir.model must not reuse one.
	const irModel = db.tables.get('ir.model')!;
	irModel.nextId = Math.max(irModel.nextId, ...[...irModel.rows.keys()].map((id) => id + 1));
	return db;
}
