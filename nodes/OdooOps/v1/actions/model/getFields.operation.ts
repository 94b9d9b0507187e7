import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { jsonItems, runPerItem } from '../../../../../lib/n8n';
import { getModel } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';

export const description = updateDisplayOptions({ show: { resource: ['model'], operation: ['getFields'] } }, [] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const fields = await state.client.fieldsGet(model, ['string', 'type', 'required', 'readonly', 'relation', 'selection', 'help']);
		return jsonItems(
			Object.entries(fields)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([name, info]) => ({
					model,
					name,
					label: info.string,
					type: info.type,
					required: info.required === true,
					readonly: info.readonly === true,
					relation: info.relation ?? null,
					selection: Array.isArray(info.selection) ? info.selection.map(([value, label]) => ({ value, label })) : null,
					help: info.help ?? null,
				})),
		);
	});
}
