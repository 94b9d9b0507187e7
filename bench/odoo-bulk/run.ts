/**
 * bench/odoo-bulk: creating N res.partner records and reading them all back, in one run, through
 *   (a) our Odoo Ops node in real n8n (items' own fields; a': a field row with an expression), (b) n8n's built-in Odoo node v2 in the same n8n, (c) raw batched RPC (floor),
 * against the Odoo sandbox with a login cost like a real Odoo 18 (~0.4 s), or against a real Odoo server. Prints
 * requests, seconds and peak memory, and the ratios a/c and b/a. Usage:
 *   npx tsx bench/odoo-bulk/run.ts [--n 1000,10000] [--builtin-max 1000] [--login-cost 400] [--read-100k]
 *   npx tsx bench/odoo-bulk/run.ts --odoo-url URL --odoo-db DB --odoo-login LOGIN --odoo-password SECRET [--odoo-api-key] [--n ...] ...
 * (or ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD in the environment; --odoo-api-key: the secret is an API key).
 * Every path talks to the server through a counting proxy on 127.0.0.1, in both modes, so requests and logins are
 * counted the same way. On a real server each path's partners are deleted after it (only names starting with that
 * path's tag), and the run ends by listing what it removed.
 * The built-in node logs in for every item, so it runs only up to --builtin-max (at 0.4 s a login, 10,000 items take
 * over an hour); larger N print its extrapolation, marked as such.
 */
import { spawn } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import { startOdooSandbox } from '../../test/sandboxes/odoo';
import { packPack, startN8n, type N8nHandle } from '../../test/e2e/harness';
import { startCountingProxy, type ProxyStats } from './counting-proxy';
import { connectRealServer, removeTagged } from './real-server';

const args = process.argv.slice(2);
const given = (name: string) => args.includes(`--${name}`);
const flag = (name: string, fallback: string) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : fallback;
};
const sizes = flag('n', '1000,10000').split(',').map(Number);
const builtinMax = Number(flag('builtin-max', '1000'));
const loginCost = Number(flag('login-cost', '400'));
const read100k = args.includes('--read-100k');
const odoo = {
	url: flag('odoo-url', process.env.ODOO_URL ?? ''),
	db: flag('odoo-db', process.env.ODOO_DB ?? ''),
	login: flag('odoo-login', process.env.ODOO_LOGIN ?? ''),
	password: flag('odoo-password', process.env.ODOO_PASSWORD ?? ''),
	apiKey: given('odoo-api-key'),
};
const BATCH = 200;
const PAGE = 1000;

interface Measure {
	requests: number;
	logins: number;
	createSeconds: number;
	readSeconds: number;
	read: number;
	peakRssMb: number;
	note?: string;
}

/** Resident memory of the n8n server and its task runners: every process started with this user folder. */
function n8nRssMb(userFolder: string): number {
	let total = 0;
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`N8N_USER_FOLDER=${userFolder}`)) continue;
			total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
		} catch {
			// a process that ended while we looked
		}
	}
	return total;
}

/** Peak resident memory of n8n while `work` runs, sampled every 100 ms. */
async function sampledPeak<T>(userFolder: string, work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
	let peak = 0;
	let running = true;
	const sampler = (async () => {
		while (running) {
			peak = Math.max(peak, n8nRssMb(userFolder));
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	})();
	try {
		const result = await work();
		return { result, peakRssMb: peak };
	} finally {
		running = false;
		await sampler;
	}
}

/**
 * Runs start from a webhook that answers at once: the n8n CLI (`n8n execute`) loses the end of a large run's output
 * when it exits, and an HTTP request held open for the built-in node's minutes would hit server timeouts.
 */
function start(tag: string) {
	return { name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: tag, parameters: { httpMethod: 'POST', path: tag, responseMode: 'onReceived' } };
}

function generator(n: number, tag: string) {
	return {
		name: 'Generate',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: { jsCode: `return Array.from({ length: ${n} }, (_, i) => ({ json: { name: '${tag} ' + i } }));` },
	};
}

type FieldsMode = 'autoMap' | 'expression';

/** autoMap: each item's own fields go to Odoo as they are; expression: a field row with {{ $json.name }}, per item. */
function ourWorkflow(n: number, tag: string, credential: { id: string; name: string }, mode: FieldsMode = 'autoMap') {
	const odoo = { odooOpsApi: credential };
	return {
		name: `bench ours ${tag}`,
		nodes: [
			start(tag),
			generator(n, tag),
			{
				name: 'Create',
				type: 'n8n-nodes-odoo-ops.odooOps',
				typeVersion: 1,
				position: [400, 0],
				credentials: odoo,
				parameters: {
					resource: 'record',
					operation: 'create',
					model: { __rl: true, mode: 'name', value: 'res.partner' },
					...(mode === 'autoMap' ? { fieldsInput: 'autoMap' } : { fieldsInput: 'fields', fieldsToSet: { field: [{ name: 'name', value: '={{ $json.name }}' }] } }),
					options: { batchSize: BATCH },
				},
			},
			{
				name: 'Read',
				type: 'n8n-nodes-odoo-ops.odooOps',
				typeVersion: 1,
				position: [600, 0],
				executeOnce: true,
				credentials: odoo,
				parameters: { resource: 'record', operation: 'getMany', model: { __rl: true, mode: 'name', value: 'res.partner' }, filterType: 'raw', domain: `[["name", "=like", "${tag} %"]]`, returnAll: true, options: { fields: ['name'], pageSize: PAGE } },
			},
		],
		connections: chain(['Start', 'Generate', 'Create', 'Read']),
		settings: { executionOrder: 'v1' },
	};
}

function builtinWorkflow(n: number, tag: string, credential: { id: string; name: string }) {
	const odoo = { odooApi: credential };
	return {
		name: `bench builtin ${tag}`,
		nodes: [
			start(tag),
			generator(n, tag),
			{
				name: 'Create',
				type: 'n8n-nodes-base.odoo',
				typeVersion: 2,
				position: [400, 0],
				credentials: odoo,
				parameters: { authentication: 'odooApi', resource: 'custom', customResource: { __rl: true, mode: 'id', value: 'res.partner' }, operation: 'create', fieldsToSend: { mappingMode: 'defineBelow', value: { name: '={{ $json.name }}' } } },
			},
			{
				name: 'Read',
				type: 'n8n-nodes-base.odoo',
				typeVersion: 2,
				position: [600, 0],
				executeOnce: true,
				credentials: odoo,
				parameters: { authentication: 'odooApi', resource: 'custom', customResource: { __rl: true, mode: 'id', value: 'res.partner' }, operation: 'getAll', returnAll: true, options: { fieldsList: 'name' }, filters: { filter: [{ fieldName: 'name', operator: 'like', value: `${tag} ` }] } },
			},
		],
		connections: chain(['Start', 'Generate', 'Create', 'Read']),
		settings: { executionOrder: 'v1' },
	};
}

function chain(names: string[]) {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < names.length - 1; index++) connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	return connections;
}

/**
 * The server the paths measure, behind the counting proxy. The three paths get `url` (the proxy), never the server's
 * own address, so the proxy sees every request they make.
 */
interface Target {
	url: string;
	db: string;
	login: string;
	password: string;
	apiKey: boolean;
	/** Names the server in the line above the table. */
	describe: string;
	/** Before a path: counters to zero and, unless keepData, the same starting data for every path. */
	begin(tag: string, keepData?: boolean): void;
	/** After a path has finished: its requests and logins. */
	counts(label: string): ProxyStats;
	/** After the last path that uses a tag: remove its records from a real server. Never throws. */
	end(tag: string): Promise<void>;
	/** Lines to print under the table. */
	summary(): string[];
	close(): Promise<void>;
}

/**
 * Every path starts from the same demo seed. The sandbox's create grows slower with the records already there (each
 * new partner's follower is checked against every follower row), so without this the path measured later paid for
 * the records the earlier paths left: at N = 10,000 the floor ran on a near-empty table and ours on 13,000 rows more.
 */
async function sandboxTarget(): Promise<Target> {
	const sandbox = await startOdooSandbox({ loginCostMs: loginCost });
	const proxy = await startCountingProxy(sandbox.url);
	return {
		url: proxy.url,
		db: sandbox.db,
		login: 'admin',
		password: 'admin',
		apiKey: false,
		describe: `Odoo sandbox login cost ${loginCost} ms`,
		begin(_tag, keepData = false) {
			if (!keepData) sandbox.resetData();
			sandbox.resetStats();
			proxy.reset();
		},
		counts(label) {
			// The sandbox counts for itself as well: the two disagreeing would mean the proxy miscounts, and then its
			// numbers against a real server could not be trusted either.
			const { requests, logins } = proxy.stats;
			if (requests !== sandbox.stats.requests || logins !== sandbox.stats.logins)
				console.error(`WARNING ${label}: the proxy counted ${requests} requests and ${logins} logins, the sandbox ${sandbox.stats.requests} and ${sandbox.stats.logins}`);
			return { requests, logins };
		},
		async end() {
			// The next path's resetData() discards it.
		},
		summary: () => [],
		async close() {
			await proxy.close();
			await sandbox.close();
		},
	};
}

/**
 * A real server keeps what the paths create, so each path's partners are deleted after it (through the server's own
 * URL, outside the counts). Its next path then starts from the table as it was, as the sandbox's reset gives.
 */
async function realTarget(): Promise<Target> {
	const server = await connectRealServer(odoo);
	const proxy = await startCountingProxy(server.url);
	const origin = new URL(server.url).origin;
	const tags: string[] = [];
	const removed = new Map<string, number>();
	const failed = new Map<string, string>();
	const end = async (tag: string) => {
		try {
			const count = await removeTagged(server, tag);
			removed.set(tag, (removed.get(tag) ?? 0) + count);
			failed.delete(tag);
			if (count) console.error(`removed ${count} res.partner named "${tag} …" from ${origin}`);
		} catch (error) {
			failed.set(tag, (error as Error).message);
			console.error(`could not remove the res.partner named "${tag} …": ${(error as Error).message}`);
		}
	};
	console.error(`measuring Odoo ${server.version} at ${origin} (database ${server.db}, login ${server.login}) through ${proxy.url}`);
	return {
		url: proxy.url,
		db: server.db,
		login: server.login,
		password: server.password,
		apiKey: odoo.apiKey,
		describe: `Odoo ${server.version} server at ${origin}`,
		begin(tag) {
			if (!tags.includes(tag)) tags.push(tag);
			proxy.reset();
		},
		counts: () => ({ ...proxy.stats }),
		end,
		summary() {
			const lines = [...removed].filter(([tag]) => !failed.has(tag)).map(([tag, count]) => `- ${count} res.partner named "${tag} …"`);
			for (const [tag, message] of failed) lines.push(`- NOT removed: res.partner named "${tag} …" (${message})`);
			return [`Removed from ${origin} (database ${server.db}), only records named with this run's tags:`, ...lines];
		},
		async close() {
			// A path that failed may have left records, or gone on creating after its own clean-up: sweep every tag
			// once more now that n8n has stopped.
			for (const tag of tags) await end(tag);
			await proxy.close();
		},
	};
}

/** keepData: the run reads what the floor just wrote (the 100k read), so the data is not reset first. */
async function runInN8n(n8n: N8nHandle, target: Target, tag: string, workflow: any, options: { keepData?: boolean } = {}): Promise<Measure> {
	const { id } = await n8n.importWorkflow(workflow);
	await n8n.publish(id);
	const path = workflow.nodes[0].parameters.path as string;
	target.begin(tag, options.keepData);
	const { result: execution, peakRssMb } = await sampledPeak(n8n.userFolder, async () => {
		const answer = await n8n.runWebhook(path, {});
		if (answer.status !== 200) throw new Error(`${workflow.name}: webhook answered ${answer.status}`);
		// Poll without data (a running execution with thousands of items is heavy to serialise), then read it once.
		for (let failures = 0; ; ) {
			let latest;
			try {
				[latest] = await n8n.executions(id, { includeData: false, limit: 1 });
			} catch (error) {
				// n8n busy with 10,000 items can drop a poll; a few misses are not the run failing.
				if (++failures > 10) throw error;
				await new Promise((resolve) => setTimeout(resolve, 2000));
				continue;
			}
			if (latest && latest.finished !== undefined && latest.status !== 'running' && latest.status !== 'new') {
				return (await n8n.api('GET', `/executions/${latest.id}?includeData=true`)).body;
			}
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	});
	await n8n.unpublish(id);
	if (execution.status !== 'success') throw new Error(`${workflow.name} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? {}).slice(0, 500)}`);
	const runData = execution.data?.resultData?.runData ?? {};
	const seconds = (node: string) => (runData[node]?.[0]?.executionTime ?? NaN) / 1000;
	const read = runData.Read?.[0]?.data?.main?.[0]?.length ?? 0;
	const { requests, logins } = target.counts(workflow.name);
	return { requests, logins, createSeconds: seconds('Create'), readSeconds: seconds('Read'), read, peakRssMb };
}

/** Never prints the secret, whatever an error message or the floor's stderr carries. */
const redact = (text: string) => (odoo.password ? text.split(odoo.password).join('***') : text);

function runFloor(target: Target, n: number, tag: string): Promise<Measure> {
	target.begin(tag);
	return new Promise((resolve, reject) => {
		// The secret goes by the environment, not argv, where any process listing would show it.
		const child = spawn(process.execPath, [path.join(__dirname, 'floor.js'), target.url, target.db, target.login, '-', String(n), String(BATCH), tag, String(PAGE)], {
			env: { ...process.env, ODOO_BENCH_PASSWORD: target.password },
		});
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => process.stderr.write(redact(String(chunk))));
		child.on('exit', (code) => {
			if (code !== 0) return reject(new Error(`floor exited ${code}`));
			const measured = JSON.parse(out.trim().split('\n').pop()!);
			const { requests, logins } = target.counts('floor');
			resolve({ requests, logins, createSeconds: measured.createSeconds, readSeconds: measured.readSeconds, read: measured.read, peakRssMb: measured.maxRssMb });
		});
	});
}

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Real-server mode needs all four connection settings; the sandbox's login cost means nothing there. */
function checkOptions(): boolean {
	const real = odoo.url !== '';
	if (real) {
		const missing = (['db', 'login', 'password'] as const).filter((key) => !odoo[key]).map((key) => `--odoo-${key} (or ODOO_${key.toUpperCase()})`);
		if (missing.length) throw new Error(`--odoo-url needs ${missing.join(', ')}`);
		if (given('login-cost')) throw new Error('--login-cost is a sandbox option: a real server logs in at its own cost');
	} else {
		const stray = ['odoo-db', 'odoo-login', 'odoo-password', 'odoo-api-key'].filter(given);
		if (stray.length) throw new Error(`${stray.map((name) => `--${name}`).join(', ')} without --odoo-url (or ODOO_URL)`);
	}
	return real;
}

async function main() {
	const target = checkOptions() ? await realTarget() : await sandboxTarget();
	const rows: string[] = [];
	let baseline = NaN;
	try {
		const tarball = await packPack();
		const n8n = await startN8n({ tarballs: [tarball] });
		try {
			const ours = await n8n.createCredential({ name: 'Odoo Ops (bench)', type: 'odooOpsApi', data: { url: target.url, db: target.db, login: target.login, password: target.password, authWithKey: target.apiKey, protocol: 'auto' } });
			const builtin = await n8n.createCredential({ name: 'Odoo built-in (bench)', type: 'odooApi', data: { url: target.url, db: target.db, username: target.login, password: target.password } });
			/** One path, then its records removed from a real server, also when it failed. */
			const measured = async <T>(tags: string[], run: () => Promise<T>): Promise<T> => {
				try {
					return await run();
				} finally {
					for (const tag of tags) await target.end(tag);
				}
			};
			// The n8n CLI's own footprint, to read the others against.
			const noopTag = `bench-noop-${Date.now()}`;
			const noop = await measured([noopTag], () => runInN8n(n8n, target, noopTag, { ...ourWorkflow(1, noopTag, ours), name: 'bench noop' }));
			console.error(`n8n baseline (1 record): peak ${fmt(noop.peakRssMb, 0)} MB`);
			baseline = noop.peakRssMb;
			for (const n of sizes) {
				const stamp = Date.now();
				const tags = { c: `bench-c-${n}-${stamp}`, a: `bench-a-${n}-${stamp}`, ae: `bench-ae-${n}-${stamp}`, b: `bench-b-${n}-${stamp}` };
				const floor = await measured([tags.c], () => runFloor(target, n, tags.c));
				console.error(`N=${n} floor done`);
				const a = await measured([tags.a], () => runInN8n(n8n, target, tags.a, ourWorkflow(n, tags.a, ours, 'autoMap')));
				const aExpr = await measured([tags.ae], () => runInN8n(n8n, target, tags.ae, ourWorkflow(n, tags.ae, ours, 'expression')));
				console.error(`N=${n} ours done`);
				let b: Measure;
				if (n <= builtinMax) {
					b = await measured([tags.b], () => runInN8n(n8n, target, tags.b, builtinWorkflow(n, tags.b, builtin)));
					console.error(`N=${n} built-in done`);
				} else {
					// Extrapolated from the smallest measured built-in run: its cost is per item (a login per item).
					b = { requests: NaN, logins: n, createSeconds: NaN, readSeconds: NaN, read: NaN, peakRssMb: NaN, note: 'not run' };
				}
				const total = (m: Measure) => m.createSeconds + m.readSeconds;
				rows.push(
					`| ${n} | (c) raw batched RPC | ${floor.requests} | ${floor.logins} | ${fmt(floor.createSeconds)} | ${fmt(floor.readSeconds)} | ${fmt(floor.peakRssMb, 0)} | |`,
					`| ${n} | (a) Odoo Ops node, input item's fields | ${a.requests} | ${a.logins} | ${fmt(a.createSeconds)} | ${fmt(a.readSeconds)} | ${fmt(a.peakRssMb, 0)} | a/c = ${fmt(total(a) / total(floor))} |`,
					`| ${n} | (a') Odoo Ops node, field row with an expression | ${aExpr.requests} | ${aExpr.logins} | ${fmt(aExpr.createSeconds)} | ${fmt(aExpr.readSeconds)} | ${fmt(aExpr.peakRssMb, 0)} | a'/c = ${fmt(total(aExpr) / total(floor))} |`,
					`| ${n} | (b) built-in Odoo node v2 | ${fmt(b.requests, 0)} | ${fmt(b.logins, 0)} | ${fmt(b.createSeconds)} | ${fmt(b.readSeconds)} | ${fmt(b.peakRssMb, 0)} | ${b.note ?? `b/a = ${fmt(total(b) / total(a), 1)}`} |`,
				);
				for (const row of rows.slice(-4)) console.error(row);
				if (a.read !== n || aExpr.read !== n) throw new Error(`ours read ${a.read} and ${aExpr.read} of ${n}`);
			}
			if (read100k) {
				const tag = `bench-100k-${Date.now()}`;
				const readOnly = { ...ourWorkflow(0, tag, ours), nodes: ourWorkflow(0, tag, ours).nodes.filter((node) => node.name !== 'Create' && node.name !== 'Generate'), connections: chain(['Start', 'Read']) };
				// The floor writes the rows the node then reads: they are removed only after both.
				const big = await measured([tag], async () => {
					await runFloor(target, 100_000, tag);
					return runInN8n(n8n, target, tag, readOnly, { keepData: true });
				});
				// (100k rows held as n8n items: the client pages, n8n keeps every item of the output.)
				rows.push(`| 100000 (read only) | (a) Odoo Ops node, get many | ${big.requests} | ${big.logins} | | ${fmt(big.readSeconds)} | ${fmt(big.peakRssMb, 0)} | ${big.read} rows |`);
			}
		} finally {
			await n8n.stop();
		}
	} finally {
		await target.close();
	}
	console.log(`\n${target.describe}, batch ${BATCH}, page ${PAGE}; times are the nodes' own execution times in n8n (CLI start excluded); memory is the peak RSS of the process doing the work (for a and b: the n8n server with its task runners; with one record it peaks at ${fmt(baseline, 0)} MB).\n`);
	console.log('| N | path | HTTP requests | logins | create s | get-many s | peak RSS MB | ratio |');
	console.log('|---|---|---|---|---|---|---|---|');
	for (const row of rows) console.log(row);
	const summary = target.summary();
	if (summary.length) console.log(`\n${summary.join('\n')}`);
}

main().catch((error) => {
	console.error(redact(String(error?.stack ?? error)));
	process.exit(1);
});
