/**
 * The shipped "Alert to ticket" workflow in a real n8n with the packed pack, against the Odoo sandbox
 * (OCA helpdesk.ticket), and fed by a real Prometheus Alertmanager (Debian's 0.25, `scripts/ensure-alertmanager.sh`).
 *
 * Authentication is HTTP Basic Auth: in n8n 2.41 the Webhook node answers a wrong or missing Header Auth value with
 * 403 (utils.js validateWebhookAuthentication), Basic Auth answers both with 401; and Alertmanager 0.25 cannot send a
 * custom header (http_config has basic_auth / authorization / bearer_token only), but sends basic_auth.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { N8nHandle, REPO_ROOT, freePort, loadWorkflow, log, packPack, sleep, startN8n, stopAllN8n } from './harness';

jest.setTimeout(20 * 60_000);

const HOOK = 'alert-to-ticket';
const USER = 'alertmanager';
const PASSWORD = 'e2e-alert-webhook-secret';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const KEY_FIELD = 'x_alert_dedupe_key';

type Row = Record<string, any>;

interface AmAlert {
	status: 'firing' | 'resolved';
	labels: Record<string, string>;
	annotations: Record<string, string>;
	startsAt: string;
	endsAt?: string;
	fingerprint: string;
}

/** An Alertmanager v4 webhook body, as 0.25 sends it (REAL-SYSTEMS.md "Monitoring webhooks"). */
function amBody(alerts: AmAlert[]): Record<string, unknown> {
	const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
	const first = alerts[0];
	return {
		receiver: 'odoo',
		status,
		alerts: alerts.map((a) => ({
			status: a.status,
			labels: a.labels,
			annotations: a.annotations,
			startsAt: a.startsAt,
			endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
			generatorURL: `http://prometheus.test:9090/graph?g0.expr=up+%3D%3D+0`,
			fingerprint: a.fingerprint,
		})),
		groupLabels: { alertname: first.labels.alertname },
		commonLabels: first.labels,
		commonAnnotations: first.annotations,
		externalURL: 'http://alertmanager.test:9093',
		version: '4',
		groupKey: `{}:{alertname="${first.labels.alertname}"}`,
		truncatedAlerts: 0,
	};
}

/** A fresh alert series: a unique fingerprint and summary per call, so cases never see each other's tickets. */
function series(name: string): { fingerprint: string; labels: Record<string, string>; annotations: Record<string, string>; key: string } {
	const fingerprint = randomBytes(8).toString('hex');
	const labels = { alertname: name, instance: `${name.toLowerCase()}-${fingerprint.slice(0, 4)}:9100`, job: 'node', severity: 'critical' };
	return { fingerprint, labels, annotations: { summary: `${name} ${fingerprint}`, description: `${name} is failing.` }, key: `alertmanager:${fingerprint}` };
}

describe('Alert to ticket in a real n8n', () => {
	let sb: OdooSandbox;
	let n8n: N8nHandle;
	let hookUrl: string;
	let closedStages: Set<number>;

	const post = async (body: unknown, opts: { auth?: string | null; contentType?: string; raw?: string } = {}) => {
		const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json', accept: 'application/json' };
		const auth = opts.auth === undefined ? AUTH : opts.auth;
		if (auth !== null) headers.authorization = auth;
		const res = await fetch(hookUrl, { method: 'POST', headers, body: opts.raw ?? JSON.stringify(body) });
		const text = await res.text();
		let parsed: any = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		if (res.status >= 500) log(`alert-to-ticket -> ${res.status}: ${text.slice(0, 1000)}`);
		return { status: res.status, body: parsed, text };
	};

	const tickets = (where: (t: Row) => boolean): Array<Row & { id: number; isClosed: boolean }> =>
		(sb.records('helpdesk.ticket') as Row[])
			.filter(where)
			.map((t) => ({ ...t, isClosed: closedStages.has(t.stage_id as number) }) as Row & { id: number; isClosed: boolean })
			.sort((a, b) => a.id - b.id);
	const withKey = (key: string) => tickets((t) => t[KEY_FIELD] === key);

	beforeAll(async () => {
		const [tgz, sandbox] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: 20 })]);
		sb = sandbox;
		closedStages = new Set((sb.records('helpdesk.ticket.stage') as Row[]).filter((s) => s.closed).map((s) => s.id as number));
		n8n = await startN8n({ tarballs: [tgz] });
		await n8n.createCredential({
			name: 'Odoo Ops (sandbox)',
			type: 'odooOpsApi',
			data: { url: sb.url, db: sb.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' },
		});
		await n8n.createCredential({ name: 'Alert webhook auth', type: 'httpBasicAuth', data: { user: USER, password: PASSWORD } });
		const wf = await n8n.importWorkflow(loadWorkflow('workflows/alert-to-ticket.json'));
		await n8n.publish(wf.id);
		hookUrl = `${n8n.url}/webhook/${HOOK}`;
		// The webhook is registered a moment after publish: wait until it answers something other than 404.
		const deadline = Date.now() + 30_000;
		while ((await post({}, { auth: null })).status === 404 && Date.now() < deadline) await sleep(300);
	});

	afterAll(async () => {
		await stopAllN8n();
		await sb?.close();
	});

	it("ships a workflow made of the pack's and n8n's own node types, with a note first", () => {
		const json = loadWorkflow('workflows/alert-to-ticket.json');
		expect(json.name).toBe('Alert to ticket');
		expect(json.nodes[0].type).toBe('n8n-nodes-base.stickyNote');
		for (const node of json.nodes) expect(node.type).toMatch(/^n8n-nodes-(base|odoo-ops)\./);
		const hook = json.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
		expect(hook.parameters).toMatchObject({ httpMethod: 'POST', path: HOOK, authentication: 'basicAuth', responseMode: 'responseNode' });
		expect(hook.credentials?.httpBasicAuth).toEqual({ id: 'alertWebhookAuth01', name: 'Alert webhook auth' });
		for (const node of json.nodes.filter((n) => n.type === 'n8n-nodes-odoo-ops.monitoringAlert' && (n.parameters as Row).operation === 'handleTicket')) {
			expect(node.credentials?.odooOpsApi).toEqual({ id: 'odooOpsSandbox01', name: 'Odoo Ops (sandbox)' });
		}
	});

	it('answers a wrong or missing secret with 401 and runs nothing', async () => {
		const s = series('AuthProbe');
		const body = amBody([{ status: 'firing', ...s, startsAt: new Date().toISOString() }]);
		const before = (sb.records('helpdesk.ticket') as Row[]).length;
		const missing = await post(body, { auth: null });
		const wrong = await post(body, { auth: `Basic ${Buffer.from(`${USER}:not-the-secret`).toString('base64')}` });
		const wrongUser = await post(body, { auth: `Basic ${Buffer.from(`someone:${PASSWORD}`).toString('base64')}` });
		const notBasic = await post(body, { auth: `Bearer ${PASSWORD}` });
		expect([missing.status, wrong.status, wrongUser.status, notBasic.status]).toEqual([401, 401, 401, 401]);
		await sleep(500);
		expect((sb.records('helpdesk.ticket') as Row[]).length).toBe(before);
		expect(withKey(s.key)).toEqual([]);
	});

	it('answers a malformed body with 400 and the reason, and keeps the body on an unparsed-alert ticket', async () => {
		// Alertmanager-shaped but wrong: labels must be an object.
		const s = series('Malformed');
		const bad = amBody([{ status: 'firing', ...s, startsAt: new Date().toISOString() }]);
		((bad.alerts as Row[])[0] as Row).labels = 'oops';
		const r = await post(bad);
		expect(r.status).toBe(400);
		expect(r.body).toMatchObject({ error: 'malformed_alert', reason: expect.stringContaining('alerts[0].labels'), ticket: { id: expect.any(Number), model: 'helpdesk.ticket' } });
		const [ticket] = tickets((t) => t.id === r.body.ticket.id);
		expect(ticket).toMatchObject({ name: 'Unparsed monitoring alert', isClosed: false });
		expect(String(ticket.description)).toContain('alerts[0].labels');
		const attachment = (sb.records('ir.attachment') as Row[]).find((a) => a.res_model === 'helpdesk.ticket' && a.res_id === ticket.id)!;
		expect(attachment).toBeDefined();
		expect(JSON.parse(Buffer.from(String(attachment.datas), 'base64').toString('utf8'))).toEqual(bad);

		// Not JSON at all (text/plain reaches the workflow as text): the text itself is kept.
		const text = `garbage from a misconfigured sender ${s.fingerprint}`;
		const t = await post(null, { contentType: 'text/plain', raw: text });
		expect(t.status).toBe(400);
		expect(t.body).toMatchObject({ error: 'malformed_alert', reason: expect.any(String), ticket: { id: expect.any(Number) } });
		expect(t.body.ticket.id).not.toBe(r.body.ticket.id);
		const textAttachment = (sb.records('ir.attachment') as Row[]).find((a) => a.res_model === 'helpdesk.ticket' && a.res_id === t.body.ticket.id)!;
		expect(Buffer.from(String(textAttachment.datas), 'base64').toString('utf8')).toBe(text);

		// The same bad body again is one more occurrence of the same unparsed ticket, not a second one.
		const again = await post(bad);
		expect(again.status).toBe(400);
		expect(again.body.ticket.id).toBe(r.body.ticket.id);
	});

	it('turns 20 concurrent identical deliveries into exactly one open ticket', async () => {
		const s = series('ConcurrentDown');
		const body = amBody([{ status: 'firing', ...s, startsAt: new Date().toISOString() }]);
		const responses = await Promise.all(Array.from({ length: 20 }, () => post(body)));
		expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
		const ids = new Set(responses.map((r) => r.body.tickets[0].ticketId as number));
		const open = withKey(s.key).filter((t) => !t.isClosed);
		expect(open).toHaveLength(1);
		// Every delivery reports the surviving ticket; the duplicates it folded are closed and keyed aside.
		expect([...ids]).toEqual([open[0].id]);
		expect(withKey(s.key)).toHaveLength(1);
		const folded = tickets((t) => String(t[KEY_FIELD] ?? '').startsWith(`${s.key}#dup-of-`));
		expect(folded.every((t) => t.isClosed)).toBe(true);
		expect(responses.filter((r) => r.body.tickets[0].action === 'create')).toHaveLength(1);
		expect(open[0].x_alert_occurrences).toBeGreaterThanOrEqual(1);
		log(`20 concurrent deliveries: ticket ${open[0].id}, ${folded.length} duplicate(s) folded, occurrences ${open[0].x_alert_occurrences}`);
	});

	it('folds the duplicates when concurrent deliveries really do create at the same time (slow Odoo create)', async () => {
		// With create slowed down, every delivery looks, finds no ticket and creates one: convergence must fold them.
		const s = series('RacingDown');
		const body = amBody([{ status: 'firing', ...s, startsAt: new Date().toISOString() }]);
		sb.inject({ kind: 'latency', ms: 400, method: 'create' });
		let responses: Array<Awaited<ReturnType<typeof post>>>;
		try {
			responses = await Promise.all(Array.from({ length: 20 }, () => post(body)));
		} finally {
			sb.inject({ kind: 'clear' });
		}
		expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
		const open = withKey(s.key).filter((t) => !t.isClosed);
		expect(open).toHaveLength(1);
		expect(withKey(s.key)).toHaveLength(1);
		const folded = tickets((t) => String(t[KEY_FIELD] ?? '').startsWith(`${s.key}#dup-of-`));
		expect(folded.length).toBeGreaterThan(0);
		expect(folded.every((t) => t.isClosed && t[KEY_FIELD] === `${s.key}#dup-of-${open[0].id}`)).toBe(true);
		expect(new Set(responses.map((r) => r.body.tickets[0].ticketId))).toEqual(new Set([open[0].id]));
		log(`20 racing deliveries: ticket ${open[0].id}, ${folded.length} duplicate(s) created and folded, occurrences ${open[0].x_alert_occurrences}`);
	});

	it('reopens the same ticket when an alert fires again within the window after resolving', async () => {
		const s = series('Flapping');
		const first = new Date(Date.now() - 120_000).toISOString();
		const fired = await post(amBody([{ status: 'firing', ...s, startsAt: first }]));
		expect(fired.status).toBe(200);
		expect(fired.body.tickets[0]).toMatchObject({ action: 'create', status: 'firing', dedupeKey: s.key });
		const id = fired.body.tickets[0].ticketId as number;

		const resolved = await post(amBody([{ status: 'resolved', ...s, startsAt: first, endsAt: new Date(Date.now() - 5_000).toISOString() }]));
		expect(resolved.status).toBe(200);
		expect(resolved.body.tickets[0]).toMatchObject({ action: 'resolve', ticketId: id });
		expect(withKey(s.key)).toEqual([expect.objectContaining({ id, isClosed: true })]);

		const again = await post(amBody([{ status: 'firing', ...s, startsAt: new Date().toISOString() }]));
		expect(again.status).toBe(200);
		expect(again.body.tickets[0]).toMatchObject({ action: 'reopen', ticketId: id });
		expect(withKey(s.key)).toEqual([expect.objectContaining({ id, isClosed: false })]);
	});

	it('opens a new ticket when it fires again outside the window', async () => {
		const s = series('SlowFlap');
		const first = new Date(Date.now() - 3 * 3600_000).toISOString();
		const fired = await post(amBody([{ status: 'firing', ...s, startsAt: first }]));
		const id = fired.body.tickets[0].ticketId as number;
		// Resolved two hours ago as far as Odoo knows (the sandbox's clock stamps the close).
		sb.setClock(new Date(Date.now() - 2 * 3600_000));
		try {
			const resolved = await post(amBody([{ status: 'resolved', ...s, startsAt: first, endsAt: new Date(Date.now() - 2 * 3600_000).toISOString() }]));
			expect(resolved.body.tickets[0]).toMatchObject({ action: 'resolve', ticketId: id });
		} finally {
			sb.setClock(null);
		}
		const again = await post(amBody([{ status: 'firing', ...s, startsAt: new Date().toISOString() }]));
		expect(again.status).toBe(200);
		expect(again.body.tickets[0]).toMatchObject({ action: 'create' });
		expect(again.body.tickets[0].ticketId).not.toBe(id);
		expect(withKey(s.key).map((t) => [t.id, t.isClosed])).toEqual([
			[id, true],
			[again.body.tickets[0].ticketId, false],
		]);
	});

	it('creates nothing for a resolved alert that has no ticket', async () => {
		const s = series('NeverFired');
		const before = (sb.records('helpdesk.ticket') as Row[]).length;
		const r = await post(amBody([{ status: 'resolved', ...s, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date().toISOString() }]));
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ handled: 1, tickets: [{ action: 'ignore', reason: 'resolved-without-open-ticket', ticketId: null }] });
		expect((sb.records('helpdesk.ticket') as Row[]).length).toBe(before);
		expect(withKey(s.key)).toEqual([]);
	});

	describe('with a real Prometheus Alertmanager', () => {
		let am: ChildProcess | undefined;
		let amUrl: string;
		let amDir: string;
		let amLog = '';

		beforeAll(async () => {
			const bin = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'ensure-alertmanager.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
			amDir = mkdtempSync(path.join(os.tmpdir(), 'odoo-ops-alertmanager-'));
			const port = await freePort();
			amUrl = `http://127.0.0.1:${port}`;
			writeFileSync(
				path.join(amDir, 'alertmanager.yml'),
				[
					'route:',
					'  receiver: odoo',
					"  group_by: ['alertname', 'instance']",
					'  group_wait: 1s',
					'  group_interval: 2s',
					'  repeat_interval: 4s',
					'receivers:',
					'  - name: odoo',
					'    webhook_configs:',
					`      - url: ${JSON.stringify(hookUrl)}`,
					'        send_resolved: true',
					'        http_config:',
					'          basic_auth:',
					`            username: ${JSON.stringify(USER)}`,
					`            password: ${JSON.stringify(PASSWORD)}`,
					'',
				].join('\n'),
			);
			am = spawn(
				bin,
				[
					`--config.file=${path.join(amDir, 'alertmanager.yml')}`,
					`--storage.path=${path.join(amDir, 'data')}`,
					`--web.listen-address=127.0.0.1:${port}`,
					'--cluster.listen-address=',
					'--log.level=debug',
				],
				{ stdio: ['ignore', 'pipe', 'pipe'], detached: true },
			);
			am.stdout!.on('data', (d: Buffer) => (amLog += d.toString()));
			am.stderr!.on('data', (d: Buffer) => (amLog += d.toString()));
			const deadline = Date.now() + 30_000;
			for (;;) {
				try {
					if ((await fetch(`${amUrl}/-/ready`)).status === 200) break;
				} catch {
					/* not listening yet */
				}
				if (am.exitCode !== null || Date.now() > deadline) throw new Error(`Alertmanager did not become ready:\n${amLog.slice(-3000)}`);
				await sleep(200);
			}
			log(`alertmanager ready at ${amUrl}`);
		});

		afterAll(async () => {
			if (am?.pid !== undefined && am.exitCode === null) {
				try {
					process.kill(-am.pid, 'SIGTERM');
				} catch {
					/* gone */
				}
				await new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						try {
							process.kill(-am!.pid!, 'SIGKILL');
						} catch {
							/* gone */
						}
						resolve();
					}, 5_000);
					am!.once('exit', () => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
			if (amDir) rmSync(amDir, { recursive: true, force: true });
		});

		const push = async (alerts: Array<Record<string, unknown>>) => {
			const r = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
			expect(r.status).toBe(200);
		};
		const waitFor = async <T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const value = probe();
				if (value) return value;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; alertmanager said:\n${amLog.slice(-3000)}`);
				await sleep(250);
			}
		};

		it('creates the ticket once, updates it on repeat and closes it on resolve', async () => {
			const tag = randomBytes(4).toString('hex');
			const summary = `Disk full on store-${tag}`;
			const startsAt = new Date().toISOString();
			const alert = {
				labels: { alertname: 'DiskFull', instance: `store-${tag}:9100`, job: 'node', severity: 'warning' },
				annotations: { summary, description: `/ on store-${tag} is 99% full.` },
				startsAt,
				generatorURL: 'http://prometheus.test:9090/graph?g0.expr=disk',
			};
			const mine = () => tickets((t) => t.name === summary);

			await push([alert]);
			const [created] = await waitFor('the ticket', () => (mine().length > 0 ? mine() : undefined));
			expect(String(created[KEY_FIELD])).toMatch(/^alertmanager:[0-9a-f]{16}$/);
			expect(created).toMatchObject({ isClosed: false, x_alert_occurrences: 1 });

			// The same alert again (Prometheus re-sends every evaluation): Alertmanager re-notifies on repeat_interval.
			await push([alert]);
			await waitFor('a repeat notification', () => (mine()[0]?.x_alert_occurrences >= 2 ? true : undefined));
			expect(mine()).toEqual([expect.objectContaining({ id: created.id, isClosed: false })]);

			await push([{ ...alert, endsAt: new Date(Date.now() - 1_000).toISOString() }]);
			await waitFor('the close', () => (mine()[0]?.isClosed ? true : undefined));
			expect(mine()).toEqual([expect.objectContaining({ id: created.id, isClosed: true })]);
			expect(withKey(created[KEY_FIELD] as string)).toHaveLength(1);

			// Every delivery was accepted (Alertmanager logs failed notifications and retries them).
			expect(amLog).not.toMatch(/Notify for alerts failed|unexpected status code 4\d\d/);
			const executions = await n8n.executions((await n8n.api('GET', '/workflows')).body.data.find((w: Row) => w.name === 'Alert to ticket').id, { includeData: false });
			expect(executions.length).toBeGreaterThan(0);
		});
	});
});
