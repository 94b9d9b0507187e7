import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { setOdooConfigOverride } from '../../lib/n8n';
import { startOdooSandbox } from '../sandboxes/odoo';

export type Sandbox = Awaited<ReturnType<typeof startOdooSandbox>>;

export function credentialsFor(sandbox: { url: string; db: string }, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return { url: sandbox.url, db: sandbox.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto', ...overrides };
}

/**
 * Starts one sandbox for a test file. Retries are shortened so "server down" tests fail in milliseconds rather than
 * the production backoff; nothing else about the client changes.
 */
export function useOdooSandbox(options?: Parameters<typeof startOdooSandbox>[0]): { get: () => Sandbox } {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		setOdooConfigOverride((config) => ({ ...config, retryBaseMs: 1, maxRetries: 1 }));
		sandbox = await startOdooSandbox(options);
	});
	afterAll(async () => {
		setOdooConfigOverride(undefined);
		await sandbox?.close();
	});
	return {
		get: () => {
			if (!sandbox) throw new Error('sandbox not started');
			return sandbox;
		},
	};
}
