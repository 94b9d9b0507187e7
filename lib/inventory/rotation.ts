/**
 * Rotation reminders (seed 002): a credential reference whose rotation is due becomes a task for its owner, once per
 * due date. The due date is a pure function of the reference (last rotation + policy), and the task is keyed by
 * (reference, due date) in Odoo, so any worker can run the reminder any number of times: the same due date never
 * makes a second task, and recording a rotation moves the due date, which gets its own task when it comes.
 */
import { ensureManualFields } from '../odoo/manual-schema';
import type { OdooClient, OdooRecord } from '../odoo/types';
import { toIsoDate } from './assets';
import { listCredentialReferences, parseRotationPolicy, type RotationPeriod } from './credentials';
import { ensureProjectNamed, OPS_KEY_FIELD, OPS_KEY_SPEC } from './odoo-records';
import { InventoryInputError, type CredentialReference } from './types';

export { OPS_KEY_FIELD };
import { escapeHtml } from '../shared/html';

export const DEFAULT_ROTATION_PROJECT = 'Credential rotation';

// ---------------------------------------------------------------------------------------------------------------
// Pure

/** `date` (YYYY-MM-DD) plus a period; months clamp to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addPeriod(date: string, period: RotationPeriod): string {
	const [year, month, day] = date.split('-').map(Number);
	if (period.unit === 'day') return new Date(Date.UTC(year, month - 1, day + period.count)).toISOString().slice(0, 10);
	const target = new Date(Date.UTC(year, month - 1 + period.count, 1));
	const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
	target.setUTCDate(Math.min(day, lastDay));
	return target.toISOString().slice(0, 10);
}

/** Last rotation + the policy's period (YYYY-MM-DD); null when never rotated, which means due now. */
export function nextRotationDue(ref: Pick<CredentialReference, 'lastRotation'>, policy: RotationPeriod | string): string | null {
	const period = typeof policy === 'string' ? parseRotationPolicy(policy) : policy;
	if (!ref.lastRotation) return null;
	const last = toIsoDate(ref.lastRotation);
	if (!last) throw new InventoryInputError({ field: 'lastRotation', message: `Last rotation ${JSON.stringify(ref.lastRotation)} is not a date`, hint: 'Record the day of the last rotation as YYYY-MM-DD' });
	return addPeriod(last, period);
}

export type RotationCandidate = Pick<CredentialReference, 'id' | 'name' | 'lastRotation' | 'rotationPolicy'> &
	Partial<Pick<CredentialReference, 'owner' | 'vaultPath' | 'mfaRequired' | 'assetRef'>> & {
		/** YYYY-MM-DD the reference was recorded; a never-rotated secret is due from then, so its key stays put. */
		recordedOn?: string | null;
	};

export interface DueReference<R extends RotationCandidate = RotationCandidate> {
	reference: R;
	/** The due date the reminder is for. */
	dueOn: string;
	neverRotated: boolean;
	/** rotation:<refId>:<dueOn>, the task's key. */
	key: string;
}

export function rotationKey(referenceId: number, dueOn: string): string {
	return `rotation:${referenceId}:${dueOn}`;
}

function checkAsOf(asOf: string | undefined): string {
	if (asOf === undefined || asOf === '') return new Date().toISOString().slice(0, 10);
	const text = asOf.trim();
	// A Schedule Trigger or $now gives a full ISO instant: its UTC day is the day checked.
	const instant = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : null;
	const date = instant && !Number.isNaN(instant.getTime()) ? instant.toISOString().slice(0, 10) : /^\d{4}-\d{2}-\d{2}$/.test(text) ? toIsoDate(text) : undefined;
	if (!date) throw new InventoryInputError({ field: 'asOf', message: `'asOf' ${JSON.stringify(asOf)} is not a date`, hint: 'Give the day to check as YYYY-MM-DD or an ISO 8601 instant (e.g. {{ $now.toISO() }}), or leave it empty for today' });
	return date;
}

/**
 * The references due on `asOf` (YYYY-MM-DD), and those that cannot be judged (a policy or date Odoo holds that the
 * pack cannot read), with why, so one bad row does not stop the reminders of the others.
 */
export function planRotations<R extends RotationCandidate>(refs: R[], asOf: string): { due: Array<DueReference<R>>; skipped: Array<{ id: number; name: string; reason: string }> } {
	const day = checkAsOf(asOf);
	const due: Array<DueReference<R>> = [];
	const skipped: Array<{ id: number; name: string; reason: string }> = [];
	for (const reference of refs) {
		let next: string | null;
		try {
			next = nextRotationDue(reference, reference.rotationPolicy);
		} catch (error) {
			skipped.push({ id: reference.id, name: reference.name, reason: (error as Error).message });
			continue;
		}
		// Never rotated: due since it was recorded (a fixed day, so re-runs on later days find the same task).
		const dueOn = next ?? (reference.recordedOn ? toIsoDate(reference.recordedOn) : undefined) ?? day;
		if (dueOn <= day) due.push({ reference, dueOn, neverRotated: next === null, key: rotationKey(reference.id, dueOn) });
	}
	return { due, skipped };
}

/** The references whose rotation is due on `asOf` (YYYY-MM-DD). */
export function referencesDue<R extends RotationCandidate>(refs: R[], asOf: string): Array<DueReference<R>> {
	return planRotations(refs, asOf).due;
}

// ---------------------------------------------------------------------------------------------------------------
// Odoo

export interface RotationTask {
	key: string;
	taskId: number;
	referenceId: number;
	name: string;
	dueOn: string;
	ownerId: number | null;
	action: 'created' | 'existing';
}

export interface RotationTasksResult {
	asOf: string;
	projectId: number;
	created: number;
	existing: number;
	tasks: RotationTask[];
	/** References whose due date could not be worked out, with why. */
	skipped: Array<{ id: number; name: string; reason: string }>;
}


/** The task body: where the secret is (a path is not a secret) and the policy, never the secret. */
export function rotationTaskDescription(due: DueReference): string {
	const ref = due.reference;
	const rows: Array<[string, string]> = [
		['Vault path', ref.vaultPath ?? ''],
		['Rotation policy', ref.rotationPolicy],
		['Last rotation', ref.lastRotation ?? 'never'],
		['Due', due.dueOn],
		['MFA required', ref.mfaRequired ? 'yes' : 'no'],
	];
	if (ref.assetRef) rows.push(['Asset', ref.assetRef]);
	rows.push(['Owner', ref.owner ? ref.owner.name || `user #${ref.owner.id}` : 'none: assign someone, and set an owner on the reference']);
	return [
		`<p>Rotate the secret <b>${escapeHtml(ref.name)}</b> in the vault, then set the day of the rotation as the reference's last rotation.</p>`,
		`<ul>${rows.map(([label, value]) => `<li>${label}: ${escapeHtml(value)}</li>`).join('')}</ul>`,
	].join('');
}


/**
 * Ensures one project.task per (reference, due date) for every reference due on `asOf`: assigned to the reference's
 * owner (unassigned with a note when it has none), named "Rotate <name>", deadline the due date. Re-runs create
 * nothing new until a due date moves.
 */
export async function ensureRotationTasks(client: OdooClient, options: { asOf?: string; projectName?: string } = {}): Promise<RotationTasksResult> {
	const asOf = checkAsOf(options.asOf);
	const projectName = options.projectName?.trim() || DEFAULT_ROTATION_PROJECT;
	const references = await listCredentialReferences(client);
	const { due, skipped } = planRotations(references, asOf);
	const projectId = (await ensureProjectNamed(client, projectName)).id;
	const { fields } = await ensureManualFields(client, 'project.task', [OPS_KEY_SPEC]);
	const result: RotationTasksResult = { asOf, projectId, created: 0, existing: 0, tasks: [], skipped };
	if (due.length === 0) return result;

	// Archived and done tasks count: the reminder for that due date was given.
	const context = { active_test: false };
	const keys = due.map((entry) => entry.key);
	const found = await client.searchRead('project.task', [[OPS_KEY_FIELD, 'in', keys]], { fields: [OPS_KEY_FIELD], order: 'id asc', context });
	const taskOf = new Map<string, number>();
	for (const task of found) if (!taskOf.has(String(task[OPS_KEY_FIELD]))) taskOf.set(String(task[OPS_KEY_FIELD]), task.id);

	const missing = due.filter((entry) => !taskOf.has(entry.key));
	const deadline = (day: string) => (fields.date_deadline?.type === 'datetime' ? `${day} 12:00:00` : day);
	const assign = (ownerId: number | null): Record<string, unknown> => {
		// Set explicitly, also when empty: Odoo may default the assignee to the user running the workflow.
		if (fields.user_ids) return { user_ids: [[6, 0, ownerId ? [ownerId] : []]] };
		if (fields.user_id) return { user_id: ownerId ?? false };
		return {};
	};
	const rows = missing.map((entry) => ({
		name: `Rotate ${entry.reference.name}`,
		project_id: projectId,
		[OPS_KEY_FIELD]: entry.key,
		...(fields.date_deadline ? { date_deadline: deadline(entry.dueOn) } : {}),
		...(fields.description ? { description: rotationTaskDescription(entry) } : {}),
		...assign(entry.reference.owner?.id ?? null),
	}));
	const createdIds = await client.create('project.task', rows);

	// Converge with a concurrent run: per key the oldest task stays, ours go if they lost.
	const createdKeys = new Set(missing.map((entry) => entry.key));
	const kept = new Map<string, number>();
	const surplus: number[] = [];
	if (createdIds.length > 0) {
		const now = await client.searchRead('project.task', [[OPS_KEY_FIELD, 'in', [...createdKeys]]], { fields: [OPS_KEY_FIELD], order: 'id asc', context });
		const ours = new Set(createdIds);
		for (const task of now as OdooRecord[]) {
			const key = String(task[OPS_KEY_FIELD]);
			if (!kept.has(key)) kept.set(key, task.id);
			else if (ours.has(task.id)) surplus.push(task.id);
		}
		if (surplus.length > 0) await client.unlink('project.task', surplus);
	}

	for (const [position, entry] of missing.entries()) {
		const id = kept.get(entry.key) ?? createdIds[position];
		if (id !== createdIds[position] || entry.reference.owner) continue;
		await client.messagePost('project.task', id, {
			kind: 'note',
			body: `Credential reference '${entry.reference.name}' has no owner, so this task is unassigned. Assign it, and set an owner on the reference so the next reminder goes to them.`,
		});
	}

	for (const entry of due) {
		const createdHere = createdKeys.has(entry.key) && kept.get(entry.key) === createdIds[missing.indexOf(entry)];
		const taskId = taskOf.get(entry.key) ?? kept.get(entry.key)!;
		result.tasks.push({
			key: entry.key,
			taskId,
			referenceId: entry.reference.id,
			name: entry.reference.name,
			dueOn: entry.dueOn,
			ownerId: entry.reference.owner?.id ?? null,
			action: createdHere ? 'created' : 'existing',
		});
		if (createdHere) result.created++;
		else result.existing++;
	}
	return result;
}
