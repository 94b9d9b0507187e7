/**
 * Enterprise Helpdesk has no sandbox; this drives handleAlert with a recording stub that answers fields_get like
 * Enterprise (stages fold instead of closed, close_date, no ticket number), to pin the detected domains and writes.
 */
import { DEDUPE_FIELD, handleAlert, normaliseAlerts, OCCURRENCE_LOG_MODEL } from '../../../lib/alerts';
import type { OdooClient, OdooDomain, OdooFieldInfo } from '../../../lib/odoo/types';

function stubClient(tickets: Array<Record<string, unknown>>) {
	const calls: Array<{ method: string; model: string; args: unknown[] }> = [];
	const field = (type: string, extra: Partial<OdooFieldInfo> = {}): OdooFieldInfo => ({ type, string: type, ...extra });
	const fields: Record<string, Record<string, OdooFieldInfo>> = {
		'helpdesk.ticket': {
			name: field('char'),
			stage_id: field('many2one', { relation: 'helpdesk.stage' }),
			priority: field('selection', { selection: [['0', 'Low'], ['1', 'Medium'], ['2', 'High'], ['3', 'Urgent']] }),
			close_date: field('datetime'),
			team_id: field('many2one', { relation: 'helpdesk.team' }),
			[DEDUPE_FIELD]: field('char'),
			x_alert_occurrences: field('integer'),
			x_alert_digest: field('char'),
		},
		'helpdesk.stage': { name: field('char'), fold: field('boolean'), sequence: field('integer') },
		[OCCURRENCE_LOG_MODEL]: {
			x_dedupe_key: field('char'),
			x_received_at: field('datetime'),
			x_status: field('char'),
			x_helpdesk_ticket_id: field('many2one', { relation: 'helpdesk.ticket' }),
		},
	};
	/** The occurrence log: appended rows, counted per ticket (the stub's tickets never change key). */
	const logRows: Array<Record<string, unknown>> = [];
	const matches = (domain: OdooDomain) => (ticket: Record<string, unknown>) =>
		domain.every((term) => !Array.isArray(term) || term[0] !== DEDUPE_FIELD || ticket[DEDUPE_FIELD] === term[2]) &&
		domain.some((term) => Array.isArray(term) && term[0] === 'stage_id.fold' && term[2] === true) === Boolean(ticket.folded);
	const client = {
		fieldsGet: async (model: string) => fields[model],
		searchRead: async (model: string, domain: OdooDomain, options: unknown) => {
			calls.push({ method: 'searchRead', model, args: [domain, options] });
			if (model === 'helpdesk.stage') return [{ id: 1, name: 'New', fold: false }, { id: 3, name: 'Solved', fold: true }];
			return tickets.filter(matches(domain)) as never;
		},
		write: async (model: string, ids: number[], values: Record<string, unknown>) => {
			calls.push({ method: 'write', model, args: [ids, values] });
			return true;
		},
		messagePost: async (model: string, id: number, options: unknown) => {
			calls.push({ method: 'messagePost', model, args: [id, options] });
			return 1;
		},
		create: async (model: string, rows: Array<Record<string, unknown>>) => {
			calls.push({ method: 'create', model, args: rows });
			if (model !== OCCURRENCE_LOG_MODEL) return [99];
			logRows.push(...rows);
			return [1000 + logRows.length];
		},
		searchCount: async (model: string, domain: OdooDomain) => {
			calls.push({ method: 'searchCount', model, args: [domain] });
			const [[, , ticketId]] = domain as Array<[string, string, unknown]>;
			return logRows.filter((row) => row.x_helpdesk_ticket_id === ticketId).length;
		},
		read: async () => [],
	} as unknown as OdooClient;
	return { client, calls };
}

const alert = normaliseAlerts({
	version: '4',
	groupKey: 'g',
	alerts: [{ status: 'resolved', labels: { alertname: 'X', severity: 'critical' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00Z', fingerprint: 'abc' }],
}).alerts[0];

describe('handleAlert on Enterprise Helpdesk (stub)', () => {
	it('detects the flavour, searches with stage_id.fold and closes in the first folded stage', async () => {
		const { client, calls } = stubClient([{ id: 5, name: 'X', [DEDUPE_FIELD]: alert.dedupeKey, x_alert_occurrences: 3, folded: false }]);
		const result = await handleAlert(client, alert, { now: new Date('2026-01-01T01:00:00Z') });
		expect(result).toMatchObject({ action: 'resolve', flavour: 'helpdesk-enterprise', ticketId: 5, reference: '#5' });
		const search = calls.find((c) => c.method === 'searchRead' && c.model === 'helpdesk.ticket')!;
		expect(search.args[0]).toEqual([[DEDUPE_FIELD, '=', alert.dedupeKey], '|', ['stage_id', '=', false], ['stage_id.fold', '=', false]]);
		expect(calls.filter((c) => c.method === 'write')).toEqual([{ method: 'write', model: 'helpdesk.ticket', args: [[5], { stage_id: 3, x_alert_digest: 'resolved@2026-01-01T00:00:00.000Z' }] }]);
	});

	it('reads close_date to decide a reopen', async () => {
		const { client, calls } = stubClient([{ id: 6, name: 'X', [DEDUPE_FIELD]: alert.dedupeKey, folded: true, close_date: '2026-01-01 00:50:00' }]);
		const result = await handleAlert(client, { ...alert, status: 'firing' }, { now: new Date('2026-01-01T01:00:00Z'), reopenWindowMinutes: 15 });
		expect(result).toMatchObject({ action: 'reopen', ticketId: 6 });
		const closedSearch = calls.filter((c) => c.method === 'searchRead' && c.model === 'helpdesk.ticket')[1];
		expect(closedSearch.args[1]).toMatchObject({ order: 'close_date desc, id desc', limit: 1 });
		expect(calls.find((c) => c.method === 'write')!.args).toEqual([[6], expect.objectContaining({ stage_id: 1, x_alert_occurrences: 1 })]);
		// The reopen is an occurrence: one row in the log, linked to the ticket, and the count it settled on.
		expect(calls.filter((c) => c.method === 'create').map((c) => c.args)).toEqual([
			[expect.objectContaining({ x_dedupe_key: alert.dedupeKey, x_helpdesk_ticket_id: 6, x_status: 'reopened' })],
		]);
		expect(result.occurrences).toBe(1);
	});
});
