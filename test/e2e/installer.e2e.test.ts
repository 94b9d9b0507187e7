/**
 * The workflow installer as a user runs it: the `n8n-nodes-odoo-ops` bin from the pack installed in n8n's nodes
 * folder, against a running n8n's public API. Twice, to show it is idempotent.
 */
import { execFile } from 'child_process';
import path from 'path';
import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { packPack, startN8n, type N8nHandle } from './harness';

jest.setTimeout(15 * 60_000);

let sandbox: OdooSandbox;
let n8n: N8nHandle;
let bin: string;
const fixtures = path.join(__dirname, 'workflows');

function install(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(process.execPath, [bin, 'install-workflows', ...args], { timeout: 120_000 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as any).code ?? 1) : 0, stdout, stderr }));
	});
}

async function workflowsNamed(prefix: string) {
	const { body } = await n8n.api('GET', '/workflows?limit=250');
	return (body.data as any[]).filter((workflow) => workflow.name.startsWith(prefix));
}

beforeAll(async () => {
	sandbox = await startOdooSandbox();
	n8n = await startN8n({ tarballs: [await packPack()] });
	bin = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-odoo-ops', 'dist', 'bin', 'cli.js');
	await n8n.createCredential({ name: 'Odoo Ops (sandbox)', type: 'odooOpsApi', data: { url: sandbox.url, db: sandbox.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' } });
});

afterAll(async () => {
	await n8n?.stop();
	await sandbox?.close();
});

test('clear errors for a wrong URL and a wrong API key', async () => {
	const unreachable = await install('--url', 'http://127.0.0.1:1', '--api-key', n8n.apiKey);
	expect(unreachable.code).toBe(1);
	expect(unreachable.stderr).toMatch(/error: Cannot reach n8n at http:\/\/127.0.0.1:1\/api\/v1 .*Check --url/);
	const wrongKey = await install('--url', n8n.url, '--api-key', 'not-a-key');
	expect(wrongKey.code).toBe(1);
	expect(wrongKey.stderr).toMatch(/n8n refused the API key \(HTTP 401\)/);
	expect(wrongKey.stderr).not.toMatch(/at .*\.js:\d+/);
});

test('a missing credential is named, and nothing is imported', async () => {
	const result = await install('--url', n8n.url, '--api-key', n8n.apiKey, '--dir', path.join(fixtures, 'installer-missing-credential'));
	expect(result.code).toBe(1);
	expect(result.stderr).toContain('"Odoo Ops (production)" (type odooOpsApi), used by Installer test: missing credential → Models');
	expect(await workflowsNamed('Installer test: missing')).toEqual([]);
});

test('dry run, install, re-run: references and credentials mapped, second run changes nothing', async () => {
	const dir = path.join(fixtures, 'installer');
	const dry = await install('--url', n8n.url, '--api-key', n8n.apiKey, '--dir', dir, '--dry-run');
	expect(dry.code).toBe(0);
	expect(dry.stdout).toMatch(/would create 2, update 0, unchanged 0/);
	expect(await workflowsNamed('Installer test:')).toEqual([]);

	// n8n 2.x only runs a sub-workflow that is published, so publish: the child is, the manual-trigger parent cannot be.
	const first = await install('--url', n8n.url, '--api-key', n8n.apiKey, '--dir', dir, '--publish');
	expect(first.code).toBe(0);
	expect(first.stdout).toMatch(/^published Installer test: child$/m);
	expect(first.stdout).toMatch(/^not published: Installer test: parent: /m);
	expect(first.stdout).toMatch(/^create 2, update 0, unchanged 0$/m);
	const installed = await workflowsNamed('Installer test:');
	const child = installed.find((workflow) => workflow.name.endsWith('child'));
	const parent = installed.find((workflow) => workflow.name.endsWith('parent'));
	expect(child && parent).toBeTruthy();
	const { body: full } = await n8n.api('GET', `/workflows/${parent.id}`);
	const call = full.nodes.find((node: any) => node.name === 'Call child');
	expect(call.parameters.workflowId.value).toBe(child.id);
	expect(full.settings.errorWorkflow).toBe(child.id);
	const { body: childFull } = await n8n.api('GET', `/workflows/${child.id}`);
	const credentials = (await n8n.api('GET', '/credentials?limit=250')).body.data as any[];
	const sandboxCredential = credentials.find((credential) => credential.name === 'Odoo Ops (sandbox)');
	expect(childFull.nodes.find((node: any) => node.name === 'Count partners').credentials.odooOpsApi.id).toBe(sandboxCredential.id);

	const second = await install('--url', n8n.url, '--api-key', n8n.apiKey, '--dir', dir);
	expect(second.code).toBe(0);
	expect(second.stdout).toMatch(/^create 0, update 0, unchanged 2$/m);
	expect((await workflowsNamed('Installer test:')).length).toBe(2);

	// The installed parent really runs its child, with the mapped credential, in this n8n.
	const run = await n8n.executeManually(parent.id);
	expect(run.error).toBeNull();
	expect(run.lastNodeJson[0].count).toBeGreaterThan(0);
});

test('the shipped workflows install, publish, and re-install as unchanged', async () => {
	// The credentials the shipped workflows name (see README): the installer maps them, it never creates secrets.
	await n8n.createCredential({ name: 'Slack Ops (sandbox)', type: 'slackOpsApi', data: { botToken: 'xoxb-installer-test', signingSecret: 'installer-test-signing-secret', apiUrl: 'http://127.0.0.1:1/api/' } });
	await n8n.createCredential({ name: 'Alert webhook auth', type: 'httpBasicAuth', data: { user: 'alertmanager', password: 'installer-test' } });
	const first = await install('--url', n8n.url, '--api-key', n8n.apiKey, '--publish');
	expect(first.code).toBe(0);
	expect(first.stdout).not.toMatch(/not published/);
	const second = await install('--url', n8n.url, '--api-key', n8n.apiKey);
	expect(second.stdout).toMatch(/create 0, update 0, unchanged \d+/);
	expect(second.stdout).not.toMatch(/^update\s/m);
});
