/**
 * The Monitoring Alert node through n8n's own parameter handling (fake context) and, for Handle Ticket, the real
 * Odoo sandbox over HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { DEDUPE_FIELD } from '../../lib/alerts';
import { MonitoringAlert } from '../../nodes/MonitoringAlert/MonitoringAlert.node';
import { fakeExecuteFunctions } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new MonitoringAlert();
const sandbox = useOdooSandbox();

function fixture(name: string): IDataObject {
	return JSON.parse(readFileSync(join(__dirname, '../fixtures/alerts', name), 'utf8'));
}

async function run(parameters: INodeParameters, items: INodeExecutionData[], continueOnFail = false): Promise<INodeExecutionData[]> {
	const { context, log } = fakeExecuteFunctions({ nodeType: node, parameters, items, credentials: credentialsFor(sandbox.get()), continueOnFail });
	const [output] = (await node.execute.call(context)) as INodeExecutionData[][];
	lastCredentialCalls = log.getCredentialsCalls;
	return output;
}
let lastCredentialCalls = 0;

/** What n8n's Webhook node emits for a POST. */
const webhookItem = (body: unknown): INodeExecutionData => ({ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body } as IDataObject });

describe('Monitoring Alert: Normalise', () => {
	it("reads the Webhook node's body and emits one paired item per alert", async () => {
		const output = await run({ operation: 'normalise' }, [webhookItem(fixture('alertmanager-firing.json')), webhookItem(fixture('uptime-kuma-down.json'))]);
		expect(output.map((item) => [item.json.source, item.json.status, item.pairedItem])).toEqual([
			['alertmanager', 'firing', { item: 0 }],
			['alertmanager', 'firing', { item: 0 }],
			['uptime-kuma', 'firing', { item: 1 }],
		]);
		expect(output[0].json).toMatchObject({ dedupeKey: 'alertmanager:6a4d8e2f1b3c5a79', endsAt: null, raw: expect.any(Object) });
		expect(lastCredentialCalls).toBe(0);
	});

	it('marks the Uptime Kuma test message, carries warnings, and can drop raw', async () => {
		const output = await run({ operation: 'normalise', bodyFrom: 'item', normaliseOptions: { includeRaw: false } }, [
			{ json: fixture('uptime-kuma-test.json') },
			{ json: fixture('alertmanager-truncated.json') },
		]);
		expect(output[0].json).toEqual({ test: true, source: 'uptime-kuma', message: 'Uptime Kuma Webhook Testing' });
		expect(output[1].json.warnings).toEqual([expect.stringMatching(/truncated 3/)]);
		expect(output[1].json.raw).toBeUndefined();
	});

	it('uses generic paths from a named field', async () => {
		const output = await run(
			{ operation: 'normalise', bodyFrom: 'field', bodyField: 'payload', source: 'generic', genericPaths: { status: 'state', key: 'id', summary: 'title', severity: 'level' } },
			[{ json: { payload: fixture('generic-firing.json') } }],
		);
		expect(output[0].json).toMatchObject({ source: 'generic', status: 'firing', severity: 'error', summary: 'Nightly backup of vault01 failed' });
	});

	it('fails on a malformed body with the reason, or keeps the raw body with Continue On Fail', async () => {
		const body = fixture('alertmanager-firing.json');
		(body.alerts as IDataObject[])[1].labels = 'oops' as never;
		await expect(run({ operation: 'normalise' }, [webhookItem(body)])).rejects.toThrow('Malformed Alertmanager webhook body: alerts[1].labels must be an object (got string)');
		const output = await run({ operation: 'normalise' }, [webhookItem(body), webhookItem(fixture('grafana-firing.json'))], true);
		expect(output[0]).toEqual({
			json: { error: expect.stringContaining('alerts[1].labels'), issues: [{ path: 'alerts[1].labels', message: expect.any(String) }], rawBody: body },
			pairedItem: { item: 0 },
		});
		expect(output[1].json.source).toBe('grafana');
	});
});

describe('Monitoring Alert: Handle Ticket', () => {
	it('creates, then updates, then closes; one login for all items; test items are ignored', async () => {
		const alerts = await run({ operation: 'normalise' }, [webhookItem(fixture('grafana-firing.json'))]);
		const alert = { ...alerts[0].json, dedupeKey: 'grafana:node-test-1' };
		const test = { json: { test: true, source: 'uptime-kuma', message: 'x' } };
		const before = sandbox.get().stats.logins;
		const output = await run({ operation: 'handleTicket', teamId: 2, tags: 'Monitoring' }, [{ json: alert }, { json: alert }, test]);
		expect(sandbox.get().stats.logins - before).toBe(1);
		expect(output.map((item) => [item.json.action, item.json.occurrences ?? null])).toEqual([
			['create', 1],
			['update', 2],
			['ignore', null],
		]);
		expect(output[2].json.reason).toBe('test-message');
		const ticketId = output[0].json.ticketId as number;
		const ticket = sandbox.get().records('helpdesk.ticket').find((t) => t.id === ticketId)!;
		expect(ticket).toMatchObject({ [DEDUPE_FIELD]: 'grafana:node-test-1', team_id: 2, tag_ids: [4], priority: '2' });

		const [closed] = await run({ operation: 'handleTicket' }, [{ json: { ...alert, status: 'resolved' } }]);
		expect(closed.json).toMatchObject({ action: 'resolve', ticketId, reference: ticket.number });
	});

	it('refuses an item that is not a canonical alert, naming the field', async () => {
		await expect(run({ operation: 'handleTicket' }, [{ json: { status: 'firing' } }])).rejects.toThrow(/Not a canonical alert.*source is missing/);
		const output = await run({ operation: 'handleTicket' }, [{ json: { hello: 1 } }], true);
		expect(output[0].json.error).toMatch(/Use the Normalise operation first|use the Normalise operation first/);
	});

	it('files one "unparsed" ticket per distinct bad body, with the body attached', async () => {
		const bad = { version: '4', alerts: [{ status: 'firing', labels: 'nope' }] };
		const errors = await run({ operation: 'normalise' }, [webhookItem(bad)], true);
		const output = await run({ operation: 'handleTicket', teamId: 2 }, [errors[0], errors[0]]);
		expect(output.map((item) => item.json.action)).toEqual(['create', 'update']);
		const ticketId = output[0].json.ticketId as number;
		expect(output[1].json.ticketId).toBe(ticketId);
		const attachment = sandbox.get().records('ir.attachment').find((a) => a.res_model === 'helpdesk.ticket' && a.res_id === ticketId)!;
		expect(JSON.parse(Buffer.from(String(attachment.datas), 'base64').toString('utf8'))).toEqual(bad);
		const ticket = sandbox.get().records('helpdesk.ticket').find((t) => t.id === ticketId)!;
		expect(String(ticket.description)).toContain('alerts[0].labels must be an object');
		const passed = await run({ operation: 'handleTicket', unparsed: 'pass' }, [errors[0]]);
		expect(passed[0].json).toEqual(errors[0].json);
	});
});
