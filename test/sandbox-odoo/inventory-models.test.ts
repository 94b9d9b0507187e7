/**
 * The Odoo sandbox's asset inventory and knowledge modules (Community `maintenance`, OCA `document_page`), custom
 * models created through ir.model, and the project.task fields a patch cycle needs: driven over the wire with the
 * pack's own client, over JSON-RPC and XML-RPC, and checked against what Odoo 18 answers.
 */
import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { createOdooClient, parseTraceback, type OdooClient, type OdooProtocol } from '../../lib/odoo';
import { OdooError } from '../../lib/odoo/errors';
import { jsonrpc } from './helpers';
import { failure } from '../helpers/failures';

const CLOCK = new Date('2026-11-28T09:30:00Z');

function connect(sb: OdooSandbox, protocol: OdooProtocol, login = 'admin', secret = 'admin'): OdooClient {
	return createOdooClient({ url: sb.url, db: sb.db, login, secret, protocol, retryBaseMs: 5 });
}


/** Odoo's own text of a failure: XML-RPC's bare faultString (codes 2-4), else the exception line of the traceback. */
function odooText(error: OdooError): string {
	if (error.faultCode !== undefined && error.faultCode !== 1) return String(error.debug);
	return parseTraceback(String(error.debug ?? '')).message;
}

/** XML-RPC folds the UserError family into fault code 2; JSON-RPC names the class. */
function expectValidationError(error: OdooError, protocol: OdooProtocol): void {
	expect(error.kind).toBe('validation');
	if (protocol === 'xmlrpc') expect(error.faultCode).toBe(2);
	else expect(error.exceptionName).toBe('odoo.exceptions.ValidationError');
}

async function irModelId(client: OdooClient, model: string): Promise<number> {
	const [id] = await client.search('ir.model', [['model', '=', model]]);
	return id;
}

/** base.group_system in the sandbox's seed (ir.model.data base.group_system). */
const GROUP_SYSTEM = 3;
const GROUP_USER = 1;
const ALL = { perm_read: true, perm_write: true, perm_create: true, perm_unlink: true };

/**
 * Odoo gives a model created over RPC no ir.model.access row and admin is not the superuser, so a test that uses its
 * custom model grants the Settings group first, as an administrator would.
 */
async function grantSettings(client: OdooClient, modelId: number): Promise<void> {
	await client.create('ir.model.access', [{ name: `settings ${modelId}`, model_id: modelId, group_id: GROUP_SYSTEM, ...ALL }]);
}

/** Odoo 18's access refusal (ir.model.access._make_access_error), the groups listed as "Category/Group". */
function aclRefusal(verb: string, description: string, model: string, groups: string[]): string {
	const who = groups.length ? `This operation is allowed for the following groups:\n${groups.map((g) => `\t- ${g}`).join('\n')}` : 'No group currently allows this operation.';
	return `You are not allowed to ${verb} '${description}' (${model}) records.\n\n${who}\n\nContact your administrator to request access if necessary.`;
}

describe.each<OdooProtocol>(['jsonrpc', 'xmlrpc'])('over %s', (protocol) => {
	let sb: OdooSandbox;
	let admin: OdooClient;

	beforeAll(async () => {
		sb = await startOdooSandbox({ clock: () => CLOCK });
		admin = connect(sb, protocol);
	});
	afterAll(() => sb.close());

	describe('maintenance (on by default)', () => {
		test('is installed like a module: ir.model rows, seeded team and categories', async () => {
			const models = await admin.searchRead('ir.model', [['model', '=like', 'maintenance.%']], { fields: ['model', 'name', 'state', 'modules'], order: 'model' });
			expect(models.map((m) => [m.model, m.name, m.state, m.modules])).toEqual([
				['maintenance.equipment', 'Maintenance Equipment', 'base', 'maintenance'],
				['maintenance.equipment.category', 'Maintenance Equipment Category', 'base', 'maintenance'],
				['maintenance.team', 'Maintenance Teams', 'base', 'maintenance'],
			]);
			// Installed after everything else: no existing model lost its id.
			expect(await irModelId(admin, 'res.partner')).toBe(87);
			expect(Math.min(...models.map((m) => m.id))).toBeGreaterThan(await irModelId(admin, 'ov.sa_customer_assignment'));
			expect(await admin.searchRead('maintenance.team', [], { fields: ['name', 'active', 'company_id'] })).toEqual([
				{ id: 1, name: 'Internal Maintenance', active: true, company_id: [1, 'My Company (San Francisco)'] },
			]);
			expect(await admin.searchRead('maintenance.equipment.category', [], { fields: ['name'] })).toEqual([
				{ id: 1, name: 'Computers' },
				{ id: 2, name: 'Network' },
				{ id: 3, name: 'Virtual Machines' },
			]);
		});

		test('fields_get shows the Odoo 18 equipment fields', async () => {
			const fields = await admin.fieldsGet('maintenance.equipment', ['string', 'type', 'relation', 'required']);
			const pick = (name: string) => fields[name] && { ...fields[name] };
			expect(pick('name')).toEqual({ string: 'Equipment Name', type: 'char', required: true });
			expect(pick('owner_user_id')).toEqual({ string: 'Owner', type: 'many2one', relation: 'res.users', required: false });
			expect(pick('technician_user_id')).toEqual({ string: 'Technician', type: 'many2one', relation: 'res.users', required: false });
			expect(pick('category_id')).toEqual({ string: 'Equipment Category', type: 'many2one', relation: 'maintenance.equipment.category', required: false });
			expect(pick('partner_id')).toEqual({ string: 'Vendor', type: 'many2one', relation: 'res.partner', required: false });
			expect(pick('maintenance_team_id')).toEqual({ string: 'Maintenance Team', type: 'many2one', relation: 'maintenance.team', required: false });
			expect(pick('effective_date')).toEqual({ string: 'Effective Date', type: 'date', required: true });
			expect(pick('warranty_date')).toEqual({ string: 'Warranty Expiration Date', type: 'date', required: false });
			expect(pick('note')).toEqual({ string: 'Note', type: 'html', required: false });
			expect(pick('cost')).toEqual({ string: 'Cost', type: 'float', required: false });
			expect(pick('color')).toEqual({ string: 'Color Index', type: 'integer', required: false });
			for (const name of ['active', 'partner_ref', 'model', 'serial_no', 'location', 'company_id', 'assign_date', 'message_ids', 'message_follower_ids'])
				expect(Object.keys(fields)).toContain(name);
			const category = await admin.fieldsGet('maintenance.equipment.category', ['type', 'required']);
			expect(category.name).toEqual({ type: 'char', required: true });
			expect(category.note).toEqual({ type: 'html', required: false });
			expect((await admin.fieldsGet('maintenance.team', ['type', 'required'])).name).toEqual({ type: 'char', required: true });
		});

		test('equipment with an owner: create, read, chatter, followers, name_search', async () => {
			const [id] = await admin.create('maintenance.equipment', [
				{
					name: `pve01-${protocol}`,
					category_id: 3,
					owner_user_id: 6,
					technician_user_id: 2,
					partner_id: 16,
					partner_ref: 'PO-2026-118',
					model: 'OptiPlex 3080',
					serial_no: `SN-${protocol}-0001`,
					location: 'Rack A / U12',
					note: 'Proxmox node',
					cost: 799.5,
					assign_date: '2026-02-01',
					warranty_date: '2029-02-01',
					maintenance_team_id: 1,
				},
			]);
			const [rec] = await admin.read('maintenance.equipment', [id], [
				'name',
				'display_name',
				'owner_user_id',
				'category_id',
				'partner_id',
				'serial_no',
				'note',
				'cost',
				'effective_date',
				'company_id',
				'active',
				'maintenance_team_id',
				'message_partner_ids',
				'message_ids',
			]);
			expect(rec).toMatchObject({
				name: `pve01-${protocol}`,
				display_name: `pve01-${protocol}/SN-${protocol}-0001`,
				owner_user_id: [6, 'Marc Demo'],
				category_id: [3, 'Virtual Machines'],
				partner_id: [16, 'Lumber Inc'],
				note: '<p>Proxmox node</p>',
				cost: 799.5,
				// fields.Date.context_today
				effective_date: '2026-11-28',
				company_id: [1, 'My Company (San Francisco)'],
				active: true,
				maintenance_team_id: [1, 'Internal Maintenance'],
			});
			// The creator and the owner's partner follow the equipment.
			expect([...(rec.message_partner_ids as number[])].sort((a, b) => a - b)).toEqual([3, 7]);
			const [created] = await admin.read('mail.message', [(rec.message_ids as number[])[0]], ['body', 'model', 'res_id']);
			expect(created).toMatchObject({ body: '<p>Maintenance Equipment created</p>', model: 'maintenance.equipment', res_id: id });

			// _name_search: an exact name wins over the ilike matches.
			const [other] = await admin.create('maintenance.equipment', [{ name: `pve01-${protocol}-spare` }]);
			expect(await admin.nameSearch('maintenance.equipment', `pve01-${protocol}`)).toEqual([[id, `pve01-${protocol}/SN-${protocol}-0001`]]);
			expect((await admin.nameSearch('maintenance.equipment', `pve01-${protocol}-sp`)).map(([rid]) => rid)).toEqual([other]);

			// Changing the owner is tracked and the new owner follows.
			await admin.write('maintenance.equipment', [id], { owner_user_id: 2, location: 'Rack B' });
			const [after] = await admin.read('maintenance.equipment', [id], ['owner_user_id', 'location', 'message_ids']);
			expect(after).toMatchObject({ owner_user_id: [2, 'Mitchell Admin'], location: 'Rack B' });
			expect((after.message_ids as number[]).length).toBe((rec.message_ids as number[]).length + 1);
		});

		test('Odoo refusals: unique serial number, required name and effective date', async () => {
			await admin.create('maintenance.equipment', [{ name: 'switchOTS', serial_no: `SW-${protocol}` }]);
			const dup = await failure(admin.create('maintenance.equipment', [{ name: 'switchOTS copy', serial_no: `SW-${protocol}` }]));
			expectValidationError(dup, protocol);
			expect(odooText(dup)).toBe('The operation cannot be completed: Another asset already exists with this serial number!');
			// Two pieces without a serial number never collide (NULLs in a UNIQUE column).
			expect(await admin.create('maintenance.equipment', [{ name: 'no serial 1' }, { name: 'no serial 2' }])).toHaveLength(2);
			const noName = await failure(admin.create('maintenance.equipment', [{ serial_no: 'X' }]));
			expect(noName).toMatchObject({ kind: 'validation', field: 'name' });
			const noDate = await failure(admin.create('maintenance.equipment', [{ name: 'x', effective_date: false }]));
			expect(odooText(noDate)).toContain('Field: Effective Date (effective_date)');
		});

		test('modules.maintenance: false leaves the models out, with the real unknown-model error', async () => {
			const off = await startOdooSandbox({ modules: { maintenance: false } });
			try {
				const client = connect(off, protocol);
				expect(await client.searchCount('ir.model', [['model', '=like', 'maintenance.%']])).toBe(0);
				const error = await failure(client.searchRead('maintenance.equipment', [], { limit: 1 }));
				expect(error).toMatchObject({ kind: 'unknown-model', exceptionName: 'odoo.exceptions.UserError' });
				expect(odooText(error)).toBe("Object maintenance.equipment doesn't exist");
				// The governance world and the demo data are as before.
				expect(await irModelId(client, 'res.partner')).toBe(87);
				expect(await client.searchCount('ov.serviced_account', [], { active_test: false })).toBe(10);
			} finally {
				await off.close();
			}
		});
	});

	describe('document_page (off by default)', () => {
		test('is missing unless asked for', async () => {
			expect(await admin.searchCount('ir.model', [['model', '=', 'document.page']])).toBe(0);
			const error = await failure(admin.create('document.page', [{ name: 'Network overview' }]));
			expect(error).toMatchObject({ kind: 'unknown-model', exceptionName: 'odoo.exceptions.UserError' });
			expect(odooText(error)).toBe("Object document.page doesn't exist");
		});

		test('modules.documentPage: true installs document.page with revisions', async () => {
			const kb = await startOdooSandbox({ modules: { documentPage: true } });
			try {
				const client = connect(kb, protocol);
				const [model] = await client.searchRead('ir.model', [['model', '=', 'document.page']], { fields: ['name', 'modules'] });
				expect(model).toMatchObject({ name: 'Document Page', modules: 'document_page' });
				const fields = await client.fieldsGet('document.page', ['type', 'relation', 'required', 'selection', 'string']);
				expect(fields.name).toEqual({ string: 'Title', type: 'char', required: true });
				expect(fields.type).toEqual({ string: 'Type', type: 'selection', required: false, selection: [['content', 'Content'], ['category', 'Category']] });
				expect(fields.parent_id).toEqual({ string: 'Category', type: 'many2one', relation: 'document.page', required: false });
				expect(fields.content).toMatchObject({ type: 'html' });
				expect(fields.company_id).toMatchObject({ type: 'many2one', relation: 'res.company' });
				expect(fields.message_ids).toMatchObject({ type: 'one2many' });

				const [runbooks] = await client.create('document.page', [{ name: 'Runbooks', type: 'category' }]);
				const [page] = await client.create('document.page', [
					{ name: 'Change control process', parent_id: runbooks, content: '<p>Every change needs a task.</p>', draft_summary: 'First version' },
				]);
				const [read] = await client.read('document.page', [page], ['type', 'parent_id', 'content', 'active', 'history_head', 'history_ids', 'display_name']);
				expect(read).toMatchObject({ type: 'content', parent_id: [runbooks, 'Runbooks'], content: '<p>Every change needs a task.</p>', active: true, display_name: 'Change control process' });
				expect(read.history_ids).toHaveLength(1);
				await client.write('document.page', [page], { content: '<p>Every change needs an approved task.</p>', draft_summary: 'Approval step' });
				const [again] = await client.read('document.page', [page], ['content', 'history_head', 'history_ids']);
				expect(again.history_ids).toHaveLength(2);
				const revisions = await client.read('document.page.history', again.history_ids as number[], ['summary', 'content']);
				expect(revisions.map((r) => r.summary)).toEqual(['Approval step', 'First version']);
				expect((again.history_head as [number, string])[0]).toBe((again.history_ids as number[])[0]);
				// parent_id is the model's own parent field: child_of is the subtree, root included, in _order 'name'.
				expect(await client.search('document.page', [['parent_id', 'child_of', runbooks]])).toEqual([page, runbooks]);
				const loop = await failure(client.write('document.page', [runbooks], { parent_id: page }));
				expect(odooText(loop)).toBe('You cannot create recursive categories.');
			} finally {
				await kb.close();
			}
		});
	});

	describe('custom models through ir.model', () => {
		const model = `x_ops_credential_ref_${protocol}`;

		test('create with field_id commands, then CRUD, fields_get and name_search on the new model', async () => {
			const [mid] = await admin.create('ir.model', [
				{
					name: 'Credential reference',
					model,
					state: 'manual',
					field_id: [
						[0, 0, { name: 'x_name', ttype: 'char', field_description: 'Secret name', required: true }],
						[0, 0, { name: 'x_vault_path', ttype: 'char', field_description: 'Vault path' }],
						[0, 0, { name: 'x_rotation', ttype: 'selection', field_description: 'Rotation', selection: "[('monthly', 'Monthly'), ('quarterly', 'Quarterly')]" }],
						[0, 0, { name: 'x_mfa_required', ttype: 'boolean', field_description: 'MFA required' }],
						[0, 0, { name: 'x_last_rotation', ttype: 'date', field_description: 'Last rotation' }],
						[0, 0, { name: 'x_owner_id', ttype: 'many2one', relation: 'res.users', field_description: 'Owner' }],
					],
				},
			]);
			await grantSettings(admin, mid);
			const [row] = await admin.read('ir.model', [mid], ['model', 'name', 'state', 'field_id']);
			expect(row).toMatchObject({ model, name: 'Credential reference', state: 'manual' });
			const irFields = await admin.read('ir.model.fields', row.field_id as number[], ['name', 'state', 'ttype']);
			expect(Object.fromEntries(irFields.map((f) => [f.name, f.state]))).toEqual({
				id: 'base',
				display_name: 'base',
				create_uid: 'base',
				create_date: 'base',
				write_uid: 'base',
				write_date: 'base',
				x_name: 'manual',
				x_vault_path: 'manual',
				x_rotation: 'manual',
				x_mfa_required: 'manual',
				x_last_rotation: 'manual',
				x_owner_id: 'manual',
			});

			const fields = await admin.fieldsGet(model, ['type', 'string', 'required', 'manual', 'relation', 'selection']);
			expect(Object.keys(fields).sort()).toEqual(
				['create_date', 'create_uid', 'display_name', 'id', 'write_date', 'write_uid', 'x_last_rotation', 'x_mfa_required', 'x_name', 'x_owner_id', 'x_rotation', 'x_vault_path'].sort(),
			);
			expect(fields.x_name).toEqual({ type: 'char', string: 'Secret name', required: true, manual: true });
			expect(fields.x_rotation).toEqual({ type: 'selection', string: 'Rotation', required: false, manual: true, selection: [['monthly', 'Monthly'], ['quarterly', 'Quarterly']] });
			expect(fields.x_owner_id).toEqual({ type: 'many2one', string: 'Owner', required: false, manual: true, relation: 'res.users' });
			expect(fields.create_uid).toEqual({ type: 'many2one', string: 'Created by', required: false, manual: false, relation: 'res.users' });

			const ids = await admin.create(model, [
				{ x_name: 'pfsense_admin', x_vault_path: 'vaultwarden://Collections/Homelab/pfsense_admin', x_rotation: 'quarterly', x_mfa_required: true, x_last_rotation: '2026-10-01', x_owner_id: 2 },
				{ x_name: 'proxmox_root', x_rotation: 'monthly' },
			]);
			const [first] = await admin.read(model, [ids[0]], ['x_name', 'display_name', 'x_rotation', 'x_mfa_required', 'x_last_rotation', 'x_owner_id', 'create_uid']);
			expect(first).toEqual({
				id: ids[0],
				x_name: 'pfsense_admin',
				display_name: 'pfsense_admin',
				x_rotation: 'quarterly',
				x_mfa_required: true,
				x_last_rotation: '2026-10-01',
				x_owner_id: [2, 'Mitchell Admin'],
				create_uid: [2, 'Mitchell Admin'],
			});
			expect(await admin.nameSearch(model, 'pfsense')).toEqual([[ids[0], 'pfsense_admin']]);
			expect(await admin.search(model, [['x_rotation', '=', 'monthly']])).toEqual([ids[1]]);
			await admin.write(model, [ids[1]], { x_last_rotation: '2026-11-01', x_mfa_required: true });
			expect((await admin.read(model, [ids[1]], ['x_last_rotation', 'x_mfa_required']))[0]).toMatchObject({ x_last_rotation: '2026-11-01', x_mfa_required: true });
			const badValue = await failure(admin.write(model, [ids[1]], { x_rotation: 'yearly' }));
			expect(odooText(badValue)).toBe(`Wrong value for ${model}.x_rotation: 'yearly'`);
			const missingName = await failure(admin.create(model, [{ x_vault_path: 'x' }]));
			expect(missingName).toMatchObject({ kind: 'validation', field: 'x_name' });
			await admin.unlink(model, [ids[1]]);
			expect(await admin.search(model, [])).toEqual([ids[0]]);
			expect(await admin.read(model, [ids[1]], ['x_name'])).toEqual([]);
		});

		test('a custom model without x_name shows "model,id"; without field_id it gets x_name', async () => {
			const bare = `x_no_name_${protocol}`;
			const [bareId] = await admin.create('ir.model', [{ name: 'No name', model: bare, state: 'manual', field_id: [[0, 0, { name: 'x_ref', ttype: 'char', field_description: 'Ref' }]] }]);
			await grantSettings(admin, bareId);
			const [rid] = await admin.create(bare, [{ x_ref: 'abc' }]);
			expect((await admin.read(bare, [rid], ['display_name']))[0].display_name).toBe(`${bare},${rid}`);

			const plain = `x_plain_${protocol}`;
			const [plainId] = await admin.create('ir.model', [{ name: 'Plain', model: plain }]);
			await grantSettings(admin, plainId);
			const fields = await admin.fieldsGet(plain, ['type', 'string']);
			expect(fields.x_name).toEqual({ type: 'char', string: 'Name' });
			const [pid] = await admin.create(plain, [{ x_name: 'hello' }]);
			expect(await admin.nameSearch(plain, 'hell')).toEqual([[pid, 'hello']]);
		});

		test("a name without x_ is refused with Odoo's message and nothing is left behind", async () => {
			const error = await failure(
				admin.create('ir.model', [{ name: 'Foo bar', model: 'foo_bar', state: 'manual', field_id: [[0, 0, { name: 'x_name', ttype: 'char', field_description: 'Name' }]] }]),
			);
			expectValidationError(error, protocol);
			expect(odooText(error)).toBe("The model name must start with 'x_'.");
			expect(await admin.searchCount('ir.model', [['model', '=', 'foo_bar']])).toBe(0);
			expect(await admin.searchCount('ir.model.fields', [['model', '=', 'foo_bar']])).toBe(0);
			expect(odooText(await failure(admin.search('foo_bar', [])))).toBe("Object foo_bar doesn't exist");
		});

		test('a duplicate model name is refused by the unique constraint', async () => {
			const again = await failure(admin.create('ir.model', [{ name: 'Again', model, state: 'manual' }]));
			expectValidationError(again, protocol);
			expect(odooText(again)).toBe('The operation cannot be completed: Each model must have a unique name.');
			// The INSERT fails before the name check: a module's model name gets the same answer.
			expect(odooText(await failure(admin.create('ir.model', [{ name: 'Contact', model: 'res.partner', state: 'manual' }])))).toBe(
				'The operation cannot be completed: Each model must have a unique name.',
			);
			expect((await admin.fieldsGet(model, ['type'])).x_vault_path).toEqual({ type: 'char' });
		});

		test('field_id commands get the ir.model.fields checks and a failure rolls the whole model back', async () => {
			const name = `x_rolled_back_${protocol}`;
			const badName = await failure(admin.create('ir.model', [{ name: 'R', model: name, field_id: [[0, 0, { name: 'vault_path', ttype: 'char', field_description: 'Vault path' }]] }]));
			expect(odooText(badName)).toBe("Custom fields must have a name that starts with 'x_'!");
			const badRelation = await failure(
				admin.create('ir.model', [{ name: 'R', model: name, field_id: [[0, 0, { name: 'x_host_id', ttype: 'many2one', relation: 'no.such.model', field_description: 'Host' }]] }]),
			);
			expect(odooText(badRelation)).toBe("Unknown model name 'no.such.model' in Related Model");
			const badType = await failure(admin.create('ir.model', [{ name: 'R', model: name, field_id: [[0, 0, { name: 'x_n', ttype: 'bigint', field_description: 'N' }]] }]));
			expect(odooText(badType)).toBe("Wrong value for ir.model.fields.ttype: 'bigint'");
			expect(await admin.searchCount('ir.model', [['model', '=', name]])).toBe(0);
			expect((await failure(admin.fieldsGet(name))).kind).toBe('unknown-model');
		});

		test('a restricted user gets the access error on ir.model', async () => {
			const demo = connect(sb, protocol, 'demo', 'demo');
			const error = await failure(demo.create('ir.model', [{ name: 'Nope', model: 'x_nope', state: 'manual' }]));
			expect(error).toMatchObject({ kind: 'access', exceptionName: 'odoo.exceptions.AccessError' });
			expect(odooText(error)).toBe(
				"You are not allowed to create 'Models' (ir.model) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.",
			);
		});

		test('unlinking the custom model drops it; a module model refuses', async () => {
			const gone = `x_gone_${protocol}`;
			const [mid] = await admin.create('ir.model', [{ name: 'Gone', model: gone }]);
			await grantSettings(admin, mid);
			await admin.create(gone, [{ x_name: 'a' }]);
			await admin.unlink('ir.model', [mid]);
			expect(await admin.searchCount('ir.model.fields', [['model', '=', gone]])).toBe(0);
			// ir.model.access.model_id is ON DELETE CASCADE.
			expect(await admin.searchCount('ir.model.access', [['model_id', '=', mid]])).toBe(0);
			expect((await failure(admin.search(gone, []))).kind).toBe('unknown-model');
			const base = await failure(admin.unlink('ir.model', [await irModelId(admin, 'maintenance.team')]));
			expect(odooText(base)).toBe('This column contains module data and cannot be removed!');
		});
	});

	describe('ir.model.access on custom models', () => {
		const demo = () => connect(sb, protocol, 'demo', 'demo');
		const portal = () => connect(sb, protocol, 'portal', 'portal');

		async function customModel(model: string, description: string): Promise<number> {
			const [id] = await admin.create('ir.model', [{ name: description, model }]);
			return id;
		}

		test('ir.model.data resolves the base groups to the seeded res.groups', async () => {
			const rows = await admin.searchRead('ir.model.data', [['module', '=', 'base'], ['model', '=', 'res.groups']], { fields: ['complete_name', 'res_id'] });
			expect(Object.fromEntries(rows.map((r) => [r.complete_name, r.res_id]))).toEqual({
				'base.group_erp_manager': 2,
				'base.group_portal': 10,
				'base.group_system': 3,
				'base.group_user': 1,
			});
			expect((await admin.read('res.groups', [1, 3, 10], ['full_name'])).map((g) => g.full_name)).toEqual([
				'User types / Internal User',
				'Administration / Settings',
				'User types / Portal',
			]);
			// Every user may look external ids up; only admins may add them.
			expect(await demo().searchCount('ir.model.data', [['module', '=', 'base'], ['name', '=', 'group_system']])).toBe(1);
			expect((await failure(demo().create('ir.model.data', [{ module: 'x', name: 'y', model: 'res.groups', res_id: 1 }]))).kind).toBe('access');
			const dup = await failure(admin.create('ir.model.data', [{ module: 'base', name: 'group_user', model: 'res.groups', res_id: 1 }]));
			expect(odooText(dup)).toBe('The operation cannot be completed: You cannot have multiple records with the same external ID in the same module!');
		});

		test('a custom model without any rule refuses everybody but the superuser, admin included', async () => {
			const model = 'x_ops_credential_ref';
			await customModel(model, 'Credential Reference');
			const read = await failure(admin.searchRead(model, [], { fields: ['x_name'] }));
			expect(read).toMatchObject({ kind: 'access', exceptionName: 'odoo.exceptions.AccessError' });
			expect(odooText(read)).toBe(aclRefusal('access', 'Credential Reference', model, []));
			expect(odooText(await failure(admin.create(model, [{ x_name: 'pfsense_admin' }])))).toBe(aclRefusal('create', 'Credential Reference', model, []));
			expect(odooText(await failure(admin.nameSearch(model, 'pf')))).toBe(aclRefusal('access', 'Credential Reference', model, []));
			expect(odooText(await failure(demo().searchCount(model, [])))).toBe(aclRefusal('access', 'Credential Reference', model, []));
			// fields_get needs no read access (Odoo describes a model to anyone who may call it).
			expect((await admin.fieldsGet(model, ['type'])).x_name).toEqual({ type: 'char' });
			expect((await demo().fieldsGet(model, ['type'])).x_name).toEqual({ type: 'char' });
			// uid 1 is the only one the ACL check lets through; it cannot log in, so ask the database directly.
			expect(sb.database()!.call(model, 'search_count', [[]], {}, 1)).toBe(0);
		});

		test('rules per group: internal users read, write and create; Settings may delete; portal users get nothing', async () => {
			const model = `x_ops_acl_probe_${protocol}`;
			const mid = await customModel(model, 'ACL probe');
			await admin.create('ir.model.access', [
				{ name: 'internal', model_id: mid, group_id: GROUP_USER, perm_read: true, perm_write: true, perm_create: true, perm_unlink: false },
				{ name: 'settings', model_id: mid, group_id: GROUP_SYSTEM, ...ALL },
			]);
			const [rid] = await demo().create(model, [{ x_name: 'by demo' }]);
			await demo().write(model, [rid], { x_name: 'renamed by demo' });
			expect(await demo().read(model, [rid], ['x_name', 'create_uid'])).toEqual([{ id: rid, x_name: 'renamed by demo', create_uid: [6, 'Marc Demo'] }]);
			expect(await demo().nameSearch(model, 'renamed')).toEqual([[rid, 'renamed by demo']]);
			const unlink = await failure(demo().unlink(model, [rid]));
			expect(odooText(unlink)).toBe(aclRefusal('delete', 'ACL probe', model, ['Administration/Settings']));
			expect(odooText(await failure(portal().search(model, [])))).toBe(aclRefusal('access', 'ACL probe', model, ['Administration/Settings', 'User types/Internal User']));
			await admin.unlink(model, [rid]);
			expect(await admin.search(model, [])).toEqual([]);
		});

		test('an inactive rule grants nothing; a rule without a group grants everybody and is listed as no group', async () => {
			const model = `x_ops_acl_global_${protocol}`;
			const mid = await customModel(model, 'Global probe');
			const [rule] = await admin.create('ir.model.access', [{ name: 'everyone reads', model_id: mid, perm_read: true }]);
			expect((await admin.read('ir.model.access', [rule], ['active', 'group_id', 'perm_read', 'perm_write']))[0]).toEqual({ id: rule, active: true, group_id: false, perm_read: true, perm_write: false });
			expect(await portal().search(model, [])).toEqual([]);
			expect(odooText(await failure(demo().create(model, [{ x_name: 'x' }])))).toBe(aclRefusal('create', 'Global probe', model, []));
			await admin.write('ir.model.access', [rule], { active: false });
			expect(odooText(await failure(portal().search(model, [])))).toBe(aclRefusal('access', 'Global probe', model, []));
		});

		test('only administrators may add ACL rows; everybody may read them', async () => {
			const model = `x_ops_acl_self_${protocol}`;
			const mid = await customModel(model, 'Self service');
			const error = await failure(demo().create('ir.model.access', [{ name: 'self-service', model_id: mid, group_id: GROUP_USER, ...ALL }]));
			expect(error).toMatchObject({ kind: 'access', exceptionName: 'odoo.exceptions.AccessError' });
			expect(odooText(error)).toBe(
				"You are not allowed to create 'Model Access' (ir.model.access) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.",
			);
			expect(await demo().searchCount('ir.model.access', [['model_id', '=', mid]])).toBe(0);
			const [rule] = await admin.create('ir.model.access', [{ name: 'internal', model_id: mid, group_id: GROUP_USER, perm_read: true }]);
			expect(await demo().search('ir.model.access', [['model_id', '=', mid]])).toEqual([rule]);
			expect((await failure(demo().write('ir.model.access', [rule], { perm_unlink: true }))).kind).toBe('access');
			expect((await failure(demo().unlink('ir.model.access', [rule]))).kind).toBe('access');
		});

		test('built-in models keep their rules: no ACL rows, demo reads contacts as before', async () => {
			expect(await admin.searchCount('ir.model.access', [['model_id', '=', await irModelId(admin, 'res.partner')]])).toBe(0);
			expect(await demo().searchCount('res.partner', [['id', '=', 10]])).toBe(1);
		});
	});

	test('x_ selection and date fields added to maintenance.equipment through ir.model.fields', async () => {
		const modelId = await irModelId(admin, 'maintenance.equipment');
		const [selId] = await admin.create('ir.model.fields', [
			{ model_id: modelId, name: 'x_patch_window', ttype: 'selection', field_description: 'Patch window', selection: "[('weekly', 'Weekly'),('monthly','Monthly')]", state: 'manual' },
		]);
		await admin.create('ir.model.fields', [{ model_id: modelId, name: 'x_last_patched', ttype: 'date', field_description: 'Last patched', state: 'manual' }]);
		await admin.create('ir.model.fields', [{ model: 'maintenance.equipment', name: 'x_backup_host_id', ttype: 'many2one', relation: 'maintenance.equipment', field_description: 'Backup host' }]);
		// `selection` reads back the way Odoo prints the parsed list.
		expect((await admin.read('ir.model.fields', [selId], ['selection', 'model', 'state']))[0]).toEqual({ id: selId, selection: "[('weekly', 'Weekly'), ('monthly', 'Monthly')]", model: 'maintenance.equipment', state: 'manual' });
		const fields = await admin.fieldsGet('maintenance.equipment', ['type', 'selection', 'manual', 'relation']);
		expect(fields.x_patch_window).toEqual({ type: 'selection', manual: true, selection: [['weekly', 'Weekly'], ['monthly', 'Monthly']] });
		expect(fields.x_last_patched).toEqual({ type: 'date', manual: true });
		expect(fields.x_backup_host_id).toEqual({ type: 'many2one', manual: true, relation: 'maintenance.equipment' });

		const [host, backup] = await admin.create('maintenance.equipment', [{ name: `odoo01-${protocol}` }, { name: `vault01-${protocol}` }]);
		await admin.write('maintenance.equipment', [host], { x_patch_window: 'monthly', x_last_patched: '2026-11-20', x_backup_host_id: backup });
		expect((await admin.read('maintenance.equipment', [host], ['x_patch_window', 'x_last_patched', 'x_backup_host_id']))[0]).toEqual({
			id: host,
			x_patch_window: 'monthly',
			x_last_patched: '2026-11-20',
			x_backup_host_id: [backup, `vault01-${protocol}`],
		});
		expect(await admin.search('maintenance.equipment', [['x_last_patched', '<', '2026-11-21'], ['x_patch_window', '=', 'monthly']])).toEqual([host]);
		const bad = await failure(admin.write('maintenance.equipment', [host], { x_patch_window: 'yearly' }));
		expect(odooText(bad)).toBe("Wrong value for maintenance.equipment.x_patch_window: 'yearly'");
		const badDate = await failure(admin.write('maintenance.equipment', [host], { x_last_patched: '20/11/2026' }));
		expect(odooText(badDate)).toBe("time data '20/11/2026' does not match format '%Y-%m-%d'");
		const dup = await failure(admin.create('ir.model.fields', [{ model_id: modelId, name: 'x_patch_window', ttype: 'char', field_description: 'again' }]));
		expect(odooText(dup)).toBe('The operation cannot be completed: Field names must be unique per model.');
	});

	test('project.task has the Community 18 fields a patch cycle uses', async () => {
		const fields = await admin.fieldsGet('project.task', ['type', 'relation', 'string', 'selection']);
		expect(fields.user_ids).toEqual({ type: 'many2many', relation: 'res.users', string: 'Assignees' });
		expect(fields.date_deadline).toEqual({ type: 'datetime', string: 'Deadline' });
		expect(fields.planned_date_begin).toBeUndefined();
		expect(fields.description).toMatchObject({ type: 'html' });
		expect(fields.project_id).toMatchObject({ type: 'many2one', relation: 'project.project' });
		expect(fields.stage_id).toMatchObject({ type: 'many2one', relation: 'project.task.type' });
		expect(fields.tag_ids).toMatchObject({ type: 'many2many', relation: 'project.tags' });
		expect((fields.state.selection as Array<[string, string]>).map(([key]) => key)).toEqual(['01_in_progress', '02_changes_requested', '03_approved', '1_done', '1_canceled', '04_waiting_normal']);
		expect((await admin.fieldsGet('project.task.type', ['type', 'relation'])).project_ids).toEqual({ type: 'many2many', relation: 'project.project' });

		const [task] = await admin.create('project.task', [
			{ name: `Patch cycle 2026-12 (${protocol})`, project_id: 3, stage_id: 1, user_ids: [[6, 0, [2, 6]]], tag_ids: [[4, 3]], date_deadline: '2026-12-05 17:00:00', description: '<p>pve01, odoo01</p>' },
		]);
		await admin.write('project.task', [task], { state: '03_approved' });
		expect((await admin.read('project.task', [task], ['user_ids', 'tag_ids', 'date_deadline', 'state', 'project_id']))[0]).toEqual({
			id: task,
			// many2many values come in the comodel's order: res.users is 'name, login' (Marc Demo, Mitchell Admin).
			user_ids: [6, 2],
			tag_ids: [3],
			date_deadline: '2026-12-05 17:00:00',
			state: '03_approved',
			project_id: [3, 'Operations'],
		});
		const bad = await failure(admin.write('project.task', [task], { state: 'done' }));
		expect(odooText(bad)).toBe("Wrong value for project.task.state: 'done'");
	});
});

test('the wire answer for an uninstalled model is exactly Odoo 18\'s', async () => {
	const sb = await startOdooSandbox({ modules: { maintenance: false } });
	try {
		const r = await jsonrpc(sb, 'object', 'execute_kw', [sb.db, 2, 'admin', 'maintenance.equipment', 'search_read', [[]], {}]);
		expect(r.error).toMatchObject({ name: 'odoo.exceptions.UserError', message: "Object maintenance.equipment doesn't exist", arguments: ["Object maintenance.equipment doesn't exist"] });
	} finally {
		await sb.close();
	}
});
