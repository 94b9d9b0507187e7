/**
 * Alert burst through a real n8n: 1,000 Alertmanager deliveries (100 alert series × 10 repeats, in a seeded shuffle so
 * repeats of one series sometimes race each other) sent 20 at a time to the shipped "Alert to ticket" workflow, against
 * the Odoo sandbox, and the same burst against a trivial webhook workflow that only responds (same n8n, same Basic
 * Auth), so the ratio shows what normalising and ticketing cost on top of n8n's own webhook handling. The two run in
 * alternating rounds of 250 so that a change in the machine's load weighs on both alike.
 *
 * Checks: every delivery answered 200; exactly one open ticket per series (100), none lost, no other ticket for a
 * series; every delivery of a series reported that ticket. Exits 1 when a check fails.
 *
 *   npx tsx bench/alert-burst/run.ts        (ALERT_BURST_LOGIN_MS=400 to charge a real Odoo's login cost; default 20)
 */
import { performance } from 'node:perf_hooks';

import { startOdooSandbox } from '../../test/sandboxes/odoo';
import { loadWorkflow, packPack, sleep, startN8n, type WorkflowJson } from '../../test/e2e/harness';

const KEYS = 100;
const REPEATS = 10;
const CONCURRENCY = 20;
const USER = 'alertmanager';
const PASSWORD = 'bench-alert-webhook-secret';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const LOGIN_MS = Number(process.env.ALERT_BURST_LOGIN_MS ?? 20);

interface Delivery {
	key: number;
	repeat: number;
	body: string;
}
interface Outcome {
	delivery: Delivery;
	status: number;
	ms: number;
	body: any;
}

/** mulberry32: the same shuffle every run. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const runId = Date.now().toString(16).slice(-8);
/** 16 hex chars like Alertmanager's; the warm-up's series (prefix w) never share a fingerprint with the burst's (b). */
const fingerprint = (key: number, prefix = 'burst') => `${runId}${prefix === 'burst' ? 'b' : 'w'}${key.toString(16).padStart(7, '0')}`;

function deliveries(prefix: string): Delivery[] {
	const startsAt = new Date(Date.now() - 600_000).toISOString();
	const list: Delivery[] = [];
	for (let key = 0; key < KEYS; key++) {
		const labels = { alertname: 'BurstAlert', instance: `${prefix}-host-${key}:9100`, job: 'node', severity: key % 3 === 0 ? 'critical' : 'warning' };
		const annotations = { summary: `${prefix} series ${key} is down`, description: `Burst series ${key}.` };
		const body = JSON.stringify({
			receiver: 'odoo',
			status: 'firing',
			alerts: [{ status: 'firing', labels, annotations, startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus.bench:9090/graph', fingerprint: fingerprint(key, prefix) }],
			groupLabels: { alertname: 'BurstAlert', instance: labels.instance },
			commonLabels: labels,
			commonAnnotations: annotations,
			externalURL: 'http://alertmanager.bench:9093',
			version: '4',
			groupKey: `{}:{alertname="BurstAlert", instance="${labels.instance}"}`,
			truncatedAlerts: 0,
		});
		for (let repeat = 0; repeat < REPEATS; repeat++) list.push({ key, repeat, body });
	}
	const random = rng(6);
	for (let i = list.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[list[i], list[j]] = [list[j], list[i]];
	}
	return list;
}

async function burst(url: string, list: Delivery[]): Promise<{ outcomes: Outcome[]; seconds: number }> {
	const outcomes: Outcome[] = [];
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		for (;;) {
			const delivery = list[next++];
			if (!delivery) return;
			const t0 = performance.now();
			let status = 0;
			let body: any = null;
			try {
				const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: AUTH }, body: delivery.body });
				status = res.status;
				const text = await res.text();
				try {
					body = JSON.parse(text);
				} catch {
					body = text;
				}
			} catch (error) {
				body = String(error);
			}
			outcomes.push({ delivery, status, ms: performance.now() - t0, body });
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return { outcomes, seconds: (performance.now() - started) / 1000 };
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, r: { outcomes: Outcome[]; seconds: number }) {
	const ms = r.outcomes.map((o) => o.ms);
	const stats = {
		name,
		deliveries: r.outcomes.length,
		ok: r.outcomes.filter((o) => o.status === 200).length,
		seconds: Number(r.seconds.toFixed(2)),
		perSecond: Number((r.outcomes.length / r.seconds).toFixed(1)),
		p50: Number(percentile(ms, 50).toFixed(1)),
		p95: Number(percentile(ms, 95).toFixed(1)),
		p99: Number(percentile(ms, 99).toFixed(1)),
		max: Number(Math.max(...ms).toFixed(1)),
	};
	console.log(
		`${name.padEnd(16)} ${String(stats.deliveries).padStart(5)} deliveries (${stats.ok} × 200) in ${stats.seconds.toFixed(2)} s = ${stats.perSecond} /s; ` +
			`response ms p50 ${stats.p50}, p95 ${stats.p95}, p99 ${stats.p99}, max ${stats.max}`,
	);
	return stats;
}

function baselineWorkflow(): WorkflowJson {
	return {
		name: 'Alert burst baseline (respond only)',
		nodes: [
			{
				id: 'b1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '2f7c1d9e-8a40-4b6f-9c3e-b5a1e0f0b001',
				parameters: { httpMethod: 'POST', path: 'alert-burst-baseline', authentication: 'basicAuth', responseMode: 'responseNode', options: {} },
				credentials: { httpBasicAuth: { id: 'alertWebhookAuth01', name: 'Alert webhook auth' } },
			},
			{
				id: 'b2',
				name: 'Respond 200',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [220, 0],
				parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ ok: true }) }}', options: { responseCode: 200 } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Respond 200', type: 'main', index: 0 }]] } },
	};
}

async function main(): Promise<void> {
	const [tgz, sb] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: LOGIN_MS })]);
	const n8n = await startN8n({ tarballs: [tgz] });
	let failures = 0;
	const check = (ok: boolean, what: string) => {
		console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
		if (!ok) failures++;
	};
	try {
		await n8n.createCredential({
			name: 'Odoo Ops (sandbox)',
			type: 'odooOpsApi',
			data: { url: sb.url, db: sb.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' },
		});
		await n8n.createCredential({ name: 'Alert webhook auth', type: 'httpBasicAuth', data: { user: USER, password: PASSWORD } });
		const alertWf = await n8n.importWorkflow(loadWorkflow('workflows/alert-to-ticket.json'));
		const baseWf = await n8n.importWorkflow(baselineWorkflow());
		await n8n.publish(alertWf.id);
		await n8n.publish(baseWf.id);
		const alertUrl = `${n8n.url}/webhook/alert-to-ticket`;
		const baseUrl = `${n8n.url}/webhook/alert-burst-baseline`;
		for (const url of [alertUrl, baseUrl]) {
			const deadline = Date.now() + 30_000;
			while ((await fetch(url, { method: 'POST' })).status === 404 && Date.now() < deadline) await sleep(300);
		}

		// Warm-up (first executions compile expressions, the first Handle Ticket adds the x_ fields): not measured.
		const warm = deliveries('warmup').slice(0, 40);
		await burst(baseUrl, warm);
		await burst(alertUrl, warm);

		console.log(`\nalert burst: ${KEYS} series × ${REPEATS} repeats, ${CONCURRENCY} at a time; Odoo sandbox login cost ${LOGIN_MS} ms; n8n ${n8n.url}\n`);
		const list = deliveries('burst');
		// Alternating rounds of 250 (baseline, alert, baseline, alert, …) so a change in the machine's load during the
		// run weighs on both sides alike; the alert side still sees the whole shuffled list, in order.
		const ROUND = 250;
		const baseRun = { outcomes: [] as Outcome[], seconds: 0 };
		const alertRun = { outcomes: [] as Outcome[], seconds: 0 };
		sb.resetStats();
		for (let from = 0; from < list.length; from += ROUND) {
			const part = list.slice(from, from + ROUND);
			for (const [run, url] of [[baseRun, baseUrl], [alertRun, alertUrl]] as const) {
				const r = await burst(url, part);
				run.outcomes.push(...r.outcomes);
				run.seconds += r.seconds;
			}
		}
		const base = summary('baseline', baseRun);
		const alert = summary('alert-to-ticket', alertRun);
		const rpc = sb.stats;
		console.log(
			`overhead         ${(base.perSecond / alert.perSecond).toFixed(1)}× the baseline's time per delivery (throughput ${base.perSecond} → ${alert.perSecond} /s), ` +
				`p95 ${(alert.p95 / base.p95).toFixed(1)}×; Odoo: ${rpc.requests} RPCs, ${rpc.logins} logins (${(rpc.requests / list.length).toFixed(1)} RPCs per delivery)`,
		);

		// ---- correctness
		console.log('');
		const bad = alertRun.outcomes.filter((o) => o.status !== 200);
		check(bad.length === 0, `every delivery answered 200 (${alertRun.outcomes.length - bad.length}/${alertRun.outcomes.length})${bad.length ? `: e.g. ${bad[0].status} ${JSON.stringify(bad[0].body).slice(0, 300)}` : ''}`);
		const closed = new Set((sb.records('helpdesk.ticket.stage') as Array<Record<string, any>>).filter((s) => s.closed).map((s) => s.id as number));
		const all = sb.records('helpdesk.ticket') as Array<Record<string, any>>;
		let wrongSeries = 0;
		let openTotal = 0;
		let occurrences = 0;
		let mismatched = 0;
		for (let key = 0; key < KEYS; key++) {
			const dedupe = `alertmanager:${fingerprint(key)}`;
			const open = all.filter((t) => t.x_alert_dedupe_key === dedupe && !closed.has(t.stage_id as number));
			const any = all.filter((t) => t.x_alert_dedupe_key === dedupe);
			openTotal += open.length;
			if (open.length !== 1 || any.length !== 1) {
				wrongSeries++;
				continue;
			}
			occurrences += Number(open[0].x_alert_occurrences ?? 0);
			const reported = alertRun.outcomes.filter((o) => o.delivery.key === key).map((o) => o.body?.tickets?.[0]?.ticketId);
			if (reported.length !== REPEATS || reported.some((id) => id !== open[0].id)) mismatched++;
		}
		const folded = all.filter((t) => String(t.x_alert_dedupe_key ?? '').includes(`${runId}`) && String(t.x_alert_dedupe_key).includes('#dup-of-'));
		check(wrongSeries === 0, `exactly one open ticket and no other per series (${KEYS - wrongSeries}/${KEYS} series right)`);
		check(openTotal === KEYS, `${openTotal} open tickets for ${KEYS} series`);
		check(mismatched === 0, `every delivery of a series reported its ticket (${KEYS - mismatched - wrongSeries}/${KEYS} series)`);
		console.log(`info  ${folded.length} concurrent duplicate(s) created and folded into the oldest (closed, keyed aside)`);
		// Counted from an append-only log in Odoo, so racing repeats must not share an increment.
		check(occurrences === KEYS * REPEATS, `occurrences counted on the tickets: ${occurrences} of ${KEYS * REPEATS} deliveries`);
	} finally {
		await n8n.stop();
		await sb.close();
	}
	if (failures > 0) {
		console.log(`\n${failures} check(s) failed`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
