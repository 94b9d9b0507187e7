import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { rollUp } from '../../../lib/governance';
import { actingContext, contextJson, denialError, getNames, runGoverned, type GovernanceState } from './helpers';

export async function resolve(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const { ctx } = await actingContext(this, state, getNames(this, itemIndex), itemIndex);
		return [{ json: contextJson(ctx) }];
	});
}

export async function rollUpOperation(this: IExecuteFunctions, state: GovernanceState): Promise<INodeExecutionData[]> {
	return await runGoverned(this, state.items, async (itemIndex) => {
		const { world, ctx } = await actingContext(this, state, getNames(this, itemIndex), itemIndex);
		const result = rollUp(world, ctx, state.now);
		if (!result.ok) throw denialError(this.getNode(), result, itemIndex);
		const { ok, ...rolled } = result;
		void ok;
		return [{ json: { actor: ctx.actor, sa_id: ctx.sa.id, isSaManager: ctx.isSaManager, ...(rolled as unknown as IDataObject) } }];
	});
}
