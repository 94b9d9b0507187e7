import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AlertPayloadError, detectSource, labelsFingerprint, normaliseAlerts, parseCanonicalAlert } from '../../../lib/alerts';

function fixture(name: string): any {
	return JSON.parse(readFileSync(join(__dirname, '../../fixtures/alerts', name), 'utf8'));
}

function payloadError(run: () => unknown): AlertPayloadError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(AlertPayloadError);
		return error as AlertPayloadError;
	}
	throw new Error('expected an AlertPayloadError');
}

describe('Alertmanager v4', () => {
	it('turns a firing group into one canonical alert per series, with a null endsAt for the zero time', () => {
		const result = normaliseAlerts(fixture('alertmanager-firing.json'));
		expect(result.source).toBe('alertmanager');
		expect(result.test).toBe(false);
		expect(result.warnings).toEqual([]);
		expect(result.alerts).toHaveLength(2);
		const [first] = result.alerts;
		expect(first).toMatchObject({
			source: 'alertmanager',
			dedupeKey: 'alertmanager:6a4d8e2f1b3c5a79',
			status: 'firing',
			severity: 'critical',
			summary: 'Node pve01 is down',
			description: 'pve01:9100 has not answered scrapes for 5 minutes.',
			startsAt: '2026-11-28T21:04:05.123Z',
			endsAt: null,
			fingerprint: '6a4d8e2f1b3c5a79',
			assetHint: { instance: 'pve01:9100', host: 'pve01', job: 'node' },
			links: { generator: expect.stringContaining('http://mon01:9090/graph'), dashboard: null, panel: null, silence: null },
		});
		expect(first.raw).toEqual(fixture('alertmanager-firing.json').alerts[0]);
		expect(result.alerts[1].severity).toBe('warning');
	});

	it('gives the resolved delivery the same keys and a real endsAt', () => {
		const firing = normaliseAlerts(fixture('alertmanager-firing.json'));
		const resolved = normaliseAlerts(fixture('alertmanager-resolved.json'));
		expect(resolved.alerts.map((a) => a.dedupeKey)).toEqual(firing.alerts.map((a) => a.dedupeKey));
		expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', endsAt: '2026-11-28T21:19:05.123Z' });
	});

	it('keys per group on request: every alert of the group shares one key, stable across firing and resolved', () => {
		const firing = normaliseAlerts(fixture('alertmanager-firing.json'), { dedupeBy: 'group' });
		const resolved = normaliseAlerts(fixture('alertmanager-resolved.json'), { dedupeBy: 'group' });
		const keys = new Set([...firing.alerts, ...resolved.alerts].map((a) => a.dedupeKey));
		expect(keys.size).toBe(1);
		expect([...keys][0]).toMatch(/^alertmanager:group:[0-9a-f]{32}$/);
	});

	it('warns when Alertmanager truncated the group', () => {
		const result = normaliseAlerts(fixture('alertmanager-truncated.json'));
		expect(result.alerts).toHaveLength(1);
		expect(result.warnings).toEqual([expect.stringMatching(/truncated 3 alert\(s\)/)]);
	});

	it('computes a 16-hex fingerprint from the labels when the sender gives none', () => {
		const body = fixture('alertmanager-firing.json');
		delete body.alerts[0].fingerprint;
		const [alert] = normaliseAlerts(body).alerts;
		expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
		expect(alert.fingerprint).toBe(labelsFingerprint(body.alerts[0].labels));
	});

	it('accepts the body as JSON text', () => {
		expect(normaliseAlerts(JSON.stringify(fixture('alertmanager-firing.json'))).alerts).toHaveLength(2);
	});
});

describe('Grafana', () => {
	it('maps links, severity and summary', () => {
		const result = normaliseAlerts(fixture('grafana-firing.json'));
		expect(result.source).toBe('grafana');
		expect(result.alerts[0]).toMatchObject({
			dedupeKey: 'grafana:57c6d9296de2ad39',
			status: 'firing',
			severity: 'error',
			summary: 'CPU above 90% on vault01',
			endsAt: null,
			assetHint: { instance: 'vault01:9100', host: 'vault01', job: null },
			links: {
				generator: expect.stringContaining('/alerting/grafana/'),
				dashboard: 'http://grafana:3000/d/rYdddlPWk?orgId=1',
				panel: 'http://grafana:3000/d/rYdddlPWk?orgId=1&viewPanel=3',
				silence: expect.stringContaining('/alerting/silence/new'),
			},
		});
	});
});

describe('Uptime Kuma', () => {
	it('down fires, up resolves, both under one key per monitor', () => {
		const down = normaliseAlerts(fixture('uptime-kuma-down.json'));
		const up = normaliseAlerts(fixture('uptime-kuma-up.json'));
		expect(down.alerts[0]).toMatchObject({
			source: 'uptime-kuma',
			status: 'firing',
			severity: 'critical',
			summary: 'Odoo web is down',
			description: 'connect ECONNREFUSED 10.10.20.15:8069',
			startsAt: '2026-11-28T21:40:12.345Z',
			endsAt: null,
			assetHint: { host: 'odoo01.lab.internal', instance: 'odoo01.lab.internal', job: 'http' },
		});
		expect(down.alerts[0].labels).toMatchObject({ monitor_id: '7', tag_env: 'lab' });
		expect(up.alerts[0]).toMatchObject({ status: 'resolved', endsAt: '2026-11-28T21:46:12.001Z' });
		expect(up.alerts[0].dedupeKey).toBe(down.alerts[0].dedupeKey);
	});

	it('marks the test message as a test with no alerts', () => {
		const result = normaliseAlerts(fixture('uptime-kuma-test.json'));
		expect(result).toEqual({ source: 'uptime-kuma', alerts: [], warnings: [], test: true, testMessage: 'Uptime Kuma Webhook Testing' });
	});

	it('pending and maintenance produce no alert and say why', () => {
		for (const status of [2, 3]) {
			const body = fixture('uptime-kuma-down.json');
			body.heartbeat.status = status;
			const result = normaliseAlerts(body);
			expect(result.alerts).toEqual([]);
			expect(result.warnings[0]).toMatch(status === 2 ? /pending/ : /maintenance/);
		}
	});

	it('rejects an unknown heartbeat status with its path', () => {
		const body = fixture('uptime-kuma-down.json');
		body.heartbeat.status = 9;
		expect(payloadError(() => normaliseAlerts(body)).message).toMatch(/heartbeat\.status/);
	});
});

describe('generic JSON', () => {
	const paths = { status: 'state', key: 'id', summary: 'title', severity: 'level', host: 'details.host', description: 'details.message', labels: 'tags' };

	it('reads the configured paths', () => {
		const result = normaliseAlerts(fixture('generic-firing.json'), { generic: paths });
		expect(result.source).toBe('generic');
		expect(result.alerts[0]).toMatchObject({
			status: 'firing',
			severity: 'error',
			summary: 'Nightly backup of vault01 failed',
			description: 'restic exited with status 3',
			labels: { service: 'backup', site: 'homelab' },
			assetHint: { host: 'vault01', instance: null, job: null },
		});
		const resolved = normaliseAlerts({ ...fixture('generic-firing.json'), state: 'OK' }, { generic: paths });
		expect(resolved.alerts[0].status).toBe('resolved');
		expect(resolved.alerts[0].dedupeKey).toBe(result.alerts[0].dedupeKey);
	});

	it('reads a list of alerts with paths relative to each element', () => {
		const body = { data: { items: [{ s: 'firing', k: 'a' }, { s: 'resolved', k: 'b' }] } };
		const result = normaliseAlerts(body, { generic: { alerts: 'data.items', status: 's', key: 'k' } });
		expect(result.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
		expect(result.alerts[0].dedupeKey).not.toBe(result.alerts[1].dedupeKey);
	});

	it('names an unknown status value and where it is', () => {
		const error = payloadError(() => normaliseAlerts({ items: [{ s: 'firing' }, { s: 'weird' }] }, { generic: { alerts: 'items', status: 's' } }));
		expect(error.message).toMatch(/items\[1\]\.s is 'weird'/);
		expect(normaliseAlerts({ s: 'weird' }, { generic: { status: 's' }, firingValues: ['Weird'] }).alerts[0].status).toBe('firing');
	});

	it('names a missing status field', () => {
		expect(payloadError(() => normaliseAlerts({ other: 1 }, { generic: { status: 'state' } })).message).toMatch(/state is missing/);
	});
});

describe('malformed bodies', () => {
	it('says which alert has labels that are not an object', () => {
		const body = fixture('alertmanager-firing.json');
		body.alerts.push({ ...body.alerts[0] }, { ...body.alerts[0], labels: 'instance=pve01' });
		const error = payloadError(() => normaliseAlerts(body));
		expect(error.message).toBe('Malformed Alertmanager webhook body: alerts[3].labels must be an object (got string)');
		expect(error.issues).toEqual([{ path: 'alerts[3].labels', message: 'alerts[3].labels must be an object (got string)' }]);
	});

	it('says a status is not firing/resolved', () => {
		const body = fixture('alertmanager-firing.json');
		body.alerts[1].status = 'active';
		expect(payloadError(() => normaliseAlerts(body)).message).toMatch(/alerts\[1\]\.status must be one of 'firing', 'resolved' \(got 'active'\)/);
	});

	it('says alerts is missing when the source is forced', () => {
		expect(payloadError(() => normaliseAlerts({ version: '4' }, { source: 'alertmanager' })).message).toMatch(/alerts is missing/);
	});

	it('refuses invalid JSON text and unknown shapes with a reason', () => {
		expect(payloadError(() => normaliseAlerts('{not json')).message).toMatch(/not valid JSON/);
		expect(payloadError(() => normaliseAlerts({ hello: 'world' })).message).toMatch(/Cannot tell which monitoring system.*keys hello/);
		expect(payloadError(() => normaliseAlerts([1, 2])).message).toMatch(/got an array/);
	});

	it('refuses one of heartbeat/monitor null', () => {
		const body = fixture('uptime-kuma-down.json');
		body.monitor = null;
		expect(payloadError(() => normaliseAlerts(body)).message).toMatch(/monitor is null while heartbeat is not/);
	});
});

describe('detection and canonical input', () => {
	it('detects each source', () => {
		expect(detectSource(fixture('alertmanager-firing.json'))).toBe('alertmanager');
		expect(detectSource(fixture('grafana-firing.json'))).toBe('grafana');
		expect(detectSource(fixture('uptime-kuma-test.json'))).toBe('uptime-kuma');
		expect(detectSource({ x: 1 }, { generic: { status: 'x' } })).toBe('generic');
	});

	it('round-trips a canonical alert and rejects a non-alert with the field named', () => {
		const [alert] = normaliseAlerts(fixture('grafana-firing.json')).alerts;
		expect(parseCanonicalAlert(JSON.parse(JSON.stringify(alert)))).toEqual(alert);
		expect(payloadError(() => parseCanonicalAlert({ ...alert, status: 'open' })).message).toMatch(/status must be one of/);
	});
});
