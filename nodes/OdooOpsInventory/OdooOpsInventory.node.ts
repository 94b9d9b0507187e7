import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getOdooClient, toNodeError } from '../../lib/n8n';
import { credentialTest } from '../OdooOps/v1/methods';
import { operations } from './v1/actions';
import { properties } from './v1/descriptions';

/**
 * The IT-glue control plane of seed 002 on Odoo: the asset inventory, credential references (never secrets),
 * runbooks, patch cycles and inventory snapshots. The decisions live in lib/inventory; this node reads parameters
 * and shapes items.
 */
export class OdooOpsInventory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Ops Inventory',
		name: 'odooOpsInventory',
		icon: { light: 'file:odooOpsInventory.svg', dark: 'file:odooOpsInventory.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Asset inventory, credential references, runbooks, patch cycles and inventory snapshots kept in Odoo. Idempotent: a re-run creates nothing new and repairs what is missing; secrets are refused.',
		defaults: { name: 'Odoo Ops Inventory' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest' }],
		properties,
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = operations[resource]?.[operation];
		if (!run) throw new NodeOperationError(this.getNode(), `The operation '${operation}' of resource '${resource}' is not supported`);
		try {
			// One client for the whole run: one login, whatever the number of items.
			const client = await getOdooClient(this);
			return [await run.call(this, { client, items: this.getInputData(), homes: new Map() })];
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
	}
}
