import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { OdooOpsApi } from '../../credentials/OdooOpsApi.credentials';
import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { OdooOpsTrigger } from '../../nodes/OdooOpsTrigger/OdooOpsTrigger.node';
import { fakeCredentialTestFunctions } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const sandbox = useOdooSandbox();
const node = new OdooOps();

async function test(data: ICredentialDataDecryptedObject) {
	return await node.methods.credentialTest.odooOpsApiTest.call(fakeCredentialTestFunctions(), {
		id: 'cred-1',
		name: 'Odoo',
		type: 'odooOpsApi',
		data,
	});
}

describe('Odoo Ops API credential', () => {
	it('is tested by both nodes through the same node-side test, not a declarative request', () => {
		const credential = new OdooOpsApi();
		expect(credential.name).toBe('odooOpsApi');
		expect((credential as { test?: unknown }).test).toBeUndefined();
		for (const nodeType of [new OdooOps(), new OdooOpsTrigger()]) {
			expect(nodeType.description.credentials).toEqual([{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest' }]);
			expect(typeof nodeType.methods.credentialTest.odooOpsApiTest).toBe('function');
		}
	});

	it('authenticates for real and reports the server version', async () => {
		const result = await test(credentialsFor(sandbox.get()));
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/Odoo \d+\.\d/);
		expect(result.message).toMatch(/uid 2/);
	});

	it('fails on a wrong password, naming the login', async () => {
		const result = await test(credentialsFor(sandbox.get(), { password: 'wrong' }));
		expect(result).toEqual({ status: 'Error', message: "Wrong login or password/API key for 'admin' on database 'odoo'" });
	});

	it('fails on a wrong database, naming the database', async () => {
		const result = await test(credentialsFor(sandbox.get(), { db: 'no_such_db' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Database 'no_such_db' does not exist/);
	});

	it('fails on an unreachable URL, saying the server cannot be reached', async () => {
		const result = await test(credentialsFor(sandbox.get(), { url: 'http://127.0.0.1:9' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Cannot reach the Odoo server at http:\/\/127\.0\.0\.1:9/);
	});

	it('names missing fields instead of trying to connect', async () => {
		const result = await test({ url: '', db: 'odoo', login: 'admin', password: '' });
		expect(result).toEqual({ status: 'Error', message: "The Odoo Ops API credential is missing 'Site URL', 'Password or API Key'" });
	});
});
