/**
 * The Odoo Ops node and trigger inside a real n8n 2.41.1 (Node 24), installed from the packed tarball like a user
 * installs it, against the in-process Odoo sandbox:
 *  - test/e2e/workflows/odoo-all-operations.json chains every operation (run with `n8n execute`), asserted on the
 *    sandbox's state and on the execution's output;
 *  - test/e2e/workflows/odoo-trigger.json (published) sees partners created in the sandbox after publishing;
 *  - the credential test through n8n: a wrong password fails with a login/password message, the right one passes.
 */
import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { N8nHandle, CredentialRef, loadWorkflow, packPack, startN8n, stopAllN8n, sleep, log } from './harness';

jest.setTimeout(20 * 60_000);

const ODOO = 'n8n-nodes-odoo-ops.odooOps';
const TRIGGER = 'n8n-nodes-odoo-ops.odooOpsTrigger';

/** Creates records in the sandbox the way another Odoo user would: over JSON-RPC. */
async function odooCall(sb: OdooSandbox, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<any> {
	const res = await fetch(`${sb.url}/jsonrpc`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			jsonrpc: '2.0',
			method: 'call',
			id: 1,
			params: { service: 'object', method: 'execute_kw', args: [sb.db, 2, 'admin', model, method, args, kwargs] },
		}),
	});
	const body = (await res.json()) as { result?: unknown; error?: { data?: { message?: string } } };
	if (body.error) throw new Error(`Odoo ${model}.${method}: ${body.error.data?.message ?? JSON.stringify(body.error)}`);
	return body.result;
}

describe('Odoo Ops in a real n8n', () => {
	let sb: OdooSandbox;
	let n8n: N8nHandle;
	let credential: CredentialRef;

	beforeAll(async () => {
		const started = Date.now();
		// Build + pack and the sandbox do not depend on each other.
		const [tgz, sandbox] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: 50 })]);
		sb = sandbox;
		n8n = await startN8n({ tarballs: [tgz] });
		credential = await n8n.createCredential({
			name: 'Odoo sandbox',
			type: 'odooOpsApi',
			data: { url: sb.url, db: sb.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' },
		});
		log(`odoo e2e: setup took ${((Date.now() - started) / 1000).toFixed(1)}s`);
	});

	afterAll(async () => {
		await stopAllN8n();
		await sb?.close();
	});

	it('loads both nodes under the package name', async () => {
		const names = await n8n.nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining([ODOO, TRIGGER]));
	});

	it('tests the credential through n8n', async () => {
		expect(await n8n.testCredential(credential.id)).toMatchObject({ status: 'OK' });
		const wrong = await n8n.createCredential({
			name: 'Odoo sandbox (wrong password)',
			type: 'odooOpsApi',
			data: { url: sb.url, db: sb.db, login: 'admin', password: 'not-the-password', authWithKey: false, protocol: 'auto' },
		});
		const failed = await n8n.testCredential(wrong.id);
		expect(failed.status).toBe('Error');
		expect(failed.message).toMatch(/login or password/i);
		// Unsaved data, as the credential dialog's test button sends it.
		const unsaved = await n8n.testCredential({
			type: 'odooOpsApi',
			data: { url: sb.url, db: sb.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' },
		});
		expect(unsaved.status).toBe('OK');
	});

	it('runs every operation of the Odoo Ops node', async () => {
		const json = loadWorkflow('test/e2e/workflows/odoo-all-operations.json');
		// Every operation of the node appears in the workflow.
		const ops = new Set(
			json.nodes.filter((n) => n.type === ODOO).map((n) => `${(n.parameters as any).resource}:${(n.parameters as any).operation}`),
		);
		expect([...ops].sort()).toEqual(
			[
				'attachment:download',
				'attachment:getMany',
				'attachment:upload',
				'message:post',
				'method:call',
				'model:getFields',
				'record:count',
				'record:create',
				'record:delete',
				'record:get',
				'record:getMany',
				'record:update',
				'record:upsert',
			].sort(),
		);
		const wf = await n8n.importWorkflow(json);
		sb.resetStats();
		const result = await n8n.executeManually(wf.id);
		if (result.error) log(`execution error: ${result.error}\n${result.stdout.slice(-3000)}`);
		expect(result.error).toBeNull();
		expect(result.run?.status).toBe('success');

		// ---- the execution's output ----
		const created = result.nodeJson('Create Partners');
		expect(created).toHaveLength(5);
		const ids = created.map((c) => c.id as number);
		expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
		const [firstId, lastId] = [ids[0], ids[4]];

		expect(result.nodeJson('Get Partner').map((r) => r.ref)).toEqual(['E2E-1', 'E2E-2', 'E2E-3', 'E2E-4', 'E2E-5']);
		expect(result.nodeJson('Get Partner')[0]).toMatchObject({ id: firstId, name: 'E2E Partner 1', email: 'e2e1@example.com' });
		expect(result.nodeJson('Get Many E2E').map((r) => r.ref)).toEqual(['E2E-1', 'E2E-2', 'E2E-3', 'E2E-4', 'E2E-5']);
		expect(result.nodeJson('Update First')).toEqual([expect.objectContaining({ id: firstId })]);
		expect(result.nodeJson('Upsert Partners')).toEqual([
			expect.objectContaining({ id: firstId, action: 'updated' }),
			expect.objectContaining({ action: 'created' }),
		]);
		expect(result.nodeJson('Count E2E')).toEqual([expect.objectContaining({ count: 6 })]);
		const nameSearch = result.nodeJson('Call Method')[0];
		expect(nameSearch).toMatchObject({ model: 'res.partner', method: 'name_search' });
		expect(JSON.stringify(nameSearch.result)).toContain('E2E Partner');
		const uploaded = result.nodeJson('Upload Attachment')[0];
		expect(uploaded).toMatchObject({ name: 'e2e-report.txt', res_model: 'res.partner', res_id: firstId });
		expect(result.nodeJson('List Attachments').map((a) => a.id)).toContain(uploaded.id);
		expect(result.nodeJson('Read Download')[0].text).toBe('Quarterly report <e2e> & attachments');
		const posted = result.nodeJson('Post Message')[0];
		expect(posted).toMatchObject({ model: 'res.partner', res_id: firstId });
		const fieldNames = JSON.stringify(result.nodeJson('Model Fields'));
		for (const f of ['name', 'email', 'ref', 'city']) expect(fieldNames).toContain(`"${f}"`);
		expect(result.nodeJson('Delete Last')).toEqual([expect.objectContaining({ id: lastId })]);

		// ---- the sandbox's state ----
		const partners = sb.records('res.partner').filter((p) => typeof p.ref === 'string' && (p.ref as string).startsWith('E2E-'));
		const byRef = Object.fromEntries(partners.map((p) => [p.ref as string, p]));
		expect(Object.keys(byRef).sort()).toEqual(['E2E-1', 'E2E-2', 'E2E-3', 'E2E-4', 'E2E-6']);
		expect(byRef['E2E-1']).toMatchObject({ id: firstId, name: 'E2E Partner 1 (upserted)', city: 'Brussels', phone: '+32 2 555 01 01' });
		expect(sb.records('res.partner').some((p) => p.id === lastId)).toBe(false);

		const attachments = sb.records('ir.attachment').filter((a) => a.id === uploaded.id);
		expect(attachments).toHaveLength(1);
		expect(attachments[0]).toMatchObject({ res_model: 'res.partner', res_id: firstId, name: 'e2e-report.txt' });
		expect(Buffer.from(String(attachments[0].datas), 'base64').toString()).toBe('Quarterly report <e2e> & attachments');

		const messages = sb.records('mail.message').filter((m) => m.id === posted.id);
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ model: 'res.partner', res_id: firstId });
		expect(messages[0].body).toBe('<p>&lt;b&gt;bold&lt;/b&gt; &amp; more</p>');
		expect(messages[0].attachment_ids).toEqual(expect.arrayContaining([uploaded.id]));

		// ---- cost: batched creates, few logins ----
		log(`odoo e2e: sandbox stats for the run: ${JSON.stringify(sb.stats)}`);
		// 5 partners in batches of 2 = 3 calls, + 1 upsert create, + 1 attachment: a per-item node would need 7.
		expect(sb.stats.byMethod.create ?? 0).toBeLessThanOrEqual(5);
		// One login per node execution whatever the item count (5 items through Create and Get): at most one per
		// Odoo node of the workflow. (Per item, the 5-item nodes alone would need 10.)
		const odooNodes = json.nodes.filter((n) => n.type === ODOO).length;
		expect(sb.stats.logins).toBeLessThanOrEqual(odooNodes);

		// ---- the execution is recorded by n8n ----
		const executions = await n8n.executions(wf.id);
		expect(executions.length).toBeGreaterThanOrEqual(1);
		expect(executions[0].status).toBe('success');
	});

	it('triggers on partners created after publishing', async () => {
		const wf = await n8n.importWorkflow(loadWorkflow('test/e2e/workflows/odoo-trigger.json'));
		// One partner before publishing: history, which the trigger must not replay.
		await odooCall(sb, 'res.partner', 'create', [{ name: 'Trigger Before', ref: 'TRIG-0' }]);
		await n8n.publish(wf.id);
		// Let the activation poll record where history ends.
		await sleep(3000);
		const newIds = (await odooCall(sb, 'res.partner', 'create', [
			[
				{ name: 'Trigger One', ref: 'TRIG-1' },
				{ name: 'Trigger Two', ref: 'TRIG-2' },
			],
		])) as number[];
		// Not matching the domain: must not show up.
		await odooCall(sb, 'res.partner', 'create', [{ name: 'Not a trigger partner', ref: 'OTHER-1' }]);
		expect(newIds).toHaveLength(2);

		const seenRefs = (executions: any[]): string[] =>
			executions.flatMap((e) => (e.data?.resultData?.runData?.['New Partner']?.[0]?.data?.main?.[0] ?? []).map((i: any) => i.json.ref));
		// Polls run on the minute: allow two of them.
		const executions = await n8n.waitForExecutions(wf.id, {
			timeoutMs: 150_000,
			intervalMs: 3000,
			predicate: (ex) => seenRefs(ex).includes('TRIG-2'),
		});
		expect(seenRefs(executions).sort()).toEqual(['TRIG-1', 'TRIG-2']);
		const items = executions.flatMap((e) => e.data.resultData.runData['New Partner'][0].data.main[0].map((i: any) => i.json));
		expect(items.map((i: any) => i.id).sort()).toEqual([...newIds].sort());
		expect(items[0]).toEqual(expect.objectContaining({ name: expect.stringMatching(/^Trigger /) }));
		expect(executions.every((e) => e.status === 'success')).toBe(true);
	});
});
