/**
 * Alert → Odoo ticket. The decision is a pure function of the alert and what Odoo already holds for its dedupe key;
 * the executor reads that state, applies the decision, and then converges concurrent deliveries so that exactly one
 * open ticket per key survives. All state lives in Odoo (the key, the occurrence count, a digest of the last alert
 * content), never in this process, because n8n may run each delivery in a different worker.
 */
import { OdooError } from '../odoo/errors';
import type { OdooClient, OdooDomain, OdooFieldInfo, OdooRecord } from '../odoo/types';
import { sha256 } from './normalise';
import type { AlertSeverity, CanonicalAlert } from './types';

export const DEDUPE_FIELD = 'x_alert_dedupe_key';
export const OCCURRENCES_FIELD = 'x_alert_occurrences';
/** Lets "something changed" survive across processes: a hash of the content the ticket last showed. */
export const DIGEST_FIELD = 'x_alert_digest';
export const ASSET_FIELD = 'x_alert_asset_id';

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
}

const MANUAL_FIELDS: Array<{ name: string; ttype: string; description: string; index?: boolean }> = [
	{ name: DEDUPE_FIELD, ttype: 'char', description: 'Alert dedupe key', index: true },
	{ name: OCCURRENCES_FIELD, ttype: 'integer', description: 'Alert occurrences' },
	{ name: DIGEST_FIELD, ttype: 'char', description: 'Alert content digest' },
];

async function irModelId(client: OdooClient, model: string): Promise<number> {
	const ids = await client.search('ir.model', [['model', '=', model]], { limit: 1 });
	if (ids.length === 0) throw new OdooError({ kind: 'unknown-model', model, message: `Model '${model}' is not installed on this Odoo database` });
	return ids[0];
}

async function createManualField(client: OdooClient, model: string, values: Record<string, unknown>): Promise<void> {
	try {
		await client.create('ir.model.fields', [{ model_id: await irModelId(client, model), state: 'manual', ...values }]);
	} catch (error) {
		// Another delivery created it a moment ago (unique name per model): the caller re-reads fields_get and only
		// fails if the field is still missing.
		if (error instanceof OdooError && error.kind === 'access') {
			throw new OdooError({
				kind: 'access',
				model,
				field: String(values.name),
				message: `Cannot add the field '${String(values.name)}' to '${model}': ${error.message}`,
				hint: `Use an Odoo user with Administration/Settings rights once, or create the field by hand (Settings → Technical → Fields)`,
			});
		}
	}
}

/**
 * Adds the manual x_ fields alert handling needs to `model` if fields_get lacks them. Idempotent and safe under
 * concurrent first use; returns the model's fields as they are afterwards.
 */
export async function ensureDedupeField(client: OdooClient, model: string): Promise<Record<string, OdooFieldInfo>> {
	let fields = await client.fieldsGet(model);
	const missing = MANUAL_FIELDS.filter((field) => !fields[field.name]);
	if (missing.length === 0) return fields;
	for (const field of missing) {
		await createManualField(client, model, {
			name: field.name,
			ttype: field.ttype,
			field_description: field.description,
			index: field.index === true,
			store: true,
			copied: false,
		});
	}
	fields = await client.fieldsGet(model);
	const still = MANUAL_FIELDS.filter((field) => !fields[field.name]);
	if (still.length > 0) {
		throw new OdooError({
			kind: 'unknown-field',
			model,
			field: still[0].name,
			message: `Could not add ${still.map((f) => `'${f.name}'`).join(', ')} to '${model}'`,
			hint: 'Create the fields by hand (Settings → Technical → Fields) or use a user with Administration rights',
		});
	}
	return fields;
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

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
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

async function findAsset(client: OdooClient, alert: CanonicalAlert, models: string[], warnings: string[]): Promise<HandleAlertResult['asset']> {
	const hints = [alert.assetHint.host, alert.assetHint.instance].filter((hint): hint is string => Boolean(hint && hint.trim()));
	if (hints.length === 0) return null;
	for (const model of models) {
		const domain: OdooDomain = [];
		hints.forEach((hint, index) => {
			if (index < hints.length - 1) domain.push('|');
			domain.push(['name', '=ilike', hint]);
		});
		try {
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
	await createManualField(client, info.model, { name: ASSET_FIELD, ttype: 'many2one', relation: assetModel, field_description: 'Alert asset', on_delete: 'set null' });
	const fields = await client.fieldsGet(info.model);
	if (fields[ASSET_FIELD]?.relation !== assetModel) return null;
	info.fields = fields;
	return ASSET_FIELD;
}

function keyDomain(key: string): OdooDomain {
	return [[DEDUPE_FIELD, '=', key]];
}

/**
 * Looks again after a create and folds later open tickets with the key into the oldest, so concurrent deliveries
 * agree on the survivor (the lowest id) without talking to each other. A creator whose ticket is not the oldest
 * folds its own. The creator of the oldest also folds every later one it sees: on a real database a ticket with a
 * lower id can commit after another creator has already looked, and only the oldest's creator is sure to see both.
 * Both may fold the same duplicate; a re-read just before makes that rare, and the write is idempotent anyway.
 */
async function converge(client: OdooClient, info: TargetInfo, key: string, createdId: number): Promise<{ kept: OdooRecord; folded: number[] }> {
	const open = await client.searchRead(info.model, [...keyDomain(key), ...info.openDomain], { fields: info.readFields, order: 'id asc' });
	const [kept, ...later] = open;
	if (!kept) {
		// Someone folded or closed our ticket between create and this read: it still carries the incident's history.
		const [mine] = await client.read(info.model, [createdId], info.readFields);
		return { kept: mine ?? ({ id: createdId } as OdooRecord), folded: [] };
	}
	const toFold = kept.id === createdId ? later : later.filter((ticket) => ticket.id === createdId);
	const folded: number[] = [];
	for (const duplicate of toFold) {
		// Its owner may have folded it since our search: look once more so the note is (almost always) posted once.
		const [current] = await client.read(info.model, [duplicate.id], [DEDUPE_FIELD]);
		if (!current || current[DEDUPE_FIELD] !== key) continue;
		// The key is moved aside so a folded duplicate is never found as "recently closed" and reopened.
		await client.write(info.model, [duplicate.id], { ...info.closeValues, [DEDUPE_FIELD]: `${key}#dup-of-${kept.id}` });
		await client.messagePost(info.model, duplicate.id, {
			kind: 'note',
			body: `Duplicate of ${referenceOf(kept, kept.id)} for the same alert (concurrent delivery): closed, the incident continues there.`,
		});
		folded.push(duplicate.id);
	}
	return { kept, folded };
}

/** Applies one canonical alert to Odoo: create, update, reopen, resolve or ignore, per its dedupe key. */
export async function handleAlert(client: OdooClient, alert: CanonicalAlert, options: HandleAlertOptions = {}): Promise<HandleAlertResult> {
	const target = options.target ?? 'helpdesk.ticket';
	const info = await inspectTarget(client, target, options);
	const warnings: string[] = [];
	const key = alert.dedupeKey;
	const now = options.now ?? new Date();
	const window = options.reopenWindowMinutes ?? DEFAULT_REOPEN_WINDOW_MINUTES;

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
			const ticket = openRecord;
			const values: Record<string, unknown> = { [OCCURRENCES_FIELD]: decision.occurrences };
			if (decision.changed) {
				values[DIGEST_FIELD] = digest;
				values.name = ticketName(alert);
				if (info.fields.priority) values.priority = priorityFor(alert.severity, info.fields.priority.selection);
			}
			await client.write(target, [ticket.id], values);
			if (decision.changed) {
				await note(ticket.id, `Alert changed (${alert.severity}): ${alert.summary}${alert.description ? `\n${alert.description}` : ''}`);
			}
			result.reason = decision.changed ? 'changed' : 'repeat';
			result.ticketId = ticket.id;
			result.reference = referenceOf(ticket, ticket.id);
			result.occurrences = decision.occurrences;
			return result;
		}
		case 'reopen': {
			const ticket = closedRecord!;
			await client.write(target, [ticket.id], { ...info.reopenValues, [OCCURRENCES_FIELD]: decision.occurrences, [DIGEST_FIELD]: digest });
			await note(ticket.id, `Alert firing again ${decision.closedMinutesAgo} min after it was resolved (reopen window ${window} min): reopened. ${alert.summary}`);
			result.ticketId = ticket.id;
			result.reference = referenceOf(ticket, ticket.id);
			result.occurrences = decision.occurrences;
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
			const { kept, folded } = await converge(client, info, key, createdId);
			result.folded = folded;
			result.ticketId = kept.id;
			result.reference = referenceOf(kept, kept.id);
			if (kept.id !== createdId) {
				// Another delivery won the race: this one is an occurrence of its ticket, not a new incident.
				const occurrences = (toTicket(kept, info).occurrences ?? 1) + 1;
				await client.write(target, [kept.id], { [OCCURRENCES_FIELD]: occurrences });
				result.action = 'update';
				result.reason = 'concurrent-duplicate-folded';
				result.occurrences = occurrences;
			} else {
				result.occurrences = 1;
			}
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
}

/**
 * Keeps a webhook body that could not be normalised, so nothing a monitoring system sent is lost: one open ticket per
 * distinct body (keyed on its hash, so a sender retrying the same bad body does not pile up tickets), the body
 * attached as a file and the reason in the description.
 */
export async function recordUnparsedAlert(
	client: OdooClient,
	body: unknown,
	reason: string,
	options: Pick<HandleAlertOptions, 'target' | 'teamId' | 'projectId' | 'tags'> = {},
): Promise<UnparsedAlertResult> {
	const target = options.target ?? 'helpdesk.ticket';
	const info = await inspectTarget(client, target, {});
	const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2) ?? 'null';
	const key = `unparsed:${sha256(text).slice(0, 32)}`;
	const [open] = await client.searchRead(target, [...keyDomain(key), ...info.openDomain], { fields: info.readFields, order: 'id asc', limit: 1 });
	if (open) {
		const occurrences = (toTicket(open, info).occurrences ?? 0) + 1;
		await client.write(target, [open.id], { [OCCURRENCES_FIELD]: occurrences });
		return { action: 'update', model: target, dedupeKey: key, ticketId: open.id, reference: referenceOf(open, open.id), attachmentId: null, occurrences };
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
	const warnings: string[] = [];
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
	const { kept } = await converge(client, info, key, createdId);
	return { action: kept.id === createdId ? 'create' : 'update', model: target, dedupeKey: key, ticketId: kept.id, reference: referenceOf(kept, kept.id), attachmentId, occurrences: 1 };
}
