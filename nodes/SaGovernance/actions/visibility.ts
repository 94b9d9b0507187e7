import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { filterVisible, specDomain, stampFieldsOf, visibilitySpec, type StampedRecord } from '../../../lib/governance';
import { parseJsonParameter, toNodeError } from '../../../lib/n8n';
import { andDomains, validateDomain } from '../../../lib/odoo';
import type { OdooDomain } from '../../../lib/odoo/types';
import { actingContext, denialError, errorJson, getNames, many2oneId, runGoverned, type GovernanceState } from './helpers';

function readModel(context: IExecuteFunctions, itemIndex: number, required: boolean): string {
	const model = String(context.getNodeParameter('visibilityModel', itemIndex, '') ?? '').trim();
	if (model === '' && !required) return '';
	if (!/^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)*$/.test(model)) {
		throw new NodeOperationError(context.getNode(), model === '' ? "'Model' is empty" : `'Model' ('${model}') is not an Odoo model name`, {
			description: 'Give the governed model the records come from, e.g. sale.order: its stamp fields decide visibility.',
			itemIndex,
		});
	}
	return model;
}

export async function visibility(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('visibilityMode', 0, 'domain') as string;
	return mode === 'filter' ? await filterRecords.call(this, state) : await domain.call(this, state);
}

async function domain(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const names = getNames(this, itemIndex);
		const model = readModel(this, itemIndex, false);
		const { ctx } = await actingContext(this, state, names, itemIndex);
		const policy = String(this.getNodeParameter('policy', itemIndex, '') ?? '');
		const scope = String(this.getNodeParameter('scope', itemIndex, 'own') ?? 'own') as 'own';
		const decided = visibilitySpec(ctx, policy, { scope, model: model || undefined });
		if (!decided.ok) throw denialError(this.getNode(), decided, itemIndex);
		const fields = stampFieldsOf(names, model || undefined);
		const extraRaw = this.getNodeParameter('extraDomain', itemIndex, '[]');
		const extra = Array.isArray(extraRaw) ? (extraRaw as OdooDomain) : parseJsonParameter<OdooDomain>(this.getNode(), 'Combine With Domain', extraRaw, 'array', itemIndex);
		let checkedExtra: OdooDomain;
		try {
			checkedExtra = validateDomain(extra);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `'Combine With Domain' is not a valid domain: ${(error as Error).message}`, {
				description: 'Give a JSON list of conditions, e.g. [["state", "in", ["draft", "sent"]]].',
				itemIndex,
			});
		}
		const visible = specDomain(decided.spec, fields);
		return [
			{
				json: {
					domain: andDomains(visible, checkedExtra),
					visibilityDomain: visible,
					model,
					policy: decided.policy,
					scope: decided.scope,
					actor: ctx.actor,
					sa_id: ctx.sa.id,
					sa: { id: ctx.sa.id, name: ctx.sa.name },
					fields,
				} as IDataObject,
			},
		];
	});
}

/**
 * Filter mode decides per record from the stamp the item carries. A record without the SA field cannot be judged,
 * which is a configuration mistake (the field was not read, or is named differently), so it is reported rather than
 * silently dropped.
 */
async function filterRecords(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < state.items.length; itemIndex++) {
		try {
			const names = getNames(this, itemIndex);
			const model = readModel(this, itemIndex, true);
			const fields = stampFieldsOf(names, model);
			const json = state.items[itemIndex].json;
			if (!(fields.sa in json)) {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has no '${fields.sa}' field, so its visibility cannot be decided`, {
					description: `Read '${fields.sa}' and '${fields.actor}' with the records (e.g. in Odoo Ops Get Many › Fields), or set Names › Stamp SA Field to the field your model uses.`,
					itemIndex,
				});
			}
			const { ctx } = await actingContext(this, state, names, itemIndex);
			const policy = String(this.getNodeParameter('policy', itemIndex, '') ?? '');
			const scope = String(this.getNodeParameter('scope', itemIndex, 'own') ?? 'own') as 'own';
			const decided = visibilitySpec(ctx, policy, { scope, model });
			if (!decided.ok) throw denialError(this.getNode(), decided, itemIndex);
			const record: StampedRecord = { id: Number(json.id), model, sa: many2oneId(json[fields.sa]), actor: many2oneId(json[fields.actor]) };
			if (filterVisible([record], ctx, policy, { scope, model }).length === 1) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw failure;
			output.push({ json: errorJson(failure), pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
