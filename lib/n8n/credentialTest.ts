import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';

import { OdooError } from '../odoo/errors';
import { buildOdooClient } from './client';
import { credentialsToConfig } from './config';

/**
 * What the credential's "Test" button runs: a real `version` then `authenticate`, so each failure gets its own words
 * (unreachable server, wrong database, wrong login or secret) and success names the server version.
 */
export async function testOdooCredentials(data: ICredentialDataDecryptedObject | undefined): Promise<INodeCredentialTestResult> {
	let config;
	try {
		config = credentialsToConfig(data ?? {});
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const client = buildOdooClient({ ...config, maxRetries: 0 });
	let version: string | undefined;
	try {
		version = (await client.version()).server_version;
	} catch (error) {
		// A server that answers but hides `version` is still a server: let authenticate decide.
		if (error instanceof OdooError && error.kind === 'network') {
			return { status: 'Error', message: `Cannot reach the Odoo server at ${config.url}: ${error.message}` };
		}
	}
	try {
		const uid = await client.authenticate();
		const protocol = await client.protocol();
		return {
			status: 'OK',
			message: `Connected to Odoo ${version ?? '(version unknown)'} as '${config.login}' (uid ${uid}) on database '${config.db}' over ${protocol}`,
		};
	} catch (error) {
		if (!(error instanceof OdooError)) return { status: 'Error', message: (error as Error).message };
		switch (error.kind) {
			case 'auth':
				return {
					status: 'Error',
					message: `Wrong login or password/API key for '${config.login}' on database '${config.db}'`,
				};
			case 'database':
				return {
					status: 'Error',
					message: `Database '${config.db}' does not exist on the Odoo server at ${config.url}`,
				};
			case 'network':
				return { status: 'Error', message: `Cannot reach the Odoo server at ${config.url}: ${error.message}` };
			default:
				return { status: 'Error', message: error.message };
		}
	}
}
