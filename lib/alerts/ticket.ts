/**
 * Alert → Odoo ticket. The decision is a pure function of the alert and what Odoo already holds for its dedupe key;
 * the executor reads that state, applies the decision, and then converges concurrent deliveries so that exactly one
 * open ticket per key survives. All state lives in Odoo (the key, the occurrence log and count, a digest of the last
 * alert content), never in this process, because n8n may run each delivery in a different worker.
 */
import { OdooError } from '../odoo/errors';
import { createManualField, ensureManualFields, ensureManualModel, type ManualAccessSpec, type ManualFieldSpec } from '../odoo/manual-schema';
import type { OdooClient, OdooDomain, OdooFieldInfo, OdooRecord } from '../odoo/types';
import { sha256 } from './normalise';
import type { AlertSeverity, CanonicalAlert } from './types';
import { escapeHtml } from '../shared/html';

export const DEDUPE_FIELD = 'x_alert_dedupe_key';
export const OCCURRENCES_FIELD = 'x_alert_occurrences';
/** Lets "something changed" survive across processes: a hash of the content the ticket last showed. */
export const DIGEST_FIELD = 'x_alert_digest';
export const ASSET_FIELD = 'x_alert_asset_id';
/**
 * Append-only: one row per occurrence (a firing delivery that landed on a ticket). Odoo has no atomic increment over
 * RPC, so the count on the ticket is derived from these rows instead of being read, incremented and written back.
 */
export const OCCURRENCE_LOG_MODEL = 'x_ops_alert_occurrence';

export const DEFAULT_REOPEN_WINDOW_MINUTES = 60;
export const DEFAULT_ASSET_MODELS = ['ov.asset', 'maintenance.equipment', 'stock.lot', 'stock.production.lot'];

export interface Ticket {
	id: number;
	/** ISO 8601 (or Odoo's "YYYY-MM-DD HH:MM:SS" UTC); null when unknown. */
	closedAt?: string | null;
	occurrences?: number;
	digest?: string | null;
	/** Set when the ticket was closed by a resolved alert: the startsAt of the incident that resolved. */
	resolvedStartsAt?: string | null;
}

export type TicketDecision =
	| { action: 'create' }
	| { action: 'update'; ticketId: number; changed: boolean; occurrences: number }
	| { action: 'reopen'; ticketId: number; occurrences: number; closedMinutesAgo: number }
	| { action: 'resolve'; ticketId: number }
	| { action: 'ignore'; reason: 'resolved-without-open-ticket' | 'already-resolved' | 'stale-firing' };

/** The part of an alert a human reads on the ticket; repeating the same content is an occurrence, not news. */
export function alertDigest(alert: Pick<CanonicalAlert, 'severity' | 'summary' | 'description'>): string {
	return sha256(JSON.stringify([alert.severity, alert.summary, alert.description])).slice(0, 32);
}

export function parseOdooDate(value: unknown): Date | null {
	if (typeof value !== 'string' || value === '') return null;
	// Odoo sends naive UTC "YYYY-MM-DD HH:MM:SS"; without the Z, Date would read it as local time.
	const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? null : date;
}

function sameInstant(a: string, b: string): boolean {
	const left = parseOdooDate(a);
	const right = parseOdooDate(b);
	return left !== null && right !== null ? left.getTime() === right.getTime() : a === b;
}

export function decideTicketAction(
	alert: Pick<CanonicalAlert, 'status' | 'severity' | 'summary' | 'description'> & { startsAt?: string | null },
	existing: { open?: Ticket | null; recentlyClosed?: Ticket | null },
	now: Date,
	reopenWindowMinutes: number,
): TicketDecision {
	const { open, recentlyClosed } = existing;
	if (alert.status === 'resolved') {
		if (open) return { action: 'resolve', ticketId: open.id };
		// Never create from a resolved alert: there is nothing left to do, and a late or repeated "resolved" must not
		// leave a ticket behind.
		return { action: 'ignore', reason: recentlyClosed ? 'already-resolved' : 'resolved-without-open-ticket' };
	}
	if (open) {
		return {
			action: 'update',
			ticketId: open.id,
			changed: (open.digest ?? null) !== alertDigest(alert),
			occurrences: (open.occurrences ?? 0) + 1,
		};
	}
	if (recentlyClosed) {
		// A firing delivery of the very incident that already resolved (same start) is a late retry or the other
		// Alertmanager of an HA pair, not a new incident; a real recurrence starts at a new time.
		if (alert.startsAt && recentlyClosed.resolvedStartsAt && sameInstant(alert.startsAt, recentlyClosed.resolvedStartsAt)) {
			return { action: 'ignore', reason: 'stale-firing' };
		}
		const closedAt = parseOdooDate(recentlyClosed.closedAt ?? null);
		if (closedAt) {
			const minutes = (now.getTime() - closedAt.getTime()) / 60_000;
			// Flap damping: an incident that comes back soon after it was resolved is the same incident.
			if (minutes <= reopenWindowMinutes) {
				return { action: 'reopen', ticketId: recentlyClosed.id, occurrences: (recentlyClosed.occurrences ?? 0) + 1, closedMinutesAgo: Math.max(0, Math.round(minutes)) };
			}
		}
	}
	return { action: 'create' };
}

// ---------------------------------------------------------------------------------------------------------------
// Odoo side

export type TicketTarget = 'helpdesk.ticket' | 'project.task';
type Flavour = 'helpdesk-oca' | 'helpdesk-enterprise' | 'project-task';

export interface HandleAlertOptions {
	target?: TicketTarget;
	/** helpdesk team (helpdesk.ticket) */
	teamId?: number;
	/** project (project.task); required by Odoo for tasks to show anywhere useful */
	projectId?: number;
	/** Existing tag names or ids; unknown names are reported as warnings, not created (concurrent deliveries would race). */
	tags?: Array<string | number>;
	reopenWindowMinutes?: number;
	/** Defaults to the current time; tests pass the sandbox clock. */
	now?: Date;
	/** Stage to close in; default the first closed stage by sequence. */
	closedStageId?: number;
	/** Stage to reopen in; default the first open stage by sequence. */
	openStageId?: number;
	/** Models searched for the asset hint, in order; false turns asset linking off. */
	assetModels?: string[] | false;
	/** Create the x_alert_asset_id field on the target when it has no many2one to the asset model. Default true. */
	createAssetField?: boolean;
}

export interface HandleAlertResult {
	action: TicketDecision['action'];
	reason?: string;
	model: TicketTarget;
	flavour: Flavour;
	dedupeKey: string;
	/** The ticket that now carries the incident (after folding concurrent duplicates). */
	ticketId: number | null;
	reference: string | null;
	occurrences: number | null;
	/** A chatter note was posted. */
	noted: boolean;
	/** Tickets closed as duplicates of ticketId by this call. */
	folded: number[];
	asset: { model: string; id: number; name: string } | null;
	warnings: string[];
}

interface TargetInfo {
	model: TicketTarget;
	flavour: Flavour;
	fields: Record<string, OdooFieldInfo>;
	closedDomain: OdooDomain;
	openDomain: OdooDomain;
	closedDateField: string | null;
	readFields: string[];
	closeValues: Record<string, unknown>;
	reopenValues: Record<string, unknown>;
	/**
	 * Null when the log cannot be used (no right to create it, or an append was refused): occurrences are then counted
	 * read-then-write as before, which can lose increments of concurrent deliveries, and `logWarning` says why.
	 */
	log: OccurrenceLog | null;
	logWarning: string | null;
}

const TICKET_FIELDS: ManualFieldSpec[] = [
	{ name: DEDUPE_FIELD, ttype: 'char', description: 'Alert dedupe key', index: true },
	{ name: OCCURRENCES_FIELD, ttype: 'integer', description: 'Alert occurrences' },
	{ name: DIGEST_FIELD, ttype: 'char', description: 'Alert content digest' },
];

/**
 * Adds the manual x_ fields alert handling needs to `model` if fields_get lacks them. Idempotent and safe under
 * concurrent first use; returns the model's fields as they are afterwards.
 */
export async function ensureDedupeField(client: OdooClient, model: string): Promise<Record<string, OdooFieldInfo>> {
	return (await ensureManualFields(client, model, TICKET_FIELDS)).fields;
}

/** What the delivery that wrote a log row did; for people reading the log, the count does not look at it. */
type OccurrenceStatus = 'created' | 'repeat' | 'changed' | 'reopened' | 'duplicate';

const LOG_FIELDS: ManualFieldSpec[] = [
	{ name: 'x_dedupe_key', ttype: 'char', description: 'Alert dedupe key', index: true },
	{ name: 'x_received_at', ttype: 'datetime', description: 'Received at' },
	{ name: 'x_status', ttype: 'char', description: 'Delivery outcome' },
];

/**
 * Odoo gives a model created over RPC no access rights and the admin is not the superuser, so ensureManualModel adds
 * these. Deliveries run as internal users: they append rows, count them and move them onto the ticket a duplicate is
 * folded into. Nobody deletes a row (the log is append-only; a deleted ticket takes its rows along), and without
 * base.group_user on the database no rule is added rather than a global one that portal users would get too. If the
 * creating execution dies before the rule exists, appends fail with an access error and handleAlert says how to fix it:
 * the usual path below stops at fields_get and never looks at the rules again.
 */
const LOG_ACCESS: ManualAccessSpec[] = [{ group: 'base.group_user', read: true, write: true, create: true, unlink: false }];

export interface OccurrenceLog {
	model: string;
	/** The log's many2one to the ticket model. */
	link: string;
}

/**
 * The log's link to one target model: a many2one names a single comodel, so helpdesk.ticket and project.task each get
 * their own (x_helpdesk_ticket_id, x_project_task_id). A real many2one rather than an integer lets the count filter
 * on the ticket's current key in the same call, which is how a delivery notices its ticket was folded away.
 */
export function occurrenceLinkField(target: TicketTarget): string {
	return `x_${target.replace(/\./g, '_')}_id`;
}

/**
 * Creates the occurrence log (or adds the link for another target) if it is missing. The usual case costs one
 * fields_get per execution.
 */
export async function ensureOccurrenceLog(client: OdooClient, target: TicketTarget): Promise<OccurrenceLog> {
	const link = occurrenceLinkField(target);
	const specs: ManualFieldSpec[] = [
		...LOG_FIELDS,
		// cascade: a deleted ticket's occurrences mean nothing any more.
		{ name: link, ttype: 'many2one', relation: target, description: `Ticket (${target})`, index: true, onDelete: 'cascade' },
	];
	try {
		const fields = await client.fieldsGet(OCCURRENCE_LOG_MODEL);
		if (specs.every((spec) => fields[spec.name]?.type === spec.ttype)) return { model: OCCURRENCE_LOG_MODEL, link };
	} catch (error) {
		if (!(error instanceof OdooError && error.kind === 'unknown-model')) throw error;
	}
	await ensureManualModel(client, OCCURRENCE_LOG_MODEL, 'Alert occurrence', specs, { access: LOG_ACCESS });
	return { model: OCCURRENCE_LOG_MODEL, link };
}

async function stagesOf(client: OdooClient, stageModel: string, closedFlag: 'closed' | 'fold'): Promise<{ open?: number; closed?: number }> {
	const stages = await client.searchRead(stageModel, [], { fields: ['id', 'name', 'sequence', closedFlag], order: 'sequence asc, id asc' });
	return {
		open: stages.find((stage) => !stage[closedFlag])?.id,
		closed: stages.find((stage) => Boolean(stage[closedFlag]))?.id,
	};
}

/**
 * Per client, hence per n8n execution (a client never outlives one): the items of a run share one look at the
 * model, and the next execution looks again, so a field or stage added meanwhile is seen.
 */
const targetCache = new WeakMap<OdooClient, Map<string, Promise<TargetInfo>>>();

function inspectTarget(client: OdooClient, target: TicketTarget, options: HandleAlertOptions): Promise<TargetInfo> {
	let perClient = targetCache.get(client);
	if (!perClient) {
		perClient = new Map();
		targetCache.set(client, perClient);
	}
	const cacheKey = `${target}|${options.closedStageId ?? ''}|${options.openStageId ?? ''}`;
	let info = perClient.get(cacheKey);
	if (!info) {
		info = loadTarget(client, target, options);
		perClient.set(cacheKey, info);
		const cache = perClient;
		info.catch(() => cache.delete(cacheKey));
	}
	return info;
}

async function loadTarget(client: OdooClient, target: TicketTarget, options: HandleAlertOptions): Promise<TargetInfo> {
	const shape = await loadTargetShape(client, target, options);
	try {
		return { ...shape, log: await ensureOccurrenceLog(client, target), logWarning: null };
	} catch (error) {
		// A missing log must not stop tickets from being made: the alert matters more than an exact count.
		if (!(error instanceof OdooError && ['access', 'unknown-model', 'unknown-field', 'validation'].includes(error.kind))) throw error;
		return { ...shape, log: null, logWarning: logUnavailable(error) };
	}
}

function logUnavailable(error: OdooError): string {
	// Odoo's access messages run over several lines; the first says what was refused.
	return (
		`Occurrence log '${OCCURRENCE_LOG_MODEL}' unavailable (${error.message.split('\n')[0].trim()}): occurrences are counted read-then-write, ` +
		`so concurrent deliveries can share an increment. Run once with an Odoo user that has Administration/Settings ` +
		`rights, or give internal users access to '${OCCURRENCE_LOG_MODEL}' (Settings → Technical → Access Rights)`
	);
}

async function loadTargetShape(client: OdooClient, target: TicketTarget, options: HandleAlertOptions): Promise<Omit<TargetInfo, 'log' | 'logWarning'>> {
	const fields = await ensureDedupeField(client, target);
	const stageModel = fields.stage_id?.relation;
	const base = ['id', 'name', DEDUPE_FIELD, OCCURRENCES_FIELD, DIGEST_FIELD];
	if (target === 'project.task') {
		const useState = Boolean(fields.state?.selection?.some(([key]) => key === '1_done'));
		const stages = stageModel ? await stagesOf(client, stageModel, 'fold') : {};
		const closedDomain: OdooDomain = useState ? [['state', 'in', ['1_done', '1_canceled']]] : [['stage_id.fold', '=', true]];
		const openDomain: OdooDomain = useState ? [['state', 'not in', ['1_done', '1_canceled']]] : ['|', ['stage_id', '=', false], ['stage_id.fold', '=', false]];
		const closeStage = options.closedStageId ?? stages.closed;
		const openStage = options.openStageId ?? stages.open;
		return {
			model: target,
			flavour: 'project-task',
			fields,
			closedDomain,
			openDomain,
			closedDateField: fields.date_end ? 'date_end' : 'write_date',
			readFields: [...base, 'write_date', ...(fields.date_end ? ['date_end'] : [])],
			closeValues: { ...(useState ? { state: '1_done' } : {}), ...(closeStage ? { stage_id: closeStage } : {}) },
			reopenValues: { ...(useState ? { state: '01_in_progress' } : {}), ...(openStage ? { stage_id: openStage } : {}) },
		};
	}
	if (!stageModel) throw new OdooError({ kind: 'unknown-field', model: target, field: 'stage_id', message: `'${target}' has no stage_id: is a helpdesk module installed?` });
	const stageFields = await client.fieldsGet(stageModel);
	// OCA helpdesk_mgmt marks closing stages with `closed` and numbers tickets; Enterprise folds closing stages.
	const oca = Boolean(stageFields.closed);
	const flag = oca ? 'closed' : 'fold';
	const stages = await stagesOf(client, stageModel, flag);
	const closeStage = options.closedStageId ?? stages.closed;
	const openStage = options.openStageId ?? stages.open;
	if (!closeStage) throw new OdooError({ kind: 'validation', model: stageModel, message: `No ${oca ? 'closed' : 'folded'} stage in '${stageModel}' to close tickets in`, hint: 'Create one or set the closed stage' });
	const closedDateField = ['closed_date', 'close_date'].find((name) => fields[name]) ?? 'write_date';
	return {
		model: target,
		flavour: oca ? 'helpdesk-oca' : 'helpdesk-enterprise',
		fields,
		closedDomain: [[`stage_id.${flag}`, '=', true]],
		openDomain: ['|', ['stage_id', '=', false], [`stage_id.${flag}`, '=', false]],
		closedDateField,
		readFields: [...base, closedDateField, ...(fields.number ? ['number'] : [])],
		closeValues: { stage_id: closeStage },
		reopenValues: openStage ? { stage_id: openStage } : {},
	};
}

const PRIORITY: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

/** Severity → '0'..'3', clamped to what the model's priority selection offers (project.task has only '0'/'1'). */
export function priorityFor(severity: AlertSeverity, selection?: Array<[string, string]>): string {
	const wanted = PRIORITY[severity];
	if (!selection || selection.length === 0) return String(wanted);
	const keys = selection.map(([key]) => Number(key)).filter((key) => Number.isInteger(key)).sort((a, b) => a - b);
	const best = keys.filter((key) => key <= wanted).pop() ?? keys[0];
	return String(best);
}


function ticketName(alert: CanonicalAlert): string {
	return alert.summary.length > 200 ? `${alert.summary.slice(0, 197)}...` : alert.summary;
}

function descriptionHtml(alert: CanonicalAlert, asset: HandleAlertResult['asset']): string {
	const rows: Array<[string, string]> = [
		['Source', alert.source],
		['Severity', alert.severity],
		['Started', alert.startsAt ?? 'unknown'],
		['Labels', Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'],
		['Dedupe key', alert.dedupeKey],
	];
	if (asset) rows.push(['Asset', `${asset.name} (${asset.model} #${asset.id})`]);
	else if (alert.assetHint.host || alert.assetHint.instance) rows.push(['Host', alert.assetHint.host ?? alert.assetHint.instance ?? '']);
	const links = Object.entries(alert.links).filter(([, url]) => url);
	return [
		`<p><b>${escapeHtml(alert.summary)}</b></p>`,
		alert.description ? `<p>${escapeHtml(alert.description)}</p>` : '',
		`<ul>${rows.map(([k, v]) => `<li>${k}: ${escapeHtml(v)}</li>`).join('')}</ul>`,
		links.length > 0 ? `<p>${links.map(([k, url]) => `<a href="${escapeHtml(String(url))}">${k}</a>`).join(' · ')}</p>` : '',
	].join('');
}

/** The digest field holds `resolved@<startsAt>` after a resolve, so a closed ticket remembers which incident ended. */
const RESOLVED_MARK = 'resolved@';

function toTicket(record: OdooRecord, info: TargetInfo): Ticket {
	const stored = typeof record[DIGEST_FIELD] === 'string' ? (record[DIGEST_FIELD] as string) : null;
	const resolved = stored?.startsWith(RESOLVED_MARK) ? stored.slice(RESOLVED_MARK.length) : null;
	return {
		id: record.id,
		closedAt: info.closedDateField && typeof record[info.closedDateField] === 'string' ? (record[info.closedDateField] as string) : null,
		occurrences: typeof record[OCCURRENCES_FIELD] === 'number' ? (record[OCCURRENCES_FIELD] as number) : 0,
		digest: resolved === null ? stored : null,
		resolvedStartsAt: resolved || null,
	};
}

function referenceOf(record: OdooRecord | undefined, id: number): string {
	return record && typeof record.number === 'string' && record.number ? record.number : `#${id}`;
}

async function resolveTags(client: OdooClient, info: TargetInfo, tags: Array<string | number>, warnings: string[]): Promise<number[]> {
	const relation = info.fields.tag_ids?.relation;
	if (!relation || tags.length === 0) return [];
	const ids = tags.filter((tag): tag is number => typeof tag === 'number');
	const names = tags.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '').map((tag) => tag.trim());
	if (names.length > 0) {
		const found = await client.searchRead(relation, [['name', 'in', names]], { fields: ['id', 'name'] });
		for (const name of names) {
			const match = found.find((record) => String(record.name).toLowerCase() === name.toLowerCase());
			if (match) ids.push(match.id);
			else warnings.push(`Tag '${name}' does not exist in ${relation}: not set`);
		}
	}
	return [...new Set(ids)];
}

/** Per client (one execution): which of the inventory's host fields each asset model has, looked at once. */
const assetFieldCache = new WeakMap<OdooClient, Map<string, Promise<string[]>>>();

/** `name` always; the inventory's hostname and IP fields (Odoo Ops Inventory) where the model has them. */
function assetMatchFields(client: OdooClient, model: string): Promise<string[]> {
	let perClient = assetFieldCache.get(client);
	if (!perClient) {
		perClient = new Map();
		assetFieldCache.set(client, perClient);
	}
	let fields = perClient.get(model);
	if (!fields) {
		fields = client.fieldsGet(model, ['type']).then((all) => ['name', ...ASSET_HOST_FIELDS.filter((field) => all[field])]);
		perClient.set(model, fields);
	}
	return fields;
}

const ASSET_HOST_FIELDS = ['x_hostname', 'x_ip'];

/** 'pve01.lab:9100' → also 'pve01.lab': Prometheus instances carry the exporter's port, inventories do not. */
function hostForms(hint: string): string[] {
	const trimmed = hint.trim();
	const withoutPort = /^\[?([^\]]+?)\]?:\d+$/.exec(trimmed)?.[1];
	const withoutScheme = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(trimmed)?.[1];
	return [...new Set([trimmed, withoutPort, withoutScheme].filter((form): form is string => Boolean(form)))];
}

async function findAsset(client: OdooClient, alert: CanonicalAlert, models: string[], warnings: string[]): Promise<HandleAlertResult['asset']> {
	const hints = [...new Set([alert.assetHint.host, alert.assetHint.instance].filter((hint): hint is string => Boolean(hint && hint.trim())).flatMap(hostForms))];
	if (hints.length === 0) return null;
	for (const model of models) {
		try {
			const terms: OdooDomain = (await assetMatchFields(client, model)).flatMap((field) => hints.map((hint) => [field, '=ilike', hint] as [string, string, string]));
			const domain: OdooDomain = [...Array.from({ length: terms.length - 1 }, () => '|' as const), ...terms];
			const found = await client.searchRead(model, domain, { fields: ['id', 'name'], limit: 1, order: 'id asc' });
			if (found.length > 0) return { model, id: found[0].id, name: String(found[0].name) };
		} catch (error) {
			// Most databases have only some of these apps installed; a missing model is not a failure.
			if (error instanceof OdooError && (error.kind === 'unknown-model' || error.kind === 'access')) continue;
			warnings.push(`Asset lookup in ${model} failed: ${(error as Error).message}`);
		}
	}
	return null;
}

async function assetLinkField(client: OdooClient, info: TargetInfo, assetModel: string, create: boolean): Promise<string | null> {
	const existing = Object.entries(info.fields).find(([, field]) => field.type === 'many2one' && field.relation === assetModel);
	if (existing) return existing[0];
	if (!create || info.fields[ASSET_FIELD]) return null;
	await createManualField(client, info.model, { name: ASSET_FIELD, ttype: 'many2one', relation: assetModel, description: 'Alert asset', onDelete: 'set null' });
	const fields = await client.fieldsGet(info.model);
	if (fields[ASSET_FIELD]?.relation !== assetModel) return null;
	info.fields = fields;
	return ASSET_FIELD;
}

function keyDomain(key: string): OdooDomain {
	return [[DEDUPE_FIELD, '=', key]];
}

/** What one delivery works with; nothing in it outlives the call. */
interface Run {
	client: OdooClient;
	info: TargetInfo;
	key: string;
	now: Date;
	warnings: string[];
}

interface Counted {
	/** The ticket that carries the occurrence: the one asked for, or the survivor it was folded into meanwhile. */
	ticket: OdooRecord;
	occurrences: number;
}

/**
 * How many times settle may re-count. Each extra round means another delivery appended between this one's write and
 * its count; under any real burst a handful suffice, and giving up early only leaves the count for the next delivery
 * to set right (every delivery recomputes it from the log).
 */
const MAX_SETTLE_ROUNDS = 25;

function odooDatetime(date: Date): string {
	return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Counts one occurrence of the run's key on `ticket`: appends this delivery's row to the log, writes `values` together
 * with `expected` (the count this delivery expects, e.g. what it read plus one), then settles the count. `values` null
 * means the ticket was just created by this delivery with x_alert_occurrences = `expected`, so there is nothing to
 * write first. Without a usable log this is the old read-then-write.
 */
async function recordOccurrence(
	run: Run,
	ticket: OdooRecord,
	status: OccurrenceStatus,
	values: Record<string, unknown> | null,
	expected: number,
): Promise<Counted> {
	const { client, info } = run;
	let rowId: number | null = null;
	if (info.log) {
		try {
			[rowId] = await client.create(info.log.model, [
				{ x_dedupe_key: run.key, [info.log.link]: ticket.id, x_received_at: odooDatetime(run.now), x_status: status },
			]);
		} catch (error) {
			if (!(error instanceof OdooError && error.kind === 'access')) throw error;
			// The log exists but this user may not write it (its access rule is missing): count as before, and say so.
			// Kept for the rest of this execution only; the next one looks again.
			info.log = null;
			info.logWarning = logUnavailable(error);
			run.warnings.push(info.logWarning);
		}
	}
	if (values !== null) await client.write(info.model, [ticket.id], { ...values, [OCCURRENCES_FIELD]: expected });
	if (rowId === null) return { ticket, occurrences: expected };
	return settle(run, ticket, rowId, expected, expected);
}

/**
 * Makes x_alert_occurrences equal the number of log rows of the ticket, without a lock. Loop: count the rows; if that
 * is what this delivery last wrote, stop; otherwise write it and count again. Rows are only ever added to a live
 * ticket, so counts only grow. Take the last write to the field (by commit order) and its writer W: W stopped because
 * a count it made after that write equalled the value written, so every row that existed by then is counted. Any row
 * placed later belongs to a delivery that writes after placing it (each delivery writes after its append), and that
 * write would come after W's, so there is none. Hence the field ends equal to the number of rows: nothing lost.
 * A creator counts its create (x_alert_occurrences = 1, before its row existed) as its write; that is safe because the
 * creator then counts at least its own row, so a row appended after another writer's last count makes the creator's
 * count differ from 1 and it writes again.
 *
 * `floor` keeps the count from going backwards where the log holds less than the ticket says: tickets counted before
 * the log existed keep their number and go on by one (read-then-write, as before). For every other ticket the floor
 * (what the delivery read plus one) is at most the number of rows, so it changes nothing.
 *
 * A count of 0 means the ticket no longer carries the key, since this delivery's own row is on it: a concurrent
 * create folded it into an older ticket. The row follows the fold and the count goes on there.
 */
async function settle(run: Run, ticket: OdooRecord, rowId: number, floor: number, written: number | null): Promise<Counted> {
	const { client, info, key } = run;
	const log = info.log!;
	let current = ticket;
	let lastWritten = written;
	let atLeast = floor;
	for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
		const counted = await client.searchCount(log.model, [[log.link, '=', current.id], [`${log.link}.${DEDUPE_FIELD}`, '=', key]]);
		if (counted === 0) {
			const survivor = await survivorOf(run, current.id);
			if (!survivor) {
				run.warnings.push(`Ticket #${current.id} no longer carries the alert's key (deleted or changed by hand): its occurrence count was left as it was`);
				return { ticket: current, occurrences: lastWritten ?? atLeast };
			}
			// The folding delivery moves the rows it can see; this one may have been appended after it looked.
			await client.write(log.model, [rowId], { [log.link]: survivor.id });
			current = survivor;
			lastWritten = null;
			// The survivor's own number was not read: only its rows count.
			atLeast = 0;
			continue;
		}
		const value = Math.max(counted, atLeast);
		if (value === lastWritten) return { ticket: current, occurrences: value };
		await client.write(info.model, [current.id], { [OCCURRENCES_FIELD]: value });
		lastWritten = value;
	}
	run.warnings.push(`The occurrence count of ${referenceOf(current, current.id)} was still moving after ${MAX_SETTLE_ROUNDS} re-counts; the next delivery sets it right`);
	return { ticket: current, occurrences: lastWritten ?? atLeast };
}

/** The ticket `id` was folded into, from the `<key>#dup-of-<id>` its key was renamed to; null if it was not. */
async function survivorOf(run: Run, id: number): Promise<OdooRecord | null> {
	const { client, info, key } = run;
	const [folded] = await client.read(info.model, [id], [DEDUPE_FIELD]);
	const prefix = `${key}#dup-of-`;
	const value = folded?.[DEDUPE_FIELD];
	if (typeof value !== 'string' || !value.startsWith(prefix)) return null;
	const survivorId = Number(value.slice(prefix.length));
	if (!Number.isInteger(survivorId) || survivorId <= 0) return null;
	const [survivor] = await client.read(info.model, [survivorId], info.readFields);
	return survivor ?? null;
}

/**
 * Moves a folded duplicate's occurrences to the survivor so they count there. Rows appended to the duplicate after
 * this looks are moved by their own delivery (settle), so none stays behind.
 */
async function moveOccurrences(client: OdooClient, info: TargetInfo, fromId: number, toId: number): Promise<number> {
	if (!info.log) return 0;
	const ids = await client.search(info.log.model, [[info.log.link, '=', fromId]]);
	if (ids.length > 0) await client.write(info.log.model, ids, { [info.log.link]: toId });
	return ids.length;
}

/**
 * Looks again after a create and folds later open tickets with the key into the oldest, so concurrent deliveries
 * agree on the survivor (the lowest id) without talking to each other. A creator whose ticket is not the oldest
 * folds its own. The creator of the oldest also folds every later one it sees: on a real database a ticket with a
 * lower id can commit after another creator has already looked, and only the oldest's creator is sure to see both.
 * Both may fold the same duplicate; a re-read just before makes that rare, and the write is idempotent anyway.
 * A folded ticket's occurrences move to the survivor (`moved` rows), so the incident's count keeps them.
 */
async function converge(client: OdooClient, info: TargetInfo, key: string, createdId: number): Promise<{ kept: OdooRecord; folded: number[]; moved: number }> {
	const open = await client.searchRead(info.model, [...keyDomain(key), ...info.openDomain], { fields: info.readFields, order: 'id asc' });
	const [kept, ...later] = open;
	if (!kept) {
		// Someone folded or closed our ticket between create and this read: it still carries the incident's history.
		const [mine] = await client.read(info.model, [createdId], info.readFields);
		return { kept: mine ?? ({ id: createdId } as OdooRecord), folded: [], moved: 0 };
	}
	const toFold = kept.id === createdId ? later : later.filter((ticket) => ticket.id === createdId);
	const folded: number[] = [];
	let moved = 0;
	for (const duplicate of toFold) {
		// Its owner may have folded it since our search: look once more so the note is (almost always) posted once.
		const [current] = await client.read(info.model, [duplicate.id], [DEDUPE_FIELD]);
		if (!current || current[DEDUPE_FIELD] !== key) continue;
		// The key is moved aside so a folded duplicate is never found as "recently closed" and reopened. This comes
		// before moving the rows: a delivery that appends to the duplicate afterwards then sees the fold and follows.
		await client.write(info.model, [duplicate.id], { ...info.closeValues, [DEDUPE_FIELD]: `${key}#dup-of-${kept.id}` });
		await client.messagePost(info.model, duplicate.id, {
			kind: 'note',
			body: `Duplicate of ${referenceOf(kept, kept.id)} for the same alert (concurrent delivery): closed, the incident continues there.`,
		});
		moved += await moveOccurrences(client, info, duplicate.id, kept.id);
		folded.push(duplicate.id);
	}
	return { kept, folded, moved };
}

/**
 * After this delivery created `createdId` and converged: counts its occurrence on the ticket that survived. The
 * survivor's creator wrote 1 with the create; if it moved folded rows onto its ticket, it must write after that, so it
 * writes what it expects (its row plus the moved ones). A creator that lost the race is one more occurrence of the
 * survivor.
 */
async function countCreated(run: Run, createdId: number, kept: OdooRecord, moved: number): Promise<Counted & { won: boolean }> {
	if (kept.id === createdId) {
		const counted = await recordOccurrence(run, kept, 'created', moved > 0 ? {} : null, 1 + moved);
		// Folded into an older ticket after all (settle followed the fold): that ticket is the incident, not ours.
		return { ...counted, won: counted.ticket.id === createdId };
	}
	const expected = (toTicket(kept, run.info).occurrences ?? 1) + 1;
	return { ...(await recordOccurrence(run, kept, 'duplicate', {}, expected)), won: false };
}

/** Applies one canonical alert to Odoo: create, update, reopen, resolve or ignore, per its dedupe key. */
export async function handleAlert(client: OdooClient, alert: CanonicalAlert, options: HandleAlertOptions = {}): Promise<HandleAlertResult> {
	const target = options.target ?? 'helpdesk.ticket';
	const info = await inspectTarget(client, target, options);
	const warnings: string[] = info.logWarning ? [info.logWarning] : [];
	const key = alert.dedupeKey;
	const now = options.now ?? new Date();
	const window = options.reopenWindowMinutes ?? DEFAULT_REOPEN_WINDOW_MINUTES;
	const run: Run = { client, info, key, now, warnings };

	const openRecords = await client.searchRead(target, [...keyDomain(key), ...info.openDomain], { fields: info.readFields, order: 'id asc' });
	let closedRecord: OdooRecord | undefined;
	if (openRecords.length === 0) {
		const order = `${info.closedDateField ?? 'write_date'} desc, id desc`;
		[closedRecord] = await client.searchRead(target, [...keyDomain(key), ...info.closedDomain], { fields: info.readFields, order, limit: 1 });
	}
	const openRecord = openRecords[0];
	const decision = decideTicketAction(
		alert,
		{ open: openRecord ? toTicket(openRecord, info) : null, recentlyClosed: closedRecord ? toTicket(closedRecord, info) : null },
		now,
		window,
	);
	const result: HandleAlertResult = {
		action: decision.action,
		model: target,
		flavour: info.flavour,
		dedupeKey: key,
		ticketId: null,
		reference: null,
		occurrences: null,
		noted: false,
		folded: [],
		asset: null,
		warnings,
	};
	const digest = alertDigest(alert);
	const note = async (id: number, body: string) => {
		await client.messagePost(target, id, { kind: 'note', body });
		result.noted = true;
	};
	const carriedBy = (counted: Counted) => {
		result.ticketId = counted.ticket.id;
		result.reference = referenceOf(counted.ticket, counted.ticket.id);
		result.occurrences = counted.occurrences;
	};

	switch (decision.action) {
		case 'ignore':
			result.reason = decision.reason;
			if (closedRecord) {
				result.ticketId = closedRecord.id;
				result.reference = referenceOf(closedRecord, closedRecord.id);
			}
			return result;
		case 'resolve': {
			const ticket = openRecord;
			// Note first: if the close fails, the ticket says the alert resolved and the next delivery closes it.
			await note(ticket.id, `Alert resolved${alert.endsAt ? ` at ${alert.endsAt}` : ''}: ${alert.summary}. Closing.`);
			await client.write(target, [ticket.id], { ...info.closeValues, [DIGEST_FIELD]: `${RESOLVED_MARK}${alert.startsAt ?? ''}` });
			result.ticketId = ticket.id;
			result.reference = referenceOf(ticket, ticket.id);
			result.occurrences = toTicket(ticket, info).occurrences ?? null;
			return result;
		}
		case 'update': {
			const values: Record<string, unknown> = {};
			if (decision.changed) {
				values[DIGEST_FIELD] = digest;
				values.name = ticketName(alert);
				if (info.fields.priority) values.priority = priorityFor(alert.severity, info.fields.priority.selection);
			}
			const counted = await recordOccurrence(run, openRecord, decision.changed ? 'changed' : 'repeat', values, decision.occurrences);
			if (decision.changed) {
				await note(counted.ticket.id, `Alert changed (${alert.severity}): ${alert.summary}${alert.description ? `\n${alert.description}` : ''}`);
			}
			result.reason = decision.changed ? 'changed' : 'repeat';
			carriedBy(counted);
			return result;
		}
		case 'reopen': {
			const counted = await recordOccurrence(run, closedRecord!, 'reopened', { ...info.reopenValues, [DIGEST_FIELD]: digest }, decision.occurrences);
			await note(counted.ticket.id, `Alert firing again ${decision.closedMinutesAgo} min after it was resolved (reopen window ${window} min): reopened. ${alert.summary}`);
			carriedBy(counted);
			return result;
		}
		case 'create': {
			const models = options.assetModels === false ? [] : (options.assetModels ?? DEFAULT_ASSET_MODELS);
			result.asset = await findAsset(client, alert, models, warnings);
			const values: Record<string, unknown> = {
				name: ticketName(alert),
				description: descriptionHtml(alert, result.asset),
				[DEDUPE_FIELD]: key,
				[OCCURRENCES_FIELD]: 1,
				[DIGEST_FIELD]: digest,
			};
			if (info.fields.priority) values.priority = priorityFor(alert.severity, info.fields.priority.selection);
			if (target === 'helpdesk.ticket' && options.teamId && info.fields.team_id) values.team_id = options.teamId;
			if (target === 'project.task' && options.projectId) values.project_id = options.projectId;
			const tagIds = await resolveTags(client, info, options.tags ?? [], warnings);
			if (tagIds.length > 0) values.tag_ids = [[6, 0, tagIds]];
			if (result.asset) {
				const field = await assetLinkField(client, info, result.asset.model, options.createAssetField !== false);
				if (field) values[field] = result.asset.id;
			}
			const [createdId] = await client.create(target, [values]);
			const { kept, folded, moved } = await converge(client, info, key, createdId);
			result.folded = folded;
			const counted = await countCreated(run, createdId, kept, moved);
			if (!counted.won) {
				// Another delivery won the race: this one is an occurrence of its ticket, not a new incident.
				result.action = 'update';
				result.reason = 'concurrent-duplicate-folded';
			}
			carriedBy(counted);
			return result;
		}
	}
}

export interface UnparsedAlertResult {
	action: 'create' | 'update';
	model: TicketTarget;
	dedupeKey: string;
	ticketId: number;
	reference: string;
	attachmentId: number | null;
	occurrences: number;
	warnings: string[];
}

/**
 * Keeps a webhook body that could not be normalised, so nothing a monitoring system sent is lost: one open ticket per
 * distinct body (keyed on its hash, so a sender retrying the same bad body does not pile up tickets), the body
 * attached as a file and the reason in the description. Repeats are counted through the occurrence log like alerts.
 */
export async function recordUnparsedAlert(
	client: OdooClient,
	body: unknown,
	reason: string,
	options: Pick<HandleAlertOptions, 'target' | 'teamId' | 'projectId' | 'tags'> = {},
): Promise<UnparsedAlertResult> {
	const target = options.target ?? 'helpdesk.ticket';
	const info = await inspectTarget(client, target, {});
	const warnings: string[] = info.logWarning ? [info.logWarning] : [];
	const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2) ?? 'null';
	const key = `unparsed:${sha256(text).slice(0, 32)}`;
	const run: Run = { client, info, key, now: new Date(), warnings };
	const result = (action: UnparsedAlertResult['action'], counted: Counted, attachmentId: number | null): UnparsedAlertResult => ({
		action,
		model: target,
		dedupeKey: key,
		ticketId: counted.ticket.id,
		reference: referenceOf(counted.ticket, counted.ticket.id),
		attachmentId,
		occurrences: counted.occurrences,
		warnings,
	});
	const [open] = await client.searchRead(target, [...keyDomain(key), ...info.openDomain], { fields: info.readFields, order: 'id asc', limit: 1 });
	if (open) {
		const counted = await recordOccurrence(run, open, 'repeat', {}, (toTicket(open, info).occurrences ?? 0) + 1);
		return result('update', counted, null);
	}
	const values: Record<string, unknown> = {
		name: 'Unparsed monitoring alert',
		description: `<p>A monitoring webhook body could not be read: ${escapeHtml(reason)}</p><p>The body is attached as unparsed-alert.json.</p>`,
		[DEDUPE_FIELD]: key,
		[OCCURRENCES_FIELD]: 1,
	};
	if (info.fields.priority) values.priority = priorityFor('warning', info.fields.priority.selection);
	if (target === 'helpdesk.ticket' && options.teamId && info.fields.team_id) values.team_id = options.teamId;
	if (target === 'project.task' && options.projectId) values.project_id = options.projectId;
	const tagIds = await resolveTags(client, info, options.tags ?? [], warnings);
	if (tagIds.length > 0) values.tag_ids = [[6, 0, tagIds]];
	const [createdId] = await client.create(target, [values]);
	const attachmentId = await client.createAttachment({
		name: 'unparsed-alert.json',
		datas: Buffer.from(text, 'utf8').toString('base64'),
		mimetype: typeof body === 'string' ? 'text/plain' : 'application/json',
		resModel: target,
		resId: createdId,
	});
	const { kept, moved } = await converge(client, info, key, createdId);
	const counted = await countCreated(run, createdId, kept, moved);
	return result(counted.won ? 'create' : 'update', counted, attachmentId);
}
