import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeParameters } from 'n8n-workflow';

import { clearSharedOdooLogins, getOdooClient, SHARED_LOGIN_MAX, SHARED_LOGIN_TTL_MS, sharedOdooLoginKeys } from '../../lib/n8n';
import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new OdooOps();
const sandbox = useOdooSandbox();
const partner = rl('res.partner', 'name');

/** One node run of an execution: the fake context stands for what n8n creates per node, with the execution's id. */
async function runIn(executionId: string, parameters: INodeParameters, credentials: ICredentialDataDecryptedObject = {}, items = 1) {
	const { context } = fakeExecuteFunctions({
		nodeType: node,
		parameters,
		items: Array.from({ length: items }, (_, index) => ({ json: { index } })),
		credentials: { ...credentialsFor(sandbox.get()), ...credentials },
	});
	(context as unknown as { getExecutionId: () => string }).getExecutionId = () => executionId;
	return await runNode(node, context);
}

const count = { resource: 'record', operation: 'count', model: partner };
let execution = 0;
/** A new execution id per use: nothing in these tests leans on another test's login. */
const nextExecution = () => `session-test-${Date.now()}-${++execution}`;

beforeEach(() => {
	clearSharedOdooLogins();
	sandbox.get().resetStats();
});

describe('Odoo Ops node: one login per execution', () => {
	it('two Odoo Ops nodes of one execution log in once', async () => {
		const id = nextExecution();
		const tag = `session-${Date.now()}`;
		const created = await runIn(id, { resource: 'record', operation: 'create', model: partner, fieldsToSet: { field: [{ name: 'name', value: tag }] } });
		const found = await runIn(id, { resource: 'record', operation: 'getMany', model: partner, filterType: 'raw', domain: `[('name', '=', '${tag}')]`, options: { fields: ['name'] } });
		expect(found.map((item) => item.json.id)).toEqual([created[0].json.id]);
		expect(sandbox.get().stats.logins).toBe(1);
	});

	it('two executions log in twice, even with the same credential', async () => {
		await runIn(nextExecution(), count);
		await runIn(nextExecution(), count);
		expect(sandbox.get().stats.logins).toBe(2);
	});

	it('different credentials in one execution log in separately, each as its own user', async () => {
		const id = nextExecution();
		const tag = `session-users-${Date.now()}`;
		const create = (name: string) => ({ resource: 'record', operation: 'create', model: partner, fieldsToSet: { field: [{ name: 'name', value: name }] } });
		const [asAdmin] = await runIn(id, create(`${tag} admin`));
		const [asDemo] = await runIn(id, create(`${tag} demo`), { login: 'demo', password: 'demo' });
		expect(sandbox.get().stats.logins).toBe(2);
		const creator = (recordId: unknown) => sandbox.get().records('res.partner').find((row) => row.id === recordId)?.create_uid;
		expect(creator(asAdmin.json.id)).toBe(2);
		expect(creator(asDemo.json.id)).toBe(6);
	});

	it('a wrong password is reported by every node, not remembered as a login', async () => {
		const id = nextExecution();
		await runIn(id, count);
		// Same execution, same login, another password: a login of its own, which fails.
		await expect(runIn(id, count, { password: 'wrong' })).rejects.toThrow(/login|password/i);
		await expect(runIn(id, count, { password: 'wrong' })).rejects.toThrow(/login|password/i);
		expect(sandbox.get().stats.logins).toBe(3);
		// The good login of the execution is still there for its next node.
		await runIn(id, count);
		expect(sandbox.get().stats.logins).toBe(3);
	});

	it('a password changed in Odoo between executions is met by the next execution', async () => {
		await runIn(nextExecution(), count);
		const admin = sandbox.get().database()!.tables.get('res.users')!.rows.get(2)!;
		admin.password = 'rotated';
		try {
			// The server would still take the old uid/password pair it has cached: only a new login finds out.
			await expect(runIn(nextExecution(), count)).rejects.toThrow(/login|password/i);
			await expect(runIn(nextExecution(), count, { password: 'rotated' })).resolves.toHaveLength(1);
		} finally {
			admin.password = 'admin';
		}
	});
});

describe('getOdooClient: the shared login', () => {
	const data = { url: 'http://127.0.0.1:9', db: 'odoo', login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' };
	const contextOf = (executionId: string | undefined, credentials: ICredentialDataDecryptedObject = data) =>
		({ getCredentials: async () => ({ ...credentials }), getExecutionId: () => executionId }) as unknown as IExecuteFunctions;
	const share = { shareLoginWithinExecution: true };

	it('is one client for the nodes of an execution, and another for another execution or credential', async () => {
		const first = await getOdooClient(contextOf('e1'), share);
		expect(await getOdooClient(contextOf('e1'), share)).toBe(first);
		expect(await getOdooClient(contextOf('e2'), share)).not.toBe(first);
		expect(await getOdooClient(contextOf('e1', { ...data, password: 'other' }), share)).not.toBe(first);
		expect(await getOdooClient(contextOf('e1', { ...data, db: 'other' }), share)).not.toBe(first);
	});

	it('is not shared without an execution id, or by nodes that did not ask for it', async () => {
		expect(await getOdooClient(contextOf(undefined), share)).not.toBe(await getOdooClient(contextOf(undefined), share));
		expect(await getOdooClient(contextOf('e1'))).not.toBe(await getOdooClient(contextOf('e1')));
	});

	it('expires, and keeps at most SHARED_LOGIN_MAX executions', async () => {
		const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
		try {
			const first = await getOdooClient(contextOf('e1'), share);
			now.mockReturnValue(1_000_000 + SHARED_LOGIN_TTL_MS - 1);
			expect(await getOdooClient(contextOf('e1'), share)).toBe(first);
			now.mockReturnValue(1_000_000 + SHARED_LOGIN_TTL_MS);
			const renewed = await getOdooClient(contextOf('e1'), share);
			expect(renewed).not.toBe(first);
			for (let index = 0; index < SHARED_LOGIN_MAX; index++) await getOdooClient(contextOf(`other-${index}`), share);
			// The oldest entry made room for the newer ones.
			expect(await getOdooClient(contextOf('e1'), share)).not.toBe(renewed);
		} finally {
			now.mockRestore();
		}
	});

	it('keeps no secret in clear as a key', async () => {
		await getOdooClient(contextOf('e1', { ...data, password: 'a-very-secret-password' }), share);
		const keys = sharedOdooLoginKeys();
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
	});
});
