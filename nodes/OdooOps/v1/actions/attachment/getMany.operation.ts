import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { jsonItems, runPerItem } from '../../../../../lib/n8n';
import { getModel, getRecordId } from '../../helpers/params';
import type { ExecutionState } from '../../helpers/types';

export const ATTACHMENT_FIELDS = ['id', 'name', 'mimetype', 'file_size', 'res_model', 'res_id', 'create_date'];

export const description = updateDisplayOptions({ show: { resource: ['attachment'], operation: ['getMany'] } }, []);

export async function execute(this: IExecuteFunctions, state: ExecutionState): Promise<INodeExecutionData[]> {
	return await runPerItem(this, state.items, async (itemIndex) => {
		const model = getModel(this, itemIndex);
		const recordId = getRecordId(this, itemIndex);
		const attachments = await state.client.searchRead(
			'ir.attachment',
			[
				['res_model', '=', model],
				['res_id', '=', recordId],
			],
			{ fields: ATTACHMENT_FIELDS, order: 'id asc' },
		);
		return jsonItems(attachments as IDataObject[]);
	});
}
