import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { checkAction, indexWorld, planRevoke, type StampedRecord } from '../../../lib/governance';
import { actingContext, denialError, getModelList, getNames, getRequiredId, refusal, runGoverned, type GovernanceState } from './helpers';

/**
 * Revoke Membership needs SAA over the membership's SA. The membership is written first: the plan is safe to re-run
 * on an already revoked membership (it then only finishes the normalisation), so a failure halfway is repaired by
 * running the node again, never by leaving a revoked person assigned.
 */
export async function revoke(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const names = getNames(this, itemIndex);
		const models = getModelList(this, 'governedModels', 'Governed Models', itemIndex);
		const membershipId = getRequiredId(this, 'membershipId', 'Membership ID', itemIndex, `Give the ID of the ${names.membershipModel} row to revoke.`);
		const { world, ctx } = await actingContext(this, state, names, itemIndex);
		const [decision] = checkAction(world, ctx, 'membership.revoke', [{ model: names.membershipModel, id: membershipId }], state.now, { names }).results;
		if (!decision.allowed) throw denialError(this.getNode(), refusal([decision]), itemIndex);

		const membership = world.membershipById.get(membershipId)!;
		const store = state.store(names);
		const records: StampedRecord[] = [];
		for (const model of models) records.push(...(await store.stampedRecords(model, membership.sa_id, membership.partner_id)));
		const assignments = await store.assignments(membership.sa_id, { activeOnly: true });
		const plan = planRevoke(indexWorld({ ...world.data, assignments }), membershipId, records, state.now, names);
		if (!plan.ok) throw denialError(this.getNode(), plan, itemIndex);

		if (plan.membership) {
			const values: Record<string, unknown> = { ...plan.membership.values };
			if (values.date_end !== undefined) values.date_end = await state.dateValue(names.membershipModel, 'date_end', values.date_end);
			await state.client.write(names.membershipModel, [plan.membership.id], values);
		}
		// Children hang under the revoked membership's parent; they all get the same value, so one write.
		if (plan.reparent.length > 0) {
			await state.client.write(names.membershipModel, plan.reparent.map((r) => r.id), { parent_membership_id: plan.reparent[0].values.parent_membership_id ?? false });
		}
		for (const write of plan.normalise) await state.client.write(write.model, write.ids, write.values);
		if (plan.expireAssignments.length > 0) {
			await state.client.write(names.assignmentModel, plan.expireAssignments.map((a) => a.id), { ...plan.expireAssignments[0].values });
		}
		const counts: IDataObject = Object.fromEntries(models.map((m) => [m, plan.counts[m] ?? 0]));
		return [
			{
				json: {
					membership_id: membershipId,
					sa_id: membership.sa_id,
					partner_id: membership.partner_id,
					revoked: plan.membership !== null,
					alreadyRevoked: plan.membership === null,
					stillMember: plan.stillMember,
					counts,
					total: plan.total,
					reparented: plan.reparent.map((r) => r.id),
					expiredAssignments: plan.expireAssignments.map((a) => a.id),
				},
			},
		];
	});
}
