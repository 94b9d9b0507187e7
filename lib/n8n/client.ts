import type { FunctionsBase } from 'n8n-workflow';

import { createOdooClient } from '../odoo';
import type { OdooClient, OdooConnectionConfig } from '../odoo/types';
import { credentialsToConfig, ODOO_CREDENTIAL_TYPE } from './config';

/**
 * Keyed by the n8n context object, which n8n creates once per node run: every item of an execution shares one
 * client and therefore one login, while nothing survives into the next execution (queue mode runs those elsewhere).
 */
const clients = new WeakMap<object, Promise<OdooClient>>();

/** Test seam: lets tests count or shorten retries without touching the credential. */
export type ConfigOverride = (config: OdooConnectionConfig) => OdooConnectionConfig;
let configOverride: ConfigOverride | undefined;
export function setOdooConfigOverride(override: ConfigOverride | undefined): void {
	configOverride = override;
}

export function buildOdooClient(config: OdooConnectionConfig): OdooClient {
	return createOdooClient(configOverride ? configOverride(config) : config);
}

export async function getOdooClient(context: Pick<FunctionsBase, 'getCredentials'>): Promise<OdooClient> {
	let client = clients.get(context);
	if (!client) {
		client = context
			.getCredentials(ODOO_CREDENTIAL_TYPE)
			.then((data) => buildOdooClient(credentialsToConfig(data)));
		clients.set(context, client);
		// A failed credential lookup must not be cached: the next call should report it again, not a stale promise.
		client.catch(() => clients.delete(context));
	}
	return await client;
}
