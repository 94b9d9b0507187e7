import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getOdooClient, toNodeError } from '../../lib/n8n';
import { audit } from './actions/audit';
import { check } from './actions/check';
import { resolve, rollUpOperation } from './actions/context';
import { properties } from './actions/descriptions';
import { GovernanceState } from './actions/helpers';
import { reassign } from './actions/reassign';
import { revoke } from './actions/revoke';
import { stamp } from './actions/stamp';
import { visibility } from './actions/visibility';
import { credentialTest } from '../OdooOps/v1/methods';

type Operation = (this: IExecuteFunctions, state: GovernanceState) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	context: { resolve, rollUp: rollUpOperation },
	access: { visibility },
	record: { stamp, reassign },
	membership: { revoke },
	integrity: { audit },
};

/**
 * Serviced Account governance (seeds 004 and 001) over the Odoo Ops credential. The decisions live in
 * lib/governance; this node reads parameters, loads what a decision needs in a fixed number of Odoo calls, and
 * writes only when every record of an item is allowed.
 */
export class SaGovernance implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SA Governance',
		name: 'saGovernance',
		icon: { light: 'file:saGovernance.svg', dark: 'file:saGovernance.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Serviced Account governance on Odoo: who may act, in which serviced account, on which records. Resolve {actor, sa}, check actions, visibility domains, stamps, reassignment, revocation, integrity audit and roll-up.',
		defaults: { name: 'SA Governance' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Check sends allowed and denied items apart; every other operation has one output. A saved workflow may
		// omit a parameter left at its default, and "check" is the default operation of "access".
		outputs: `={{ $parameter["resource"] === "access" && ($parameter["operation"] ?? "check") === "check" ? [{ "type": "main", "displayName": "Allowed" }, { "type": "main", "displayName": "Denied" }] : [{ "type": "main" }] }}`,
		credentials: [{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest' }],
		properties,
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const isCheck = resource === 'access' && operation === 'check';
		const run = operations[resource]?.[operation];
		if (!run && !isCheck) {
			throw new NodeOperationError(this.getNode(), `The operation '${operation}' of resource '${resource}' is not supported`);
		}
		let client;
		try {
			// One client for the whole run: one login, whatever the number of items.
			client = await getOdooClient(this);
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
		const state = new GovernanceState(client, this.getInputData());
		if (isCheck) return await check.call(this, state);
		return [await run!.call(this, state)];
	}
}
