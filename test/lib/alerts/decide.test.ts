import { alertDigest, decideTicketAction, priorityFor, type Ticket } from '../../../lib/alerts';

const firing = { status: 'firing' as const, severity: 'critical' as const, summary: 'Node pve01 is down', description: 'no scrapes' };
const resolved = { ...firing, status: 'resolved' as const };
const now = new Date('2026-11-28T22:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString().slice(0, 19).replace('T', ' ');
const open: Ticket = { id: 10, occurrences: 2, digest: alertDigest(firing) };
const closed = (m: number): Ticket => ({ id: 7, occurrences: 4, digest: alertDigest(firing), closedAt: minutesAgo(m) });

describe('decideTicketAction', () => {
	it.each([
		['firing, nothing in Odoo', firing, {}, { action: 'create' }],
		['firing again, same content', firing, { open }, { action: 'update', ticketId: 10, changed: false, occurrences: 3 }],
		['firing again, new severity', { ...firing, severity: 'warning' as const }, { open }, { action: 'update', ticketId: 10, changed: true, occurrences: 3 }],
		['firing again, open ticket without digest yet', firing, { open: { id: 10 } }, { action: 'update', ticketId: 10, changed: true, occurrences: 1 }],
		['resolved with an open ticket', resolved, { open }, { action: 'resolve', ticketId: 10 }],
		['firing 10 min after close, window 60', firing, { recentlyClosed: closed(10) }, { action: 'reopen', ticketId: 7, occurrences: 5, closedMinutesAgo: 10 }],
		['firing exactly at the window edge', firing, { recentlyClosed: closed(60) }, { action: 'reopen', ticketId: 7, occurrences: 5, closedMinutesAgo: 60 }],
		['firing 61 min after close, window 60', firing, { recentlyClosed: closed(61) }, { action: 'create' }],
		['firing, closed ticket with no close date', firing, { recentlyClosed: { id: 7, closedAt: null } }, { action: 'create' }],
		['open wins over recently closed', firing, { open, recentlyClosed: closed(1) }, { action: 'update', ticketId: 10, changed: false, occurrences: 3 }],
		['resolved with no ticket at all', resolved, {}, { action: 'ignore', reason: 'resolved-without-open-ticket' }],
		['resolved again after close (duplicate)', resolved, { recentlyClosed: closed(1) }, { action: 'ignore', reason: 'already-resolved' }],
		[
			'late firing of the incident that resolved (same start)',
			{ ...firing, startsAt: '2026-11-28T21:00:00.000Z' },
			{ recentlyClosed: { ...closed(1), resolvedStartsAt: '2026-11-28T21:00:00Z' } },
			{ action: 'ignore', reason: 'stale-firing' },
		],
		[
			'recurrence with a new start reopens',
			{ ...firing, startsAt: '2026-11-28T21:58:00Z' },
			{ recentlyClosed: { ...closed(1), resolvedStartsAt: '2026-11-28T21:00:00Z' } },
			{ action: 'reopen', ticketId: 7, occurrences: 5, closedMinutesAgo: 1 },
		],
	])('%s', (_name, alert, existing, expected) => {
		expect(decideTicketAction(alert, existing, now, 60)).toEqual(expected);
	});

	it('reads ISO and Odoo datetimes alike', () => {
		expect(decideTicketAction(firing, { recentlyClosed: { id: 1, closedAt: '2026-11-28T21:30:00Z' } }, now, 45).action).toBe('reopen');
		expect(decideTicketAction(firing, { recentlyClosed: { id: 1, closedAt: '2026-11-28 21:30:00' } }, now, 29).action).toBe('create');
	});
});

describe('priorityFor', () => {
	it('maps severity to 0..3 and clamps to the selection offered', () => {
		const helpdesk: Array<[string, string]> = [['0', 'Low'], ['1', 'Medium'], ['2', 'High'], ['3', 'Very High']];
		expect(['info', 'warning', 'error', 'critical'].map((s) => priorityFor(s as never, helpdesk))).toEqual(['0', '1', '2', '3']);
		expect(priorityFor('critical', [['0', 'Low'], ['1', 'High']])).toBe('1');
		expect(priorityFor('info', [['0', 'Low'], ['1', 'High']])).toBe('0');
	});
});
