/**
 * Proves the harness itself with a throwaway community package (test/e2e/fixtures/mini-pack): install like a user,
 * type naming `<package>.<node>`, a runtime dependency resolving, credentials, import, `n8n execute`, publish and a
 * production webhook, executions through the public API, the credential test through n8n, and stop().
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { N8nHandle, packPack, startN8n, stopAllN8n } from './harness';

jest.setTimeout(15 * 60_000);

describe('e2e harness with a throwaway community package', () => {
	let n8n: N8nHandle;
	let checkServer: http.Server;
	let checkUrl = '';

	beforeAll(async () => {
		// A tiny service the mini credential's `test` request calls: token "good" passes, anything else is 401.
		checkServer = http.createServer((req, res) => {
			const ok = req.headers['x-token'] === 'good';
			res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
			res.end(JSON.stringify(ok ? { ok: true } : { error: 'bad token' }));
		});
		await new Promise<void>((r) => checkServer.listen(0, '127.0.0.1', r));
		checkUrl = `http://127.0.0.1:${(checkServer.address() as any).port}`;
		const tgz = await packPack({ projectDir: path.join(__dirname, 'fixtures', 'mini-pack'), build: false });
		n8n = await startN8n({ tarballs: [tgz] });
	});

	afterAll(async () => {
		await stopAllN8n();
		await new Promise((r) => checkServer?.close(r));
	});

	it('loads the pack under its package name', async () => {
		const names = await n8n.nodeTypeNames();
		expect(names).toContain('n8n-nodes-mini-e2e.miniEcho');
		expect(names.some((n) => n.startsWith('CUSTOM.'))).toBe(false);
	});

	it('creates a credential and tests it through n8n (public API by id, and REST with unsaved data)', async () => {
		const good = await n8n.createCredential({ name: 'Mini good', type: 'miniApi', data: { url: checkUrl, token: 'good' } });
		const bad = await n8n.createCredential({ name: 'Mini bad', type: 'miniApi', data: { url: checkUrl, token: 'nope' } });
		expect(await n8n.testCredential(good.id)).toMatchObject({ status: 'OK' });
		expect(await n8n.testCredential(bad.id)).toMatchObject({ status: 'Error' });
		expect(await n8n.testCredential({ type: 'miniApi', data: { url: checkUrl, token: 'good' } })).toMatchObject({ status: 'OK' });
	});

	it('imports a manual workflow and runs it with n8n execute', async () => {
		const wf = await n8n.importWorkflow({
			name: 'mini manual',
			nodes: [
				{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'a2', name: 'Echo', type: 'n8n-nodes-mini-e2e.miniEcho', typeVersion: 1, position: [200, 0], parameters: { marker: 'manual' } },
			],
			connections: { Start: { main: [[{ node: 'Echo', type: 'main', index: 0 }]] } },
		});
		const result = await n8n.executeManually(wf.id);
		expect(result.error).toBeNull();
		expect(result.run.status).toBe("success");
		expect(result.nodeJson('Echo')).toEqual([expect.objectContaining({ marker: 'manual', xmlrpcLoaded: true })]);
		expect(result.nodeJson('Echo')[0].nodeVersion).toMatch(/^v24\./);
		const executions = await n8n.executions(wf.id);
		expect(executions.length).toBeGreaterThanOrEqual(1);
	});

	it('reports a failing manual run with its message', async () => {
		const wf = await n8n.importWorkflow({
			name: 'mini failing',
			nodes: [
				{ id: 'c1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'c2', name: 'Boom', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: "throw new Error('e2e boom');" } },
			],
			connections: { Start: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
		});
		const result = await n8n.executeManually(wf.id);
		expect(result.error).toMatch(/e2e boom/);
	});

	it('publishes a webhook workflow and records its executions', async () => {
		const wf = await n8n.importWorkflow({
			name: 'mini webhook',
			nodes: [
				{
					id: 'b1',
					name: 'Hook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'e2e-mini-hook',
					parameters: { httpMethod: 'POST', path: 'e2e-mini', responseMode: 'lastNode', options: {} },
				},
				{ id: 'b2', name: 'Echo', type: 'n8n-nodes-mini-e2e.miniEcho', typeVersion: 1, position: [200, 0], parameters: { marker: '={{ $json.body.say }}' } },
			],
			connections: { Hook: { main: [[{ node: 'Echo', type: 'main', index: 0 }]] } },
		});
		await n8n.publish(wf.id);
		const r = await n8n.runWebhook('e2e-mini', { say: 'hello' });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ marker: 'hello', xmlrpcLoaded: true });
		const executions = await n8n.waitForExecutions(wf.id);
		expect(executions[0].data.resultData.runData.Echo[0].data.main[0][0].json.marker).toBe('hello');
	});

	it('stop() kills n8n and removes its folder', async () => {
		const folder = n8n.userFolder;
		await n8n.stop();
		expect(existsSync(folder)).toBe(false);
		await expect(fetch(`${n8n.url}/healthz`)).rejects.toThrow();
	});
});
