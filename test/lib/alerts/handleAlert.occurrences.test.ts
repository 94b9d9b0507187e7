/**
 * The occurrence count under concurrency, against the Odoo sandbox over HTTP. Every delivery uses its own client, as
 * separate n8n executions (possibly separate processes) would: nothing is shared between them but Odoo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEDUPE_FIELD, ensureDedupeField, handleAlert, normaliseAlerts, OCCURRENCE_LOG_MODEL, OCCURRENCES_FIELD, recordUnparsedAlert, type CanonicalAlert, type HandleAlertResult } from '../../../lib/alerts';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';

const TICKET = 'helpdesk.ticket';
const LINK = 'x_helpdesk_ticket_id';
/** Each concurrency test runs this many times over, on fresh keys, so a lucky interleaving cannot make it pass. */
const RUNS = [1, 2, 3, 4, 5];

let sandbox: OdooSandbox;
const clock = new Date('2026-11-28T21:00:00Z');

function client(login = 'admin'): OdooClient {
	return createOdooClient({ url: sandbox.url, db: sandbox.db, login, secret: login, protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
}

const firing: CanonicalAlert = normaliseAlerts(JSON.parse(readFileSync(join(__dirname, '../../fixtures/alerts/alertmanager-firing.json'), 'utf8'))).alerts[0];
let serial = 0;
function freshAlert(): CanonicalAlert {
	serial++;
	return { ...firing, dedupeKey: `${firing.dedupeKey}-occ${serial}` };
}

const options = { now: clock, assetModels: false as const, reopenWindowMinutes: 30 };

function ticketsWithKey(key: string) {
	const closed = new Set(sandbox.records('helpdesk.ticket.stage').filter((s) => s.closed).map((s) => s.id));
	return sandbox
		.records(TICKET)
		.filter((t) => t[DEDUPE_FIELD] === key)
		.map((t) => ({ ...t, isClosed: closed.has(t.stage_id as number) }) as Record<string, unknown> & { id: number; isClosed: boolean });
}

function openTicket(key: string) {
	const open = ticketsWithKey(key).filter((t) => !t.isClosed);
	expect(open).toHaveLength(1);
	return open[0];
}

function logRows(key: string) {
	return sandbox.records(OCCURRENCE_LOG_MODEL).filter((row) => row.x_dedupe_key === key);
}

function burst(alert: CanonicalAlert, size: number): Promise<HandleAlertResult[]> {
	return Promise.all(Array.from({ length: size }, () => handleAlert(client(), alert, options)));
}

/**
 * A client that stands for one delivery on a real database, where transactions interleave: `hidden` tickets are not
 * seen by its searches and reads (created, not yet committed), and `before` can hold a call back.
 */
function instrumented(inner: OdooClient, hooks: { hidden?: Set<number>; before?: (method: string, model: string) => Promise<void> | void; afterCreate?: (model: string, ids: number[]) => Promise<void> }): OdooClient {
	const visible = (id: unknown) => !hooks.hidden?.has(id as number);
	return new Proxy(inner, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (typeof value !== 'function' || typeof prop !== 'string') return value;
			return async (...args: unknown[]) => {
				const model = String(args[0]);
				await hooks.before?.(prop, model);
				const answer = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
				if (prop === 'create') await hooks.afterCreate?.(model, answer as number[]);
				if (model !== TICKET) return answer;
				if (prop === 'searchRead' || prop === 'read') return (answer as Array<{ id: number }>).filter((r) => visible(r.id));
				if (prop === 'search') return (answer as number[]).filter(visible);
				return answer;
			};
		},
	});
}

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

beforeAll(async () => {
	sandbox = await startOdooSandbox();
	sandbox.setClock(clock);
});
afterAll(async () => {
	await sandbox.close();
});

describe('occurrence count under concurrency', () => {
	it.each(RUNS)('20 concurrent deliveries of one firing alert count 20 on the one open ticket (run %i)', async () => {
		const alert = freshAlert();
		const results = await burst(alert, 20);
		const ticket = openTicket(alert.dedupeKey);
		expect(ticket[OCCURRENCES_FIELD]).toBe(20);
		expect(results.filter((r) => r.action === 'create')).toHaveLength(1);
		// Whichever delivery settled last reports the final count.
		expect(Math.max(...results.map((r) => r.occurrences ?? 0))).toBe(20);
		// One log row per delivery, all on the survivor (rows of folded duplicates were moved there).
		expect(logRows(alert.dedupeKey).map((row) => row[LINK])).toEqual(Array(20).fill(ticket.id));
		expect(results.flatMap((r) => r.warnings)).toEqual([]);
	});

	it.each(RUNS)('three waves of 10 concurrent deliveries count 30 (run %i)', async () => {
		const alert = freshAlert();
		for (let wave = 1; wave <= 3; wave++) {
			await burst(alert, 10);
			expect(openTicket(alert.dedupeKey)[OCCURRENCES_FIELD]).toBe(10 * wave);
		}
		expect(logRows(alert.dedupeKey)).toHaveLength(30);
	});

	it.each(RUNS)('concurrent deliveries across a fold keep the total (run %i)', async () => {
		const alert = freshAlert();
		// A creates T1 but its transaction "commits late": nobody else sees T1 until A is released.
		const hidden = new Set<number>();
		const aCreated = deferred();
		const aReleased = deferred();
		let t1 = 0;
		const a = handleAlert(
			instrumented(client(), {
				afterCreate: async (model, ids) => {
					if (model !== TICKET) return;
					t1 = ids[0];
					hidden.add(t1);
					aCreated.resolve();
					await aReleased.promise;
					hidden.delete(t1);
				},
			}),
			alert,
			options,
		);
		await aCreated.promise;
		const lagging = () => instrumented(client(), { hidden });

		// B does not see T1, creates T2 and keeps it: two tickets created concurrently.
		const b = await handleAlert(lagging(), alert, options);
		expect(b).toMatchObject({ action: 'create', occurrences: 1 });
		const t2 = b.ticketId!;
		expect(t2).toBeGreaterThan(t1);

		// A straggler finds T2 open but appends its row only after A has folded T2 into T1 and moved T2's rows.
		const stragglerFoundT2 = deferred();
		const straggler = handleAlert(
			instrumented(client(), {
				hidden,
				before: async (method, model) => {
					if (method !== 'create' || model !== OCCURRENCE_LOG_MODEL) return;
					stragglerFoundT2.resolve();
					await a;
				},
			}),
			alert,
			options,
		);
		// Seven more count on T2 while A is let go in their midst; eight more come after the fold.
		const during = Array.from({ length: 7 }, () => handleAlert(lagging(), alert, options));
		await stragglerFoundT2.promise;
		aReleased.resolve();
		const after = Array.from({ length: 8 }, () => handleAlert(lagging(), alert, options));
		const results = await Promise.all([a, straggler, ...during, ...after]);

		expect((await a).folded).toEqual([t2]);
		const open = openTicket(alert.dedupeKey);
		expect(open.id).toBe(t1);
		// A, B, the straggler, 7 during and 8 after the fold.
		expect(open[OCCURRENCES_FIELD]).toBe(18);
		expect(logRows(alert.dedupeKey).map((row) => row[LINK])).toEqual(Array(18).fill(t1));
		// The straggler's ticket was folded under it: it followed the fold and counted on the survivor.
		expect(await straggler).toMatchObject({ action: 'update', ticketId: t1 });
		const folded = sandbox.records(TICKET).find((t) => t.id === t2)!;
		expect(folded[DEDUPE_FIELD]).toBe(`${alert.dedupeKey}#dup-of-${t1}`);
		expect(results.flatMap((r) => r.warnings)).toEqual([]);
	});

	it('a concurrent burst that reopens a ticket goes on counting from where it was', async () => {
		const alert = freshAlert();
		const first = await handleAlert(client(), alert, options);
		await handleAlert(client(), alert, options);
		await handleAlert(client(), { ...alert, status: 'resolved' }, options);
		const again = { ...alert, startsAt: '2026-11-28T21:10:00.000Z' };
		const results = await burst(again, 20);
		expect(new Set(results.map((r) => r.ticketId))).toEqual(new Set([first.ticketId]));
		expect(openTicket(alert.dedupeKey)).toMatchObject({ id: first.ticketId, [OCCURRENCES_FIELD]: 22 });
	});

	it('a new ticket after the reopen window starts again at 1; the closed one keeps its count', async () => {
		const alert = freshAlert();
		const first = await handleAlert(client(), alert, options);
		await burst(alert, 4);
		await handleAlert(client(), { ...alert, status: 'resolved' }, options);
		const later = new Date(clock.getTime() + 31 * 60_000);
		sandbox.setClock(later);
		try {
			const recurrence = { ...alert, startsAt: later.toISOString() };
			const results = await Promise.all(Array.from({ length: 6 }, () => handleAlert(client(), recurrence, { ...options, now: later })));
			expect(results.filter((r) => r.action === 'create')).toHaveLength(1);
			const tickets = ticketsWithKey(alert.dedupeKey);
			expect(tickets.map((t) => [t.id === first.ticketId, t.isClosed, t[OCCURRENCES_FIELD]])).toEqual([
				[true, true, 5],
				[false, false, 6],
			]);
		} finally {
			sandbox.setClock(clock);
		}
	});

	it('10 concurrent copies of one unparsable body count 10 on one ticket', async () => {
		const bad = { version: '4', alerts: [{ status: 'firing', labels: 'nope' }], nonce: 'occurrences-test' };
		const results = await Promise.all(Array.from({ length: 10 }, () => recordUnparsedAlert(client(), bad, 'alerts[0].labels must be an object')));
		expect(results.filter((r) => r.action === 'create')).toHaveLength(1);
		expect(openTicket(results[0].dedupeKey)[OCCURRENCES_FIELD]).toBe(10);
		expect(Math.max(...results.map((r) => r.occurrences))).toBe(10);
	});

	it('a ticket counted before the log existed keeps its number and goes on by one', async () => {
		const alert = freshAlert();
		const [legacy] = await client().create(TICKET, [{ name: 'Counted the old way', description: '<p>Before the log</p>', [DEDUPE_FIELD]: alert.dedupeKey, [OCCURRENCES_FIELD]: 7 }]);
		const result = await handleAlert(client(), alert, options);
		expect(result).toMatchObject({ action: 'update', ticketId: legacy, occurrences: 8 });
		expect(openTicket(alert.dedupeKey)[OCCURRENCES_FIELD]).toBe(8);
	});

	it('keeps the number of Odoo calls per delivery small', async () => {
		const odoo = client();
		const alert = freshAlert();
		const calls = async (run: () => Promise<unknown>) => {
			sandbox.resetStats();
			await run();
			return sandbox.stats.requests;
		};
		// Per execution: login, fields_get of the ticket, its stage model and the log, the stages.
		expect(await calls(() => handleAlert(odoo, alert, options))).toBe(5 + 6);
		// search open + search closed + create + converge + append + count
		expect(await calls(() => handleAlert(odoo, freshAlert(), options))).toBe(6);
		// search + append + write + count
		expect(await calls(() => handleAlert(odoo, alert, options))).toBe(4);
		expect(await calls(() => handleAlert(odoo, { ...alert, summary: 'Changed' }, options))).toBe(5);
		expect(await calls(() => handleAlert(odoo, { ...alert, status: 'resolved' }, options))).toBe(3);
		expect(await calls(() => handleAlert(odoo, { ...alert, startsAt: '2026-11-28T21:05:00.000Z' }, options))).toBe(6);
	});
});

describe('without the right to create the occurrence log', () => {
	let restricted: OdooSandbox;
	beforeAll(async () => {
		restricted = await startOdooSandbox();
		restricted.setClock(clock);
		// The ticket fields exist (an admin ran once before the log existed); the demo user may not add a model.
		await ensureDedupeField(createOdooClient({ url: restricted.url, db: restricted.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc' }), TICKET);
	});
	afterAll(async () => {
		await restricted.close();
	});

	it('still makes and counts tickets, read-then-write, and says why', async () => {
		const demo = () => createOdooClient({ url: restricted.url, db: restricted.db, login: 'demo', secret: 'demo', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
		const alert = freshAlert();
		const results: HandleAlertResult[] = [];
		for (let i = 0; i < 3; i++) results.push(await handleAlert(demo(), alert, options));
		expect(results.map((r) => [r.action, r.occurrences])).toEqual([
			['create', 1],
			['update', 2],
			['update', 3],
		]);
		for (const r of results) {
			expect(r.warnings).toEqual([expect.stringMatching(/^Occurrence log 'x_ops_alert_occurrence' unavailable \(You are not allowed to access 'Models' \(ir\.model\) records\.\): occurrences are counted read-then-write/)]);
		}
		expect(restricted.records('ir.model').some((m) => m.model === OCCURRENCE_LOG_MODEL)).toBe(false);
	});
});
