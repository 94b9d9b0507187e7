import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as attachment from './v1/actions/attachment';
import * as message from './v1/actions/message';
import * as method from './v1/actions/method';
import * as model from './v1/actions/model';
import * as record from './v1/actions/record';
import { router } from './v1/actions/router';
import { credentialTest, listSearch, loadOptions } from './v1/methods';

/**
 * Laid out like n8n's v2 nodes (v1/actions/<resource>/<operation>.operation.ts, router, methods) but registered as
 * a plain INodeType: n8n finds a node's credential test through `instanceof VersionedNodeType`, which fails when the
 * pack resolves its own copy of n8n-workflow, and the test button would then find no test. A second version adds a
 * v2 folder and turns this file into a VersionedNodeType once that lookup no longer depends on the class identity.
 */
export class OdooOps implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Ops',
		name: 'odooOps',
		icon: { light: 'file:odooOps.svg', dark: 'file:odooOps.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			"Records, methods, attachments and chatter in any Odoo model. Unlike n8n's built-in Odoo node: one login per execution, batched creates, any model and method, over XML-RPC, JSON-RPC or JSON-2.",
		defaults: { name: 'Odoo Ops' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Attachment', value: 'attachment' },
					{ name: 'Message', value: 'message' },
					{ name: 'Method', value: 'method' },
					{ name: 'Model', value: 'model' },
					{ name: 'Record', value: 'record' },
				],
				default: 'record',
			},
			...attachment.description,
			...message.description,
			...method.description,
			...model.description,
			...record.description,
		],
	};

	methods = { credentialTest, listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
