import {
	checkCredentialReferenceInput,
	checkVaultPath,
	CREDENTIAL_REF_MODEL,
	listCredentialReferences,
	parseRotationPolicy,
	upsertCredentialReferences,
	type CredentialReferenceInput,
} from '../../../lib/inventory/credentials';
import { SecretValueError } from '../../../lib/inventory/secrets';
import { InventoryInputError } from '../../../lib/inventory/types';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import { errorOf } from '../../helpers/failures';

const PFSENSE = 'vaultwarden://Collections/Homelab/pfsense_admin';


describe('parseRotationPolicy', () => {
	it.each([
		['monthly', { unit: 'month', count: 1, policy: 'monthly' }],
		['Quarterly', { unit: 'month', count: 3, policy: 'quarterly' }],
		['semiannual', { unit: 'month', count: 6, policy: 'semiannual' }],
		['semi-annual', { unit: 'month', count: 6, policy: 'semiannual' }],
		['yearly', { unit: 'month', count: 12, policy: 'yearly' }],
		['annual', { unit: 'month', count: 12, policy: 'yearly' }],
		['90d', { unit: 'day', count: 90, policy: '90d' }],
		[' 30 days ', { unit: 'day', count: 30, policy: '30d' }],
	])('%s', (text, expected) => expect(parseRotationPolicy(text)).toEqual(expected));

	it.each(['', 'weekly-ish', '0d', '4000d', 'every 90 days', '-5d'])('refuses %j with the accepted forms', (text) => {
		const error = errorOf<InventoryInputError>(() => parseRotationPolicy(text));
		expect(error).toBeInstanceOf(InventoryInputError);
		expect(error.field).toBe('rotationPolicy');
		expect(error.message).toBe(`Rotation policy ${JSON.stringify(text)} is not understood: Use monthly, quarterly, semiannual, yearly, or a number of days like 90d (1d to 3650d)`);
	});
});

describe('checkVaultPath', () => {
	it.each([
		[PFSENSE, 'vaultwarden', true],
		['op://Homelab/pfsense/password', 'op', true],
		['vault://secret/data/pve/root', 'vault', true],
		['aws-sm://eu-west-1/prod/db', 'aws-sm', true],
		['keepass://Homelab.kdbx/Network/pfSense', 'keepass', true],
		['pass://infra/pfsense', 'pass', false],
	])('accepts %s', (path, scheme, known) => expect(checkVaultPath(path)).toMatchObject({ scheme, known }));

	it.each([
		['Collections/Homelab/pfsense_admin', /is not a vault path \(scheme:\/\/path\): Write where the secret lives as scheme:\/\/path, e\.g\. vaultwarden:/],
		['vaultwarden://', /is not a vault path/],
		['', /'vaultPath' is missing/],
		['vault://admin:hunter2@vault.lab:8200/secret/pve', /carries a password \(user:password@\): Drop the user:password@ part/],
		['vault://vault.lab/secret/pve?token=hvs_abcdef123', /carries a credential in its query: Drop the query/],
	])('refuses %j', (path, message) => {
		expect(errorOf<InventoryInputError>(() => checkVaultPath(path)).message).toMatch(message);
	});
});

describe('checkCredentialReferenceInput', () => {
	const good: CredentialReferenceInput = { name: 'pfSense admin', vaultPath: PFSENSE, rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-01-15', owner: 'admin', assetRef: 'maintenance.equipment,3', notes: 'Break-glass account' };

	it('maps a good input onto the x_ fields', () => {
		expect(checkCredentialReferenceInput(good, 0)).toEqual({
			index: 0,
			label: "Credential reference 1 ('pfSense admin')",
			name: 'pfSense admin',
			owner: 'admin',
			values: { x_name: 'pfSense admin', x_vault_path: PFSENSE, x_rotation_policy: 'quarterly', x_mfa_required: true, x_last_rotation: '2026-01-15', x_asset_ref: 'maintenance.equipment,3', x_notes: 'Break-glass account' },
		});
		expect(checkCredentialReferenceInput({ name: 'x', vault_path: PFSENSE, rotation_policy: '90d', mfa_required: 'false' } as never, 0).values).toEqual({ x_name: 'x', x_vault_path: PFSENSE, x_rotation_policy: '90d', x_mfa_required: false });
	});

	it.each<[Partial<CredentialReferenceInput> & Record<string, unknown>, string, RegExp]>([
		[{ password: 'Tr0ub4dor&3' }, 'password', /'password' looks like a secret/],
		[{ notes: 'current one: ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' }, 'notes', /'notes' looks like a secret \(a GitHub token\)/],
		[{ vaultPath: 'https://admin:hunter2@vault.lab/ui' }, 'vaultPath', /looks like a secret \(a URL carrying a password/],
		[{ name: ' ' }, 'name', /'name' is missing: Name the credential/],
		[{ rotationPolicy: 'sometimes' }, 'rotationPolicy', /rotation policy "sometimes" is not understood: Use monthly/],
		[{ rotationPolicy: undefined }, 'rotationPolicy', /'rotationPolicy' is missing/],
		[{ mfaRequired: 'maybe' as never }, 'mfaRequired', /'mfaRequired' must be true or false/],
		[{ lastRotation: 'January' }, 'lastRotation', /'lastRotation' "January" is not a date: Write the day the secret was last changed as YYYY-MM-DD/],
		[{ assetRef: 'pve01' }, 'assetRef', /'assetRef' is not an asset reference: Write it as model,id/],
	])('refuses %j naming %s', (change, field, message) => {
		const error = errorOf<InventoryInputError>(() => checkCredentialReferenceInput({ ...good, ...change } as CredentialReferenceInput, 1));
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		expect(error.message).not.toMatch(/Tr0ub4dor|hunter2|ghp_/);
	});

	it('refuses secrets with the vault fix', () => {
		const error = errorOf<InventoryInputError>(() => checkCredentialReferenceInput({ ...good, api_key: 'abc' }, 0));
		expect(error).toBeInstanceOf(SecretValueError);
		expect(error.message).toContain('keep the secret in your vault and store its path, e.g. vaultwarden://Collections/Homelab/pfsense_admin');
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Against the Odoo sandbox

describe('credential references in Odoo', () => {
	let sandbox: OdooSandbox;
	let odoo: OdooClient;
	const stored = () => sandbox.records(CREDENTIAL_REF_MODEL);
	const calls = (method: string) => sandbox.stats.byMethod[method] ?? 0;
	const references: CredentialReferenceInput[] = [
		{ name: 'pfSense admin', vaultPath: PFSENSE, rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-01-15', owner: 'admin' },
		{ name: 'Proxmox root', vaultPath: 'vaultwarden://Collections/Homelab/pve_root', rotationPolicy: '90d', owner: 'Marc Demo', assetRef: 'maintenance.equipment,1' },
		{ name: 'UniFi controller', vaultPath: 'op://Homelab/unifi/password', rotationPolicy: 'yearly', owner: 6 },
	];

	beforeAll(async () => {
		sandbox = await startOdooSandbox({ governance: false });
		sandbox.setClock(new Date('2026-06-01T09:00:00Z'));
		odoo = createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('lists nothing before the first reference', async () => {
		await expect(listCredentialReferences(odoo)).resolves.toEqual([]);
	});

	it('writes nothing, not even the model, when one input is refused', async () => {
		sandbox.resetStats();
		await expect(upsertCredentialReferences(odoo, [references[0], { ...references[1], notes: 'root pw: Summer2024!' }])).rejects.toThrow(/Credential reference 2 \('Proxmox root'\): 'notes' looks like a secret/);
		await expect(upsertCredentialReferences(odoo, [references[0], { ...references[1], owner: 'ghost' }])).rejects.toThrow(/Credential reference 2 \('Proxmox root'\): owner 'ghost' is not an Odoo user/);
		await expect(upsertCredentialReferences(odoo, [references[0], references[0]])).rejects.toThrow(/repeats the name of reference 1/);
		expect(calls('create') + calls('write')).toBe(0);
		expect(sandbox.records('ir.model').some((row) => row.model === CREDENTIAL_REF_MODEL)).toBe(false);
	});

	it('creates the model with its access rules and the references, then a re-run changes nothing', async () => {
		const first = await upsertCredentialReferences(odoo, references);
		expect(first.map((r) => [r.name, r.action])).toEqual([
			['pfSense admin', 'created'],
			['Proxmox root', 'created'],
			['UniFi controller', 'created'],
		]);
		const model = sandbox.records('ir.model').find((row) => row.model === CREDENTIAL_REF_MODEL)!;
		expect(model).toMatchObject({ state: 'manual' });
		expect(sandbox.records('ir.model.access').filter((row) => row.model_id === model.id)).toHaveLength(2);
		expect(stored().find((row) => row.x_name === 'pfSense admin')).toMatchObject({ x_vault_path: PFSENSE, x_rotation_policy: 'quarterly', x_mfa_required: true, x_last_rotation: '2026-01-15', x_owner_id: 2 });
		expect(stored().find((row) => row.x_name === 'Proxmox root')).toMatchObject({ x_owner_id: 6, x_asset_ref: 'maintenance.equipment,1', x_rotation_policy: '90d' });

		sandbox.resetStats();
		const again = await upsertCredentialReferences(odoo, references);
		expect(again).toEqual(first.map((r) => ({ ...r, action: 'unchanged' })));
		expect(calls('create') + calls('write')).toBe(0);
		expect(stored()).toHaveLength(3);
	});

	it('updates only what changed, by name', async () => {
		sandbox.resetStats();
		const [result] = await upsertCredentialReferences(odoo, [{ ...references[0], lastRotation: '2026-05-30' }]);
		expect(result).toMatchObject({ name: 'pfSense admin', action: 'updated', changed: ['x_last_rotation'] });
		expect(calls('write')).toBe(1);
		expect(stored().find((row) => row.x_name === 'pfSense admin')).toMatchObject({ x_last_rotation: '2026-05-30' });
	});

	it('lists the references as the shared shape, with the day each was recorded', async () => {
		const listed = await listCredentialReferences(odoo);
		expect(listed.map((ref) => ref.name)).toEqual(['pfSense admin', 'Proxmox root', 'UniFi controller']);
		expect(listed[0]).toEqual({
			id: listed[0].id,
			name: 'pfSense admin',
			vaultPath: PFSENSE,
			rotationPolicy: 'quarterly',
			mfaRequired: true,
			lastRotation: '2026-05-30',
			owner: { id: 2, name: 'Mitchell Admin' },
			assetRef: null,
			notes: null,
			recordedOn: '2026-06-01',
		});
	});
});
