import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';

import {
	ACTIONS,
	checkAction,
	resolveContext,
	type ActionTarget,
	type CheckOptions,
	type GovernanceNames,
	type TargetDecision,
	type VisibilityPolicy,
	type VisibilityScope,
} from '../../../lib/governance';
import { parseIdList, toNodeError } from '../../../lib/n8n';
import { getNames, getOptionalId, type GovernanceState } from './helpers';

interface Entry {
	itemIndex: number;
	item: INodeExecutionData;
	/** Records named by this item; empty for create actions, which have one target per group. */
	ids: number[];
}

interface Group {
	partnerId: number;
	saId: number | null;
	action: string;
	model: string;
	names: GovernanceNames;
	options: CheckOptions;
	targetSaId: number | null;
	targetActorId: number | null;
	entries: Entry[];
}

interface Verdict {
	allowed: boolean;
	reason: string;
	message: string;
	model?: string;
	id?: number | null;
}

/** A parameter that cannot be read: the item is denied with this reason instead of failing the node. */
function problem(node: INode, reason: string, message: string): NodeOperationError {
	const error = new NodeOperationError(node, message);
	error.context.denyReason = reason;
	return error;
}

const problemReason = (error: unknown): string | undefined =>
	error instanceof NodeOperationError && typeof error.context.denyReason === 'string' ? error.context.denyReason : undefined;

/** An id parameter that cannot be read denies the item (deny by default) with a message naming the parameter. */
function readId(context: IExecuteFunctions, name: string, label: string, itemIndex: number, reason: string): number | null {
	try {
		return getOptionalId(context, name, label, itemIndex);
	} catch (error) {
		throw problem(context.getNode(), reason, `${(error as Error).message}: give a single numeric ID in '${label}'.`);
	}
}

function readOptions(context: IExecuteFunctions, itemIndex: number): { options: CheckOptions; targetSaId: number | null; targetActorId: number | null } {
	const raw = context.getNodeParameter('checkOptions', itemIndex, {}) as IDataObject;
	const options: CheckOptions = {};
	if (raw.policy) options.policy = String(raw.policy) as VisibilityPolicy;
	if (raw.scope) options.scope = String(raw.scope) as VisibilityScope;
	const toActor = readId(context, 'checkOptions.toActorId', 'Check Options › To Actor ID', itemIndex, 'missing_target_actor');
	if (toActor !== null) options.toActor = toActor;
	const toSa = readId(context, 'checkOptions.toSaId', 'Check Options › To SA ID', itemIndex, 'unknown_sa');
	if (toSa !== null) options.toSaId = toSa;
	const parent = String(raw.toParentMembershipId ?? '').trim();
	if (parent.toLowerCase() === 'none' || parent.toLowerCase() === 'null') options.toParentMembershipId = null;
	else if (parent !== '') options.toParentMembershipId = readId(context, 'checkOptions.toParentMembershipId', 'Check Options › New Parent Membership ID', itemIndex, 'unknown_membership') ?? undefined;
	return {
		options,
		targetSaId: readId(context, 'checkOptions.targetSaId', 'Check Options › Target SA ID', itemIndex, 'unknown_sa'),
		targetActorId: readId(context, 'checkOptions.targetActorId', 'Check Options › Target Actor ID', itemIndex, 'missing_target_actor'),
	};
}

const CREATES = new Set(['new_record', 'new_sa', 'new_membership']);

/**
 * Check: every item is decided, and lands on Allowed or Denied — never nowhere, never Allowed by accident. Items
 * are grouped by who asks, where, and what; a group costs the person's world (three search_reads, shared by every
 * group of that person) and one read of the records' stamps, whatever the number of records.
 */
export async function check(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[][]> {
	const allowed: INodeExecutionData[] = [];
	const denied: INodeExecutionData[] = [];
	const emit = (entry: Entry, verdict: Verdict, group: { action: string; model: string; partnerId?: number | null; saId?: number | null; authority?: string | null }) => {
		const governance: IDataObject = {
			allowed: verdict.allowed,
			action: group.action,
			authority: group.authority ?? null,
			model: verdict.model ?? group.model,
			id: verdict.id ?? null,
			reason: verdict.reason,
			message: verdict.message,
			actor: group.partnerId ?? null,
			sa_id: group.saId ?? null,
		};
		(verdict.allowed ? allowed : denied).push({ json: { ...entry.item.json, governance }, pairedItem: { item: entry.itemIndex } });
	};

	const groups = new Map<string, Group>();
	state.items.forEach((item, itemIndex) => {
		const entry: Entry = { itemIndex, item, ids: [] };
		let action = '';
		let model = '';
		try {
			action = String(this.getNodeParameter('action', itemIndex, '') ?? '').trim();
			model = String(this.getNodeParameter('model', itemIndex, '') ?? '').trim();
			const names = getNames(this, itemIndex);
			const partnerId = readId(this, 'loginPartnerId', 'Login Partner ID', itemIndex, 'unknown_partner');
			if (partnerId === null) throw problem(this.getNode(), 'unknown_partner', "'Login Partner ID' is empty, so no authority can be established: give the res.partner ID of the person acting.");
			const saId = readId(this, 'saId', 'Serviced Account ID', itemIndex, 'unknown_sa');
			const kind = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action].target : undefined;
			if (kind !== undefined && !CREATES.has(kind)) {
				try {
					entry.ids = parseIdList(this.getNode(), 'Record IDs', this.getNodeParameter('recordIds', itemIndex, ''), itemIndex);
				} catch (error) {
					throw problem(this.getNode(), 'invalid_target', (error as Error).message);
				}
				if (entry.ids.length === 0) throw problem(this.getNode(), 'invalid_target', "'Record IDs' is empty for this item: map the records' IDs (default {{ $json.id }}) or type them.");
				if (kind === 'record' || kind === 'scope') {
					if (!/^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)*$/.test(model)) throw problem(this.getNode(), 'invalid_target', `'Model' ('${model}') is not an Odoo model name: use e.g. sale.order.`);
				}
			}
			const { options, targetSaId, targetActorId } = readOptions(this, itemIndex);
			options.names = names;
			const key = JSON.stringify([partnerId, saId, action, model, names, options, targetSaId, targetActorId]);
			let group = groups.get(key);
			if (!group) groups.set(key, (group = { partnerId, saId, action, model, names, options, targetSaId, targetActorId, entries: [] }));
			group.entries.push(entry);
		} catch (error) {
			const reason = problemReason(error);
			if (reason === undefined) throw toNodeError(this.getNode(), error, itemIndex);
			emit(entry, { allowed: false, reason, message: (error as Error).message }, { action, model });
		}
	});

	for (const group of groups.values()) {
		try {
			await decideGroup(state, group, emit);
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, group.entries[0].itemIndex);
			if (!this.continueOnFail()) throw failure;
			// An error is never an allowance: with Continue On Fail the items go to Denied, marked as errors.
			for (const entry of group.entries) {
				denied.push({
					json: { ...entry.item.json, error: failure.message, governance: { allowed: false, action: group.action, model: group.model, reason: 'error', message: failure.message } },
					pairedItem: { item: entry.itemIndex },
				});
			}
		}
	}
	const byItem = (a: INodeExecutionData, b: INodeExecutionData) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item;
	return [allowed.sort(byItem), denied.sort(byItem)];
}

async function decideGroup(
	state: GovernanceState,
	group: Group,
	emit: (entry: Entry, verdict: Verdict, group: { action: string; model: string; partnerId?: number | null; saId?: number | null; authority?: string | null }) => void,
): Promise<void> {
	const { names, action } = group;
	const world = await state.world(names, group.partnerId);
	const ctx = resolveContext(world, group.partnerId, group.saId, state.now);
	const about = { action, model: group.model, partnerId: group.partnerId, saId: ctx.ok ? ctx.sa.id : group.saId };
	if (!ctx.ok) {
		for (const entry of group.entries) {
			if (entry.ids.length === 0) emit(entry, { allowed: false, reason: ctx.reason, message: ctx.message }, about);
			for (const id of entry.ids) emit(entry, { allowed: false, reason: ctx.reason, message: ctx.message, model: group.model, id }, about);
		}
		return;
	}
	const spec = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
	const kind = spec?.target;
	const authority = { ...about, authority: spec?.authority ?? null };

	if (kind === undefined || CREATES.has(kind)) {
		let target: ActionTarget;
		if (kind === 'new_sa') target = { model: names.servicedAccountModel, id: null, sa: group.targetSaId ?? undefined };
		else if (kind === 'new_membership') target = { model: names.membershipModel, id: null, sa: group.targetSaId ?? ctx.sa.id, actor: group.targetActorId ?? undefined };
		else target = { model: group.model, id: null, sa: group.targetSaId ?? ctx.sa.id, actor: group.targetActorId };
		const [decision] = checkAction(world, ctx, action, [target], state.now, group.options).results;
		for (const entry of group.entries) emit(entry, decision, authority);
		return;
	}

	const model = kind === 'sa' ? names.servicedAccountModel : kind === 'membership' ? names.membershipModel : group.model;
	const ids = [...new Set(group.entries.flatMap((e) => e.ids))];
	let targets: ActionTarget[];
	if (kind === 'record' || kind === 'scope') {
		const stamps = new Map((await state.store(names).readStamps(model, ids)).map((r) => [r.id, r]));
		targets = [];
		for (const id of ids) {
			const stamp = stamps.get(id);
			if (stamp) targets.push({ model, id, sa: stamp.sa, actor: stamp.actor });
		}
	} else {
		targets = ids.map((id) => ({ model, id }));
	}
	const decisions = new Map<number, TargetDecision>(checkAction(world, ctx, action, targets, state.now, group.options).results.map((d) => [d.id as number, d]));
	for (const entry of group.entries) {
		for (const id of entry.ids) {
			const decision = decisions.get(id);
			if (decision) emit(entry, decision, authority);
			else emit(entry, { allowed: false, reason: 'unknown_record', message: `${model} ${id} does not exist or cannot be read.`, model, id }, authority);
		}
	}
}
