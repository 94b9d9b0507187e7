import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { OdooError } from '../odoo/errors';
import { inputError } from './errors';
import type { OdooConnectionConfig, OdooProtocol } from '../odoo/types';

export const ODOO_CREDENTIAL_TYPE = 'odooOpsApi';

const PROTOCOLS: OdooProtocol[] = ['auto', 'xmlrpc', 'jsonrpc', 'json2'];

function text(data: ICredentialDataDecryptedObject, key: string): string {
	const value = data[key];
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
}

/** Maps the credential's fields to the client's connection config; a missing field is named, not guessed. */
export function credentialsToConfig(data: ICredentialDataDecryptedObject): OdooConnectionConfig {
	const url = text(data, 'url');
	const db = text(data, 'db');
	const login = text(data, 'login');
	// Passwords may legitimately start or end with spaces: only the other fields are trimmed.
	const secret = typeof data.password === 'string' ? data.password : '';
	const missing = [
		['Site URL', url],
		['Database', db],
		['Login', login],
		['Password or API Key', secret],
	]
		.filter(([, value]) => value === '')
		.map(([name]) => `'${name}'`);
	if (missing.length > 0) {
		throw inputError(
			new OdooError({
				kind: 'auth',
				message: `The Odoo Ops API credential is missing ${missing.join(', ')}`,
				hint: 'Open the credential and fill in every field',
			}),
		);
	}
	const protocol = PROTOCOLS.includes(data.protocol as OdooProtocol) ? (data.protocol as OdooProtocol) : 'auto';
	return {
		url: url.replace(/\/+$/, ''),
		db,
		login,
		secret,
		secretIsApiKey: data.authWithKey === true,
		protocol,
	};
}
