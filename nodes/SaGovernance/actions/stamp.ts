import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { checkAction, deny, stampFieldsOf, validateStamp, type ActionTarget, type TargetDecision } from '../../../lib/governance';
import { parseIdList } from '../../../lib/n8n';
import { actingContext, denialError, getModelName, getNames, getOptionalId, refusal, runGoverned, type GovernanceState } from './helpers';

/**
 * Stamp writes {actor, sa} of the current SA. Putting an unstamped record into the SA is structure (scope.assign,
 * SAA); changing the actor of a record already in the SA is work (record.assign / record.release, SAM). Every record
 * is decided first, and one refusal writes nothing.
 */
export async function stamp(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const names = getNames(this, itemIndex);
		const model = getModelName(this, 'model', 'Model', itemIndex);
		const ids = [...new Set(parseIdList(this.getNode(), 'Record IDs', this.getNodeParameter('recordIds', itemIndex, ''), itemIndex))];
		const actor = getOptionalId(this, 'actorId', 'Actor ID', itemIndex);
		const { world, ctx } = await actingContext(this, state, names, itemIndex);
		if (ids.length === 0) throw denialError(this.getNode(), deny('invalid_target', "'Record IDs' is empty: give the IDs of the records to stamp."), itemIndex);

		const valid = validateStamp(world, { sa: ctx.sa.id, actor }, state.now);
		if (!valid.ok) throw denialError(this.getNode(), { ...valid, message: `${valid.message} Nothing was written.` }, itemIndex);

		const current = new Map((await state.store(names).readStamps(model, ids)).map((r) => [r.id, r]));
		const refused: TargetDecision[] = [];
		const unstamped: ActionTarget[] = [];
		const inSa: ActionTarget[] = [];
		for (const id of ids) {
			const r = current.get(id);
			if (!r) refused.push({ model, id, allowed: false, reason: 'unknown_record', message: `${model} ${id} does not exist or cannot be read.` });
			else if (r.sa === null) unstamped.push({ model, id, sa: null, actor: null });
			else inSa.push({ model, id, sa: r.sa, actor: r.actor });
		}
		if (unstamped.length > 0) refused.push(...checkAction(world, ctx, 'scope.assign', unstamped, state.now, { names, toSaId: ctx.sa.id }).denied);
		if (inSa.length > 0) {
			const action = actor === null ? 'record.release' : 'record.assign';
			refused.push(...checkAction(world, ctx, action, inSa, state.now, { names, toActor: actor }).denied);
		}
		if (refused.length > 0) throw denialError(this.getNode(), refusal(refused), itemIndex);

		const fields = stampFieldsOf(names, model);
		await state.client.write(model, ids, { [fields.sa]: ctx.sa.id, [fields.actor]: actor ?? false });
		return [{ json: { model, ids, sa_id: ctx.sa.id, actor, written: ids.length, newlyGoverned: unstamped.length } }];
	});
}
