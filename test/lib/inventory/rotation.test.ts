import { upsertCredentialReferences } from '../../../lib/inventory/credentials';
import { addPeriod, ensureRotationTasks, nextRotationDue, OPS_KEY_FIELD, planRotations, referencesDue, rotationKey, type RotationCandidate } from '../../../lib/inventory/rotation';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';

describe('addPeriod', () => {
	it.each([
		['2026-01-15', { unit: 'month', count: 3, policy: 'quarterly' }, '2026-04-15'],
		['2026-01-31', { unit: 'month', count: 1, policy: 'monthly' }, '2026-02-28'],
		['2024-01-31', { unit: 'month', count: 1, policy: 'monthly' }, '2024-02-29'],
		['2026-11-30', { unit: 'month', count: 3, policy: 'quarterly' }, '2027-02-28'],
		['2026-08-31', { unit: 'month', count: 6, policy: 'semiannual' }, '2027-02-28'],
		['2026-02-28', { unit: 'month', count: 12, policy: 'yearly' }, '2027-02-28'],
		['2026-12-15', { unit: 'day', count: 90, policy: '90d' }, '2027-03-15'],
		['2024-02-28', { unit: 'day', count: 1, policy: '1d' }, '2024-02-29'],
	] as const)('%s + %j = %s', (date, period, expected) => expect(addPeriod(date, period)).toBe(expected));
});

describe('nextRotationDue', () => {
	it('is the last rotation plus the period, or null (due now) when never rotated', () => {
		expect(nextRotationDue({ lastRotation: '2026-01-15' }, 'quarterly')).toBe('2026-04-15');
		expect(nextRotationDue({ lastRotation: '2026-01-15' }, '30d')).toBe('2026-02-14');
		expect(nextRotationDue({ lastRotation: null }, 'yearly')).toBeNull();
	});
	it('refuses a policy it cannot read', () => {
		expect(() => nextRotationDue({ lastRotation: '2026-01-15' }, 'often')).toThrow(/Rotation policy "often" is not understood: Use monthly/);
	});
});

describe('referencesDue', () => {
	const refs: RotationCandidate[] = [
		{ id: 1, name: 'due today', lastRotation: '2026-03-01', rotationPolicy: 'quarterly' },
		{ id: 2, name: 'overdue', lastRotation: '2025-01-01', rotationPolicy: 'yearly' },
		{ id: 3, name: 'not yet', lastRotation: '2026-05-15', rotationPolicy: 'monthly' },
		{ id: 4, name: 'never rotated', lastRotation: null, rotationPolicy: '90d', recordedOn: '2026-04-20' },
		{ id: 5, name: 'bad policy', lastRotation: '2026-01-01', rotationPolicy: 'whenever' },
	];

	it('lists the references due on the day, each keyed by its due date', () => {
		expect(referencesDue(refs, '2026-06-01').map((due) => [due.reference.name, due.dueOn, due.key, due.neverRotated])).toEqual([
			['due today', '2026-06-01', 'rotation:1:2026-06-01', false],
			['overdue', '2026-01-01', 'rotation:2:2026-01-01', false],
			// Due since it was recorded: the same key on every later day.
			['never rotated', '2026-04-20', 'rotation:4:2026-04-20', true],
		]);
		expect(referencesDue(refs, '2026-05-31').map((due) => due.reference.id)).toEqual([2, 4]);
		// Later days keep the same keys, and add what fell due meanwhile.
		expect(referencesDue(refs, '2026-07-15').map((due) => due.key)).toEqual(['rotation:1:2026-06-01', 'rotation:2:2026-01-01', 'rotation:3:2026-06-15', 'rotation:4:2026-04-20']);
	});

	it('reports a reference it cannot judge instead of failing the others', () => {
		expect(planRotations(refs, '2026-06-01').skipped).toEqual([{ id: 5, name: 'bad policy', reason: expect.stringContaining('Rotation policy "whenever" is not understood') }]);
	});

	it('refuses a day that is not YYYY-MM-DD', () => {
		expect(() => referencesDue(refs, '01/06/2026')).toThrow(/'asOf' "01\/06\/2026" is not a date: Give the day to check as YYYY-MM-DD/);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Against the Odoo sandbox

describe('ensureRotationTasks', () => {
	let sandbox: OdooSandbox;
	let odoo: OdooClient;
	const tasks = () => sandbox.records('project.task').filter((task) => String(task[OPS_KEY_FIELD] ?? '').startsWith('rotation:'));
	const ids: Record<string, number> = {};

	beforeAll(async () => {
		sandbox = await startOdooSandbox({ governance: false });
		sandbox.setClock(new Date('2026-04-20T08:00:00Z'));
		odoo = createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
		const results = await upsertCredentialReferences(odoo, [
			{ name: 'pfSense admin', vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-01-15', owner: 'demo' },
			{ name: 'Proxmox root', vaultPath: 'vaultwarden://Collections/Homelab/pve_root', rotationPolicy: '90d' },
			{ name: 'UniFi controller', vaultPath: 'op://Homelab/unifi/password', rotationPolicy: 'yearly', lastRotation: '2026-03-01', owner: 'admin' },
		]);
		for (const result of results) ids[result.name] = result.id;
		sandbox.setClock(new Date('2026-06-01T08:00:00Z'));
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('makes one task per due reference, for its owner, in the project', async () => {
		const result = await ensureRotationTasks(odoo, { asOf: '2026-06-01' });
		expect(result).toMatchObject({ asOf: '2026-06-01', created: 2, existing: 0, skipped: [] });
		expect(result.tasks.map((task) => [task.name, task.dueOn, task.key, task.ownerId, task.action])).toEqual([
			['pfSense admin', '2026-04-15', rotationKey(ids['pfSense admin'], '2026-04-15'), 6, 'created'],
			['Proxmox root', '2026-04-20', rotationKey(ids['Proxmox root'], '2026-04-20'), null, 'created'],
		]);
		const project = sandbox.records('project.project').find((row) => row.id === result.projectId)!;
		expect(project.name).toBe('Credential rotation');

		const pfsense = tasks().find((task) => task.id === result.tasks[0].taskId)!;
		expect(pfsense).toMatchObject({ name: 'Rotate pfSense admin', project_id: result.projectId, user_ids: [6], date_deadline: '2026-04-15 12:00:00' });
		expect(String(pfsense.description)).toContain('Vault path: vaultwarden://Collections/Homelab/pfsense_admin');
		expect(String(pfsense.description)).toContain('Rotation policy: quarterly');
		expect(String(pfsense.description)).toContain('MFA required: yes');

		const proxmox = tasks().find((task) => task.id === result.tasks[1].taskId)!;
		expect(proxmox).toMatchObject({ name: 'Rotate Proxmox root', user_ids: [] });
		const notes = sandbox.records('mail.message').filter((m) => m.model === 'project.task' && m.res_id === proxmox.id && String(m.body).includes('has no owner'));
		expect(notes).toHaveLength(1);
	});

	it('creates nothing new on a re-run the same day or later, before the rotation is recorded', async () => {
		const before = tasks().length;
		const messages = sandbox.records('mail.message').length;
		for (const asOf of ['2026-06-01', '2026-06-02', '2026-07-10']) {
			const result = await ensureRotationTasks(odoo, { asOf });
			expect(result.created).toBe(0);
			expect(result.existing).toBe(2);
		}
		expect(tasks()).toHaveLength(before);
		expect(sandbox.records('mail.message')).toHaveLength(messages);
	});

	it('gives the next due date its own task once the rotation is recorded and that date comes', async () => {
		await upsertCredentialReferences(odoo, [{ name: 'pfSense admin', vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-06-03', owner: 'demo' }]);
		const notYet = await ensureRotationTasks(odoo, { asOf: '2026-06-03' });
		expect(notYet.tasks.map((task) => task.name)).toEqual(['Proxmox root']);
		expect(notYet.created).toBe(0);

		const due = await ensureRotationTasks(odoo, { asOf: '2026-09-03' });
		expect(due.tasks.find((task) => task.name === 'pfSense admin')).toMatchObject({ dueOn: '2026-09-03', key: rotationKey(ids['pfSense admin'], '2026-09-03'), action: 'created' });
		expect(due.created).toBe(1);
		expect(tasks().filter((task) => task.name === 'Rotate pfSense admin').map((task) => task.date_deadline)).toEqual(['2026-04-15 12:00:00', '2026-09-03 12:00:00']);
	});

	it('leaves one task per key when runs race', async () => {
		await upsertCredentialReferences(odoo, [{ name: 'Switch enable', vaultPath: 'vaultwarden://Collections/Homelab/switch_enable', rotationPolicy: 'monthly', lastRotation: '2026-08-01', owner: 2 }]);
		const runs = await Promise.all(Array.from({ length: 4 }, () => ensureRotationTasks(odoo, { asOf: '2026-09-05' })));
		const switchTasks = tasks().filter((task) => task.name === 'Rotate Switch enable');
		expect(switchTasks).toHaveLength(1);
		for (const run of runs) expect(run.tasks.find((task) => task.name === 'Switch enable')!.taskId).toBe(switchTasks[0].id);
	});

	it('uses the project name it is given', async () => {
		const result = await ensureRotationTasks(odoo, { asOf: '2026-09-05', projectName: 'Homelab secrets' });
		expect(sandbox.records('project.project').find((row) => row.id === result.projectId)!.name).toBe('Homelab secrets');
		// The tasks exist already (keyed by reference and due date, wherever they are): none is made twice.
		expect(result.created).toBe(0);
	});
});
