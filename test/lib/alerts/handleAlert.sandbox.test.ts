import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEDUPE_FIELD, ensureDedupeField, handleAlert, normaliseAlerts, OCCURRENCES_FIELD, type CanonicalAlert } from '../../../lib/alerts';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';

let sandbox: OdooSandbox;
let clock: Date;

function client(): OdooClient {
	return createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
}

function fixtureAlerts(name: string): CanonicalAlert[] {
	return normaliseAlerts(JSON.parse(readFileSync(join(__dirname, '../../fixtures/alerts', name), 'utf8'))).alerts;
}

/** A fresh key per test: tests share one sandbox and must not see each other's tickets. */
let serial = 0;
function withFreshKey(alert: CanonicalAlert): CanonicalAlert {
	serial++;
	return { ...alert, dedupeKey: `${alert.dedupeKey}-t${serial}` };
}

function setClock(date: Date) {
	clock = date;
	sandbox.setClock(date);
}
function advance(minutes: number) {
	setClock(new Date(clock.getTime() + minutes * 60_000));
}

function ticketsWithKey(key: string) {
	const stages = new Map(sandbox.records('helpdesk.ticket.stage').map((s) => [s.id, s]));
	return sandbox
		.records('helpdesk.ticket')
		.filter((t) => t[DEDUPE_FIELD] === key)
		.map((t) => ({ ...t, isClosed: Boolean(stages.get(t.stage_id as number)?.closed) }) as Record<string, unknown> & { id: number; isClosed: boolean });
}

beforeAll(async () => {
	sandbox = await startOdooSandbox();
	setClock(new Date('2026-11-28T21:00:00Z'));
});
afterAll(async () => {
	await sandbox.close();
});

describe('ensureDedupeField', () => {
	it('adds the manual fields once, even when asked concurrently', async () => {
		const before = await client().fieldsGet('project.task');
		expect(before[DEDUPE_FIELD]).toBeUndefined();
		await Promise.all(Array.from({ length: 5 }, () => ensureDedupeField(client(), 'project.task')));
		const fields = await ensureDedupeField(client(), 'project.task');
		expect(fields[DEDUPE_FIELD]).toMatchObject({ type: 'char' });
		expect(fields[OCCURRENCES_FIELD]).toMatchObject({ type: 'integer' });
		const rows = sandbox.records('ir.model.fields').filter((f) => f.model === 'project.task' && String(f.name).startsWith('x_alert_'));
		expect(rows.map((r) => r.name).sort()).toEqual(['x_alert_dedupe_key', 'x_alert_digest', 'x_alert_occurrences']);
		expect(rows.find((r) => r.name === DEDUPE_FIELD)).toMatchObject({ index: true, state: 'manual', ttype: 'char' });
	});
});

describe('handleAlert on OCA helpdesk.ticket', () => {
	it('creates, updates with a count, notes only changes, resolves, and links the asset', async () => {
		const alert = withFreshKey(fixtureAlerts('alertmanager-firing.json')[1]);
		const odoo = client();
		const options = { teamId: 2, tags: ['Monitoring', 'No Such Tag'], now: clock };
		const created = await handleAlert(odoo, alert, options);
		expect(created).toMatchObject({ action: 'create', flavour: 'helpdesk-oca', occurrences: 1, folded: [], asset: { model: 'ov.asset', id: 1, name: 'Nairobi Swap Network 1' } });
		expect(created.reference).toMatch(/^HT\d{5}$/);
		expect(created.warnings).toEqual(["Tag 'No Such Tag' does not exist in helpdesk.ticket.tag: not set"]);
		const [ticket] = ticketsWithKey(alert.dedupeKey);
		expect(ticket).toMatchObject({ name: 'Swap network gateway unreachable', priority: '1', team_id: 2, tag_ids: [4], x_alert_asset_id: 1, isClosed: false });
		expect(String(ticket.description)).toContain('Nairobi Swap Network 1 (ov.asset #1)');

		const messages = () => sandbox.records('mail.message').filter((m) => m.model === 'helpdesk.ticket' && m.res_id === ticket.id);
		const notesBefore = messages().length;
		const repeat = await handleAlert(odoo, alert, options);
		expect(repeat).toMatchObject({ action: 'update', reason: 'repeat', ticketId: ticket.id, occurrences: 2, noted: false });
		expect(messages()).toHaveLength(notesBefore);

		const changed = await handleAlert(odoo, { ...alert, severity: 'critical', summary: 'Gateway down for 10 min' }, options);
		expect(changed).toMatchObject({ action: 'update', reason: 'changed', occurrences: 3, noted: true });
		expect(ticketsWithKey(alert.dedupeKey)[0]).toMatchObject({ priority: '3', name: 'Gateway down for 10 min' });
		expect(messages()).toHaveLength(notesBefore + 1);

		const resolved = await handleAlert(odoo, { ...alert, status: 'resolved', endsAt: '2026-11-28T21:20:00.000Z' }, options);
		expect(resolved).toMatchObject({ action: 'resolve', ticketId: ticket.id, noted: true });
		expect(ticketsWithKey(alert.dedupeKey)).toEqual([expect.objectContaining({ id: ticket.id, isClosed: true, stage_id: 4 })]);

		const again = await handleAlert(odoo, { ...alert, status: 'resolved' }, options);
		expect(again).toMatchObject({ action: 'ignore', reason: 'already-resolved', ticketId: ticket.id });
	});

	it('never creates a ticket from a resolved alert', async () => {
		const alert = withFreshKey(fixtureAlerts('alertmanager-resolved.json')[0]);
		const result = await handleAlert(client(), alert, { now: clock });
		expect(result).toMatchObject({ action: 'ignore', reason: 'resolved-without-open-ticket', ticketId: null });
		expect(ticketsWithKey(alert.dedupeKey)).toEqual([]);
	});

	it('20 concurrent deliveries of the same alert leave exactly one open ticket', async () => {
		const alert = withFreshKey(fixtureAlerts('alertmanager-firing.json')[0]);
		const results = await Promise.all(Array.from({ length: 20 }, () => handleAlert(client(), alert, { now: clock, assetModels: false })));
		const open = ticketsWithKey(alert.dedupeKey).filter((t) => !t.isClosed);
		expect(open).toHaveLength(1);
		expect(new Set(results.map((r) => r.ticketId))).toEqual(new Set([open[0].id]));
		// The survivor is the oldest of whatever was created.
		const all = sandbox.records('helpdesk.ticket').filter((t) => String(t[DEDUPE_FIELD] ?? '').startsWith(alert.dedupeKey));
		expect(open[0].id).toBe(Math.min(...all.map((t) => t.id as number)));
		expect(results.filter((r) => r.action === 'create')).toHaveLength(1);
		// The burst really raced: more than one ticket was created and the extras were folded.
		const folded = all.filter((t) => t.id !== open[0].id);
		expect(folded.length).toBeGreaterThan(0);
		expect(folded.every((t) => t[DEDUPE_FIELD] === `${alert.dedupeKey}#dup-of-${open[0].id}`)).toBe(true);
		expect([...new Set(results.flatMap((r) => r.folded))].sort()).toEqual(folded.map((t) => t.id).sort());
		const dupNotes = sandbox.records('mail.message').filter((m) => m.model === 'helpdesk.ticket' && folded.some((t) => t.id === m.res_id) && String(m.body).includes('Duplicate of'));
		// Every folded ticket says where the incident went; a race may rarely post that note twice, never more.
		for (const t of folded) expect(dupNotes.filter((m) => m.res_id === t.id).length).toBeGreaterThanOrEqual(1);
		expect(dupNotes.length).toBeLessThanOrEqual(2 * folded.length);

		// And a further burst after that keeps it at one.
		await Promise.all(Array.from({ length: 20 }, () => handleAlert(client(), alert, { now: clock, assetModels: false })));
		expect(ticketsWithKey(alert.dedupeKey).filter((t) => !t.isClosed)).toHaveLength(1);
	});

	it('firing → resolved → firing within the window reopens the same ticket', async () => {
		const alert = withFreshKey(fixtureAlerts('uptime-kuma-down.json')[0]);
		const odoo = client();
		const first = await handleAlert(odoo, alert, { now: clock, reopenWindowMinutes: 30 });
		advance(5);
		await handleAlert(odoo, { ...alert, status: 'resolved' }, { now: clock, reopenWindowMinutes: 30 });
		advance(20);
		// A recurrence has a new start; the same start again is a late copy of the incident that ended.
		const stale = await handleAlert(odoo, alert, { now: clock, reopenWindowMinutes: 30 });
		expect(stale).toMatchObject({ action: 'ignore', reason: 'stale-firing', ticketId: first.ticketId });
		const back = await handleAlert(odoo, { ...alert, startsAt: clock.toISOString() }, { now: clock, reopenWindowMinutes: 30 });
		expect(back).toMatchObject({ action: 'reopen', ticketId: first.ticketId, occurrences: 2, noted: true });
		const tickets = ticketsWithKey(alert.dedupeKey);
		expect(tickets).toEqual([expect.objectContaining({ id: first.ticketId, isClosed: false, stage_id: 1 })]);
	});

	it('flapping outside the window opens a new ticket', async () => {
		const alert = withFreshKey(fixtureAlerts('grafana-firing.json')[0]);
		const odoo = client();
		const first = await handleAlert(odoo, alert, { now: clock, reopenWindowMinutes: 30 });
		await handleAlert(odoo, { ...alert, status: 'resolved' }, { now: clock, reopenWindowMinutes: 30 });
		advance(31);
		const second = await handleAlert(odoo, { ...alert, startsAt: clock.toISOString() }, { now: clock, reopenWindowMinutes: 30 });
		expect(second.action).toBe('create');
		expect(second.ticketId).not.toBe(first.ticketId);
		const tickets = ticketsWithKey(alert.dedupeKey);
		expect(tickets.map((t) => [t.id, t.isClosed])).toEqual([
			[first.ticketId, true],
			[second.ticketId, false],
		]);
	});

	it('a burst of concurrent firing deliveries after a close within the window reopens the one ticket', async () => {
		const alert = withFreshKey(fixtureAlerts('alertmanager-firing.json')[0]);
		const first = await handleAlert(client(), alert, { now: clock, assetModels: false });
		await handleAlert(client(), { ...alert, status: 'resolved' }, { now: clock });
		advance(2);
		const again = { ...alert, startsAt: clock.toISOString() };
		const results = await Promise.all(Array.from({ length: 20 }, () => handleAlert(client(), again, { now: clock, assetModels: false })));
		expect(new Set(results.map((r) => r.ticketId))).toEqual(new Set([first.ticketId]));
		expect(results.some((r) => r.action === 'reopen')).toBe(true);
		expect(results.every((r) => r.action === 'reopen' || r.action === 'update')).toBe(true);
		expect(ticketsWithKey(alert.dedupeKey)).toEqual([expect.objectContaining({ id: first.ticketId, isClosed: false })]);
	});

	it('10 keys x 5 repeats delivered 10 at a time: one open ticket per key, nothing dropped', async () => {
		const base = fixtureAlerts('alertmanager-firing.json')[0];
		const keys = Array.from({ length: 10 }, () => withFreshKey(base));
		const deliveries = keys.flatMap((alert) => Array.from({ length: 5 }, () => alert));
		for (let i = 0; i < deliveries.length; i += 10) {
			await Promise.all(deliveries.slice(i, i + 10).map((alert) => handleAlert(client(), alert, { now: clock, assetModels: false })));
		}
		for (const alert of keys) expect(ticketsWithKey(alert.dedupeKey).filter((t) => !t.isClosed)).toHaveLength(1);
	});

	it('works on project.task with the project and a clamped priority', async () => {
		const alert = withFreshKey(fixtureAlerts('alertmanager-firing.json')[0]);
		const odoo = client();
		const created = await handleAlert(odoo, alert, { target: 'project.task', projectId: 1, now: clock, assetModels: false });
		expect(created).toMatchObject({ action: 'create', flavour: 'project-task', reference: `#${created.ticketId}` });
		const task = sandbox.records('project.task').find((t) => t.id === created.ticketId)!;
		expect(task).toMatchObject({ project_id: 1, priority: '1', [DEDUPE_FIELD]: alert.dedupeKey });
		const resolved = await handleAlert(odoo, { ...alert, status: 'resolved' }, { target: 'project.task', now: clock });
		expect(resolved).toMatchObject({ action: 'resolve', ticketId: created.ticketId });
		expect(sandbox.records('project.task').find((t) => t.id === created.ticketId)).toMatchObject({ state: '1_done' });
	});
});
