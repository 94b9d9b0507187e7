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
	groupKey: z.string().nullish(),
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

function fromAlertmanagerLike(body: unknown, source: 'alertmanager' | 'grafana', options: NormaliseOptions): NormaliseResult {
	const parsed = source === 'grafana' ? parseWith(grafanaBody, body, source) : parseWith(alertmanagerBody, body, source);
	const scope = options.dedupeBy ?? 'series';
	const fallback = options.defaultSeverity ?? 'warning';
	const warnings: string[] = [];
	if (parsed.truncatedAlerts && parsed.truncatedAlerts > 0) {
		// Alertmanager drops alerts past the receiver's max_alerts; they will come back in a later delivery of the
		// group, but until then they are not in this body and must not be mistaken for resolved.
		warnings.push(`${SOURCE_LABELS[source]} truncated ${parsed.truncatedAlerts} alert(s) from this group (max_alerts): they are not in this delivery`);
	}
	const groupKey = parsed.groupKey ?? null;
	if (scope === 'group' && !groupKey) warnings.push('Dedupe per group was asked for but the body has no groupKey: keyed per series instead');
	const common = parsed.commonAnnotations ?? {};
	const alerts = parsed.alerts.map((alert): CanonicalAlert => {
		const labels = alert.labels;
		const annotations = { ...common, ...(alert.annotations ?? {}) };
		const fingerprint = alert.fingerprint && alert.fingerprint.trim() !== '' ? alert.fingerprint : labelsFingerprint(labels);
		const extra = alert as z.infer<typeof grafanaAlert>;
		const summary =
			annotations.summary ?? annotations.title ?? (source === 'grafana' && parsed.alerts.length === 1 ? (parsed as z.infer<typeof grafanaBody>).title : undefined) ?? labels.alertname ?? 'Alert';
		return {
			source,
			dedupeKey: dedupeKeyFor(source, scope, fingerprint, groupKey),
			status: alert.status,
			severity: toSeverity(labels.severity ?? labels.priority ?? annotations.severity, fallback),
			summary,
			description: annotations.description ?? annotations.message ?? extra.valueString ?? '',
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
			assetHint: assetHintFrom(labels),
			fingerprint,
			groupKey,
			raw: alert,
		};
	});
	return { source, alerts, warnings, test: false };
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

function fromUptimeKuma(body: unknown, options: NormaliseOptions): NormaliseResult {
	const parsed = parseWith(kumaBody, body, 'uptime-kuma');
	const source = 'uptime-kuma' as const;
	if (parsed.heartbeat === null || parsed.monitor === null) {
		if (parsed.heartbeat === null && parsed.monitor === null) {
			return { source, alerts: [], warnings: [], test: true, testMessage: parsed.msg ?? 'Uptime Kuma test notification' };
		}
		throw new AlertPayloadError(
			`Malformed Uptime Kuma webhook body: ${parsed.heartbeat === null ? 'heartbeat' : 'monitor'} is null while ${parsed.heartbeat === null ? 'monitor' : 'heartbeat'} is not (only the test message has both null)`,
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
	const host = monitor.hostname || hostOfUrl(monitor.url);
	if (host) labels.host = host;
	if (monitor.url) labels.url = monitor.url;
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
		links: { generator: monitor.url || null, dashboard: null, panel: null, silence: null },
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
	}
	if (options.generic?.status) return 'generic';
	throw new AlertPayloadError(
		`Cannot tell which monitoring system sent this body (got ${describeType(body)}${body && typeof body === 'object' && !Array.isArray(body) ? ` with keys ${Object.keys(body).slice(0, 8).join(', ') || 'none'}` : ''}): expected Alertmanager (version "4", alerts[]), Grafana (version "1", orgId, alerts[]), Uptime Kuma (heartbeat, monitor, msg), or configure the generic JSON field paths`,
		[{ path: '(body)', message: 'unrecognised shape' }],
	);
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
	const source = options.source && options.source !== 'auto' ? options.source : detectSource(payload, options);
	switch (source) {
		case 'alertmanager':
		case 'grafana':
			return fromAlertmanagerLike(payload, source, options);
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
