import { NodeOperationError, type FunctionsBase } from 'n8n-workflow';

import { createSlackClient, SlackOpsError, type SlackOpsClient } from '../slack';

export const SLACK_CREDENTIAL_TYPE = 'slackOpsApi';

export interface SlackSetup {
	client: SlackOpsClient;
	signingSecret: string;
}

/** Test seam, like setOdooConfigOverride: lets tests cut the SDK's retry backoff. */
let retryOverride: { retries?: number; minRetryDelayMs?: number; maxRetryDelayMs?: number } | undefined;
export function setSlackRetryOverride(override: typeof retryOverride): void {
	retryOverride = override;
}

/** One client per node run, like the Odoo client: a workflow step never reconnects per item. */
const clients = new WeakMap<object, Promise<SlackSetup>>();

export async function getSlack(context: Pick<FunctionsBase, 'getCredentials' | 'getNode'>): Promise<SlackSetup> {
	let setup = clients.get(context);
	if (!setup) {
		setup = context.getCredentials(SLACK_CREDENTIAL_TYPE).then((data) => {
			const token = typeof data.botToken === 'string' ? data.botToken.trim() : '';
			const signingSecret = typeof data.signingSecret === 'string' ? data.signingSecret.trim() : '';
			const missing = [!token && "'Bot Token'", !signingSecret && "'Signing Secret'"].filter(Boolean);
			if (missing.length) throw new NodeOperationError(context.getNode(), `The Slack Ops API credential is missing ${missing.join(' and ')}`);
			const apiUrl = typeof data.apiUrl === 'string' && data.apiUrl.trim() ? data.apiUrl.trim() : undefined;
			return { client: createSlackClient({ token, apiUrl, ...retryOverride }), signingSecret };
		});
		clients.set(context, setup);
		setup.catch(() => clients.delete(context));
	}
	return await setup;
}

/** Slack failures keep Slack's own code next to the words that say what to do. */
export function slackNodeError(context: Pick<FunctionsBase, 'getNode'>, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof SlackOpsError) {
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: [error.code && `Slack error: ${error.code}`, error.details?.join('; ')].filter(Boolean).join('\n') || undefined,
		});
	}
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}
