/**
 * The CLI is how out-of-process suites (real n8n) use the sandbox: one JSON line to configure them, then the
 * /__sandbox/ control endpoints instead of in-process calls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SEED_IDS } from '../sandboxes/slack';
import { approvalBlocks, client } from './helpers';

const root = path.resolve(__dirname, '../..');
let child: ChildProcess;
let info: { url: string; origin: string; botToken: string; signingSecret: string; teamId: string };

beforeAll(async () => {
	child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/sandboxes/slack/cli.ts', '--port', '0', '--signing-secret', 'cli-secret'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	info = await new Promise((resolve, reject) => {
		let err = '';
		child.stderr!.on('data', (d) => (err += d));
		child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${err}`)));
		createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
	});
}, 30000);

afterAll(async () => {
	if (child.exitCode === null) {
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}
});

const control = async (route: string, body?: unknown) => {
	const res = await fetch(`${info.origin}/__sandbox/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

test('prints url, botToken and signingSecret on one JSON line', () => {
	expect(info).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/), botToken: expect.stringMatching(/^xoxb-/), signingSecret: 'cli-secret', teamId: 'T0ODOOOPS' });
});

test('control endpoints: messages, inject, block-action, reset', async () => {
	const sb = { url: info.url, botToken: info.botToken } as Parameters<typeof client>[0];
	const posted = await client(sb).chat.postMessage({ channel: SEED_IDS.channels.finance, text: 'Approve?', blocks: approvalBlocks() as never });
	expect((await control(`messages?channel=${SEED_IDS.channels.finance}`)).messages).toEqual([expect.objectContaining({ ts: posted.ts, text: 'Approve?' })]);

	expect(await control('inject', { kind: 'rate-limit', retryAfter: 2, method: 'auth.test' })).toEqual({ ok: true });
	const limited = await fetch(`${info.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${info.botToken}` } });
	expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);

	let seen = '';
	const rx = http.createServer((req, res) => {
		req.on('data', (d) => (seen += d));
		req.on('end', () => res.end());
	});
	await new Promise<void>((r) => rx.listen(0, '127.0.0.1', () => r()));
	try {
		const r = await control('block-action', { url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/`, user: SEED_IDS.users.bob, channel: SEED_IDS.channels.finance, messageTs: posted.ts, actionId: 'reject' });
		expect(r).toMatchObject({ ok: true, status: 200, payload: { user: { id: SEED_IDS.users.bob }, actions: [{ action_id: 'reject', value: 'tok-reject' }] } });
		expect(JSON.parse(new URLSearchParams(seen).get('payload')!).user.id).toBe(SEED_IDS.users.bob);
		expect((await control('resend', { request: r.request })).status).toBe(200);
	} finally {
		await new Promise((r) => rx.close(r));
	}
	expect((await control('calls')).calls.map((c: { method: string }) => c.method)).toEqual(['chat.postMessage', 'auth.test']);
	expect(await control('reset', {})).toEqual({ ok: true });
	expect((await control('messages')).messages).toEqual([]);
	expect((await control('workspace')).users.map((u: { id: string }) => u.id)).toContain(SEED_IDS.users.alice);
});
