/**
 * Webhook bodies that Alertmanager, Grafana and Uptime Kuma really sent (test/fixtures/alerts/real, provenance in its
 * README), through the normaliser: source, status, severity, summary, dedupe keys, asset hints, links, and test
 * notifications that must never become tickets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { labelsFingerprint, normaliseAlerts, type CanonicalAlert, type NormaliseOptions, type NormaliseResult } from '../../../lib/alerts';

const DIR = join(__dirname, '../../fixtures/alerts/real');
const FILES = readdirSync(DIR).filter((name) => name.endsWith('.json'));

function real(name: string): any {
	return JSON.parse(readFileSync(join(DIR, name), 'utf8'));
}

function run(name: string, options: NormaliseOptions = {}): NormaliseResult {
	return normaliseAlerts(real(name), options);
}

function only(name: string, options: NormaliseOptions = {}): CanonicalAlert {
	const result = run(name, options);
	expect(result.test).toBe(false);
	expect(result.alerts).toHaveLength(1);
	return result.alerts[0];
}

describe('every real payload', () => {
	it.each(FILES)('%s: is recognised as the tool that sent it, and normalises the same way twice', (name) => {
		const expected = name.startsWith('alertmanager-') ? 'alertmanager' : name.startsWith('grafana-') ? 'grafana' : 'uptime-kuma';
		const first = run(name);
		expect(first.source).toBe(expected);
		// As JSON text (a Webhook node set to raw body) it must give the very same keys.
		const again = normaliseAlerts(readFileSync(join(DIR, name), 'utf8'));
		expect(again.alerts.map((a) => a.dedupeKey)).toEqual(first.alerts.map((a) => a.dedupeKey));
		for (const alert of first.alerts) {
			expect(alert.dedupeKey).toMatch(new RegExp(`^${expected}:[0-9a-f]{16}$`));
			expect(alert.summary.trim()).not.toBe('');
			expect(alert.summary).not.toMatch(/^\[(FIRING|RESOLVED)/);
		}
		// A test notification is a test, with nothing a ticket could be made from.
		if (first.test) expect(first.alerts).toEqual([]);
	});
});

describe('Alertmanager, real deliveries', () => {
	it('a resolved v4 group: status, severity, summary, times, asset and link', () => {
		const alert = only('alertmanager-v4-resolved-node-exporter-down.json');
		expect(alert).toMatchObject({
			source: 'alertmanager',
			dedupeKey: 'alertmanager:0c3f1299754f298a',
			fingerprint: '0c3f1299754f298a',
			status: 'resolved',
			severity: 'critical',
			summary: 'node_exporter 已停止',
			startsAt: '2026-09-20T14:09:38.180Z',
			endsAt: '2026-09-20T14:24:53.180Z',
			assetHint: { instance: 'localhost:9100', host: 'localhost', job: 'node' },
			links: { generator: expect.stringContaining('/graph?g0.expr=up'), dashboard: null, panel: null, silence: null },
		});
		// The firing delivery of the same series (Alertmanager sends endsAt as its zero time then) keys the same.
		const firingBody = real('alertmanager-v4-resolved-node-exporter-down.json');
		firingBody.status = 'firing';
		firingBody.alerts[0].status = 'firing';
		firingBody.alerts[0].endsAt = '0001-01-01T00:00:00Z';
		const [firing] = normaliseAlerts(firingBody).alerts;
		expect(firing).toMatchObject({ status: 'firing', endsAt: null, dedupeKey: alert.dedupeKey });
	});

	it('vmalertmanager: info severity, kubernetes labels give no host, raw is the untouched alert', () => {
		const alert = only('alertmanager-v4-firing-vmalertmanager-cpu-throttling.json');
		expect(alert).toMatchObject({
			dedupeKey: 'alertmanager:1e6df20d7ad22b17',
			status: 'firing',
			severity: 'info',
			summary: 'Processes experience elevated CPU throttling.',
			description: expect.stringMatching(/^55\.97% throttling of CPU/),
			endsAt: null,
			assetHint: { instance: null, host: null, job: null },
			links: { generator: expect.stringContaining('/vmalert/alert?group_id=') },
		});
		expect(alert.raw).toEqual(real('alertmanager-v4-firing-vmalertmanager-cpu-throttling.json').alerts[0]);
	});

	it('two series of one group are two incidents; per group they are one', () => {
		const result = run('alertmanager-v4-firing-two-series.zulip.json');
		expect(result.alerts.map((a) => a.dedupeKey)).toEqual(['alertmanager:a1bc48475b20e73d', 'alertmanager:c2ea85182f28cbd9']);
		expect(result.alerts.map((a) => a.assetHint.host)).toEqual(['andromeda', 'andromeda']);
		const grouped = run('alertmanager-v4-firing-two-series.zulip.json', { dedupeBy: 'group' });
		expect(new Set(grouped.alerts.map((a) => a.dedupeKey)).size).toBe(1);
	});

	it('webhook version 3 (numeric groupKey, no fingerprint) is read, not refused', () => {
		const body = real('alertmanager-v3-numeric-groupkey.alerta.json');
		const alert = only('alertmanager-v3-numeric-groupkey.alerta.json');
		expect(alert).toMatchObject({
			source: 'alertmanager',
			status: 'firing',
			severity: 'critical',
			summary: 'Connect fail',
			description: 'Connect to host2 fails',
			startsAt: '2016-08-01T10:27:08.008Z',
			assetHint: { instance: 'host2', host: 'host2', job: 'pinger' },
			groupKey: String(body.groupKey),
		});
		expect(alert.fingerprint).toBe(labelsFingerprint(body.alerts[0].labels));
		expect(run('alertmanager-v3-numeric-groupkey.alerta.json', { dedupeBy: 'group' }).alerts[0].dedupeKey).toMatch(/^alertmanager:group:[0-9a-f]{32}$/);
	});
});

describe('Grafana unified alerting, real deliveries', () => {
	it('Grafana 8: firing then resolved share the key; the summary is the rule, not the "[FIRING:1]" title', () => {
		const firing = only('grafana-8-firing-systemd.hookshot.json');
		const resolved = only('grafana-8-resolved-systemd.hookshot.json');
		expect(firing).toMatchObject({
			source: 'grafana',
			dedupeKey: 'grafana:93070e04dcab3ea0',
			status: 'firing',
			severity: 'warning',
			summary: 'systemd failures',
			description: 'systemctl list-units --failed ;\nsystemctl reset-failed',
			startsAt: '2022-04-08T11:02:06.136Z',
			endsAt: null,
			links: {
				generator: 'https://example.com/grafana/alerting/6-WtnS8nk/edit',
				dashboard: 'https://example.com/grafana/d/hyFvC6y7z',
				panel: 'https://example.com/grafana/d/hyFvC6y7z?viewPanel=2',
				silence: expect.stringContaining('/alerting/silence/new?alertmanager=grafana'),
			},
		});
		expect(resolved).toMatchObject({ dedupeKey: firing.dedupeKey, status: 'resolved', summary: firing.summary, endsAt: '2022-04-08T11:14:56.136Z' });
	});

	it('Grafana 9: same key firing and resolved, empty dashboard links are null, the host comes from valueString', () => {
		const firing = only('grafana-9-firing.zulip.json');
		const resolved = only('grafana-9-resolved.zulip.json');
		expect(firing).toMatchObject({
			dedupeKey: 'grafana:d8a21484c9c25a60',
			status: 'firing',
			summary: 'This is a summary field, failure on some_host',
			description: 'This is a description',
			links: { generator: 'https://grafana.example.com/alerting/grafana/zTjxv_C7k/view', dashboard: null, panel: null },
			// A classic condition keeps the series labels only in valueString.
			assetHint: { instance: 'some-value', host: 'some-value' },
		});
		// The hint never reaches the labels, so it cannot move the key.
		expect(firing.labels).toEqual({ alertname: 'Test alert', test: 'true' });
		expect(resolved).toMatchObject({ dedupeKey: firing.dedupeKey, status: 'resolved', endsAt: '2022-06-17T00:51:24.067Z' });
		const perGroup = ['grafana-9-firing.zulip.json', 'grafana-9-resolved.zulip.json'].map((name) => run(name, { dedupeBy: 'group' }).alerts[0].dedupeKey);
		expect(perGroup[0]).toBe(perGroup[1]);
	});

	it('Grafana 9: a delivery mixing resolved and firing alerts takes each alert’s own status', () => {
		const result = run('grafana-9-mixed-firing-resolved.zulip.json');
		expect(result.test).toBe(false);
		expect(result.alerts.map((a) => [a.status, a.dedupeKey, a.assetHint.host])).toEqual([
			['resolved', 'grafana:aaafafe0953f0962', 'badhost.example.com'],
			['resolved', 'grafana:fb31814ac93dbe7d', 'otherhost.example.com'],
			['firing', 'grafana:6f9cd313db421ef1', 'sadhost.example.com'],
		]);
		expect(result.alerts[2].summary).toBe('Testing **another** failing alert');
	});

	it('Grafana 11: values, dashboard and panel links, exporter instance from valueString, raw keeps every field', () => {
		const alert = only('grafana-11-firing-values.zulip.json');
		expect(alert).toMatchObject({
			dedupeKey: 'grafana:e6349a25f5ef0e9e',
			status: 'firing',
			summary: 'High memory usage',
			links: {
				dashboard: 'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1',
				panel: 'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2',
				silence: expect.stringContaining('matcher=grafana_folder%3Ddevice&orgId=1'),
			},
			assetHint: { instance: 'node_exporter:9100', host: 'node_exporter' },
		});
		expect(alert.raw).toEqual(real('grafana-11-firing-values.zulip.json').alerts[0]);
		expect((alert.raw as Record<string, unknown>).imageURL).toBe('https://grafana.com/assets/img/blog/mixed_styles.png');
	});

	it('two rules in one delivery are two incidents, each with its own summary', () => {
		const result = run('grafana-8-docs-two-alerts.zulip.json');
		expect(result.alerts.map((a) => [a.dedupeKey, a.summary])).toEqual([
			['grafana:c6eadffa33fcdf37', 'This alert was triggered for zone us-1'],
			['grafana:bc97ff14869b13e3', 'This alert was triggered for zone eu-1'],
		]);
	});

	it('valueString naming one instance among several series gives that host; the key does not change', () => {
		const alert = only('grafana-8-firing-systemd-multi-value.hookshot.json');
		expect(alert).toMatchObject({ dedupeKey: 'grafana:93070e04dcab3ea0', assetHint: { instance: 'localhost:9100', host: 'localhost' } });
	});
});

describe('Grafana test notifications are tests, never tickets', () => {
	it.each([
		['grafana-8-test-notification-resolved.zulip.json', 'Notification test'],
		['grafana-8-test-notification.hookshot.json', 'Notification test'],
		['grafana-9-test-notification-custom-labels.json', 'bbbbb'],
		['grafana-9-test-notification-custom-summary.json', '[ALERT] ABOVEABOVE'],
		['grafana-11-test-notification.bark-grafana.json', 'Notification test'],
		['grafana-13-test-notification.json', 'Notification test'],
	])('%s', (name, summary) => {
		const result = run(name);
		expect(result).toEqual({ source: 'grafana', alerts: [], warnings: [], test: true, testMessage: `Grafana test notification: ${summary}` });
	});

	it('whatever the dedupe scope', () => {
		expect(run('grafana-13-test-notification.json', { dedupeBy: 'group' }).test).toBe(true);
	});

	it('a real rule named like a test, grouped the usual way, is not a test', () => {
		// Zulip's Grafana 9 rule is literally called "Test alert" with label test=true: it is a real alert.
		expect(run('grafana-9-firing.zulip.json').test).toBe(false);
	});
});

describe('Grafana legacy (dashboard) alerting', () => {
	it('alerting then ok of one rule: firing then resolved under one key', () => {
		const firing = only('grafana-legacy-alerting.prometheusalert.json');
		const resolved = only('grafana-legacy-ok.prometheusalert.json');
		expect(firing).toMatchObject({
			source: 'grafana',
			status: 'firing',
			severity: 'warning',
			summary: '云服务任务成功数量过低',
			description: '5分钟内申请云服务流量低于100',
			labels: { alertname: '云服务任务成功数量过低', rule_id: '6' },
			links: { generator: 'http://grafana.haimacloud.com/d/pH9lfnrmk/ias-p3-ji-gao-jing-xiang?fullscreen=true&edit=true&tab=alert&panelId=28&orgId=1', dashboard: null },
			startsAt: null,
			groupKey: null,
		});
		expect(firing.dedupeKey).toMatch(/^grafana:[0-9a-f]{16}$/);
		expect(resolved).toMatchObject({ status: 'resolved', dedupeKey: firing.dedupeKey });
		expect(run('grafana-legacy-alerting.prometheusalert.json', { defaultSeverity: 'critical' }).alerts[0].severity).toBe('critical');
	});

	it('two rules have two keys; a rule without a message is described by its matches', () => {
		const noData = only('grafana-legacy-7-no-data-alert.zulip.json');
		const noMessage = only('grafana-legacy-7-no-message-alert.zulip.json');
		expect(noData.dedupeKey).not.toBe(noMessage.dedupeKey);
		expect(noData).toMatchObject({ status: 'firing', summary: 'No Data alert', description: 'The panel has no data.' });
		expect(noMessage).toMatchObject({ status: 'firing', summary: 'No Message alert', description: 'A-series: 21.573108436586445' });
	});

	it.each(['grafana-legacy-test-notification.send-test.json', 'grafana-legacy-test-notification-random-ruleid.spaceone.json', 'grafana-legacy-7-test-notification-paused.zulip.json'])(
		'"Send Test" (%s) is a test',
		(name) => {
			expect(run(name)).toMatchObject({ source: 'grafana', test: true, alerts: [], testMessage: expect.stringMatching(/^Grafana test notification: \[\w+\] Test notification$/) });
		},
	);

	it('a paused or pending rule neither opens nor closes anything, and says why', () => {
		const body = real('grafana-legacy-alerting.prometheusalert.json');
		body.state = 'paused';
		expect(normaliseAlerts(body)).toEqual({ source: 'grafana', alerts: [], warnings: [expect.stringMatching(/is paused: no ticket action/)], test: false });
	});
});

describe('Uptime Kuma, real deliveries', () => {
	it('1.23 down, up, down again: one key throughout, although the monitor URL was edited in between', () => {
		const down = only('uptime-kuma-1.23-http-down-timeout.scn.json');
		const up = only('uptime-kuma-1.23-http-up.scn.json');
		const downAgain = only('uptime-kuma-1.23-http-down-enotfound.scn.json');
		expect(down).toMatchObject({
			source: 'uptime-kuma',
			status: 'firing',
			severity: 'critical',
			summary: 'test is down',
			description: 'timeout of 16000ms exceeded',
			startsAt: '2023-07-31T18:56:15.374Z',
			endsAt: null,
			labels: { monitor_id: '89', monitor_type: 'http', url: 'https://exampleXYZ.com' },
			assetHint: { host: 'examplexyz.com', instance: 'examplexyz.com', job: 'http' },
			links: { generator: 'https://exampleXYZ.com', dashboard: null, panel: null, silence: null },
		});
		expect(up).toMatchObject({ status: 'resolved', summary: 'test is up', endsAt: '2023-07-31T18:56:57.151Z', startsAt: null, assetHint: { host: 'example.com' } });
		expect(downAgain).toMatchObject({ status: 'firing', description: 'getaddrinfo ENOTFOUND exampleasdsda.com' });
		expect(new Set([down, up, downAgain].map((a) => a.dedupeKey)).size).toBe(1);
	});

	it('two different monitors have two keys', () => {
		expect(only('uptime-kuma-1.x-ping-down.issue-1207.json').dedupeKey).not.toBe(only('uptime-kuma-1.23-http-down-timeout.scn.json').dedupeKey);
	});

	it('1.x ping monitor: host from hostname, the "https://" placeholder URL is no link, a time without milliseconds', () => {
		const alert = only('uptime-kuma-1.x-ping-down.issue-1207.json');
		expect(alert).toMatchObject({
			status: 'firing',
			summary: 'Testing is down',
			startsAt: '2022-01-21T14:06:38.000Z',
			assetHint: { host: '10.13.13.13', instance: '10.13.13.13' },
			links: { generator: null },
		});
		expect(alert.labels.url).toBeUndefined();
		expect(alert.description).toMatch(/100% packet loss/);
	});

	it('the multipart/form-data mode (one field "data" holding the JSON) reads like the JSON mode', () => {
		const body = real('uptime-kuma-1.23-http-down-timeout.scn.json');
		const viaForm = normaliseAlerts({ data: JSON.stringify(body) });
		expect(viaForm.alerts).toEqual(normaliseAlerts(body).alerts);
	});

	it('2.x heartbeat additions (retries, ping, response, lastDownTime) change nothing', () => {
		const body = real('uptime-kuma-1.23-http-up.scn.json');
		Object.assign(body.heartbeat, { retries: 0, response: null, lastDownTime: '2023-07-31 18:56:15.374' });
		body.monitor.tags = [{ id: 3, monitor_id: 89, tag_id: 1, value: 'lab', name: 'env', color: '#059669' }];
		const alert = normaliseAlerts(body).alerts[0];
		expect(alert).toMatchObject({ status: 'resolved', dedupeKey: only('uptime-kuma-1.23-http-up.scn.json').dedupeKey, labels: { tag_env: 'lab' } });
	});

	it('the "Test" button is a test', () => {
		expect(run('uptime-kuma-test-notification.from-source.json')).toEqual({
			source: 'uptime-kuma',
			alerts: [],
			warnings: [],
			test: true,
			testMessage: 'My Webhook Alert (1) Testing',
		});
	});

	it('a certificate expiry notice (no monitor, no heartbeat) is an alert, not a test, one key across thresholds and versions', () => {
		const v1 = only('uptime-kuma-1.x-cert-expiry.from-source.json');
		const v2 = only('uptime-kuma-2.x-cert-expiry.from-source.json');
		expect(v1).toMatchObject({
			source: 'uptime-kuma',
			status: 'firing',
			severity: 'warning',
			summary: 'odoo.example.com: TLS certificate expires in 14 days',
			labels: { alertname: 'TLS certificate expiry', monitor: 'Odoo web', url: 'https://odoo.example.com/web/login', cert_cn: 'odoo.example.com', days_remaining: '14' },
			assetHint: { host: 'odoo.example.com', instance: 'odoo.example.com' },
			links: { generator: 'https://odoo.example.com/web/login' },
		});
		expect(v2).toMatchObject({ summary: 'odoo.example.com: TLS certificate expires in 7 days', dedupeKey: v1.dedupeKey });
		// Its own incident, apart from the monitor being down.
		expect(v1.dedupeKey).not.toBe(only('uptime-kuma-1.23-http-down-timeout.scn.json').dedupeKey);
	});

	it('a domain expiry notice (2.x) is an alert on that domain', () => {
		expect(only('uptime-kuma-2.x-domain-expiry.from-source.json')).toMatchObject({
			status: 'firing',
			summary: 'Domain example.com expires in 21 days',
			assetHint: { host: 'example.com' },
			labels: { domain: 'example.com', days_remaining: '21' },
		});
	});

	it('any other message without monitor and heartbeat is neither a test nor a ticket, and says so', () => {
		const result = normaliseAlerts({ heartbeat: null, monitor: null, msg: 'Database Connection Failed: connect ECONNREFUSED' });
		expect(result).toEqual({ source: 'uptime-kuma', alerts: [], warnings: [expect.stringMatching(/not a test: no ticket action/)], test: false });
	});
});
