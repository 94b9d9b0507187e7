import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { auditIntegrity, deny, descendantAccounts, planRepair, stampFieldsOf, type Assignment, type Finding, type StampedRecord } from '../../../lib/governance';
import type { OdooRecord } from '../../../lib/odoo/types';
import { actingContext, denialError, getModelList, getNames, many2oneId, runGoverned, type GovernanceState } from './helpers';

const WITH_ARCHIVED = { active_test: false };

function toAssignment(row: OdooRecord): Assignment {
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	return {
		id: row.id,
		sa_id: many2oneId(row.sa_id) ?? 0,
		record_model: String(row.record_model),
		record_id: Number(row.record_id),
		actor_partner_id: many2oneId(row.actor_partner_id) ?? 0,
		state: row.state === 'active' ? 'active' : 'expired',
		date_from: text(row.date_from),
		date_to: text(row.date_to),
	};
}

const findingSa = (f: Finding): number => f.sa_id;

/**
 * Audit reads the SA the manager governs and everything below it: one search_read per governed model (stamps with
 * `sa in [...]`) and one for assignment rows, however many SAs the subtree holds. Only the current sa_manager may
 * audit, because repair rewrites records across the subtree.
 */
export async function audit(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const names = getNames(this, itemIndex);
		const models = getModelList(this, 'governedModels', 'Governed Models', itemIndex);
		const repair = this.getNodeParameter('repair', itemIndex, false) as boolean;
		const { world, ctx } = await actingContext(this, state, names, itemIndex);
		if (!ctx.isSaManager) {
			throw denialError(this.getNode(), deny('needs_sa_manager', `Auditing ${ctx.sa.name} is SA administration; only its current manager may run it.`, { sa_id: ctx.sa.id }), itemIndex);
		}
		const scope = [ctx.sa.id, ...descendantAccounts(world, ctx.sa.id, false).map((sa) => sa.id)];
		const inScope = new Set(scope);

		const records: StampedRecord[] = [];
		for (const model of models) {
			const fields = stampFieldsOf(names, model);
			const rows = await state.client.searchRead(model, [[fields.sa, 'in', scope]], { fields: [fields.sa, fields.actor], context: WITH_ARCHIVED });
			for (const row of rows) records.push({ id: row.id, model, sa: many2oneId(row[fields.sa]), actor: many2oneId(row[fields.actor]) });
		}
		const assignments = (
			await state.client.searchRead(names.assignmentModel, [['sa_id', 'in', scope]], {
				fields: ['sa_id', 'record_model', 'record_id', 'actor_partner_id', 'state', 'date_from', 'date_to'],
				order: 'id',
			})
		).map(toAssignment);

		// The world also holds the person's other SAs; what lies outside the audited subtree is not this audit's business.
		const findings = auditIntegrity(world, records, assignments, state.now).filter((f) => inScope.has(findingSa(f)));
		const byKind: IDataObject = {};
		for (const f of findings) byKind[f.kind] = ((byKind[f.kind] as number | undefined) ?? 0) + 1;

		let repaired: IDataObject | null = null;
		if (repair && findings.length > 0) {
			const plan = planRepair(findings, state.now, names);
			for (const write of plan.normalise) await state.client.write(write.model, write.ids, write.values);
			if (plan.expireAssignments.length > 0) {
				await state.client.write(names.assignmentModel, plan.expireAssignments.map((a) => a.id), { ...plan.expireAssignments[0].values });
			}
			repaired = { normalised: plan.counts, expiredAssignments: plan.expireAssignments.map((a) => a.id), manual: plan.manual.length };
		}
		return [
			{
				json: {
					sa_id: ctx.sa.id,
					saIds: scope,
					models,
					ok: findings.length === 0,
					count: findings.length,
					byKind,
					findings: findings as unknown as IDataObject[],
					repaired,
				},
			},
		];
	});
}
