/**
 * Monitoring webhook bodies → canonical alerts. Pure: no I/O, no clock, no randomness, so the same body gives the
 * same dedupe keys in every process that receives it (n8n queue mode, Alertmanager HA delivering twice).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

import type {
	AlertSeverity,
	AlertSource,
	AlertStatus,
	AssetHint,
	CanonicalAlert,
	DedupeScope,
	NormaliseOptions,
	NormaliseResult,
} from './types';

/** Names what is wrong and where in the body, so the webhook can answer 400 with a reason a human can act on. */
export class AlertPayloadError extends Error {
	readonly issues: Array<{ path: string; message: string }>;
	readonly source?: AlertSource;

	constructor(message: string, issues: Array<{ path: string; message: string }> = [], source?: AlertSource) {
		super(message);
		this.name = 'AlertPayloadError';
		this.issues = issues;
		this.source = source;
	}
}

export function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Alertmanager's sentinel for "not ended yet"; Grafana copies it. */
const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

/**
 * 16 hex chars like Alertmanager's own fingerprint, computed from the sorted labels so the order a sender serialises
 * them in cannot change the key.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
	const sorted = Object.keys(labels)
		.sort()
		.map((key) => [key, labels[key]]);
	return sha256(JSON.stringify(sorted)).slice(0, 16);
}

export function dedupeKeyFor(source: AlertSource, scope: DedupeScope, fingerprint: string, groupKey: string | null): string {
	if (scope === 'group' && groupKey) return `${source}:group:${sha256(groupKey).slice(0, 32)}`;
	return `${source}:${fingerprint}`;
}

// ---------------------------------------------------------------------------------------------------------------
// zod at the trust boundary

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** Label values are strings on the wire; numbers and booleans from hand-written senders are accepted as text. */
const stringMap = z.record(scalar).transform((map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)])));
const optionalUrl = z.string().nullish();

const amAlert = z.object({
	status: z.enum(['firing', 'resolved']),
	labels: stringMap,
	annotations: stringMap.nullish(),
	startsAt: z.string().nullish(),
	endsAt: z.string().nullish(),
	generatorURL: optionalUrl,
	fingerprint: z.string().nullish(),
});

const alertmanagerBody = z.object({
	version: z.string().nullish(),
	// Alertmanager's webhook version "3" (before 0.7) sent the group key as a JSON number (a uint64 hash).
	groupKey: z.union([z.string(), z.number().transform((key) => String(key))]).nullish(),
	truncatedAlerts: z.number().int().nonnegative().nullish(),
	status: z.enum(['firing', 'resolved']).nullish(),
	receiver: z.string().nullish(),
	groupLabels: stringMap.nullish(),
	commonLabels: stringMap.nullish(),
	commonAnnotations: stringMap.nullish(),
	externalURL: z.string().nullish(),
	alerts: z.array(amAlert),
});

const grafanaAlert = amAlert.extend({
	values: z.record(z.unknown()).nullish(),
	silenceURL: optionalUrl,
	dashboardURL: optionalUrl,
	panelURL: optionalUrl,
	imageURL: optionalUrl,
	valueString: z.string().nullish(),
});

const grafanaBody = alertmanagerBody.extend({
	orgId: z.number().nullish(),
	title: z.string().nullish(),
	state: z.string().nullish(),
	message: z.string().nullish(),
	alerts: z.array(grafanaAlert),
});

const kumaBody = z.object({
	heartbeat: z
		.object({
			monitorID: z.number().nullish(),
			status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
			time: z.string().nullish(),
			msg: z.string().nullish(),
			important: z.boolean().nullish(),
		})
		.passthrough()
		.nullable(),
	monitor: z
		.object({
			id: z.number(),
			name: z.string(),
			type: z.string().nullish(),
			url: z.string().nullish(),
			hostname: z.string().nullish(),
			port: z.union([z.number(), z.string()]).nullish(),
			tags: z.array(z.object({ name: z.string(), value: z.string().nullish() }).passthrough()).nullish(),
		})
		.passthrough()
		.nullable(),
	msg: z.string().nullish(),
});

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : typeof value;
}

export function formatPath(path: Array<string | number>): string {
	let out = '';
	for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
	return out || '(body)';
}

function getAt(body: unknown, path: Array<string | number>): unknown {
	let current = body;
	for (const part of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string | number, unknown>)[part];
	}
	return current;
}

const NOUNS: Record<string, string> = { object: 'an object', array: 'an array', string: 'a string', number: 'a number', boolean: 'a boolean' };

function issueMessage(issue: z.ZodIssue, body: unknown): string {
	const where = formatPath(issue.path);
	const got = describeType(getAt(body, issue.path));
	switch (issue.code) {
		case 'invalid_type':
			if (issue.received === 'undefined') return `${where} is missing`;
			return `${where} must be ${NOUNS[issue.expected] ?? issue.expected} (got ${got})`;
		case 'invalid_enum_value':
			return `${where} must be one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')} (got '${String(issue.received)}')`;
		case 'invalid_union':
		case 'invalid_literal':
			return `${where} has an unexpected value ${JSON.stringify(getAt(body, issue.path))}`;
		default:
			return `${where}: ${issue.message}`;
	}
}

function parseWith<T extends z.ZodTypeAny>(schema: T, body: unknown, source: AlertSource): z.output<T> {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issueMessage(issue, body) }));
	const label = SOURCE_LABELS[source];
	const shown = issues.slice(0, 3).map((i) => i.message).join('; ');
	throw new AlertPayloadError(`Malformed ${label} webhook body: ${shown}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''}`, issues, source);
}

const SOURCE_LABELS: Record<AlertSource, string> = {
	alertmanager: 'Alertmanager',
	grafana: 'Grafana',
	'uptime-kuma': 'Uptime Kuma',
	generic: 'generic JSON',
};

// ---------------------------------------------------------------------------------------------------------------
// shared helpers

const SEVERITY_WORDS: Array<[AlertSeverity, string[]]> = [
	['critical', ['critical', 'crit', 'page', 'p1', 'fatal', 'emergency', 'disaster', 'sev1', 'down']],
	['error', ['error', 'err', 'high', 'major', 'p2', 'sev2']],
	['warning', ['warning', 'warn', 'medium', 'average', 'minor', 'p3', 'sev3']],
	['info', ['info', 'informational', 'low', 'none', 'notice', 'ok', 'p4', 'p5', 'sev4', 'debug']],
];

export function toSeverity(value: unknown, fallback: AlertSeverity): AlertSeverity {
	if (value === undefined || value === null || value === '') return fallback;
	const word = String(value).trim().toLowerCase();
	for (const [severity, words] of SEVERITY_WORDS) if (words.includes(word)) return severity;
	return fallback;
}

function isoOrNull(value: string | null | undefined): string | null {
	if (!value || ZERO_TIME.test(value)) return null;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function stripPort(instance: string): string {
	// "[::1]:9100" and "host:9100" → host; a bare IPv6 address has several colons and no port to strip.
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
	if (bracketed) return bracketed[1];
	const parts = instance.split(':');
	return parts.length === 2 && /^\d+$/.test(parts[1]) ? parts[0] : instance;
}

function hostOfUrl(url: string | null | undefined): string | null {
	if (!url) return null;
	try {
		return new URL(url).hostname || null;
	} catch {
		return null;
	}
}

function assetHintFrom(labels: Record<string, string>): AssetHint {
	const instance = labels.instance ?? null;
	const host = labels.host ?? labels.hostname ?? labels.nodename ?? labels.node ?? (instance ? stripPort(instance) : null);
	return { instance, host, job: labels.job ?? null };
}

// ---------------------------------------------------------------------------------------------------------------
// Alertmanager and Grafana (same envelope)

/** The first value that is a non-empty string after trimming. */
function firstText(...values: Array<string | null | undefined>): string | undefined {
	for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value;
	return undefined;
}

/**
 * Grafana's own `title` is its notification template's output ("[FIRING:1]  (systemd failures)"): it changes between
 * firing and resolved, so it is only a last resort for a summary, and without the status marker.
 */
function grafanaTitleText(title: string | null | undefined): string | undefined {
	const text = (title ?? '').replace(/^\[(?:FIRING|RESOLVED)(?::\d+)?(?:, (?:FIRING|RESOLVED):\d+)?\]/, '').replace(/\s+/g, ' ').trim();
	return text === '' ? undefined : text;
}

/**
 * The series labels Grafana prints in `valueString` ("[ var='B' labels={instance=h:9100, job=node} value=1 ]"). A
 * classic-condition rule drops them from the alert's own labels, so they are the only place the host is named; used
 * for the asset hint only (never for the fingerprint), and only when every series names the same one.
 */
function valueStringHint(valueString: string | null | undefined): { instance: string | null; host: string | null } {
	const instances = new Set<string>();
	const hosts = new Set<string>();
	for (const match of (valueString ?? '').matchAll(/labels=\{([^}]*)\}/g)) {
		for (const pair of match[1].split(', ')) {
			const at = pair.indexOf('=');
			if (at <= 0) continue;
			const key = pair.slice(0, at).trim();
			const value = pair.slice(at + 1).trim();
			if (value === '') continue;
			if (key === 'instance') instances.add(value);
			else if (key === 'host' || key === 'hostname' || key === 'nodename') hosts.add(value);
		}
	}
	const instance = instances.size === 1 ? [...instances][0] : null;
	const host = hosts.size === 1 ? [...hosts][0] : instance ? stripPort(instance) : null;
	return { instance, host };
}

/**
 * A contact point's "Test" button in Grafana (and in Mimir/Grafana Cloud Alertmanager, same code) sends one made-up
 * alert through the real webhook. Its group key is never a route path: Grafana 8-9 wrote the labels followed by Go's
 * time.String() (`{alertname="TestAlert", instance="Grafana"}2022-04-05 22:16:47.08 +0200 CEST m=+100931.29`), Grafana
 * 10+ write `<name>-<fingerprint>-<unix seconds>` (`test-57c6d9296de2ad39-1724979444`, `webhook-…`). Every real group key
 * starts with the route's matchers, `{}`.
 */
const TEST_GROUP_KEYS = [/^\{[^}]*\}\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/, /^[^{].*-[0-9a-f]{16}-\d{9,}$/];

function isTestNotification(
	groupKey: string | null,
	alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string> | null; generatorURL?: string | null }>,
): boolean {
	if (groupKey && TEST_GROUP_KEYS.some((pattern) => pattern.test(groupKey))) return true;
	// The predefined test alert itself, for a sender that rewrote the group key.
	if (alerts.length !== 1) return false;
	const [alert] = alerts;
	return (
		alert.labels.alertname === 'TestAlert' &&
		(alert.labels.instance === 'Grafana' || alert.labels.instance === 'Alertmanager') &&
		alert.annotations?.summary === 'Notification test' &&
		!alert.generatorURL
	);
}

function fromAlertmanagerLike(body: unknown, source: 'alertmanager' | 'grafana', options: NormaliseOptions): NormaliseResult {
	const parsed = source === 'grafana' ? parseWith(grafanaBody, body, source) : parseWith(alertmanagerBody, body, source);
	const scope = options.dedupeBy ?? 'series';
	const fallback = options.defaultSeverity ?? 'warning';
	const warnings: string[] = [];
	const groupKey = parsed.groupKey ?? null;
	if (isTestNotification(groupKey, parsed.alerts)) {
		const [first] = parsed.alerts;
		const what = firstText(first?.annotations?.summary, parsed.commonAnnotations?.summary, first?.labels.alertname) ?? 'TestAlert';
		return { source, alerts: [], warnings: [], test: true, testMessage: `${SOURCE_LABELS[source]} test notification: ${what}` };
	}
	if (parsed.truncatedAlerts && parsed.truncatedAlerts > 0) {
		// Alertmanager drops alerts past the receiver's max_alerts; they will come back in a later delivery of the
		// group, but until then they are not in this body and must not be mistaken for resolved.
		warnings.push(`${SOURCE_LABELS[source]} truncated ${parsed.truncatedAlerts} alert(s) from this group (max_alerts): they are not in this delivery`);
	}
	if (scope === 'group' && !groupKey) warnings.push('Dedupe per group was asked for but the body has no groupKey: keyed per series instead');
	const common = parsed.commonAnnotations ?? {};
	// The sender's own alert objects, untouched (zod drops fields it does not know, e.g. Grafana 12's ruleUID).
	const originals = (body as { alerts: unknown[] }).alerts;
	const alerts = parsed.alerts.map((alert, index): CanonicalAlert => {
		const labels = alert.labels;
		const annotations = { ...common, ...(alert.annotations ?? {}) };
		const fingerprint = alert.fingerprint && alert.fingerprint.trim() !== '' ? alert.fingerprint : labelsFingerprint(labels);
		const extra = alert as z.infer<typeof grafanaAlert>;
		const envelopeTitle = source === 'grafana' && parsed.alerts.length === 1 ? grafanaTitleText((parsed as z.infer<typeof grafanaBody>).title) : undefined;
		const summary = firstText(annotations.summary, annotations.title, labels.alertname, envelopeTitle) ?? 'Alert';
		let assetHint = assetHintFrom(labels);
		if (assetHint.instance === null && assetHint.host === null && extra.valueString) assetHint = { ...assetHint, ...valueStringHint(extra.valueString) };
		return {
			source,
			dedupeKey: dedupeKeyFor(source, scope, fingerprint, groupKey),
			status: alert.status,
			severity: toSeverity(labels.severity ?? labels.priority ?? annotations.severity, fallback),
			summary,
			description: firstText(annotations.description, annotations.message, extra.valueString) ?? '',
			labels,
			annotations,
			startsAt: isoOrNull(alert.startsAt),
			endsAt: isoOrNull(alert.endsAt),
			links: {
				generator: alert.generatorURL || null,
				dashboard: extra.dashboardURL || null,
				panel: extra.panelURL || null,
				silence: extra.silenceURL || null,
			},
			assetHint,
			fingerprint,
			groupKey,
			raw: originals[index],
		};
	});
	return { source, alerts, warnings, test: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Grafana legacy (dashboard) alerting: Grafana up to 10, one rule per body, no alerts[]

const legacyTags = z.record(scalar).nullish();

const grafanaLegacyBody = z.object({
	ruleId: z.number().nullish(),
	ruleName: z.string(),
	ruleUrl: z.string().nullish(),
	state: z.string(),
	title: z.string().nullish(),
	message: z.string().nullish(),
	orgId: z.number().nullish(),
	dashboardId: z.number().nullish(),
	panelId: z.number().nullish(),
	imageUrl: z.string().nullish(),
	tags: legacyTags,
	evalMatches: z
		.array(z.object({ value: z.number().nullish(), metric: z.string().nullish(), tags: legacyTags }).passthrough())
		.nullish(),
});

function isGrafanaLegacy(body: unknown): boolean {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
	const record = body as Record<string, unknown>;
	if ('alerts' in record) return false;
	return (typeof record.ruleName === 'string' && 'state' in record) || Array.isArray(record.evalMatches);
}

/** Grafana's fixed text for the notification channel "Send Test" button (the rule id is 0 or, from 7.x, random). */
const LEGACY_TEST_MESSAGE = /^Someone is testing the alert notification within grafana\b/i;

function fromGrafanaLegacy(body: unknown, options: NormaliseOptions): NormaliseResult {
	const parsed = parseWith(grafanaLegacyBody, body, 'grafana');
	const source = 'grafana' as const;
	if (LEGACY_TEST_MESSAGE.test(parsed.message ?? '') || (parsed.ruleId === 0 && parsed.ruleName === 'Test notification')) {
		return { source, alerts: [], warnings: [], test: true, testMessage: `Grafana test notification: ${parsed.title ?? parsed.ruleName}` };
	}
	const state = parsed.state.trim().toLowerCase();
	// no_data is sent when the rule's "If no data" is set to No Data: the check cannot see its target, which is an incident.
	const status: AlertStatus | undefined = state === 'alerting' || state === 'no_data' ? 'firing' : state === 'ok' ? 'resolved' : undefined;
	if (status === undefined) {
		return { source, alerts: [], warnings: [`Grafana rule '${parsed.ruleName}' is ${state || 'in no state'}: no ticket action`], test: false };
	}
	const tags = Object.fromEntries(Object.entries(parsed.tags ?? {}).map(([key, value]) => [key, String(value)]));
	const labels: Record<string, string> = { ...tags, alertname: parsed.ruleName };
	if (parsed.ruleId !== null && parsed.ruleId !== undefined) labels.rule_id = String(parsed.ruleId);
	// Keyed on the rule (and its organisation): the one thing the alerting and the ok delivery of a rule share.
	const identity: Record<string, string> =
		parsed.ruleId !== null && parsed.ruleId !== undefined
			? { grafana_rule_id: String(parsed.ruleId), grafana_org_id: parsed.orgId === null || parsed.orgId === undefined ? '' : String(parsed.orgId) }
			: { alertname: parsed.ruleName };
	const fingerprint = labelsFingerprint(identity);
	let assetHint = assetHintFrom(tags);
	if (assetHint.instance === null && assetHint.host === null) {
		const matchTags = (parsed.evalMatches ?? []).map((match) => match.tags ?? {});
		const instances = new Set(matchTags.map((t) => t.instance).filter((v): v is string | number | boolean => v !== undefined && v !== '').map(String));
		const hosts = new Set(matchTags.map((t) => t.host ?? t.hostname).filter((v): v is string | number | boolean => v !== undefined && v !== '').map(String));
		const instance = instances.size === 1 ? [...instances][0] : null;
		assetHint = { instance, host: hosts.size === 1 ? [...hosts][0] : instance ? stripPort(instance) : null, job: assetHint.job };
	}
	const matches = (parsed.evalMatches ?? []).map((match) => `${match.metric ?? 'value'}: ${match.value ?? 'null'}`).join('\n');
	const alert: CanonicalAlert = {
		source,
		dedupeKey: dedupeKeyFor(source, 'series', fingerprint, null),
		status,
		severity: toSeverity(tags.severity ?? tags.priority, options.defaultSeverity ?? 'warning'),
		summary: parsed.ruleName,
		description: firstText(parsed.message, matches) ?? '',
		labels,
		annotations: parsed.message ? { message: parsed.message } : {},
		startsAt: null,
		endsAt: null,
		links: { generator: parsed.ruleUrl || null, dashboard: null, panel: null, silence: null },
		assetHint,
		fingerprint,
		groupKey: null,
		raw: body,
	};
	const warnings = options.dedupeBy === 'group' ? ['Grafana legacy alerting has no alert groups: keyed per rule'] : [];
	return { source, alerts: [alert], warnings, test: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Uptime Kuma

const KUMA_STATUS = ['down', 'up', 'pending', 'maintenance'] as const;

function kumaTime(time: string | null | undefined): string | null {
	if (!time) return null;
	// Kuma writes "YYYY-MM-DD HH:mm:ss.SSS" in UTC without a zone.
	const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(time) ? `${time.replace(' ', 'T')}Z` : time;
	return isoOrNull(iso);
}

/** Kuma stores "https://" as the URL of monitors that have none (ping, port, push, DNS…). */
function kumaUrl(url: string | null | undefined): string | null {
	const text = url?.trim();
	return !text || /^https?:\/\/$/i.test(text) ? null : text;
}

/**
 * Kuma sends three kinds of message with neither monitor nor heartbeat: the "Test" button (`<notification name>
 * Testing`), TLS certificate expiry (`[<monitor>][<url>] <type> certificate <CN> will be expired in N days`; 1.x said
 * "Certificate will be expired", 2.x says "will expire") and, from 2.x, domain expiry (`Domain name <domain> will
 * expire in N days`). The expiry notices are real, actionable problems and must not be dropped as tests.
 */
const KUMA_CERT_EXPIRY = /^\[(.+)\]\[([^\]]*)\] (?:(.+?) certificate (.+?)|Certificate) will (?:be expired|expire) in (-?\d+) days?\.?$/;
const KUMA_DOMAIN_EXPIRY = /^Domain name (\S+) will expire in (-?\d+) days?\.?$/;
const KUMA_TEST = /(^|\s)Testing$/;

function kumaNotice(msg: string, options: NormaliseOptions): CanonicalAlert | null {
	const source = 'uptime-kuma' as const;
	const cert = KUMA_CERT_EXPIRY.exec(msg);
	const domain = cert ? null : KUMA_DOMAIN_EXPIRY.exec(msg);
	if (!cert && !domain) return null;
	const severity = toSeverity(undefined, options.defaultSeverity ?? 'warning');
	if (cert) {
		const [, name, rawUrl, certType, certCn, days] = cert;
		const url = kumaUrl(rawUrl);
		const host = hostOfUrl(url);
		const labels: Record<string, string> = { alertname: 'TLS certificate expiry', monitor: name, days_remaining: days };
		if (url) labels.url = url;
		if (certType) labels.cert_type = certType;
		if (certCn) labels.cert_cn = certCn;
		// The message names the monitor and its URL, not its id: keyed on those, apart from the monitor's down/up key.
		const fingerprint = labelsFingerprint({ kind: 'certificate', monitor: name, url: url ?? '' });
		return {
			source,
			dedupeKey: dedupeKeyFor(source, 'series', fingerprint, null),
			status: 'firing',
			severity,
			summary: `${certCn ?? host ?? name}: TLS certificate expires in ${days} days`,
			description: msg,
			labels,
			annotations: { message: msg },
			startsAt: null,
			endsAt: null,
			links: { generator: url, dashboard: null, panel: null, silence: null },
			assetHint: { instance: host, host, job: null },
			fingerprint,
			groupKey: null,
			raw: { heartbeat: null, monitor: null, msg },
		};
	}
	const [, name, days] = domain as RegExpExecArray;
	const fingerprint = labelsFingerprint({ kind: 'domain', domain: name });
	return {
		source,
		dedupeKey: dedupeKeyFor(source, 'series', fingerprint, null),
		status: 'firing',
		severity,
		summary: `Domain ${name} expires in ${days} days`,
		description: msg,
		labels: { alertname: 'Domain expiry', domain: name, days_remaining: days },
		annotations: { message: msg },
		startsAt: null,
		endsAt: null,
		links: { generator: null, dashboard: null, panel: null, silence: null },
		assetHint: { instance: name, host: name, job: null },
		fingerprint,
		groupKey: null,
		raw: { heartbeat: null, monitor: null, msg },
	};
}

function fromUptimeKuma(body: unknown, options: NormaliseOptions): NormaliseResult {
	const parsed = parseWith(kumaBody, body, 'uptime-kuma');
	const source = 'uptime-kuma' as const;
	if (parsed.heartbeat === null || parsed.monitor === null) {
		const msg = (parsed.msg ?? '').trim();
		if (parsed.heartbeat === null) {
			const notice = msg ? kumaNotice(msg, options) : null;
			if (notice) return { source, alerts: [notice], warnings: [], test: false };
		}
		if (parsed.heartbeat === null && parsed.monitor === null) {
			if (msg === '' || KUMA_TEST.test(msg)) return { source, alerts: [], warnings: [], test: true, testMessage: parsed.msg || 'Uptime Kuma test notification' };
			// Neither a test nor a notice this normaliser knows (e.g. 2.x "database down"): kept visible, but no ticket.
			return { source, alerts: [], warnings: [`Uptime Kuma sent a message with no monitor or heartbeat that is not a test: no ticket action (${msg})`], test: false };
		}
		throw new AlertPayloadError(
			`Malformed Uptime Kuma webhook body: ${parsed.heartbeat === null ? 'heartbeat' : 'monitor'} is null while ${parsed.heartbeat === null ? 'monitor' : 'heartbeat'} is not (only Kuma's test and expiry messages come without a heartbeat)`,
			[{ path: parsed.heartbeat === null ? 'heartbeat' : 'monitor', message: 'must be an object' }],
			source,
		);
	}
	const { heartbeat, monitor } = parsed;
	const state = KUMA_STATUS[heartbeat.status];
	if (state === 'pending' || state === 'maintenance') {
		// Pending is Kuma retrying before it declares the monitor down; maintenance is planned downtime. Neither
		// opens nor closes an incident.
		return {
			source,
			alerts: [],
			warnings: [`Uptime Kuma monitor '${monitor.name}' is ${state} (status ${heartbeat.status}): no ticket action`],
			test: false,
		};
	}
	const status: AlertStatus = state === 'down' ? 'firing' : 'resolved';
	const labels: Record<string, string> = { alertname: monitor.name, monitor: monitor.name, monitor_id: String(monitor.id) };
	if (monitor.type) labels.monitor_type = monitor.type;
	const url = kumaUrl(monitor.url);
	const host = monitor.hostname || hostOfUrl(url);
	if (host) labels.host = host;
	if (url) labels.url = url;
	for (const tag of monitor.tags ?? []) labels[`tag_${tag.name}`] = tag.value ?? '';
	// Keyed on the monitor id alone: renaming a monitor or editing its URL must not split one incident in two.
	const fingerprint = labelsFingerprint({ monitor_id: String(monitor.id) });
	const time = kumaTime(heartbeat.time);
	const instance = host ? (monitor.port ? `${host}:${monitor.port}` : host) : null;
	const severityTag = labels.tag_severity;
	const alert: CanonicalAlert = {
		source,
		dedupeKey: dedupeKeyFor(source, 'series', fingerprint, null),
		status,
		severity: status === 'firing' ? toSeverity(severityTag, 'critical') : toSeverity(severityTag, options.defaultSeverity ?? 'info'),
		summary: `${monitor.name} is ${state === 'down' ? 'down' : 'up'}`,
		description: heartbeat.msg || parsed.msg || '',
		labels,
		annotations: parsed.msg ? { message: parsed.msg } : {},
		startsAt: status === 'firing' ? time : null,
		endsAt: status === 'resolved' ? time : null,
		links: { generator: url, dashboard: null, panel: null, silence: null },
		assetHint: { instance, host, job: monitor.type ?? null },
		fingerprint,
		groupKey: null,
		raw: { heartbeat, monitor, msg: parsed.msg ?? null },
	};
	const warnings = options.dedupeBy === 'group' ? ['Uptime Kuma has no alert groups: keyed per monitor'] : [];
	return { source, alerts: [alert], warnings, test: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Generic JSON

const PATH_TOKEN = /([^.[\]]+)|\[(\d+)\]/g;

export function parseFieldPath(path: string): Array<string | number> {
	const parts: Array<string | number> = [];
	for (const match of path.trim().matchAll(PATH_TOKEN)) parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
	return parts;
}

const FIRING_WORDS = ['firing', 'alerting', 'alert', 'problem', 'down', 'critical', 'error', 'triggered', 'open', 'active', 'fail', 'failed', 'failing', 'true', '1'];
const RESOLVED_WORDS = ['resolved', 'ok', 'up', 'recovered', 'recovery', 'closed', 'normal', 'inactive', 'cleared', 'pass', 'passed', 'false', '0'];

function text(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'object') return JSON.stringify(value);
	const shown = String(value);
	return shown === '' ? null : shown;
}

function fromGeneric(body: unknown, options: NormaliseOptions): NormaliseResult {
	const paths = options.generic;
	const source = 'generic' as const;
	if (!paths || !paths.status) {
		throw new AlertPayloadError('Generic JSON needs at least the path of the status field (e.g. { status: "state" })', [{ path: 'generic.status', message: 'is missing' }], source);
	}
	if (body === null || typeof body !== 'object') {
		throw new AlertPayloadError(`Malformed generic JSON webhook body: (body) must be an object (got ${describeType(body)})`, [{ path: '(body)', message: 'must be an object' }], source);
	}
	let elements: Array<{ value: unknown; prefix: Array<string | number> }> = [{ value: body, prefix: [] }];
	if (paths.alerts) {
		const at = parseFieldPath(paths.alerts);
		const list = getAt(body, at);
		if (!Array.isArray(list)) {
			throw new AlertPayloadError(`Malformed generic JSON webhook body: ${formatPath(at)} must be an array (got ${describeType(list)})`, [{ path: formatPath(at), message: 'must be an array' }], source);
		}
		elements = list.map((value, index) => ({ value, prefix: [...at, index] }));
	}
	const firing = new Set([...FIRING_WORDS, ...(options.firingValues ?? []).map((v) => v.toLowerCase())]);
	const resolved = new Set([...RESOLVED_WORDS, ...(options.resolvedValues ?? []).map((v) => v.toLowerCase())]);
	const scope = options.dedupeBy ?? 'series';
	const fallback = options.defaultSeverity ?? 'warning';
	const issues: Array<{ path: string; message: string }> = [];
	const alerts: CanonicalAlert[] = [];
	for (const { value, prefix } of elements) {
		const read = (path: string | undefined) => (path ? getAt(value, parseFieldPath(path)) : undefined);
		const where = (path: string) => formatPath([...prefix, ...parseFieldPath(path)]);
		const rawStatus = read(paths.status);
		const statusWord = text(rawStatus)?.trim().toLowerCase();
		let status: AlertStatus | undefined;
		if (statusWord === undefined) issues.push({ path: where(paths.status), message: `${where(paths.status)} is missing (the status field)` });
		// Resolved wins on a word in both lists: closing a ticket by mistake is undone by the next firing delivery.
		else if (resolved.has(statusWord)) status = 'resolved';
		else if (firing.has(statusWord)) status = 'firing';
		else
			issues.push({
				path: where(paths.status),
				message: `${where(paths.status)} is '${statusWord}', which is neither firing nor resolved: add it to the firing or resolved values`,
			});
		let labels: Record<string, string> = {};
		if (paths.labels) {
			const rawLabels = read(paths.labels);
			if (rawLabels !== undefined && rawLabels !== null) {
				if (typeof rawLabels !== 'object' || Array.isArray(rawLabels)) {
					issues.push({ path: where(paths.labels), message: `${where(paths.labels)} must be an object (got ${describeType(rawLabels)})` });
				} else {
					labels = Object.fromEntries(Object.entries(rawLabels).map(([k, v]) => [k, text(v) ?? '']));
				}
			}
		}
		if (status === undefined) continue;
		const key = text(read(paths.key));
		const summary = text(read(paths.summary));
		const instance = text(read(paths.instance)) ?? labels.instance ?? null;
		const host = text(read(paths.host)) ?? labels.host ?? (instance ? stripPort(instance) : null);
		const job = text(read(paths.job)) ?? labels.job ?? null;
		if (paths.key && key === null) issues.push({ path: where(paths.key), message: `${where(paths.key)} is missing (the dedupe key field)` });
		const identity = key !== null ? { key } : Object.keys(labels).length > 0 ? labels : { summary: summary ?? '' };
		const fingerprint = labelsFingerprint(identity);
		const groupKey = text(read(paths.groupKey));
		alerts.push({
			source,
			dedupeKey: dedupeKeyFor(source, scope, fingerprint, groupKey),
			status,
			severity: toSeverity(read(paths.severity) ?? labels.severity, fallback),
			summary: summary ?? labels.alertname ?? key ?? 'Alert',
			description: text(read(paths.description)) ?? '',
			labels,
			annotations: {},
			startsAt: isoOrNull(text(read(paths.startsAt))),
			endsAt: isoOrNull(text(read(paths.endsAt))),
			links: { generator: text(read(paths.link)), dashboard: text(read(paths.dashboard)), panel: null, silence: null },
			assetHint: { instance, host, job },
			fingerprint,
			groupKey,
			raw: value,
		});
	}
	if (issues.length > 0) {
		const shown = issues.slice(0, 3).map((i) => i.message).join('; ');
		throw new AlertPayloadError(`Malformed generic JSON webhook body: ${shown}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''}`, issues, source);
	}
	const warnings = scope === 'group' && alerts.some((a) => !a.groupKey) ? ['Dedupe per group was asked for but no group key path gave a value: keyed per series instead'] : [];
	return { source, alerts, warnings, test: false };
}

// ---------------------------------------------------------------------------------------------------------------
// detection and entry point

export function detectSource(body: unknown, options: NormaliseOptions = {}): AlertSource {
	if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
		const record = body as Record<string, unknown>;
		if ('heartbeat' in record && 'monitor' in record) return 'uptime-kuma';
		if (Array.isArray(record.alerts) || 'groupKey' in record) {
			// Grafana's envelope is Alertmanager's plus orgId/title/state; version "1" versus "4".
			if (record.version === '1' || 'orgId' in record || 'state' in record) return 'grafana';
			return 'alertmanager';
		}
		// Grafana's legacy (dashboard) alerting, up to Grafana 10: one rule per body.
		if (isGrafanaLegacy(record)) return 'grafana';
	}
	if (options.generic?.status) return 'generic';
	throw new AlertPayloadError(
		`Cannot tell which monitoring system sent this body (got ${describeType(body)}${body && typeof body === 'object' && !Array.isArray(body) ? ` with keys ${Object.keys(body).slice(0, 8).join(', ') || 'none'}` : ''}): expected Alertmanager (version "4", alerts[]), Grafana (version "1", orgId, alerts[]; or legacy ruleName, state), Uptime Kuma (heartbeat, monitor, msg), or configure the generic JSON field paths`,
		[{ path: '(body)', message: 'unrecognised shape' }],
	);
}

/**
 * Uptime Kuma's webhook in "multipart/form-data" mode posts one form field, `data`, holding the JSON text of the usual
 * body; n8n's Webhook node hands that on as `{ data: "<json>" }`.
 */
function unwrapFormData(body: unknown): unknown {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
	const record = body as Record<string, unknown>;
	const keys = Object.keys(record);
	if (keys.length !== 1 || keys[0] !== 'data' || typeof record.data !== 'string') return body;
	try {
		const inner: unknown = JSON.parse(record.data);
		return inner !== null && typeof inner === 'object' && !Array.isArray(inner) && 'heartbeat' in inner && 'monitor' in inner ? inner : body;
	} catch {
		return body;
	}
}

/** Turns a webhook body into canonical alerts. Throws AlertPayloadError naming the problem and its path. */
export function normaliseAlerts(body: unknown, options: NormaliseOptions = {}): NormaliseResult {
	let payload = body;
	if (typeof payload === 'string') {
		try {
			payload = JSON.parse(payload);
		} catch (error) {
			throw new AlertPayloadError(`The webhook body is not valid JSON: ${(error as Error).message}`, [{ path: '(body)', message: 'invalid JSON' }]);
		}
	}
	payload = unwrapFormData(payload);
	const source = options.source && options.source !== 'auto' ? options.source : detectSource(payload, options);
	switch (source) {
		case 'alertmanager':
			return fromAlertmanagerLike(payload, source, options);
		case 'grafana':
			return isGrafanaLegacy(payload) ? fromGrafanaLegacy(payload, options) : fromAlertmanagerLike(payload, source, options);
		case 'uptime-kuma':
			return fromUptimeKuma(payload, options);
		case 'generic':
			return fromGeneric(payload, options);
		default:
			throw new AlertPayloadError(`Unknown alert source '${String(source)}'`);
	}
}

const canonicalSchema = z.object({
	source: z.enum(['alertmanager', 'grafana', 'uptime-kuma', 'generic']),
	dedupeKey: z.string().min(1),
	status: z.enum(['firing', 'resolved']),
	severity: z.enum(['critical', 'error', 'warning', 'info']),
	summary: z.string(),
	description: z.string().default(''),
	labels: z.record(z.string()).default({}),
	annotations: z.record(z.string()).default({}),
	startsAt: z.string().nullable().default(null),
	endsAt: z.string().nullable().default(null),
	links: z
		.object({ generator: z.string().nullable(), dashboard: z.string().nullable(), panel: z.string().nullable(), silence: z.string().nullable() })
		.partial()
		.default({}),
	assetHint: z.object({ instance: z.string().nullable(), host: z.string().nullable(), job: z.string().nullable() }).partial().default({}),
	fingerprint: z.string().default(''),
	groupKey: z.string().nullable().default(null),
	raw: z.unknown().optional(),
});

/**
 * Checks an item that claims to be a canonical alert (Handle Ticket's input, which may have passed through other
 * nodes or been hand-built) before anything is written to Odoo.
 */
export function parseCanonicalAlert(value: unknown): CanonicalAlert {
	const result = canonicalSchema.safeParse(value);
	if (!result.success) {
		const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issueMessage(issue, value) }));
		throw new AlertPayloadError(`Not a canonical alert (use the Normalise operation first): ${issues.slice(0, 3).map((i) => i.message).join('; ')}`, issues);
	}
	const alert = result.data;
	return {
		...alert,
		links: { generator: null, dashboard: null, panel: null, silence: null, ...alert.links },
		assetHint: { instance: null, host: null, job: null, ...alert.assetHint },
		raw: alert.raw,
	} as CanonicalAlert;
}
