import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	checkAction,
	deny,
	planReassignV2,
	planReassignV3,
	stampFieldsOf,
	type ActionTarget,
	type StampedRecord,
	type TargetDecision,
} from '../../../lib/governance';
import { parseIdList } from '../../../lib/n8n';
import { actingContext, denialError, getModelList, getModelName, getNames, getOptionalId, getRequiredId, refusal, runGoverned, type GovernanceState } from './helpers';

export async function reassign(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const mode = this.getNodeParameter('reassignMode', itemIndex, 'v2') as string;
		return mode === 'v3' ? await v3.call(this, state, itemIndex) : await v2.call(this, state, itemIndex);
	});
}

/**
 * V2: the stamp's actor changes from X to Y. Every record is checked as record.assign first (the acting person must
 * control it: their own, shared, or their team's), then one write per model.
 */
async function v2(this: IExecuteFunctions, state: GovernanceState, itemIndex: number): Promise<INodeExecutionData[]> {
	const names = getNames(this, itemIndex);
	const models = getModelList(this, 'models', 'Models', itemIndex);
	const from = getRequiredId(this, 'fromActorId', 'From Actor ID', itemIndex, 'Give the res.partner ID of the person the records move away from.');
	const to = getRequiredId(this, 'toActorId', 'To Actor ID', itemIndex, 'Give the res.partner ID of the person the records move to (an active member of the serviced account).');
	const ids = parseIdList(this.getNode(), 'Record IDs', this.getNodeParameter('recordIds', itemIndex, ''), itemIndex);
	if (ids.length > 0 && models.length !== 1) {
		throw new NodeOperationError(this.getNode(), "'Record IDs' needs exactly one model in 'Models'", {
			description: `Got ${models.length} models. Record IDs only identify records of one model; empty moves every record of the From actor in all listed models.`,
			itemIndex,
		});
	}
	const { world, ctx } = await actingContext(this, state, names, itemIndex);
	const store = state.store(names);
	const records: StampedRecord[] = [];
	for (const model of models) {
		records.push(...(ids.length > 0 ? await store.readStamps(model, ids) : await store.stampedRecords(model, ctx.sa.id, from)));
	}
	const plan = planReassignV2(world, { sa: ctx.sa.id, from, to }, records, state.now, names);
	if (!plan.ok) throw denialError(this.getNode(), plan, itemIndex);
	const moving = records.filter((r) => r.sa === ctx.sa.id && r.actor === from);
	const refused: TargetDecision[] = checkAction(world, ctx, 'record.assign', moving, state.now, { names, toActor: to }).denied;
	if (ids.length > 0) {
		const found = new Set(records.map((r) => r.id));
		for (const id of ids) {
			const r = records.find((x) => x.id === id);
			if (!found.has(id)) refused.push({ model: models[0], id, allowed: false, reason: 'unknown_record', message: `${models[0]} ${id} does not exist or cannot be read.` });
			else if (r && (r.sa !== ctx.sa.id || r.actor !== from)) {
				refused.push({ model: models[0], id, allowed: false, reason: r.sa !== ctx.sa.id ? 'other_sa' : 'invalid_target', message: `${models[0]} ${id} is not assigned to partner ${from} in ${ctx.sa.name}.` });
			}
		}
	}
	if (refused.length > 0) throw denialError(this.getNode(), refusal(refused), itemIndex);
	for (const write of plan.writes) await state.client.write(write.model, write.ids, write.values);
	const counts: IDataObject = Object.fromEntries(models.map((m) => [m, plan.counts[m] ?? 0]));
	return [{ json: { mode: 'v2', sa_id: ctx.sa.id, from, to, counts, total: plan.total } }];
}

/**
 * V3: assignment rows with history. Old rows are expired before the new one is created, so at no moment are two
 * active; the record must carry the current SA's stamp, which is what puts it in this SA at all.
 */
async function v3(this: IExecuteFunctions, state: GovernanceState, itemIndex: number): Promise<INodeExecutionData[]> {
	const names = getNames(this, itemIndex);
	const recordModel = getModelName(this, 'recordModel', 'Record Model', itemIndex);
	const ids = [...new Set(parseIdList(this.getNode(), 'Record IDs', this.getNodeParameter('recordIds', itemIndex, ''), itemIndex))];
	if (ids.length === 0) throw new NodeOperationError(this.getNode(), "'Record IDs' is empty", { description: 'Give the IDs of the records whose assignment changes.', itemIndex });
	const to = getOptionalId(this, 'toActorId', 'To Actor ID', itemIndex);
	const syncStamp = this.getNodeParameter('syncStamp', itemIndex, true) as boolean;
	const { world, ctx } = await actingContext(this, state, names, itemIndex);
	const store = state.store(names);

	const stamps = new Map((await store.readStamps(recordModel, ids)).map((r) => [r.id, r]));
	const assignments = await store.assignments(ctx.sa.id, { recordModel, recordIds: ids, activeOnly: true });
	const refused: TargetDecision[] = [];
	const targets: ActionTarget[] = [];
	for (const id of ids) {
		const stamp = stamps.get(id);
		if (!stamp) {
			refused.push({ model: recordModel, id, allowed: false, reason: 'unknown_record', message: `${recordModel} ${id} does not exist or cannot be read.` });
			continue;
		}
		const current = assignments.filter((a) => a.record_id === id);
		// With duplicates (bad data) the check must pass for every current holder, not just one of them.
		const holders = current.length > 0 ? current.map((a) => a.actor_partner_id) : [null];
		for (const actor of holders) targets.push({ model: recordModel, id, sa: stamp.sa, actor });
	}
	const action = to === null ? 'record.release' : 'record.assign';
	refused.push(...checkAction(world, ctx, action, targets, state.now, { names, toActor: to }).denied);
	if (refused.length > 0) throw denialError(this.getNode(), refusal(refused), itemIndex);

	const plan = planReassignV3(world, ids.map((id) => ({ sa_id: ctx.sa.id, record_model: recordModel, record_id: id, to_actor: to })), assignments, state.now);
	const failed = plan.results.find((r) => !r.ok);
	if (failed && !failed.ok) throw denialError(this.getNode(), deny(failed.reason, `${failed.message} Nothing was written.`), itemIndex);

	const expiredIds = plan.expire.map((e) => e.id);
	if (expiredIds.length > 0) {
		// Every expiry of one plan carries the same values, so one write covers them all.
		await state.client.write(names.assignmentModel, expiredIds, { state: 'expired', date_to: plan.expire[0].values.date_to });
	}
	const created = plan.create.length > 0
		? await state.client.create(names.assignmentModel, plan.create.map((a) => ({ sa_id: a.sa_id, record_model: a.record_model, record_id: a.record_id, actor_partner_id: a.actor_partner_id, state: a.state, date_from: a.date_from, date_to: false })))
		: [];
	const changedIds = plan.results.filter((r) => r.ok && r.changed).map((r) => r.request.record_id);
	if (syncStamp && changedIds.length > 0) {
		const fields = stampFieldsOf(names, recordModel);
		await state.client.write(recordModel, changedIds, { [fields.actor]: to ?? false });
	}
	return [
		{
			json: {
				mode: 'v3',
				sa_id: ctx.sa.id,
				record_model: recordModel,
				to,
				results: plan.results.map((r) => ({ record_id: r.request.record_id, changed: r.ok ? r.changed : false })),
				expired: expiredIds,
				created,
			},
		},
	];
}
