/**
 * The patch cycle: which assets are due, one Odoo project per cycle with one task per asset in its change window,
 * the task list attached as the evidence the change approval is asked on (record first), and the decision applied
 * back to the tasks. Every step is keyed in Odoo (the project by the cycle key, each task by x_ops_key), so a re-run
 * after a crash or a partial failure finds what exists, makes what is missing and rewrites nothing else.
 */
import { ensureManualFields } from '../odoo/manual-schema';
import type { OdooClient, OdooFieldInfo, OdooRecord } from '../odoo/types';
import {
	ASSET_REF_FIELD,
	ASSET_REF_SPEC,
	InventoryInputError,
	OPS_KEY_FIELD,
	OPS_KEY_SPEC,
	WITH_ARCHIVED,
	attachmentsNamed,
	ensureProjectNamed,
	findProject,
	isoDay,
	toCsv,
	toDate,
	upsertTextAttachment,
	type TextAttachmentResult,
} from './snapshot';
import { assetRef, type Asset } from './types';
import { escapeHtml } from '../shared/html';

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------------
// The cycle

export type Cadence = 'monthly' | 'weekly';

export interface CyclePeriod {
	key: string;
	cadence: Cadence;
	/** First instant of the cycle (UTC). */
	start: Date;
	/** First instant after the cycle (UTC). */
	end: Date;
}

function checkCadence(cadence: unknown): Cadence {
	if (cadence === 'monthly' || cadence === 'weekly') return cadence;
	throw new InventoryInputError('cadence', `expected 'monthly' or 'weekly', got ${JSON.stringify(cadence)}`);
}

/** ISO 8601 week: weeks start on Monday and belong to the year of their Thursday. */
function isoWeek(date: Date): { year: number; week: number; monday: Date } {
	const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
	const weekday = new Date(day).getUTCDay() || 7;
	const thursday = new Date(day + (4 - weekday) * DAY_MS);
	const year = thursday.getUTCFullYear();
	const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
	return { year, week, monday: new Date(day - (weekday - 1) * DAY_MS) };
}

export function cyclePeriod(asOf: Date | string, cadence: Cadence = 'monthly'): CyclePeriod {
	const at = toDate(asOf, 'asOf');
	if (checkCadence(cadence) === 'weekly') {
		const { year, week, monday } = isoWeek(at);
		return { key: `Patch ${year}-W${String(week).padStart(2, '0')}`, cadence, start: monday, end: new Date(monday.getTime() + 7 * DAY_MS) };
	}
	const year = at.getUTCFullYear();
	const month = at.getUTCMonth();
	return { key: `Patch ${year}-${String(month + 1).padStart(2, '0')}`, cadence, start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) };
}

/** 'Patch 2026-11' (monthly) or 'Patch 2026-W48' (weekly, ISO week), from the UTC date of `asOf`. */
export function cycleKey(asOf: Date | string, cadence: Cadence = 'monthly'): string {
	return cyclePeriod(asOf, cadence).key;
}

// ---------------------------------------------------------------------------------------------------------------------
// Which assets are due

export interface PatchPolicy {
	asOf: Date | string;
	/** Only these patch groups (case-insensitive); empty or absent: every group, and assets without one. */
	patchGroups?: string[];
	/** Only assets whose OS contains one of these (case-insensitive); empty or absent: any OS. */
	osMatch?: string[];
	/** Due when last patched this many days ago or more; default 25 (a monthly cycle with some slack). */
	minDaysSincePatch?: number;
}

export interface DueAsset {
	asset: Asset;
	ref: string;
	/** 'never patched' or 'last patched N days ago (YYYY-MM-DD)'. */
	reason: string;
	/** Null when never patched (or the date is unreadable). */
	daysSincePatch: number | null;
}

export const DEFAULT_MIN_DAYS_SINCE_PATCH = 25;

/** Whole days from the patch date to the UTC date of asOf; null when the date cannot be read. */
function daysSince(lastPatched: string, asOf: Date): number | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(lastPatched);
	if (!match) return null;
	const patched = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	if (Number.isNaN(patched)) return null;
	return Math.floor((Date.parse(isoDay(asOf)) - patched) / DAY_MS);
}

/** Why an asset is due at asOf, or null when it is not (patched too recently, or a patch date in the future). */
export function dueReason(asset: Pick<Asset, 'lastPatched'>, asOf: Date, minDays: number): { reason: string; daysSincePatch: number | null } | null {
	if (!asset.lastPatched) return { reason: 'never patched', daysSincePatch: null };
	const days = daysSince(asset.lastPatched, asOf);
	// An unreadable date is treated as never patched: patching once too often is cheaper than leaving a host behind.
	if (days === null) return { reason: `last patched date unreadable (${JSON.stringify(asset.lastPatched)})`, daysSincePatch: null };
	if (days < minDays) return null;
	return { reason: `last patched ${days} day${days === 1 ? '' : 's'} ago (${asset.lastPatched.slice(0, 10)})`, daysSincePatch: days };
}

function stringList(value: unknown, field: string): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
		throw new InventoryInputError(field, `expected a list of texts, got ${JSON.stringify(value)}`, `Give e.g. ["linux", "windows"]`);
	}
	return value.map((item: string) => item.trim().toLowerCase()).filter(Boolean);
}

function text(value: string | null | undefined): string {
	return value ?? '';
}

/** Patch group, then name, then reference; assets without a group come last. */
export function compareForCycle(a: Asset, b: Asset): number {
	const ga = a.patchGroup ?? null;
	const gb = b.patchGroup ?? null;
	if (ga !== gb) {
		if (ga === null) return 1;
		if (gb === null) return -1;
		if (ga !== gb) return ga < gb ? -1 : 1;
	}
	if (a.name !== b.name) return a.name < b.name ? -1 : 1;
	if (a.model !== b.model) return a.model < b.model ? -1 : 1;
	return a.id - b.id;
}

export function assetsDue(assets: readonly Asset[], policy: PatchPolicy): DueAsset[] {
	const asOf = toDate(policy.asOf, 'asOf');
	const minDays = policy.minDaysSincePatch ?? DEFAULT_MIN_DAYS_SINCE_PATCH;
	if (!Number.isInteger(minDays) || minDays < 0) {
		throw new InventoryInputError('minDaysSincePatch', `expected a whole number of days ≥ 0, got ${JSON.stringify(policy.minDaysSincePatch)}`, 'Use e.g. 25 for a monthly cycle');
	}
	const groups = stringList(policy.patchGroups, 'patchGroups');
	const osMatch = stringList(policy.osMatch, 'osMatch');
	const due: DueAsset[] = [];
	for (const asset of assets) {
		if (groups.length && !groups.includes(text(asset.patchGroup).trim().toLowerCase())) continue;
		const os = text(asset.os).toLowerCase();
		if (osMatch.length && !osMatch.some((part) => os.includes(part))) continue;
		const why = dueReason(asset, asOf, minDays);
		if (why) due.push({ asset, ref: assetRef(asset), ...why });
	}
	return due.sort((a, b) => compareForCycle(a.asset, b.asset));
}

// ---------------------------------------------------------------------------------------------------------------------
// Change windows

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ChangeWindowSpec {
	/** mon..sun (full English names are accepted too). */
	weekday: Weekday | string;
	/** Local start time 'HH:MM' (24 h) in `tz`. */
	start: string;
	durationMinutes: number;
	/** 'UTC' or a fixed offset such as '+03:00' / '-0500'; default 'UTC'. */
	tz?: string;
}

/** Per patch group (as written on the assets, matched case-insensitively); 'default' serves every other group. */
export type ChangeWindows = Record<string, ChangeWindowSpec>;

export const DEFAULT_WINDOW_KEY = 'default';
/** Used only when no windows are configured at all: Saturday night, four hours. */
export const DEFAULT_CHANGE_WINDOWS: ChangeWindows = { [DEFAULT_WINDOW_KEY]: { weekday: 'sat', start: '22:00', durationMinutes: 240, tz: 'UTC' } };

const WEEKDAY_NAMES: Record<string, Weekday> = Object.fromEntries(
	WEEKDAYS.flatMap((day, index) => [
		[day, day],
		[['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'][index], day],
	]),
);

/** A validated windows entry, times in minutes. */
export interface ParsedChangeWindow {
	group: string;
	weekday: Weekday;
	startMinutes: number;
	durationMinutes: number;
	offsetMinutes: number;
	tz: string;
}

export interface ChangeWindow {
	/** ISO 8601 UTC. */
	start: string;
	end: string;
	/** The windows entry used: the patch group, or 'default'. */
	window: string;
	weekday: Weekday;
	/** Local start as configured, e.g. 'sat 22:00 +03:00'. */
	local: string;
}

function parseOffset(tz: string): number | null {
	const value = tz.trim();
	if (/^(utc|z|gmt)$/i.test(value)) return 0;
	const match = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(value);
	if (!match) return null;
	const hours = Number(match[2]);
	const minutes = Number(match[3] ?? '0');
	if (hours > 14 || minutes > 59) return null;
	return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function formatOffset(minutes: number): string {
	if (minutes === 0) return 'UTC';
	const abs = Math.abs(minutes);
	return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

interface Problem {
	field: string;
	problem: string;
}

function parseWindow(group: string, spec: unknown): { window?: ParsedChangeWindow; problems: Problem[] } {
	const at = `windows.${group}`;
	if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
		return { problems: [{ field: at, problem: `expected {weekday, start, durationMinutes, tz}, got ${JSON.stringify(spec ?? null)}` }] };
	}
	const raw = spec as Partial<Record<keyof ChangeWindowSpec, unknown>>;
	const problems: Problem[] = [];
	const weekday = typeof raw.weekday === 'string' ? WEEKDAY_NAMES[raw.weekday.trim().toLowerCase()] : undefined;
	if (!weekday) problems.push({ field: `${at}.weekday`, problem: `expected one of ${WEEKDAYS.join(', ')}, got ${JSON.stringify(raw.weekday ?? null)}` });
	const time = typeof raw.start === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(raw.start.trim()) : null;
	const startMinutes = time && Number(time[1]) < 24 && Number(time[2]) < 60 ? Number(time[1]) * 60 + Number(time[2]) : null;
	if (startMinutes === null) problems.push({ field: `${at}.start`, problem: `expected a 24-hour time 'HH:MM' such as '22:00', got ${JSON.stringify(raw.start ?? null)}` });
	const duration = raw.durationMinutes;
	if (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0 || duration > 7 * 24 * 60) {
		problems.push({ field: `${at}.durationMinutes`, problem: `expected whole minutes between 1 and ${7 * 24 * 60}, got ${JSON.stringify(duration ?? null)}` });
	}
	const tz = raw.tz === undefined || raw.tz === null || raw.tz === '' ? 'UTC' : raw.tz;
	const offset = typeof tz === 'string' ? parseOffset(tz) : null;
	if (offset === null) problems.push({ field: `${at}.tz`, problem: `expected 'UTC' or a fixed offset such as '+03:00', got ${JSON.stringify(tz)} (time zone names are not supported: write the offset that applies on the window's dates)` });
	if (problems.length) return { problems };
	return { window: { group, weekday: weekday!, startMinutes: startMinutes!, durationMinutes: duration as number, offsetMinutes: offset!, tz: formatOffset(offset!) }, problems };
}

/** Checks a whole windows table at once and reports every bad group and field, not just the first. */
export function validateChangeWindows(windows: unknown): Map<string, ParsedChangeWindow> {
	if (windows === undefined || windows === null) windows = DEFAULT_CHANGE_WINDOWS;
	if (typeof windows !== 'object' || Array.isArray(windows)) {
		throw new InventoryInputError('windows', `expected an object of patch group → window, got ${JSON.stringify(windows)}`, `Give e.g. {"default": {"weekday": "sat", "start": "22:00", "durationMinutes": 240, "tz": "UTC"}}`);
	}
	const parsed = new Map<string, ParsedChangeWindow>();
	const problems: Problem[] = [];
	for (const [group, spec] of Object.entries(windows as Record<string, unknown>)) {
		const result = parseWindow(group, spec);
		problems.push(...result.problems);
		const lower = group.trim().toLowerCase();
		if (result.window) {
			if (parsed.has(lower)) problems.push({ field: `windows.${group}`, problem: `the patch group '${lower}' is listed twice (groups match case-insensitively)` });
			parsed.set(lower, result.window);
		}
	}
	if (problems.length === 1) throw new InventoryInputError(problems[0].field, problems[0].problem);
	if (problems.length > 1) throw new InventoryInputError('windows', `${problems.length} problems:\n- ${problems.map((p) => `${p.field}: ${p.problem}`).join('\n- ')}`);
	return parsed;
}

function windowOf(asset: Pick<Asset, 'name' | 'patchGroup'>, windows: Map<string, ParsedChangeWindow>): ParsedChangeWindow {
	const group = text(asset.patchGroup).trim().toLowerCase();
	const window = (group && windows.get(group)) || windows.get(DEFAULT_WINDOW_KEY);
	if (!window) {
		const field = group ? `windows.${asset.patchGroup}` : `windows.${DEFAULT_WINDOW_KEY}`;
		throw new InventoryInputError(field, `no change window for ${group ? `patch group '${asset.patchGroup}'` : 'assets without a patch group'} (asset '${asset.name}')`, `Add ${field}, or a '${DEFAULT_WINDOW_KEY}' window for every other group`);
	}
	return window;
}

function isoUtc(date: Date): string {
	return date.toISOString().replace(/\.000Z$/, 'Z');
}

function hhmm(minutes: number): string {
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function computeWindow(asset: Pick<Asset, 'name' | 'patchGroup'>, period: CyclePeriod, asOf: Date, window: ParsedChangeWindow): ChangeWindow {
	const offsetMs = window.offsetMinutes * 60_000;
	// Work in the window's local wall clock: shift to local, find the weekday, shift back.
	const local = new Date(asOf.getTime() + offsetMs);
	const localMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
	const todayIndex = (local.getUTCDay() + 6) % 7; // Monday = 0
	const ahead = (WEEKDAYS.indexOf(window.weekday) - todayIndex + 7) % 7;
	let start = localMidnight + ahead * DAY_MS + window.startMinutes * 60_000 - offsetMs;
	// Today's window that has already begun is no longer a window to plan into: the next one is a week later.
	if (start < asOf.getTime()) start += 7 * DAY_MS;
	if (start >= period.end.getTime()) {
		throw new InventoryInputError(
			`windows.${window.group}.weekday`,
			`no ${window.weekday} ${hhmm(window.startMinutes)} ${window.tz} window is left in ${period.key} after ${isoUtc(asOf)} (asset '${asset.name}')`,
			`Run the cycle earlier in the ${period.cadence === 'weekly' ? 'week' : 'month'}, or pick a window weekday that is still ahead`,
		);
	}
	return {
		start: isoUtc(new Date(start)),
		end: isoUtc(new Date(start + window.durationMinutes * 60_000)),
		window: window.group,
		weekday: window.weekday,
		local: `${window.weekday} ${hhmm(window.startMinutes)} ${window.tz}`,
	};
}

/**
 * The asset's change window in this cycle: the first configured weekday on or after asOf (one that has not started
 * yet) inside the cycle, at the configured local time. Throws, naming the group and field, when the table is invalid
 * or no such day is left in the cycle.
 */
export function changeWindowFor(
	asset: Pick<Asset, 'name' | 'patchGroup'>,
	cycle: { asOf: Date | string; cadence?: Cadence },
	windows?: ChangeWindows,
): ChangeWindow {
	const asOf = toDate(cycle.asOf, 'asOf');
	const period = cyclePeriod(asOf, cycle.cadence ?? 'monthly');
	return computeWindow(asset, period, asOf, windowOf(asset, validateChangeWindows(windows)));
}

// ---------------------------------------------------------------------------------------------------------------------
// The cycle in Odoo

export const CYCLE_STAGES = [
	{ name: 'Planned', sequence: 10, fold: false },
	{ name: 'Scheduled', sequence: 20, fold: false },
	{ name: 'Cancelled', sequence: 90, fold: true },
] as const;
export type CycleStage = (typeof CYCLE_STAGES)[number]['name'];

/** Odoo 17+ task states the decision writes; older databases without them get the stage only. */
const APPROVED_STATE = '03_approved';
const CANCELED_STATE = '1_canceled';
const CLOSED_STATES = ['1_done', '1_canceled'];

export function patchTaskKey(key: string, ref: string): string {
	return `patch:${key}:${ref}`;
}

function taskKeyPrefix(key: string): string {
	return `patch:${key}:`;
}

/**
 * The three cycle stages, linked to the project. A stage of that name that exists already is reused (shared stages
 * are normal in Odoo), personal stages excepted. Only a missing link, or a Cancelled that is not folded, is written.
 */
export async function ensureCycleStages(client: OdooClient, projectId: number): Promise<Record<CycleStage, number>> {
	const stageFields = await client.fieldsGet('project.task.type', ['type']);
	const names = CYCLE_STAGES.map((stage) => stage.name);
	// Odoo 17+ personal stages (user_id set) belong to one user's "My Tasks" board, not to projects.
	const rows = await client.searchRead('project.task.type', [['name', 'in', names], ...(stageFields.user_id ? [['user_id', '=', false] as [string, string, unknown]] : [])], {
		fields: ['id', 'name', 'fold', 'project_ids'],
		order: 'sequence, id',
	});
	const ids: Partial<Record<CycleStage, number>> = {};
	const missing: Array<(typeof CYCLE_STAGES)[number]> = [];
	for (const stage of CYCLE_STAGES) {
		const same = rows.filter((row) => row.name === stage.name);
		const linked = same.find((row) => Array.isArray(row.project_ids) && row.project_ids.includes(projectId));
		const pick = linked ?? same[0];
		if (!pick) {
			missing.push(stage);
			continue;
		}
		ids[stage.name] = pick.id;
		const values: Record<string, unknown> = {};
		if (!linked) values.project_ids = [[4, projectId]];
		// A cancelled task should leave the board; folding only changes how the column is shown.
		if (stage.fold && !pick.fold) values.fold = true;
		if (Object.keys(values).length) await client.write('project.task.type', [pick.id], values);
	}
	if (missing.length) {
		const created = await client.create(
			'project.task.type',
			missing.map((stage) => ({ name: stage.name, sequence: stage.sequence, fold: stage.fold, project_ids: [[6, 0, [projectId]]] })),
		);
		missing.forEach((stage, index) => (ids[stage.name] = created[index]));
	}
	return ids as Record<CycleStage, number>;
}

export interface EnsurePatchCycleInput {
	asOf: Date | string;
	/** Default: cycleKey(asOf, cadence). */
	key?: string;
	cadence?: Cadence;
	/** The due assets (assetsDue's output, or plain assets: their reason is then worked out from lastPatched). */
	due: Array<DueAsset | Asset>;
	/** Change windows per patch group; default DEFAULT_CHANGE_WINDOWS. */
	windows?: ChangeWindows;
	/** Default: the key. */
	projectName?: string;
	/** Tasks per create call; default the client's (200). */
	batchSize?: number;
}

export type PatchTaskAction = 'created' | 'repaired' | 'unchanged' | 'kept';

export interface PatchTask {
	id: number;
	assetRef: string;
	/** The task's name in Odoo ('Patch <asset>'). */
	name: string;
	/** The asset's name. */
	asset: string;
	hostname: string | null;
	/** ISO 8601 UTC; for an existing task the window its deadline says (a person may have moved it in Odoo). */
	windowStart: string | null;
	windowEnd: string | null;
	/** 'kept': a task of the cycle whose asset is not in this run's due list; kept, and listed in the evidence. */
	action: PatchTaskAction;
	/** The fields a repair rewrote. */
	repaired?: string[];
	/** Still in the Planned stage: nobody has decided on it yet, so the cycle needs a change approval. */
	awaitingDecision: boolean;
}

export interface PatchCycleResult {
	key: string;
	project: { id: number; name: string; created: boolean };
	tasks: PatchTask[];
	evidenceAttachmentId: number;
	evidence: { name: string; action: TextAttachmentResult['action'] };
	counts: { due: number; tasks: number; created: number; repaired: number; unchanged: number; kept: number; awaitingDecision: number };
	warnings: string[];
}

interface PlannedTask {
	due: DueAsset;
	key: string;
	window: ChangeWindow;
	durationMinutes: number;
}


/** Odoo answers datetimes as naive UTC 'YYYY-MM-DD HH:MM:SS'. */
function odooDatetime(iso: string): string {
	return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '').slice(0, 19);
}

function parseOdooDatetime(value: unknown): Date | null {
	if (typeof value !== 'string' || !value) return null;
	const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`);
	return Number.isNaN(date.getTime()) ? null : date;
}

function readableWindow(window: { start: string; end: string }): string {
	return `${window.start.replace('T', ' ').replace(/:00Z$/, '')} → ${window.end.replace('T', ' ').replace(/:00Z$/, '')} UTC`;
}

export function patchTaskDescription(key: string, due: DueAsset, window: ChangeWindow): string {
	const { asset } = due;
	const os = [asset.os, asset.osVersion].filter(Boolean).join(' ');
	const rows: Array<[string, string]> = [
		['Hostname', asset.hostname ?? 'unknown'],
		['IP', asset.ip ?? 'unknown'],
		['OS', os || 'unknown'],
		['Due', due.reason],
		['Change window', `${readableWindow(window)} (${window.window}: ${window.local})`],
		['Asset', due.ref],
	];
	if (asset.patchGroup) rows.splice(3, 0, ['Patch group', asset.patchGroup]);
	if (asset.docsUrl && /^https?:\/\//i.test(asset.docsUrl)) rows.push(['Docs', asset.docsUrl]);
	return [`<p>${escapeHtml(key)}: patch <b>${escapeHtml(asset.name)}</b> in its change window.</p>`, `<ul>${rows.map(([label, value]) => `<li>${label}: ${escapeHtml(value)}</li>`).join('')}</ul>`].join('');
}

/** What a person sees of an html field: an editor's empty '<p><br></p>' is empty. */
function htmlText(value: unknown): string {
	return typeof value === 'string' ? value.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim() : '';
}

function isDueAsset(item: DueAsset | Asset): item is DueAsset {
	return typeof item === 'object' && item !== null && 'asset' in item && typeof (item as DueAsset).asset === 'object';
}

function normaliseDue(items: unknown, asOf: Date): DueAsset[] {
	if (!Array.isArray(items)) throw new InventoryInputError('due', `expected a list of due assets, got ${typeof items}`, 'Pass the output of assetsDue');
	const seen = new Set<string>();
	const out: DueAsset[] = [];
	items.forEach((item: DueAsset | Asset, index) => {
		const asset = isDueAsset(item) ? item.asset : item;
		if (!asset || typeof asset.model !== 'string' || !asset.model || !Number.isInteger(asset.id) || asset.id <= 0 || typeof asset.name !== 'string' || !asset.name.trim()) {
			throw new InventoryInputError(`due[${index}]`, 'an asset needs model, a positive id and a name', 'Pass the assets as listAssets/assetsDue return them');
		}
		const ref = assetRef(asset);
		// The same asset twice (two inputs merged) is still one task.
		if (seen.has(ref)) return;
		seen.add(ref);
		if (isDueAsset(item)) out.push({ ...item, ref });
		else out.push({ asset, ref, ...(dueReason(asset, asOf, 0) ?? { reason: 'listed as due', daysSincePatch: null }) });
	});
	return out;
}

function deadlineValue(fields: Record<string, OdooFieldInfo>, iso: string): string {
	// date_deadline is a datetime from Odoo 18 on, a date before.
	return fields.date_deadline?.type === 'date' ? iso.slice(0, 10) : odooDatetime(iso);
}

function many2oneId(value: unknown): number | null {
	return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : typeof value === 'number' ? value : null;
}

/** The fields of an existing task that a repair rewrites: only what is lost (empty), so a person's edit survives. */
function repairValues(task: OdooRecord, plan: PlannedTask, projectId: number, stages: Record<CycleStage, number>, fields: Record<string, OdooFieldInfo>, key: string): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	if (!task.name) values.name = `Patch ${plan.due.asset.name}`;
	if (!many2oneId(task.project_id)) values.project_id = projectId;
	if (!many2oneId(task.stage_id)) values.stage_id = stages.Planned;
	if (!task.date_deadline) values.date_deadline = deadlineValue(fields, plan.window.end);
	if (!htmlText(task.description)) values.description = patchTaskDescription(key, plan.due, plan.window);
	if (!task[ASSET_REF_FIELD]) values[ASSET_REF_FIELD] = plan.due.ref;
	return values;
}

function stageIdOf(task: OdooRecord): number | null {
	return Array.isArray(task.stage_id) ? Number(task.stage_id[0]) : typeof task.stage_id === 'number' ? task.stage_id : null;
}

const TASK_FIELDS = ['id', 'name', 'project_id', 'stage_id', 'date_deadline', 'description', OPS_KEY_FIELD, ASSET_REF_FIELD];

export async function ensurePatchCycle(client: OdooClient, input: EnsurePatchCycleInput): Promise<PatchCycleResult> {
	// Everything that can be wrong with the input is found before the first write, so bad input writes nothing.
	const asOf = toDate(input.asOf, 'asOf');
	const cadence = checkCadence(input.cadence ?? 'monthly');
	const period = cyclePeriod(asOf, cadence);
	const key = (input.key ?? period.key).trim();
	if (!key) throw new InventoryInputError('key', 'is empty', `Leave it out for '${period.key}'`);
	const projectName = (input.projectName ?? key).trim();
	if (!projectName) throw new InventoryInputError('projectName', 'is empty', `Leave it out to name the project '${key}'`);
	const windows = validateChangeWindows(input.windows);
	const plans: PlannedTask[] = normaliseDue(input.due, asOf).map((due) => {
		const window = windowOf(due.asset, windows);
		return { due, key: patchTaskKey(key, due.ref), window: computeWindow(due.asset, period, asOf, window), durationMinutes: window.durationMinutes };
	});
	const warnings: string[] = [];

	const { fields } = await ensureManualFields(client, 'project.task', [OPS_KEY_SPEC, ASSET_REF_SPEC]);
	const project = await ensureProjectNamed(client, projectName);
	if (project.archived) warnings.push(`Project '${projectName}' is archived; the cycle was kept there (unarchive it to see the tasks)`);
	const stages = await ensureCycleStages(client, project.id);

	// One read finds this cycle's tasks wherever they are, and any other cycle task left in the project.
	const prefix = taskKeyPrefix(key);
	const found = await client.searchRead(
		'project.task',
		['|', [OPS_KEY_FIELD, 'in', plans.map((plan) => plan.key)], '&', ['project_id', '=', project.id], [OPS_KEY_FIELD, '=like', 'patch:%']],
		{ fields: fields.state ? [...TASK_FIELDS, 'state'] : TASK_FIELDS, order: 'id asc', context: WITH_ARCHIVED },
	);
	// Done or cancelled by hand while still in Planned: decided already, by whoever closed it.
	const awaiting = (task: OdooRecord, stageId: number | null) => stageId === stages.Planned && !['1_done', '1_canceled'].includes(String(task.state ?? ''));
	const byKey = new Map<string, OdooRecord>();
	for (const task of found) {
		const taskKey = String(task[OPS_KEY_FIELD] ?? '');
		if (!taskKey.startsWith(prefix)) continue;
		// Two tasks with one key (a run racing another) keep the oldest as the cycle's task.
		if (byKey.has(taskKey)) warnings.push(`Task #${task.id} repeats the key '${taskKey}' of task #${byKey.get(taskKey)!.id}; it was left out of the cycle`);
		else byKey.set(taskKey, task);
	}

	const tasks: PatchTask[] = [];
	const toCreate: Array<{ plan: PlannedTask; index: number }> = [];
	const writes = new Map<string, { values: Record<string, unknown>; ids: number[] }>();
	for (const plan of plans) {
		const base = { assetRef: plan.due.ref, name: `Patch ${plan.due.asset.name}`, asset: plan.due.asset.name, hostname: plan.due.asset.hostname ?? null };
		const task = byKey.get(plan.key);
		if (!task) {
			toCreate.push({ plan, index: tasks.length });
			tasks.push({ id: 0, ...base, windowStart: plan.window.start, windowEnd: plan.window.end, action: 'created', awaitingDecision: true });
			continue;
		}
		const values = repairValues(task, plan, project.id, stages, fields, key);
		const repaired = Object.keys(values);
		// The window an existing task shows is its own deadline: the evidence must say what Odoo holds.
		const deadline = values.date_deadline ? null : parseOdooDatetime(task.date_deadline);
		const windowEnd = deadline && fields.date_deadline?.type !== 'date' ? isoUtc(deadline) : plan.window.end;
		const windowStart = deadline && fields.date_deadline?.type !== 'date' ? isoUtc(new Date(deadline.getTime() - plan.durationMinutes * 60_000)) : plan.window.start;
		tasks.push({
			id: task.id,
			...base,
			name: String(task.name || base.name),
			windowStart,
			windowEnd,
			action: repaired.length ? 'repaired' : 'unchanged',
			...(repaired.length ? { repaired } : {}),
			awaitingDecision: awaiting(task, (values.stage_id as number | undefined) ?? stageIdOf(task)),
		});
		if (repaired.length) {
			// Tasks that lost the same thing get the same values: one write for all of them.
			const group = JSON.stringify(values);
			const entry = writes.get(group) ?? { values, ids: [] };
			entry.ids.push(task.id);
			writes.set(group, entry);
		}
	}
	for (const { values, ids } of writes.values()) await client.write('project.task', ids, values);
	if (toCreate.length) {
		const rows = toCreate.map(({ plan }) => ({
			name: `Patch ${plan.due.asset.name}`,
			project_id: project.id,
			stage_id: stages.Planned,
			description: patchTaskDescription(key, plan.due, plan.window),
			date_deadline: deadlineValue(fields, plan.window.end),
			[OPS_KEY_FIELD]: plan.key,
			[ASSET_REF_FIELD]: plan.due.ref,
			// The asset's owner is who patches it; a task nobody is assigned to is a task nobody does.
			...(plan.due.asset.owner ? { user_ids: [[6, 0, [plan.due.asset.owner.id]]] } : {}),
		}));
		const ids = await client.create('project.task', rows, input.batchSize ? { batchSize: input.batchSize } : {});
		toCreate.forEach(({ index }, i) => (tasks[index].id = ids[i]));
	}

	// Cycle tasks of assets no longer in the due list stay in the cycle (the decision applies to them): list them too.
	const planned = new Set(plans.map((plan) => plan.key));
	for (const [taskKey, task] of byKey) {
		if (planned.has(taskKey)) continue;
		const deadline = parseOdooDatetime(task.date_deadline);
		tasks.push({
			id: task.id,
			assetRef: String(task[ASSET_REF_FIELD] || taskKey.slice(prefix.length)),
			name: String(task.name),
			asset: String(task.name).replace(/^Patch /, ''),
			hostname: null,
			windowStart: null,
			windowEnd: deadline ? isoUtc(deadline) : null,
			action: 'kept',
			awaitingDecision: awaiting(task, stageIdOf(task)),
		});
	}

	const evidenceName = `${key} tasks.csv`;
	const csv = patchEvidenceCsv(tasks);
	const [stored] = await attachmentsNamed(client, 'project.project', project.id, [evidenceName]);
	const evidence = await upsertTextAttachment(client, { resModel: 'project.project', resId: project.id, name: evidenceName, mimetype: 'text/csv', text: csv }, stored ?? null);

	const count = (action: PatchTaskAction) => tasks.filter((task) => task.action === action).length;
	return {
		key,
		project: { id: project.id, name: project.name, created: project.created },
		tasks,
		evidenceAttachmentId: evidence.id,
		evidence: { name: evidenceName, action: evidence.action },
		counts: {
			due: plans.length,
			tasks: tasks.length,
			created: count('created'),
			repaired: count('repaired'),
			unchanged: count('unchanged'),
			kept: count('kept'),
			awaitingDecision: tasks.filter((task) => task.awaitingDecision).length,
		},
		warnings,
	};
}

/** The evidence the approver sees: one row per task of the cycle, in the cycle's order. */
export function patchEvidenceCsv(tasks: readonly PatchTask[]): string {
	return toCsv([
		['task_id', 'asset_ref', 'asset', 'hostname', 'window_start', 'window_end'],
		...tasks.map((task) => [task.id, task.assetRef, task.asset, task.hostname, task.windowStart, task.windowEnd]),
	]);
}

// ---------------------------------------------------------------------------------------------------------------------
// The change decision

export type PatchDecision = 'approved' | 'rejected' | 'timedOut';

export interface PatchDecisionInput {
	/** The cycle's project, as ensurePatchCycle returned it… */
	projectId?: number;
	/** …or the cycle key (the project's name unless projectName was set). */
	key?: string;
	projectName?: string;
	decision: PatchDecision;
	reason?: string;
	/** Who decided, as the approval node reports it. */
	decidedBy?: string;
}

export interface PatchDecisionResult {
	key: string;
	projectId: number;
	decision: PatchDecision;
	tasks: Array<{ id: number; name: string; action: 'scheduled' | 'cancelled' | 'unchanged' | 'closed' }>;
	/** changed: moved by this call; unchanged: already where the decision puts them; closed: done or cancelled before. */
	counts: { tasks: number; changed: number; unchanged: number; closed: number };
	notePosted: boolean;
	summary: string;
}

const DECISION_WORDS: Record<PatchDecision, string> = { approved: 'approved', rejected: 'rejected', timedOut: 'timed out' };
/** Written in every decision note, so the next call can tell which decision the chatter holds last. */
const DECISION_MARK = 'Change decision:';

function checkDecision(decision: unknown): PatchDecision {
	if (decision === 'approved' || decision === 'rejected' || decision === 'timedOut') return decision;
	throw new InventoryInputError('decision', `expected 'approved', 'rejected' or 'timedOut', got ${JSON.stringify(decision)}`, "Map the approval node's outputs to these three words");
}

function decisionSentence(decision: PatchDecision, decidedBy: string | undefined, reason: string | undefined): string {
	const by = decision === 'timedOut' ? '' : decidedBy ? ` by ${decidedBy}` : '';
	return `${DECISION_MARK} ${DECISION_WORDS[decision]}${by}.${reason ? ` Reason: ${reason}` : decision === 'approved' ? '' : ' No reason given.'}`;
}

export async function applyPatchDecision(client: OdooClient, input: PatchDecisionInput): Promise<PatchDecisionResult> {
	const decision = checkDecision(input.decision);
	const reason = typeof input.reason === 'string' && input.reason.trim() ? input.reason.trim() : undefined;
	const decidedBy = typeof input.decidedBy === 'string' && input.decidedBy.trim() ? input.decidedBy.trim() : undefined;
	const { fields } = await ensureManualFields(client, 'project.task', [OPS_KEY_SPEC, ASSET_REF_SPEC]);
	const project = await findProject(client, { id: input.projectId, name: input.projectName ?? input.key }, input.projectId !== undefined ? 'projectId' : 'key');
	const stages = await ensureCycleStages(client, project.id);
	const useState = Boolean(fields.state?.selection?.some(([value]) => value === APPROVED_STATE));

	const rows = await client.searchRead('project.task', [['project_id', '=', project.id], [OPS_KEY_FIELD, '=like', 'patch:%']], {
		fields: ['id', 'name', 'stage_id', OPS_KEY_FIELD, ...(useState ? ['state'] : [])],
		order: 'id asc',
	});
	const cycleRows = rows.filter((row) => String(row[OPS_KEY_FIELD] ?? '').startsWith('patch:'));
	if (cycleRows.length === 0) {
		throw new InventoryInputError(input.projectId !== undefined ? 'projectId' : 'key', `project '${project.name}' has no patch cycle tasks`, 'Run ensurePatchCycle for this cycle before applying the decision');
	}
	const key = input.key ?? /^patch:(.*):[^:]+$/.exec(String(cycleRows[0][OPS_KEY_FIELD]))?.[1] ?? project.name;

	const approved = decision === 'approved';
	const target = approved ? { stage_id: stages.Scheduled, ...(useState ? { state: APPROVED_STATE } : {}) } : { stage_id: stages.Cancelled, ...(useState ? { state: CANCELED_STATE } : {}) };
	const tasks: PatchDecisionResult['tasks'] = [];
	const change: number[] = [];
	for (const row of cycleRows) {
		const name = String(row.name);
		// The current stage and state are checked first: a decision applied twice moves nothing and notes nothing.
		const closed = useState ? CLOSED_STATES.includes(String(row.state)) : many2oneId(row.stage_id) === stages.Cancelled;
		const atTarget = many2oneId(row.stage_id) === target.stage_id && (!useState || row.state === (target as { state?: string }).state);
		if (atTarget) tasks.push({ id: row.id, name, action: 'unchanged' });
		else if (closed) tasks.push({ id: row.id, name, action: 'closed' });
		else {
			tasks.push({ id: row.id, name, action: approved ? 'scheduled' : 'cancelled' });
			change.push(row.id);
		}
	}
	// Stage and state in one write: Odoo recomputes the state from a new stage unless the same write sets it.
	if (change.length) await client.write('project.task', change, target);
	const sentence = decisionSentence(decision, decidedBy, reason);
	if (!approved) {
		for (const id of change) await client.messagePost('project.task', id, { body: `${sentence} Task cancelled (${key}).`, kind: 'note' });
	}

	const counts = {
		tasks: tasks.length,
		changed: change.length,
		unchanged: tasks.filter((task) => task.action === 'unchanged').length,
		closed: tasks.filter((task) => task.action === 'closed').length,
	};
	const summary = summarizeDecision(key, decision, decidedBy, reason, counts);
	// A note when tasks moved, or when the chatter's last decision is another one (the decision itself is the audit).
	let notePosted = false;
	const [last] = await client.searchRead('mail.message', [['model', '=', 'project.project'], ['res_id', '=', project.id], ['body', 'ilike', DECISION_MARK]], { fields: ['id', 'body'], order: 'id desc', limit: 1 });
	const lastText = last ? htmlText(last.body) : '';
	const sameAsLast = lastText.includes(`${DECISION_MARK} ${DECISION_WORDS[decision]}`);
	if (change.length > 0 || !sameAsLast) {
		await client.messagePost('project.project', project.id, { body: `${sentence}\n${summary}`, kind: 'note' });
		notePosted = true;
	}
	return { key, projectId: project.id, decision, tasks, counts, notePosted, summary };
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarizeDecision(key: string, decision: PatchDecision, decidedBy: string | undefined, reason: string | undefined, counts: PatchDecisionResult['counts']): string {
	const who = decision !== 'timedOut' && decidedBy ? ` by ${decidedBy}` : '';
	const moved = decision === 'approved' ? `${plural(counts.changed, 'task')} moved to Scheduled` : `${plural(counts.changed, 'task')} cancelled`;
	const rest = [counts.unchanged ? `${counts.unchanged} already there` : '', counts.closed ? `${counts.closed} already closed` : ''].filter(Boolean).join(', ');
	return `${key}: change ${DECISION_WORDS[decision]}${who}; ${moved}${rest ? ` (${rest})` : ''}.${reason && decision !== 'approved' ? ` Reason: ${reason}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Summary

function shortWindow(start: string, end: string): string {
	const day = (iso: string) => `${['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(iso).getUTCDay()]} ${iso.slice(0, 10)}`;
	const time = (iso: string) => iso.slice(11, 16);
	return start.slice(0, 10) === end.slice(0, 10) ? `${day(start)} ${time(start)}–${time(end)} UTC` : `${day(start)} ${time(start)}–${day(end)} ${time(end)} UTC`;
}

/**
 * One short text for Slack and the cycle's chatter: the key, how many assets, their windows, and the decision when
 * there is one. E.g. "Patch 2026-11: 3 assets (3 new); windows sat 2026-11-07 22:00–sun 2026-11-08 02:00 UTC ×2,
 * sun 2026-11-08 01:00–03:00 UTC ×1; awaiting change approval."
 */
export function summarizeCycle(result: Pick<PatchCycleResult, 'key' | 'tasks' | 'counts'>, decision?: Pick<PatchDecisionResult, 'summary'> | null): string {
	const { counts } = result;
	const detail = [counts.created ? `${counts.created} new` : '', counts.repaired ? `${counts.repaired} repaired` : '', counts.kept ? `${counts.kept} kept from an earlier run` : ''].filter(Boolean).join(', ');
	const windows = new Map<string, { start: string; end: string; n: number }>();
	for (const task of result.tasks) {
		if (!task.windowStart || !task.windowEnd) continue;
		const slot = `${task.windowStart}|${task.windowEnd}`;
		const entry = windows.get(slot) ?? { start: task.windowStart, end: task.windowEnd, n: 0 };
		entry.n++;
		windows.set(slot, entry);
	}
	const listed = [...windows.values()].sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.end < b.end ? -1 : 1));
	const shown = listed.slice(0, 3).map((w) => `${shortWindow(w.start, w.end)} ×${w.n}`);
	if (listed.length > 3) shown.push(`and ${listed.length - 3} more`);
	const head = `${result.key}: ${plural(result.tasks.length, 'asset')}${detail ? ` (${detail})` : ''}`;
	const windowText = shown.length ? `; windows ${shown.join(', ')}` : '';
	const said = decision ? decision.summary.replace(`${result.key}: `, '') : '';
	const tail = said ? ` ${said.charAt(0).toUpperCase()}${said.slice(1)}` : ' Awaiting change approval.';
	return `${head}${windowText}.${tail}`;
}
