import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { getOdooClient, toNodeError } from '../../../../lib/n8n';
import { createExecutionState, type OperationExecute } from '../helpers/types';
import * as attachment from './attachment';
import * as message from './message';
import * as method from './method';
import * as model from './model';
import * as record from './record';

const operations: Record<string, Record<string, OperationExecute>> = {
	record: {
		count: record.count.execute,
		create: record.create.execute,
		delete: record.delete.execute,
		get: record.get.execute,
		getMany: record.getMany.execute,
		update: record.update.execute,
		upsert: record.upsert.execute,
	},
	method: { call: method.call.execute },
	attachment: {
		download: attachment.download.execute,
		getMany: attachment.getMany.execute,
		upload: attachment.upload.execute,
	},
	message: { post: message.post.execute },
	model: { getFields: model.getFields.execute, getMany: model.getMany.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation '${operation}' of resource '${resource}' is not supported`);
	}
	let client;
	try {
		// One client for the whole run: it logs in once, on first use, whatever the number of items. A later Odoo Ops
		// node of the same execution with the same credential reuses that login instead of paying ~0.4 s again.
		client = await getOdooClient(this, { shareLoginWithinExecution: true });
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
	return [await execute.call(this, createExecutionState(client, items))];
}
