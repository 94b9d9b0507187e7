/**
 * One decision per approval, even when two approvers click at the same moment. n8n checks that an execution is still
 * waiting before it calls the node's webhook, so two clicks that arrive together both pass that check; whichever
 * reached Odoo first must be the only one to update Slack and the chatter. Odoo is the arbiter because it is the
 * system of record and the one store every n8n process (queue mode) shares: an external id (ir.model.data) is unique
 * per (module, name), so creating it is an atomic claim, and the row records which approval it closed.
 */
import { createHash } from 'node:crypto';

import { OdooError } from '../odoo/errors';
import type { OdooClient } from '../odoo/types';

export const CLAIM_MODULE = 'odoo_ops_approval';

export type ClaimResult =
	| { status: 'won'; name: string }
	| { status: 'lost'; name: string }
	/** No claim could be made (no execution id, or a user without rights on external ids): decide without one. */
	| { status: 'unclaimed'; warning: string };

/** The external id's name for one approval: a digest, so it has no dots or spaces and says nothing about the record. */
export function claimName(executionId: string, nodeId: string): string {
	return `decision_${createHash('sha256').update(`${executionId}:${nodeId}`).digest('hex').slice(0, 40)}`;
}

async function claimExists(client: OdooClient, name: string): Promise<boolean> {
	return (await client.searchCount('ir.model.data', [['module', '=', CLAIM_MODULE], ['name', '=', name]])) > 0;
}

export async function claimDecision(client: OdooClient, approval: { executionId?: string; nodeId: string; model: string; id: number }): Promise<ClaimResult> {
	if (!approval.executionId) return { status: 'unclaimed', warning: 'No execution id: two simultaneous decisions cannot be told apart' };
	const name = claimName(approval.executionId, approval.nodeId);
	try {
		await client.create('ir.model.data', [{ module: CLAIM_MODULE, name, model: approval.model, res_id: approval.id, noupdate: true }]);
		return { status: 'won', name };
	} catch (error) {
		if (error instanceof OdooError && error.kind === 'access') {
			return { status: 'unclaimed', warning: `Could not record the decision's claim in Odoo (${error.message}); give the integration user Administration/Access Rights so simultaneous clicks cannot both decide` };
		}
		// The unique (module, name) index refused it: someone decided first. Anything else is a real failure.
		if (error instanceof OdooError && error.kind !== 'network' && (await claimExists(client, name))) return { status: 'lost', name };
		throw error;
	}
}
