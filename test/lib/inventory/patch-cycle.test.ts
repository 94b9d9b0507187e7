import fc from 'fast-check';

import {
	applyPatchDecision,
	assetsDue,
	changeWindowFor,
	cycleKey,
	cyclePeriod,
	ensurePatchCycle,
	summarizeCycle,
	validateChangeWindows,
	type ChangeWindows,
	type PatchCycleResult,
} from '../../../lib/inventory/patch-cycle';
import { decodeBase64, InventoryInputError } from '../../../lib/inventory/snapshot';
import { createOdooClient, OdooError } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import type { Asset } from '../../../lib/inventory/types';
import { asset } from './fixtures';


const HOMELAB: Asset[] = [
	asset(1, 'pfsense', { os: 'FreeBSD', osVersion: '14.1', patchGroup: 'network', kind: 'network', lastPatched: '2026-09-30' }),
	asset(2, 'odoo01', { lastPatched: '2026-10-01', purpose: 'ERP, "prod"' }),
	asset(3, 'mon01', { lastPatched: '2026-10-20' }),
	asset(4, 'dc01', { os: 'Windows Server', osVersion: '2022', patchGroup: 'windows', lastPatched: null, owner: null }),
	asset(5, 'nas01', { patchGroup: null, lastPatched: '2026-08-15', kind: 'compute' }),
];

const WINDOWS: ChangeWindows = {
	linux: { weekday: 'sat', start: '22:00', durationMinutes: 240, tz: 'UTC' },
	windows: { weekday: 'sun', start: '02:00', durationMinutes: 120, tz: '+01:00' },
	default: { weekday: 'wed', start: '20:00', durationMinutes: 60, tz: 'UTC' },
};

// ---------------------------------------------------------------------------------------------------------------------
// Pure decisions

describe('cycleKey', () => {
	it('names monthly cycles by UTC month and weekly ones by ISO week', () => {
		expect(cycleKey(new Date('2026-11-28T21:00:00Z'))).toBe('Patch 2026-11');
		expect(cycleKey(new Date('2026-11-28T21:00:00Z'), 'weekly')).toBe('Patch 2026-W48');
		expect(cycleKey('2026-11-30T23:59:59Z')).toBe('Patch 2026-11');
		expect(cycleKey('2026-12-01T00:00:00Z')).toBe('Patch 2026-12');
		// ISO weeks belong to the year of their Thursday.
		expect(cycleKey('2027-01-01T12:00:00Z', 'weekly')).toBe('Patch 2026-W53');
		expect(cycleKey('2024-12-30T12:00:00Z', 'weekly')).toBe('Patch 2025-W01');
		expect(cycleKey('2026-01-05T00:00:00Z', 'weekly')).toBe('Patch 2026-W02');
	});

	it('refuses a bad date or cadence, naming the field', () => {
		expect(() => cycleKey('not a date')).toThrow(/^asOf: expected a date/);
		expect(() => cycleKey(new Date(), 'daily' as never)).toThrow(/^cadence: expected 'monthly' or 'weekly'/);
	});

	it('gives one key to the seven days Monday to Sunday, and another to the next week', () => {
		const day = 86_400_000;
		fc.assert(
			fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
				const period = cyclePeriod(date, 'weekly');
				expect(period.start.getUTCDay()).toBe(1);
				expect(date.getTime()).toBeGreaterThanOrEqual(period.start.getTime());
				expect(date.getTime()).toBeLessThan(period.end.getTime());
				const thursday = new Date(period.start.getTime() + 3 * day);
				expect(period.key.startsWith(`Patch ${thursday.getUTCFullYear()}-W`)).toBe(true);
				for (let i = 0; i < 7; i++) expect(cycleKey(new Date(period.start.getTime() + i * day + 43_200_000), 'weekly')).toBe(period.key);
				expect(cycleKey(period.end, 'weekly')).not.toBe(period.key);
			}),
		);
	});
});

describe('assetsDue', () => {
	const asOf = new Date('2026-11-02T06:00:00Z');

	it('keeps the never patched and those patched 25 days ago or more, with the reason, by patch group then name', () => {
		const due = assetsDue(HOMELAB, { asOf });
		expect(due.map((d) => [d.asset.name, d.reason])).toEqual([
			['odoo01', 'last patched 32 days ago (2026-10-01)'],
			['pfsense', 'last patched 33 days ago (2026-09-30)'],
			['dc01', 'never patched'],
			['nas01', 'last patched 79 days ago (2026-08-15)'],
		]);
		expect(due.map((d) => d.ref)).toEqual(['maintenance.equipment,2', 'maintenance.equipment,1', 'maintenance.equipment,4', 'maintenance.equipment,5']);
		expect(due.find((d) => d.asset.name === 'dc01')!.daysSincePatch).toBeNull();
	});

	it('counts whole days: 25 days ago is due, 24 is not, a date in the future is not', () => {
		const names = (lastPatched: string) => assetsDue([asset(9, 'x', { lastPatched })], { asOf }).length;
		expect(names('2026-10-08')).toBe(1);
		expect(names('2026-10-09')).toBe(0);
		expect(names('2026-12-01')).toBe(0);
		expect(assetsDue([asset(9, 'x', { lastPatched: '2026-10-09' })], { asOf, minDaysSincePatch: 24 })).toHaveLength(1);
	});

	it('filters by patch group and OS (case-insensitive substring)', () => {
		expect(assetsDue(HOMELAB, { asOf, patchGroups: ['LINUX', 'network'] }).map((d) => d.asset.name)).toEqual(['odoo01', 'pfsense']);
		expect(assetsDue(HOMELAB, { asOf, osMatch: ['windows', 'bsd'] }).map((d) => d.asset.name)).toEqual(['pfsense', 'dc01']);
		expect(assetsDue(HOMELAB, { asOf, patchGroups: ['linux'], osMatch: ['bsd'] })).toEqual([]);
	});

	it('treats an unreadable patch date as due and refuses a bad policy', () => {
		expect(assetsDue([asset(9, 'x', { lastPatched: 'last tuesday' })], { asOf })[0].reason).toBe('last patched date unreadable ("last tuesday")');
		expect(() => assetsDue(HOMELAB, { asOf, minDaysSincePatch: -1 })).toThrow(/^minDaysSincePatch: expected a whole number/);
		expect(() => assetsDue(HOMELAB, { asOf, patchGroups: 'linux' as never })).toThrow(/^patchGroups: expected a list of texts/);
	});
});

describe('changeWindowFor', () => {
	const monday = { asOf: new Date('2026-11-02T06:00:00Z') };

	it('takes the first configured weekday on or after asOf, at the local time of its offset', () => {
		expect(changeWindowFor(asset(1, 'a'), monday, WINDOWS)).toEqual({ start: '2026-11-07T22:00:00Z', end: '2026-11-08T02:00:00Z', window: 'linux', weekday: 'sat', local: 'sat 22:00 UTC' });
		// 02:00 at +01:00 on Sunday is 01:00 UTC.
		expect(changeWindowFor(asset(4, 'dc01', { patchGroup: 'Windows' }), monday, WINDOWS)).toMatchObject({ start: '2026-11-08T01:00:00Z', end: '2026-11-08T03:00:00Z', window: 'windows' });
		// No group, or an unlisted one: the default window.
		expect(changeWindowFor(asset(5, 'nas01', { patchGroup: null }), monday, WINDOWS)).toMatchObject({ start: '2026-11-04T20:00:00Z', window: 'default' });
		expect(changeWindowFor(asset(5, 'nas01', { patchGroup: 'storage' }), monday, WINDOWS)).toMatchObject({ start: '2026-11-04T20:00:00Z', window: 'default' });
	});

	it('uses the day asOf is on when its window is still ahead, the next week when it has begun', () => {
		const mondayWindow: ChangeWindows = { default: { weekday: 'monday', start: '22:00', durationMinutes: 60 } };
		expect(changeWindowFor(asset(1, 'a'), monday, mondayWindow).start).toBe('2026-11-02T22:00:00Z');
		expect(changeWindowFor(asset(1, 'a'), { asOf: '2026-11-02T22:30:00Z' }, mondayWindow).start).toBe('2026-11-09T22:00:00Z');
	});

	it('reads the weekday in the window offset, not in UTC', () => {
		// 2026-11-02T03:00Z is Sunday 22:00 at -05:00, so the next Monday 01:00 local is a few hours later.
		const windows: ChangeWindows = { default: { weekday: 'mon', start: '01:00', durationMinutes: 30, tz: '-05:00' } };
		expect(changeWindowFor(asset(1, 'a'), { asOf: '2026-11-02T03:00:00Z' }, windows)).toMatchObject({ start: '2026-11-02T06:00:00Z', end: '2026-11-02T06:30:00Z', local: 'mon 01:00 -05:00' });
	});

	it('refuses a window that falls after the cycle, naming group and field', () => {
		expect(() => changeWindowFor(asset(1, 'a'), { asOf: '2026-11-29T06:00:00Z' }, WINDOWS)).toThrow(
			"windows.linux.weekday: no sat 22:00 UTC window is left in Patch 2026-11 after 2026-11-29T06:00:00Z (asset 'a'). Run the cycle earlier in the month",
		);
		expect(() => changeWindowFor(asset(1, 'a'), { asOf: '2026-11-28T23:00:00Z', cadence: 'weekly' }, WINDOWS)).toThrow(/left in Patch 2026-W48/);
	});

	it('reports every bad group and field of the windows table at once', () => {
		let error: InventoryInputError | undefined;
		try {
			validateChangeWindows({ linux: { weekday: 'funday', start: '25:00', durationMinutes: 0, tz: 'Europe/Paris' }, windows: 'sat' });
		} catch (e) {
			error = e as InventoryInputError;
		}
		expect(error).toBeInstanceOf(InventoryInputError);
		expect(error!.field).toBe('windows');
		expect(error!.message).toContain('windows.linux.weekday: expected one of mon, tue, wed, thu, fri, sat, sun, got "funday"');
		expect(error!.message).toContain("windows.linux.start: expected a 24-hour time 'HH:MM'");
		expect(error!.message).toContain('windows.linux.durationMinutes: expected whole minutes between 1 and 10080, got 0');
		expect(error!.message).toContain('windows.linux.tz: expected \'UTC\' or a fixed offset');
		expect(error!.message).toContain('windows.windows: expected {weekday, start, durationMinutes, tz}, got "sat"');
		expect(() => validateChangeWindows({ linux: { ...WINDOWS.linux, tz: '+3' } })).not.toThrow();
		expect(() => validateChangeWindows({ linux: WINDOWS.linux, LINUX: WINDOWS.linux })).toThrow("windows.LINUX: the patch group 'linux' is listed twice");
	});

	it('asks for a window when a group has none and there is no default', () => {
		expect(() => changeWindowFor(asset(1, 'db1', { patchGroup: 'db' }), monday, { linux: WINDOWS.linux })).toThrow(
			"windows.db: no change window for patch group 'db' (asset 'db1'). Add windows.db, or a 'default' window for every other group",
		);
	});
});

describe('summarizeCycle', () => {
	const result: Pick<PatchCycleResult, 'key' | 'tasks' | 'counts'> = {
		key: 'Patch 2026-11',
		counts: { due: 3, tasks: 3, created: 2, repaired: 1, unchanged: 0, kept: 0, awaitingDecision: 3 },
		tasks: [
			{ id: 1, assetRef: 'm,1', name: 'Patch a', asset: 'a', hostname: null, windowStart: '2026-11-07T22:00:00Z', windowEnd: '2026-11-08T02:00:00Z', action: 'created', awaitingDecision: true },
			{ id: 2, assetRef: 'm,2', name: 'Patch b', asset: 'b', hostname: null, windowStart: '2026-11-04T20:00:00Z', windowEnd: '2026-11-04T21:00:00Z', action: 'created', awaitingDecision: true },
			{ id: 3, assetRef: 'm,3', name: 'Patch c', asset: 'c', hostname: null, windowStart: '2026-11-07T22:00:00Z', windowEnd: '2026-11-08T02:00:00Z', action: 'repaired', awaitingDecision: true },
		],
	};

	it('says the key, how many assets, the windows in time order and what is awaited', () => {
		expect(summarizeCycle(result)).toBe(
			'Patch 2026-11: 3 assets (2 new, 1 repaired); windows wed 2026-11-04 20:00–21:00 UTC ×1, sat 2026-11-07 22:00–sun 2026-11-08 02:00 UTC ×2. Awaiting change approval.',
		);
	});

	it('ends with the decision once there is one', () => {
		const text = summarizeCycle(result, { summary: 'Patch 2026-11: change rejected by Bob; 3 tasks cancelled. Reason: freeze' });
		expect(text.endsWith('×2. Change rejected by Bob; 3 tasks cancelled. Reason: freeze')).toBe(true);
	});
});

// ---------------------------------------------------------------------------------------------------------------------
// Against the Odoo sandbox, with a fixed clock

describe('patch cycle in Odoo', () => {
	let sandbox: OdooSandbox;
	const clock = new Date('2026-11-02T06:00:00Z');

	function client(): OdooClient {
		return createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
	}

	/** A client whose project.task create number `failOn` meets an injected sandbox fault. */
	function failingOnTaskCreate(failOn: number, fault: Parameters<OdooSandbox['inject']>[0]): OdooClient {
		const inner = client();
		let calls = 0;
		return new Proxy(inner, {
			get(target, prop, receiver) {
				if (prop === 'create') {
					return async (model: string, rows: Array<Record<string, unknown>>, options?: { batchSize?: number }) => {
						if (model === 'project.task') {
							// client.create sends one request per batch; arm the fault right before the chosen batch.
							const batch = options?.batchSize ?? rows.length;
							const ids: number[] = [];
							for (let start = 0; start < rows.length; start += batch) {
								calls++;
								if (calls === failOn) sandbox.inject(fault);
								ids.push(...(await target.create(model, rows.slice(start, start + batch), options)));
							}
							return ids;
						}
						return target.create(model, rows, options);
					};
				}
				const value = Reflect.get(target, prop, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			},
		});
	}

	const tasksOf = (projectId: number) => sandbox.records('project.task').filter((t) => t.project_id === projectId);
	const tasksWithKey = (key: string) => sandbox.records('project.task').filter((t) => String(t.x_ops_key ?? '').startsWith(`patch:${key}:`));
	const stageName = (id: unknown) => sandbox.records('project.task.type').find((s) => s.id === id)?.name;
	const evidenceOf = (projectId: number, key: string) =>
		sandbox.records('ir.attachment').filter((a) => a.res_model === 'project.project' && a.res_id === projectId && a.name === `${key} tasks.csv`);
	const notesOn = (model: string, id: number) => sandbox.records('mail.message').filter((m) => m.model === model && m.res_id === id && m.message_type === 'comment');
	const csvLines = (datas: unknown) => decodeBase64(datas)!.split('\r\n').filter(Boolean);

	beforeAll(async () => {
		sandbox = await startOdooSandbox();
		sandbox.setClock(clock);
	});
	afterAll(async () => {
		await sandbox.close();
	});

	let first: PatchCycleResult;
	const due = () => assetsDue(HOMELAB, { asOf: clock });

	it('first cycle: one project, the stages, one task per due asset in its window, the task list as evidence', async () => {
		first = await ensurePatchCycle(client(), { asOf: clock, due: due(), windows: WINDOWS });
		expect(first.key).toBe('Patch 2026-11');
		expect(first.project).toMatchObject({ name: 'Patch 2026-11', created: true });
		expect(first.counts).toEqual({ due: 4, tasks: 4, created: 4, repaired: 0, unchanged: 0, kept: 0, awaitingDecision: 4 });
		expect(first.evidence).toEqual({ name: 'Patch 2026-11 tasks.csv', action: 'created' });
		expect(sandbox.records('project.project').filter((p) => p.name === 'Patch 2026-11')).toHaveLength(1);

		const tasks = tasksOf(first.project.id);
		expect(tasks).toHaveLength(4);
		const odoo01 = tasks.find((t) => t.x_asset_ref === 'maintenance.equipment,2')!;
		expect(odoo01).toMatchObject({
			name: 'Patch odoo01',
			x_ops_key: 'patch:Patch 2026-11:maintenance.equipment,2',
			date_deadline: '2026-11-08 02:00:00',
			state: '01_in_progress',
			user_ids: [2],
		});
		expect(stageName(odoo01.stage_id)).toBe('Planned');
		expect(String(odoo01.description)).toContain('Hostname: odoo01.lan');
		expect(String(odoo01.description)).toContain('IP: 10.0.10.2');
		expect(String(odoo01.description)).toContain('OS: Debian 12');
		expect(String(odoo01.description)).toContain('Due: last patched 32 days ago (2026-10-01)');
		expect(String(odoo01.description)).toContain('Change window: 2026-11-07 22:00 → 2026-11-08 02:00 UTC (linux: sat 22:00 UTC)');
		const dc01 = tasks.find((t) => t.x_asset_ref === 'maintenance.equipment,4')!;
		expect(dc01).toMatchObject({ date_deadline: '2026-11-08 03:00:00' });
		expect(dc01.user_ids ?? []).toEqual([]);

		const stages = sandbox.records('project.task.type').filter((s) => ['Planned', 'Scheduled', 'Cancelled'].includes(String(s.name)));
		expect(stages.map((s) => [s.name, s.fold, s.project_ids])).toEqual([
			['Planned', false, [first.project.id]],
			['Scheduled', false, [first.project.id]],
			['Cancelled', true, [first.project.id]],
		]);

		const [evidence] = evidenceOf(first.project.id, 'Patch 2026-11');
		expect(evidence.id).toBe(first.evidenceAttachmentId);
		expect(csvLines(evidence.datas)).toEqual([
			'task_id,asset_ref,asset,hostname,window_start,window_end',
			`${first.tasks[0].id},"maintenance.equipment,2",odoo01,odoo01.lan,2026-11-07T22:00:00Z,2026-11-08T02:00:00Z`,
			`${first.tasks[1].id},"maintenance.equipment,1",pfsense,pfsense.lan,2026-11-04T20:00:00Z,2026-11-04T21:00:00Z`,
			`${first.tasks[2].id},"maintenance.equipment,4",dc01,dc01.lan,2026-11-08T01:00:00Z,2026-11-08T03:00:00Z`,
			`${first.tasks[3].id},"maintenance.equipment,5",nas01,nas01.lan,2026-11-04T20:00:00Z,2026-11-04T21:00:00Z`,
		]);
		expect(summarizeCycle(first)).toMatch(/^Patch 2026-11: 4 assets \(4 new\); windows wed 2026-11-04 20:00–21:00 UTC ×2, sat 2026-11-07 22:00–sun 2026-11-08 02:00 UTC ×1, sun 2026-11-08 01:00–03:00 UTC ×1\. Awaiting change approval\.$/);
	});

	it('re-run with the same input: zero creates, zero writes, the same tasks and evidence', async () => {
		sandbox.resetStats();
		const again = await ensurePatchCycle(client(), { asOf: clock, due: due(), windows: WINDOWS });
		expect(sandbox.stats.byMethod.create ?? 0).toBe(0);
		expect(sandbox.stats.byMethod.write ?? 0).toBe(0);
		expect(sandbox.stats.byMethod.message_post ?? 0).toBe(0);
		expect(again.counts).toEqual({ due: 4, tasks: 4, created: 0, repaired: 0, unchanged: 4, kept: 0, awaitingDecision: 4 });
		expect(again.tasks.map((t) => [t.id, t.windowStart, t.windowEnd])).toEqual(first.tasks.map((t) => [t.id, t.windowStart, t.windowEnd]));
		expect(again.project).toEqual({ ...first.project, created: false });
		expect(again.evidence.action).toBe('unchanged');
		expect(tasksOf(first.project.id)).toHaveLength(4);
	});

	it('repairs what was lost, re-creates a deleted task, keeps a deadline a person moved, and updates the evidence', async () => {
		const odoo = client();
		const [odoo01, pfsense, dc01, nas01] = first.tasks;
		await odoo.write('project.task', [odoo01.id], { stage_id: false, date_deadline: false, description: '<p><br></p>' });
		await odoo.write('project.task', [pfsense.id], { x_asset_ref: false });
		await odoo.unlink('project.task', [dc01.id]);
		await odoo.write('project.task', [nas01.id], { date_deadline: '2026-11-05 21:00:00' });

		const repaired = await ensurePatchCycle(odoo, { asOf: clock, due: due(), windows: WINDOWS });
		expect(repaired.tasks.map((t) => [t.asset, t.action, t.repaired])).toEqual([
			['odoo01', 'repaired', ['stage_id', 'date_deadline', 'description']],
			['pfsense', 'repaired', ['x_asset_ref']],
			['dc01', 'created', undefined],
			['nas01', 'unchanged', undefined],
		]);
		const tasks = tasksOf(first.project.id);
		expect(tasks).toHaveLength(4);
		const after = (id: number) => tasks.find((t) => t.id === id)!;
		expect(stageName(after(odoo01.id).stage_id)).toBe('Planned');
		expect(after(odoo01.id).date_deadline).toBe('2026-11-08 02:00:00');
		expect(String(after(odoo01.id).description)).toContain('Hostname: odoo01.lan');
		expect(after(pfsense.id).x_asset_ref).toBe('maintenance.equipment,1');
		expect(after(nas01.id).date_deadline).toBe('2026-11-05 21:00:00');
		expect(repaired.tasks[3]).toMatchObject({ windowStart: '2026-11-05T20:00:00Z', windowEnd: '2026-11-05T21:00:00Z' });
		const newDc01 = repaired.tasks[2].id;
		expect(newDc01).not.toBe(dc01.id);

		// Replaced in place: the attachment id a Slack message may already link to stays valid.
		expect(repaired.evidence.action).toBe('replaced');
		expect(repaired.evidenceAttachmentId).toBe(first.evidenceAttachmentId);
		const [evidence] = evidenceOf(first.project.id, 'Patch 2026-11');
		expect(csvLines(evidence.datas)).toContain(`${newDc01},"maintenance.equipment,4",dc01,dc01.lan,2026-11-08T01:00:00Z,2026-11-08T03:00:00Z`);
		expect(csvLines(evidence.datas)).toContain(`${nas01.id},"maintenance.equipment,5",nas01,nas01.lan,2026-11-05T20:00:00Z,2026-11-05T21:00:00Z`);

		sandbox.resetStats();
		const settled = await ensurePatchCycle(odoo, { asOf: clock, due: due(), windows: WINDOWS });
		expect((sandbox.stats.byMethod.create ?? 0) + (sandbox.stats.byMethod.write ?? 0)).toBe(0);
		expect(settled.counts.unchanged).toBe(4);
		first = settled;
	});

	it('a task whose asset is no longer due stays in the cycle and in the evidence', async () => {
		const fewer = due().filter((d) => d.asset.name !== 'nas01');
		const result = await ensurePatchCycle(client(), { asOf: clock, due: fewer, windows: WINDOWS });
		expect(result.counts).toMatchObject({ due: 3, tasks: 4, unchanged: 3, kept: 1 });
		expect(result.tasks[3]).toMatchObject({ id: first.tasks[3].id, assetRef: 'maintenance.equipment,5', action: 'kept', windowEnd: '2026-11-05T21:00:00Z' });
		expect(result.evidence.action).toBe('replaced');
		expect(tasksOf(first.project.id)).toHaveLength(4);
	});

	describe('partial failure, then a re-run', () => {
		const december = new Date('2026-12-01T06:00:00Z');
		const decemberDue = () => assetsDue(HOMELAB, { asOf: december, patchGroups: ['linux', 'network', 'windows'] });

		it('a failed second batch leaves two tasks; the re-run makes the other two and the evidence, one task per asset', async () => {
			const failing = failingOnTaskCreate(2, { kind: 'http', status: 502, method: 'create', times: 1 });
			await expect(ensurePatchCycle(failing, { asOf: december, due: decemberDue(), windows: WINDOWS, batchSize: 2 })).rejects.toBeInstanceOf(OdooError);
			expect(tasksWithKey('Patch 2026-12')).toHaveLength(2);
			const project = sandbox.records('project.project').find((p) => p.name === 'Patch 2026-12')!;
			expect(evidenceOf(project.id as number, 'Patch 2026-12')).toHaveLength(0);

			const rerun = await ensurePatchCycle(client(), { asOf: december, due: decemberDue(), windows: WINDOWS, batchSize: 2 });
			expect(rerun.project).toMatchObject({ id: project.id, created: false });
			expect(rerun.counts).toMatchObject({ due: 4, created: 2, unchanged: 2, repaired: 0 });
			const keys = tasksWithKey('Patch 2026-12').map((t) => t.x_ops_key).sort();
			expect(keys).toEqual([1, 2, 3, 4].map((id) => `patch:Patch 2026-12:maintenance.equipment,${id}`));
			expect(evidenceOf(project.id as number, 'Patch 2026-12')).toHaveLength(1);
			expect(rerun.evidence.action).toBe('created');
		});

		it('an answer lost after the server created the tasks: the re-run finds them and creates none', async () => {
			const week = new Date('2026-11-02T06:00:00Z');
			const weeklyDue = () => assetsDue(HOMELAB, { asOf: week, patchGroups: ['linux'] });
			const failing = failingOnTaskCreate(1, { kind: 'http', status: 502, method: 'create', phase: 'after', times: 1 });
			await expect(ensurePatchCycle(failing, { asOf: week, cadence: 'weekly', due: weeklyDue(), windows: WINDOWS })).rejects.toBeInstanceOf(OdooError);
			expect(tasksWithKey('Patch 2026-W45')).toHaveLength(1);

			sandbox.resetStats();
			const rerun = await ensurePatchCycle(client(), { asOf: week, cadence: 'weekly', due: weeklyDue(), windows: WINDOWS });
			expect(rerun.counts).toMatchObject({ created: 0, unchanged: 1 });
			expect(sandbox.stats.byMethod.create).toBe(1); // the evidence attachment, nothing else
			expect(tasksWithKey('Patch 2026-W45')).toHaveLength(1);
		});
	});

	it('bad input writes nothing', async () => {
		sandbox.resetStats();
		await expect(ensurePatchCycle(client(), { asOf: clock, due: due(), windows: { linux: { weekday: 'sat', start: '22h', durationMinutes: 60 } } })).rejects.toThrow(
			/^windows\.linux\.start: expected a 24-hour time/,
		);
		await expect(ensurePatchCycle(client(), { asOf: clock, due: [{ name: 'x' } as never], windows: WINDOWS })).rejects.toThrow(/^due\[0\]: an asset needs model, a positive id and a name/);
		expect(sandbox.stats.requests).toBe(0);
	});

	describe('change decision', () => {
		it('approved: every open task to Scheduled and approved, a done task left alone, one note on the project', async () => {
			const odoo = client();
			const project = first.project.id;
			const doneTask = first.tasks[3].id;
			await odoo.write('project.task', [doneTask], { state: '1_done' });

			const result = await applyPatchDecision(odoo, { projectId: project, decision: 'approved', decidedBy: 'Alice Admin' });
			expect(result.counts).toEqual({ tasks: 4, changed: 3, unchanged: 0, closed: 1 });
			expect(result.notePosted).toBe(true);
			expect(result.summary).toBe('Patch 2026-11: change approved by Alice Admin; 3 tasks moved to Scheduled (1 already closed).');
			for (const task of tasksOf(project)) {
				if (task.id === doneTask) {
					expect([stageName(task.stage_id), task.state]).toEqual(['Planned', '1_done']);
				} else {
					expect([stageName(task.stage_id), task.state]).toEqual(['Scheduled', '03_approved']);
				}
			}
			const notes = notesOn('project.project', project);
			expect(notes).toHaveLength(1);
			expect(String(notes[0].body)).toContain('Change decision: approved by Alice Admin.');
			expect(notes[0].subtype_id).toBe(2);
			expect(summarizeCycle(first, result)).toMatch(/^Patch 2026-11: 4 assets; windows .*, and 1 more\. Change approved by Alice Admin; 3 tasks moved to Scheduled \(1 already closed\)\.$/);

			sandbox.resetStats();
			const again = await applyPatchDecision(odoo, { key: 'Patch 2026-11', decision: 'approved', decidedBy: 'Alice Admin' });
			expect(again.counts).toEqual({ tasks: 4, changed: 0, unchanged: 3, closed: 1 });
			expect(again.notePosted).toBe(false);
			expect(sandbox.stats.byMethod.write ?? 0).toBe(0);
			expect(sandbox.stats.byMethod.create ?? 0).toBe(0);
			expect(sandbox.stats.byMethod.message_post ?? 0).toBe(0);
			expect(notesOn('project.project', project)).toHaveLength(1);

			// Planning the same cycle again after the decision asks for no second approval.
			const replanned = await ensurePatchCycle(odoo, { asOf: clock, due: due(), windows: WINDOWS });
			expect(replanned.counts.awaitingDecision).toBe(0);
			expect(replanned.tasks.every((task) => !task.awaitingDecision)).toBe(true);
		});

		it('rejected: open tasks cancelled with the reason on each, once', async () => {
			const odoo = client();
			const result = await applyPatchDecision(odoo, { key: 'Patch 2026-12', decision: 'rejected', reason: 'Change freeze until the audit', decidedBy: 'Bob Board' });
			expect(result.counts).toEqual({ tasks: 4, changed: 4, unchanged: 0, closed: 0 });
			expect(result.summary).toBe('Patch 2026-12: change rejected by Bob Board; 4 tasks cancelled. Reason: Change freeze until the audit');
			const tasks = tasksWithKey('Patch 2026-12');
			for (const task of tasks) {
				expect([stageName(task.stage_id), task.state]).toEqual(['Cancelled', '1_canceled']);
				const notes = notesOn('project.task', task.id as number);
				expect(notes).toHaveLength(1);
				expect(String(notes[0].body)).toContain('Change decision: rejected by Bob Board. Reason: Change freeze until the audit');
			}
			const projectNotes = notesOn('project.project', result.projectId);
			expect(projectNotes).toHaveLength(1);
			expect(String(projectNotes[0].body)).toContain('Reason: Change freeze until the audit');

			sandbox.resetStats();
			const again = await applyPatchDecision(odoo, { key: 'Patch 2026-12', decision: 'rejected', reason: 'Change freeze until the audit', decidedBy: 'Bob Board' });
			expect(again).toMatchObject({ notePosted: false, counts: { changed: 0, unchanged: 4 } });
			expect((sandbox.stats.byMethod.write ?? 0) + (sandbox.stats.byMethod.message_post ?? 0)).toBe(0);
			for (const task of tasks) expect(notesOn('project.task', task.id as number)).toHaveLength(1);
		});

		it('a later different decision is recorded but does not reopen cancelled tasks', async () => {
			const odoo = client();
			const late = await applyPatchDecision(odoo, { key: 'Patch 2026-12', decision: 'approved', decidedBy: 'Alice Admin' });
			expect(late).toMatchObject({ notePosted: true, counts: { changed: 0, closed: 4 } });
			expect(tasksWithKey('Patch 2026-12').every((t) => t.state === '1_canceled')).toBe(true);
			expect(notesOn('project.project', late.projectId)).toHaveLength(2);
			const repeat = await applyPatchDecision(odoo, { key: 'Patch 2026-12', decision: 'approved', decidedBy: 'Alice Admin' });
			expect(repeat.notePosted).toBe(false);
		});

		it('timed out: cancelled, with no approver named', async () => {
			const result = await applyPatchDecision(client(), { key: 'Patch 2026-W45', decision: 'timedOut', decidedBy: 'nobody' });
			expect(result.summary).toBe('Patch 2026-W45: change timed out; 1 task cancelled.');
			const [task] = tasksWithKey('Patch 2026-W45');
			expect([stageName(task.stage_id), task.state]).toEqual(['Cancelled', '1_canceled']);
			expect(String(notesOn('project.task', task.id as number)[0].body)).toContain('Change decision: timed out. No reason given.');
		});

		it('names the field when the cycle cannot be found or the decision is unknown', async () => {
			await expect(applyPatchDecision(client(), { key: 'Patch 1999-01', decision: 'approved' })).rejects.toThrow("key: no project named 'Patch 1999-01'. Run the patch cycle for this key first");
			await expect(applyPatchDecision(client(), { projectId: 99999, decision: 'approved' })).rejects.toThrow('projectId: project.project #99999 does not exist. Pass the project id ensurePatchCycle returned');
			await expect(applyPatchDecision(client(), { projectId: 1, decision: 'approved' })).rejects.toThrow("projectId: project 'Internal' has no patch cycle tasks");
			await expect(applyPatchDecision(client(), { key: 'Patch 2026-11', decision: 'maybe' as never })).rejects.toThrow(/^decision: expected 'approved', 'rejected' or 'timedOut'/);
		});
	});
});
