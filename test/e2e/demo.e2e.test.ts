/**
 * The README's run command as a user meets it: `scripts/demo.ts` (what `npm start` runs after the build) starts the
 * sandboxes and a real n8n with the pack and the shipped workflows, prints where to log in, and Ctrl-C stops it all.
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { freePort, REPO_ROOT } from './harness';

jest.setTimeout(10 * 60_000);

let demo: ChildProcess | undefined;
afterAll(() => {
	if (demo && demo.exitCode === null) process.kill(-demo.pid!, 'SIGKILL');
});

test('starts n8n with the pack and the shipped workflows, then stops everything on Ctrl-C', async () => {
	const port = await freePort();
	demo = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO_ROOT, 'scripts', 'demo.ts')], {
		cwd: REPO_ROOT,
		// Supabase and Keycloak settings as a user pointing the demo at real systems gives them (loopback placeholders: the
		// demo only stores them as n8n credentials, no shipped workflow calls them yet).
		env: {
			...process.env,
			N8N_PORT: String(port),
			SUPABASE_URL: 'http://127.0.0.1:54321',
			SUPABASE_SERVICE_ROLE_KEY: 'demo-service-role-placeholder',
			KEYCLOAK_URL: 'http://127.0.0.1:8180/',
			KEYCLOAK_REALM: 'ops',
			KEYCLOAK_CLIENT_ID: 'n8n-admin',
			KEYCLOAK_CLIENT_SECRET: 'demo-client-secret-placeholder',
		},
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	demo.stdout!.on('data', (chunk) => (output += chunk));
	demo.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 8 * 60_000;
	while (!/Ctrl-C stops/.test(output)) {
		if (demo.exitCode !== null) throw new Error(`the demo exited early:\n${output}`);
		if (Date.now() > deadline) throw new Error(`the demo did not become ready:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	expect(output).toContain(`n8n:      http://127.0.0.1:${port}`);
	expect(output).toMatch(/login: {4}\S+@\S+ \/ \S+/);
	expect(output).toMatch(/Odoo: {5}http:\/\/127\.0\.0\.1:\d+ \(Odoo sandbox, database odoo\)/);
	for (const name of ['Governed portal query', 'Record-first approval', 'Slack interactivity router', 'Alert to ticket', 'Patch cycle', 'Inventory snapshot', 'Credential rotation reminders']) expect(output).toContain(name);
	expect(output).toMatch(/seeded the homelab inventory \(8 assets in ov\.asset\) and 2 credential references/);
	expect(output).toMatch(/published Governed portal query/);
	expect(output).toMatch(/Alerts: {3}POST http:\/\/127\.0\.0\.1:\d+\/webhook\/alert-to-ticket/);
	expect(output).not.toContain('demo-alert-webhook');
	expect(output).toContain('Supabase: http://127.0.0.1:54321 (credential "Supabase Analytics")');
	expect(output).toContain('Keycloak: http://127.0.0.1:8180/ realm ops (credential "Keycloak admin")');
	expect(output).not.toMatch(/placeholder/);

	// The owner can log in and sees the shipped workflow, published.
	const email = /login: {4}(\S+) \/ (\S+)/.exec(output)!;
	const login = await fetch(`http://127.0.0.1:${port}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'demo-test' },
		body: JSON.stringify({ emailOrLdapLoginId: email[1], password: email[2] }),
	});
	expect(login.status).toBe(200);
	const cookie = login.headers.get('set-cookie')!.split(';')[0];
	const workflows = await (await fetch(`http://127.0.0.1:${port}/rest/workflows`, { headers: { cookie, 'browser-id': 'demo-test' } })).json();
	const portal = (workflows.data as any[]).find((workflow) => workflow.name === 'Governed portal query');
	expect(portal).toBeTruthy();
	expect(portal.active).toBe(true);
	const credentials = await (await fetch(`http://127.0.0.1:${port}/rest/credentials`, { headers: { cookie, 'browser-id': 'demo-test' } })).json();
	const byName = Object.fromEntries((credentials.data as any[]).map((c) => [c.name, c.type]));
	expect(byName).toMatchObject({ 'Supabase Analytics': 'supabaseApi', 'Keycloak admin': 'oAuth2Api', 'Odoo Ops (sandbox)': 'odooOpsApi' });

	// The alert webhook is live with the credential the demo created: no password, 401.
	expect((await fetch(`http://127.0.0.1:${port}/webhook/alert-to-ticket`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);

	// Ctrl-C: the demo, n8n and the sandboxes go away, and the port is free again.
	process.kill(-demo.pid!, 'SIGINT');
	const exited = await new Promise<number | null>((resolve) => demo!.on('exit', (code) => resolve(code)));
	// tsx passes the signal on; a shell reports Ctrl-C as 130.
	expect([0, 130]).toContain(exited);
	await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
});
