/**
 * ensureManualModel against the Odoo sandbox, which enforces ir.model.access on models created through ir.model the
 * way Odoo 17/18 does: no rule, no access, admin included (only the superuser, uid 1, is exempt).
 */
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import { createOdooClient, type OdooClient } from '../../../lib/odoo';
import { DEFAULT_MANUAL_ACCESS, ensureManualModel, irModelId, type ManualFieldSpec } from '../../../lib/odoo/manual-schema';
import { failure } from '../../helpers/failures';

let sb: OdooSandbox;

function connect(login: string): OdooClient {
	return createOdooClient({ url: sb.url, db: sb.db, login, secret: login, protocol: 'jsonrpc', retryBaseMs: 5 });
}


const SPECS: ManualFieldSpec[] = [
	{ name: 'x_name', ttype: 'char', description: 'Secret name' },
	{ name: 'x_vault_path', ttype: 'char', description: 'Vault path' },
	{ name: 'x_rotation', ttype: 'selection', description: 'Rotation', selection: "[('monthly', 'Monthly'), ('quarterly', 'Quarterly')]" },
];

/** The model's ACL rows as [name, group, r, w, c, u], inactive ones included. */
async function rules(client: OdooClient, model: string): Promise<Array<[string, string | false, boolean, boolean, boolean, boolean]>> {
	const rows = await client.searchRead('ir.model.access', [['model_id', '=', await irModelId(client, model)]], {
		fields: ['name', 'group_id', 'perm_read', 'perm_write', 'perm_create', 'perm_unlink'],
		order: 'id',
		context: { active_test: false },
	});
	return rows.map((r) => [
		String(r.name),
		Array.isArray(r.group_id) ? String(r.group_id[1]) : false,
		Boolean(r.perm_read),
		Boolean(r.perm_write),
		Boolean(r.perm_create),
		Boolean(r.perm_unlink),
	]);
}

beforeAll(async () => {
	sb = await startOdooSandbox();
});
afterAll(() => sb.close());

describe('ensureManualModel', () => {
	test('creates the model, its fields and the two default rules; a second run adds nothing', async () => {
		const admin = connect('admin');
		const model = 'x_ops_credential_ref';
		const first = await ensureManualModel(admin, model, 'Credential Reference', SPECS);
		expect(first.modelCreated).toBe(true);
		expect(first.created).toEqual(['x_name', 'x_vault_path', 'x_rotation']);
		expect(first.fields.x_rotation).toMatchObject({ type: 'selection', selection: [['monthly', 'Monthly'], ['quarterly', 'Quarterly']] });
		expect(first.accessAdded).toEqual(DEFAULT_MANUAL_ACCESS.map((rule) => ({ ...rule, id: expect.any(Number) })));
		expect(await rules(admin, model)).toEqual([
			['access_x_ops_credential_ref_base_group_user', 'Internal User', true, true, true, false],
			['access_x_ops_credential_ref_base_group_system', 'Settings', true, true, true, true],
		]);

		const again = await ensureManualModel(admin, model, 'Credential Reference', SPECS);
		expect(again).toMatchObject({ modelCreated: false, created: [], accessAdded: [] });
		expect(await rules(admin, model)).toHaveLength(2);
	});

	test('with the rules, internal users read, write and create; only Settings deletes; portal users get nothing', async () => {
		const model = 'x_ops_internal_use';
		await ensureManualModel(connect('admin'), model, 'Internal use', SPECS);
		const demo = connect('demo');
		const [id] = await demo.create(model, [{ x_name: 'pfsense_admin', x_rotation: 'quarterly' }]);
		await demo.write(model, [id], { x_vault_path: 'vaultwarden://Homelab/pfsense_admin' });
		expect(await demo.searchRead(model, [], { fields: ['x_name', 'x_vault_path'] })).toEqual([{ id, x_name: 'pfsense_admin', x_vault_path: 'vaultwarden://Homelab/pfsense_admin' }]);
		const unlink = await failure(demo.unlink(model, [id]));
		expect(unlink.kind).toBe('access');
		expect(unlink.message).toContain("You are not allowed to delete 'Internal use' (x_ops_internal_use) records.");
		expect(unlink.message).toContain('\t- Administration/Settings');
		expect((await failure(connect('portal').search(model, []))).kind).toBe('access');
		expect(await connect('admin').unlink(model, [id])).toBe(true);
	});

	test('a model that exists without any rule (an older version, a run that died) gets them, and its missing fields', async () => {
		const admin = connect('admin');
		const model = 'x_ops_legacy_log';
		await admin.create('ir.model', [{ name: 'Legacy log', model, state: 'manual', field_id: [[0, 0, { name: 'x_name', ttype: 'char', field_description: 'Name' }]] }]);
		expect((await failure(admin.search(model, []))).kind).toBe('access');

		const result = await ensureManualModel(admin, model, 'Legacy log', SPECS);
		expect(result).toMatchObject({ modelCreated: false, created: ['x_vault_path', 'x_rotation'] });
		expect(result.accessAdded.map((rule) => rule.group)).toEqual(['base.group_user', 'base.group_system']);
		expect(await admin.search(model, [])).toEqual([]);
		expect(await connect('demo').create(model, [{ x_name: 'first' }])).toHaveLength(1);
	});

	test('rules an admin tuned are left alone, an inactive one included', async () => {
		const admin = connect('admin');
		const model = 'x_ops_tuned';
		const [mid] = await admin.create('ir.model', [{ name: 'Tuned', model }]);
		await admin.create('ir.model.access', [{ name: 'read only for employees', model_id: mid, group_id: 1, perm_read: true }]);
		const result = await ensureManualModel(admin, model, 'Tuned', SPECS);
		expect(result.accessAdded).toEqual([]);
		expect(await rules(admin, model)).toEqual([['read only for employees', 'Internal User', true, false, false, false]]);
		expect((await failure(connect('demo').create(model, [{ x_name: 'nope' }]))).kind).toBe('access');

		const off = 'x_ops_switched_off';
		const [offId] = await admin.create('ir.model', [{ name: 'Switched off', model: off }]);
		await admin.create('ir.model.access', [{ name: 'was open', model_id: offId, group_id: 1, perm_read: true, active: false }]);
		expect((await ensureManualModel(admin, off, 'Switched off', SPECS)).accessAdded).toEqual([]);
		expect(await rules(admin, off)).toEqual([['was open', 'Internal User', true, false, false, false]]);
	});

	test('options.access replaces the defaults; an unknown group xmlid is skipped, never turned into a global rule', async () => {
		const admin = connect('admin');
		const model = 'x_ops_portal_view';
		const result = await ensureManualModel(admin, model, 'Portal view', SPECS, {
			access: [
				{ group: 'base.group_portal', read: true, write: false, create: false, unlink: false },
				{ group: 'base.group_no_such_group', read: true, write: true, create: true, unlink: true },
				{ group: 'not-an-xmlid', read: true, write: true, create: true, unlink: true },
			],
		});
		expect(result.accessAdded).toEqual([{ group: 'base.group_portal', read: true, write: false, create: false, unlink: false, id: expect.any(Number) }]);
		expect(await rules(admin, model)).toEqual([['access_x_ops_portal_view_base_group_portal', 'Portal', true, false, false, false]]);
		expect(await connect('portal').search(model, [])).toEqual([]);
		expect((await failure(connect('demo').search(model, []))).kind).toBe('access');

		const none = await ensureManualModel(admin, 'x_ops_no_rules', 'No rules', SPECS, { access: [] });
		expect(none).toMatchObject({ modelCreated: true, accessAdded: [] });
		expect(await rules(admin, 'x_ops_no_rules')).toEqual([]);
	});

	test('racing executions end with one model and one row per rule, each reported by exactly one of them', async () => {
		const model = 'x_ops_raced';
		const results = await Promise.all([1, 2, 3].map(() => ensureManualModel(connect('admin'), model, 'Raced', SPECS)));
		expect(results.filter((r) => r.modelCreated)).toHaveLength(1);
		expect(results.flatMap((r) => r.accessAdded.map((rule) => rule.group)).sort()).toEqual(['base.group_system', 'base.group_user']);
		expect((await rules(connect('admin'), model)).map(([name]) => name)).toEqual([
			'access_x_ops_raced_base_group_user',
			'access_x_ops_raced_base_group_system',
		]);

		// The same for a model that exists without rules: the executions may all see none and add them; the duplicates go.
		const bare = 'x_ops_raced_bare';
		await connect('admin').create('ir.model', [{ name: 'Raced bare', model: bare }]);
		const repaired = await Promise.all([1, 2, 3].map(() => ensureManualModel(connect('admin'), bare, 'Raced bare', [])));
		expect(repaired.flatMap((r) => r.accessAdded.map((rule) => rule.group)).sort()).toEqual(['base.group_system', 'base.group_user']);
		expect(await rules(connect('admin'), bare)).toHaveLength(2);
	});

	test('a user who may not set the model up gets the access error and adds nothing', async () => {
		const model = 'x_ops_needs_admin';
		await connect('admin').create('ir.model', [{ name: 'Needs admin', model }]);
		// Odoo 18 does not even let an internal user look the model up in ir.model.
		const error = await failure(ensureManualModel(connect('demo'), model, 'Needs admin', []));
		expect(error).toMatchObject({ kind: 'access' });
		expect(await rules(connect('admin'), model)).toEqual([]);
	});
});
