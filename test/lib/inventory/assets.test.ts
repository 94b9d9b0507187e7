import {
	applyFieldMap,
	checkAssetInput,
	ensureAssetFields,
	listAssets,
	MAINTENANCE_EQUIPMENT_HOME,
	OV_ASSET_HOME,
	resolveAssetHome,
	toIsoDate,
	upsertAssets,
	type AssetInput,
} from '../../../lib/inventory/assets';
import { SecretValueError } from '../../../lib/inventory/secrets';
import { InventoryInputError, type AssetHome } from '../../../lib/inventory/types';
import { createOdooClient } from '../../../lib/odoo';
import { OdooError } from '../../../lib/odoo/errors';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import { errorOf } from '../../helpers/failures';


describe('checkAssetInput', () => {
	it('normalises a good input: lower-case hostname as key, VLAN as a number, dates cut to the day, aliases', () => {
		const checked = checkAssetInput(
			{ hostname: 'PVE01.lab.example.com', ip: '10.20.0.5', vlan: '20', os_version: '8.2.4', 'Last Patched': '2026-05-14T22:30:00-04:00', kind: 'VM', owner: 'admin', purpose: '' } as AssetInput,
			0,
		);
		expect(checked).toEqual({
			index: 0,
			key: 'pve01.lab.example.com',
			keyKind: 'hostname',
			label: "Asset 1 ('PVE01.lab.example.com')",
			facts: { hostname: 'pve01.lab.example.com', ip: '10.20.0.5', vlan: 20, osVersion: '8.2.4', lastPatched: '2026-05-15', kind: 'vm', purpose: null },
			owner: 'admin',
		});
	});

	it('keys by name when there is no hostname', () => {
		expect(checkAssetInput({ name: 'Core Switch 1' }, 3)).toMatchObject({ key: 'core switch 1', keyKind: 'name', label: "Asset 4 ('Core Switch 1')" });
	});

	it.each<[AssetInput, string, RegExp]>([
		[{ hostname: 'pve01', ip: '10.0.0.300' }, 'ip', /'ip' '10\.0\.0\.300' is not an IPv4 or IPv6 address: Write one address like 10\.20\.0\.5/],
		[{ hostname: 'pve01', ip: '10.0.0.0/24' }, 'ip', /no prefix length/],
		[{ hostname: 'pve01', vlan: 0 }, 'vlan', /'vlan' 0 is not a VLAN id: Use a whole number from 1 to 4094/],
		[{ hostname: 'pve01', vlan: 4095 }, 'vlan', /4095 is not a VLAN id/],
		[{ hostname: 'pve01', vlan: 'twenty' }, 'vlan', /"twenty" is not a VLAN id/],
		[{ hostname: 'pve01', lastPatched: '2026-02-30' }, 'lastPatched', /"2026-02-30" is not a date: Write the day of the last patch as YYYY-MM-DD/],
		[{ hostname: 'pve01', lastPatched: 'last tuesday' }, 'lastPatched', /not a date/],
		[{ hostname: 'pve01', kind: 'server' }, 'kind', /'kind' 'server' is not an asset kind: Use one of network, compute, vm, endpoint, other/],
		[{ hostname: 'pve 01' }, 'hostname', /'hostname' 'pve 01' is not a host name: Use letters, digits and dashes/],
		[{ ip: '10.0.0.1' }, 'hostname', /Asset 1: has neither a hostname nor a name: Give each asset a hostname/],
		[{ hostname: 'pve01', docsUrl: 'wiki/pve01' }, 'docsUrl', /'docsUrl' 'wiki\/pve01' is not a URL/],
		[{ hostname: 'pve01', owner: { who: 'me' } as never }, 'owner', /'owner' is not a user/],
	])('refuses %j naming %s and the fix', (input, field, message) => {
		const error = errorOf<InventoryInputError>(() => checkAssetInput(input, 0));
		expect(error).toBeInstanceOf(InventoryInputError);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});

	it('accepts IPv6 and clears facts given as null or empty', () => {
		expect(checkAssetInput({ hostname: 'fw01', ip: '2001:db8::5', vlan: null, lastPatched: '', os: null }, 0).facts).toEqual({ hostname: 'fw01', ip: '2001:db8::5', vlan: null, lastPatched: null, os: null });
	});
});

describe('toIsoDate', () => {
	it.each([
		['2026-05-14', '2026-05-14'],
		['2024-02-29', '2024-02-29'],
		['2026-05-14 23:10:00', '2026-05-14'],
		['2026-05-14T23:10:00Z', '2026-05-14'],
		['2026-05-14T23:10:00+02:00', '2026-05-14'],
		['2026-05-14T23:10:00-02:00', '2026-05-15'],
	])('%s → %s', (input, expected) => expect(toIsoDate(input)).toBe(expected));
	it.each(['2025-02-29', '2026-13-01', '14/05/2026', '', 'now'])('%s is not a date', (input) => expect(toIsoDate(input)).toBeUndefined());
});

describe('applyFieldMap', () => {
	it('overrides and removes facts', () => {
		expect(applyFieldMap(MAINTENANCE_EQUIPMENT_HOME, { hostname: 'x_fqdn', vlan: null }).fields).toMatchObject({ hostname: 'x_fqdn', ip: 'x_ip' });
		expect(applyFieldMap(MAINTENANCE_EQUIPMENT_HOME, { vlan: null }).fields).not.toHaveProperty('vlan');
	});
	it('refuses unknown facts, leaving out the name, and bad field names', () => {
		expect(errorOf<InventoryInputError>(() => applyFieldMap(MAINTENANCE_EQUIPMENT_HOME, { serial: 'serial_no' } as never)).message).toMatch(/'serial', which is not an asset fact: Map only name, hostname/);
		expect(errorOf<InventoryInputError>(() => applyFieldMap(MAINTENANCE_EQUIPMENT_HOME, { name: null })).message).toMatch(/leaves out 'name'/);
		expect(errorOf<InventoryInputError>(() => applyFieldMap(MAINTENANCE_EQUIPMENT_HOME, { ip: 'IP Address' })).message).toMatch(/not an Odoo field name/);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Against the Odoo sandbox

function clientOf(sandbox: OdooSandbox, login = 'admin'): OdooClient {
	return createOdooClient({ url: sandbox.url, db: sandbox.db, login, secret: login, protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
}

describe('asset home', () => {
	let withGovernance: OdooSandbox;
	let plain: OdooSandbox;
	let bare: OdooSandbox;
	beforeAll(async () => {
		[withGovernance, plain, bare] = await Promise.all([startOdooSandbox(), startOdooSandbox({ governance: false }), startOdooSandbox({ governance: false, modules: { maintenance: false } })]);
	});
	afterAll(async () => {
		await Promise.all([withGovernance.close(), plain.close(), bare.close()]);
	});

	it('is ov.asset when installed, maintenance.equipment otherwise, and a clear error when neither is', async () => {
		expect(await resolveAssetHome(clientOf(withGovernance))).toEqual(OV_ASSET_HOME);
		expect(await resolveAssetHome(clientOf(plain))).toEqual(MAINTENANCE_EQUIPMENT_HOME);
		const error = await resolveAssetHome(clientOf(bare)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OdooError);
		expect(error).toMatchObject({ kind: 'unknown-model', message: expect.stringContaining('Neither ov.asset nor maintenance.equipment is installed'), hint: expect.stringContaining('Install the Maintenance app') });
	});

	it('takes the model and mapping the user gives, and refuses a model that is not installed', async () => {
		const home = await resolveAssetHome(clientOf(withGovernance), { model: 'maintenance.equipment', fieldMap: { hostname: 'x_fqdn', patchGroup: null } });
		expect(home.model).toBe('maintenance.equipment');
		expect(home.fields).toMatchObject({ hostname: 'x_fqdn', owner: 'owner_user_id' });
		expect(home.fields.patchGroup).toBeUndefined();
		await expect(resolveAssetHome(clientOf(plain), { model: 'ov.asset' })).rejects.toMatchObject({ kind: 'unknown-model', message: "Asset model 'ov.asset' is not installed on this Odoo database" });
	});
});

describe('assets on maintenance.equipment', () => {
	let sandbox: OdooSandbox;
	let odoo: OdooClient;
	const home = MAINTENANCE_EQUIPMENT_HOME;
	const equipment = () => sandbox.records('maintenance.equipment');
	const calls = (method: string) => sandbox.stats.byMethod[method] ?? 0;

	beforeAll(async () => {
		sandbox = await startOdooSandbox({ governance: false });
		sandbox.setClock(new Date('2026-06-01T09:00:00Z'));
		odoo = clientOf(sandbox);
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('refuses to upsert before the fields exist, saying how to add them', async () => {
		await expect(upsertAssets(odoo, home, [{ hostname: 'pve01' }])).rejects.toMatchObject({ kind: 'unknown-field', field: 'x_hostname', hint: "Run 'Ensure Fields' once to add the pack's fields" });
		expect(equipment()).toHaveLength(0);
	});

	it('lists what exists before the fields are added, the missing facts as null', async () => {
		await expect(listAssets(odoo, home)).resolves.toEqual([]);
	});

	it('ensures the x_ fields once', async () => {
		const created = await ensureAssetFields(odoo, home);
		expect(created.sort()).toEqual(['x_asset_kind', 'x_docs_url', 'x_hostname', 'x_ip', 'x_last_patched', 'x_os', 'x_os_version', 'x_patch_group', 'x_purpose', 'x_vlan']);
		expect(await ensureAssetFields(odoo, home)).toEqual([]);
		const rows = sandbox.records('ir.model.fields').filter((row) => row.model === 'maintenance.equipment' && String(row.name).startsWith('x_'));
		expect(rows).toHaveLength(10);
		expect(rows.find((row) => row.name === 'x_last_patched')).toMatchObject({ ttype: 'date', state: 'manual' });
		expect(rows.find((row) => row.name === 'x_asset_kind')).toMatchObject({ ttype: 'selection', selection: "[('network', 'Network'), ('compute', 'Compute'), ('vm', 'VM'), ('endpoint', 'Endpoint'), ('other', 'Other')]" });
		const fields = await odoo.fieldsGet('maintenance.equipment');
		expect(fields.x_asset_kind.selection).toEqual([['network', 'Network'], ['compute', 'Compute'], ['vm', 'VM'], ['endpoint', 'Endpoint'], ['other', 'Other']]);
	});

	it('refuses a mapping to a field of the wrong kind', async () => {
		const wrong: AssetHome = { model: home.model, fields: { ...home.fields, owner: 'category_id' } };
		await expect(ensureAssetFields(odoo, wrong)).rejects.toMatchObject({ kind: 'validation', field: 'category_id', message: expect.stringContaining('asset owner needs a many2one to res.users') });
	});

	it('creates new assets in one batch, then a re-run changes nothing', async () => {
		const inputs: AssetInput[] = [
			{ hostname: 'pve01', ip: '10.20.0.11', vlan: 20, os: 'Proxmox VE', osVersion: '8.2.4', owner: 'admin', purpose: 'Hypervisor', lastPatched: '2026-05-02', patchGroup: 'wave-1', kind: 'compute' },
			{ hostname: 'pve02', ip: '10.20.0.12', vlan: 20, os: 'Proxmox VE', osVersion: '8.2.4', owner: 'Marc Demo', kind: 'compute' },
			{ hostname: 'fw01', name: 'Edge firewall', ip: '2001:db8::1', os: 'pfSense CE', osVersion: '2.7.2', owner: 6, kind: 'network', docsUrl: 'https://wiki.lab.example.com/fw01' },
		];
		sandbox.resetStats();
		const first = await upsertAssets(odoo, home, inputs);
		expect(first.map((r) => [r.key, r.action])).toEqual([['pve01', 'created'], ['pve02', 'created'], ['fw01', 'created']]);
		expect(calls('create')).toBe(1);
		expect(calls('write')).toBe(0);
		const pve01 = equipment().find((row) => row.id === first[0].id)!;
		expect(pve01).toMatchObject({ name: 'pve01', x_hostname: 'pve01', x_ip: '10.20.0.11', x_vlan: '20', x_os: 'Proxmox VE', x_os_version: '8.2.4', owner_user_id: 2, x_purpose: 'Hypervisor', x_last_patched: '2026-05-02', x_patch_group: 'wave-1', x_asset_kind: 'compute' });
		expect(equipment().find((row) => row.id === first[1].id)).toMatchObject({ owner_user_id: 6 });
		expect(equipment().find((row) => row.id === first[2].id)).toMatchObject({ name: 'Edge firewall', owner_user_id: 6, x_docs_url: 'https://wiki.lab.example.com/fw01' });

		sandbox.resetStats();
		const again = await upsertAssets(odoo, home, inputs);
		expect(again).toEqual(first.map((r) => ({ ...r, action: 'unchanged' })));
		expect(calls('create')).toBe(0);
		expect(calls('write')).toBe(0);
		expect(equipment()).toHaveLength(3);
	});

	it('writes only what changed, matching hostnames whatever their case', async () => {
		sandbox.resetStats();
		const [result] = await upsertAssets(odoo, home, [{ hostname: 'PVE01', osVersion: '8.3.0', lastPatched: '2026-06-01', ip: '10.20.0.11' }]);
		expect(result).toMatchObject({ action: 'updated', key: 'pve01', changed: ['osVersion', 'lastPatched'] });
		expect(calls('write')).toBe(1);
		expect(equipment().filter((row) => row.x_hostname === 'pve01')).toHaveLength(1);
		expect(equipment().find((row) => row.id === result.id)).toMatchObject({ x_os_version: '8.3.0', x_last_patched: '2026-06-01', x_ip: '10.20.0.11', x_purpose: 'Hypervisor' });
	});

	it('adopts an asset entered by hand under the same name and no hostname', async () => {
		const [manual] = await odoo.create('maintenance.equipment', [{ name: 'nas01' }]);
		const [result] = await upsertAssets(odoo, home, [{ hostname: 'nas01', ip: '10.20.0.30', kind: 'compute' }]);
		expect(result).toMatchObject({ id: manual, action: 'updated', changed: ['hostname', 'ip', 'kind'] });
	});

	it('writes nothing when any input is refused: a secret, a bad value, an unknown owner, a repeated host', async () => {
		const before = JSON.stringify(equipment());
		const good: AssetInput = { hostname: 'sw01', kind: 'network' };
		const cases: Array<[AssetInput[], RegExp, abstract new (...args: never[]) => Error]> = [
			[[good, { hostname: 'sw02', admin_password: 'Sup3r-S3cret!' }], /Asset 2 \('sw02'\): 'admin_password' looks like a secret .*vaultwarden:\/\//, SecretValueError],
			[[good, { hostname: 'sw02', purpose: 'uplink -----BEGIN OPENSSH PRIVATE KEY----- abc' }], /'purpose' looks like a secret \(a private key/, SecretValueError],
			[[good, { hostname: 'sw02', vlan: 5000 }], /Asset 2 \('sw02'\): 'vlan' 5000 is not a VLAN id/, InventoryInputError],
			[[good, { hostname: 'sw02', owner: 'nobody-here' }], /Asset 2 \('sw02'\): owner 'nobody-here' is not an Odoo user: Use the login, the exact name or the id/, InventoryInputError],
			[[good, { hostname: 'sw02', owner: 999 }], /owner #999 is not an Odoo user/, InventoryInputError],
			[[good, { hostname: 'SW01' }], /Asset 2 \('SW01'\): repeats the hostname of asset 1/, InventoryInputError],
		];
		for (const [inputs, message, type] of cases) {
			sandbox.resetStats();
			const error = await upsertAssets(odoo, home, inputs).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(type);
			expect((error as Error).message).toMatch(message);
			expect(calls('create') + calls('write')).toBe(0);
		}
		expect(JSON.stringify(equipment())).toBe(before);
	});

	it('lists every asset across pages, with the facts and the owner', async () => {
		const assets = await listAssets(odoo, home, { pageSize: 2 });
		expect(assets.map((asset) => asset.hostname)).toEqual(['pve01', 'pve02', 'fw01', 'nas01']);
		expect(assets[0]).toEqual({
			id: assets[0].id,
			model: 'maintenance.equipment',
			name: 'pve01',
			hostname: 'pve01',
			ip: '10.20.0.11',
			vlan: '20',
			os: 'Proxmox VE',
			osVersion: '8.3.0',
			owner: { id: 2, name: 'Mitchell Admin' },
			purpose: 'Hypervisor',
			docsUrl: null,
			lastPatched: '2026-06-01',
			patchGroup: 'wave-1',
			kind: 'compute',
		});
		expect((await listAssets(odoo, home, { domain: [['x_asset_kind', '=', 'network']] })).map((asset) => asset.hostname)).toEqual(['fw01']);
	});

	it('clears a fact given as null', async () => {
		const [result] = await upsertAssets(odoo, home, [{ hostname: 'pve02', owner: null, vlan: null }]);
		expect(result).toMatchObject({ action: 'updated', changed: ['vlan', 'owner'] });
		const row = equipment().find((record) => record.id === result.id)!;
		expect(row.owner_user_id).toBeFalsy();
		expect(row.x_vlan).toBeFalsy();
		expect(row.x_hostname).toBe('pve02');
	});
});

describe('assets on ov.asset', () => {
	let sandbox: OdooSandbox;
	let odoo: OdooClient;
	beforeAll(async () => {
		sandbox = await startOdooSandbox();
		odoo = clientOf(sandbox);
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('keeps the governance fields alone: purpose is the description, the owner its own field, new assets are items', async () => {
		const home = await resolveAssetHome(odoo);
		expect((await ensureAssetFields(odoo, home)).sort()).toEqual(['x_asset_kind', 'x_docs_url', 'x_hostname', 'x_ip', 'x_last_patched', 'x_os', 'x_os_version', 'x_owner_user_id', 'x_patch_group', 'x_vlan']);
		const [created] = await upsertAssets(odoo, home, [{ hostname: 'swap-gw-01', name: 'Swap network gateway', purpose: 'Uplink of the Nairobi swap network', owner: 'demo', kind: 'network' }]);
		expect(created.action).toBe('created');
		const row = sandbox.records('ov.asset').find((record) => record.id === created.id)!;
		expect(row).toMatchObject({ name: 'Swap network gateway', asset_class: 'ITEM', description: 'Uplink of the Nairobi swap network', x_owner_user_id: 6, x_asset_kind: 'network' });
		// The governance stamp is not the owner: it stays unset.
		expect(row.actor_id).toBeFalsy();
		const listed = await listAssets(odoo, home);
		expect(listed.find((asset) => asset.id === 1)).toMatchObject({ name: 'Nairobi Swap Network 1', purpose: 'A group of swap stations on the west side of Nairobi.', hostname: null, owner: null });
	});
});
