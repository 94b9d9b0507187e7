import { createHmac, randomBytes } from 'node:crypto';
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

/**
 * Logins shared by the nodes of one execution. A login costs Odoo ~0.4 s (password hashing), as much as creating
 * a thousand records, and every Odoo node of a workflow would otherwise pay it again. The key is the execution id
 * plus an HMAC of the connection settings (secret included) under a key that lives only in this process, so no
 * secret is held as a key, a credential edited between executions or nodes never meets the old login, and two
 * executions never share one. Entries expire a minute after they were made and the map is small: it only has to
 * bridge the nodes of an execution running now (a node of a long execution that comes later logs in again). In
 * queue mode the next node may run in another process: that is a miss, which only costs a login.
 */
export const SHARED_LOGIN_TTL_MS = 60_000;
export const SHARED_LOGIN_MAX = 32;
const sessionKeySecret = randomBytes(32);

interface SharedLogin {
	client: OdooClient;
	expires: number;
	/** A client built under another test override (other retry settings) is not the one the caller asked for. */
	override: ConfigOverride | undefined;
}
const sharedLogins = new Map<string, SharedLogin>();

function sessionKey(executionId: string, config: OdooConnectionConfig): string {
	const settings = Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return createHmac('sha256', sessionKeySecret).update(JSON.stringify([executionId, settings])).digest('hex');
}

/** Test seam: forget every shared login, as a restart would. */
export function clearSharedOdooLogins(): void {
	sharedLogins.clear();
}

/** Test seam: the keys held now (digests, never a secret). */
export function sharedOdooLoginKeys(): string[] {
	return [...sharedLogins.keys()];
}

function sharedClient(executionId: string, config: OdooConnectionConfig, now = Date.now()): OdooClient {
	for (const [key, entry] of sharedLogins) if (entry.expires <= now) sharedLogins.delete(key);
	const key = sessionKey(executionId, config);
	const found = sharedLogins.get(key);
	if (found && found.override === configOverride) return found.client;
	// The client logs in on first use and keeps only a successful login: a wrong password is asked (and reported)
	// again by the next node instead of being remembered.
	const client = buildOdooClient(config);
	sharedLogins.delete(key);
	sharedLogins.set(key, { client, expires: now + SHARED_LOGIN_TTL_MS, override: configOverride });
	// Map order is insertion order: the first entries are the oldest.
	while (sharedLogins.size > SHARED_LOGIN_MAX) sharedLogins.delete(sharedLogins.keys().next().value as string);
	return client;
}

function executionIdOf(context: object): string | undefined {
	const getExecutionId = (context as Partial<Pick<FunctionsBase, 'getExecutionId'>>).getExecutionId;
	if (typeof getExecutionId !== 'function') return undefined;
	try {
		const id = getExecutionId.call(context);
		return typeof id === 'string' && id !== '' ? id : undefined;
	} catch {
		// Contexts outside an execution (credential tests, list lookups) have no id: nothing to share.
		return undefined;
	}
}

export interface GetOdooClientOptions {
	/** Reuse the login of an earlier node of the same execution with the same credential (see SHARED_LOGIN_TTL_MS). */
	shareLoginWithinExecution?: boolean;
}

export async function getOdooClient(context: Pick<FunctionsBase, 'getCredentials'>, options: GetOdooClientOptions = {}): Promise<OdooClient> {
	let client = clients.get(context);
	if (!client) {
		client = context.getCredentials(ODOO_CREDENTIAL_TYPE).then((data) => {
			const config = credentialsToConfig(data);
			const executionId = options.shareLoginWithinExecution ? executionIdOf(context) : undefined;
			return executionId ? sharedClient(executionId, config) : buildOdooClient(config);
		});
		clients.set(context, client);
		// A failed credential lookup must not be cached: the next call should report it again, not a stale promise.
		client.catch(() => clients.delete(context));
	}
	return await client;
}
