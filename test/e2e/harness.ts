/**
 * End-to-end harness: a real n8n (2.41.1 on Node 24, from a cache outside the repo) with this pack installed the way
 * a user installs it (`npm install <tarball>` in `<N8N_USER_FOLDER>/.n8n/nodes`), so node types are
 * `n8n-nodes-odoo-ops.<node>`.
 *
 *   const rt = await ensureN8n();                 // installs Node 24 + n8n on first use (minutes), cached afterwards
 *   const tgz = await packPack();                 // npm run build + npm pack, cached by a hash of the sources
 *   const n8n = await startN8n({ tarballs: [tgz] });
 *   try { ... } finally { await n8n.stop(); }     // or stopAllN8n() in afterAll
 *
 * Everything n8n writes lives under a temp folder that stop() removes (set ODOO_OPS_E2E_KEEP=1 to keep it).
 * Processes are started in their own process group; stop() and process exit kill the whole group.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream, WriteStream, renameSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CACHE_DIR = process.env.ODOO_OPS_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-odoo-ops');

/** Progress and timings go to stderr so they are visible while jest runs. */
export function log(message: string): void {
	process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion. Never rejects on a non-zero exit: callers decide. */
export function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; echoStderr?: boolean } = {},
): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		track(child);
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr!.on('data', (d: Buffer) => {
			stderr += d.toString();
			if (options.echoStderr) process.stderr.write(d);
		});
		const timer = options.timeoutMs
			? setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs)
			: undefined;
		child.on('error', (err) => {
			if (timer) clearTimeout(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

async function runOrThrow(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; echoStderr?: boolean } = {},
): Promise<RunResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} (cwd ${options.cwd ?? process.cwd()}) exited with ${result.code}\n` +
				`--- stdout ---\n${result.stdout.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-4000)}`,
		);
	}
	return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Process-group bookkeeping: everything we start dies with us.
// ---------------------------------------------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
	liveChildren.add(child);
	child.on('exit', () => liveChildren.delete(child));
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const c of liveChildren) killGroup(c, 'SIGKILL');
		});
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			process.once(signal, () => {
				for (const c of liveChildren) killGroup(c, 'SIGKILL');
				process.kill(process.pid, signal);
			});
		}
	}
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

async function stopGroup(child: ChildProcess): Promise<void> {
	killGroup(child, 'SIGTERM');
	if (!(await waitForExit(child, 15000))) {
		killGroup(child, 'SIGKILL');
		await waitForExit(child, 5000);
	}
	// Stragglers (task runners) that ignored SIGTERM.
	killGroup(child, 'SIGKILL');
}

// ---------------------------------------------------------------------------------------------------------------
// ensureN8n
// ---------------------------------------------------------------------------------------------------------------

export interface N8nRuntime {
	/** Absolute path of the Node 24 binary. */
	node: string;
	/** Directory holding the Node 24 binary; put it first on PATH for everything n8n-related. */
	nodeBinDir: string;
	/** Directory with n8n's node_modules (the npm install of n8n@2.41.1). */
	n8nHome: string;
	/** n8n's bin script, run as `<node> <n8nBin> <command>`. */
	n8nBin: string;
	/** The npm CLI script, run with Node 24 (`<node> <npmCli> ...`). */
	npmCli: string;
	/** process.env with Node 24 first on PATH and npm's nodedir pointed at Node 24's headers. */
	env: NodeJS.ProcessEnv;
}

let runtimePromise: Promise<N8nRuntime> | undefined;

/** Runs scripts/ensure-n8n.sh (installs on first use with progress on stderr; reuses the cache later). */
export function ensureN8n(): Promise<N8nRuntime> {
	runtimePromise ??= (async () => {
		const started = Date.now();
		const script = path.join(REPO_ROOT, 'scripts', 'ensure-n8n.sh');
		const result = await runOrThrow('bash', [script], {
			env: { ...process.env, ODOO_OPS_CACHE: CACHE_DIR },
			echoStderr: true,
		});
		const line = result.stdout.trim().split('\n').pop() ?? '';
		const home = /N8N_HOME=(\S+)/.exec(line)?.[1];
		const nodeBinDir = /NODE24_BIN=(\S+)/.exec(line)?.[1];
		if (!home || !nodeBinDir) throw new Error(`ensure-n8n.sh printed no N8N_HOME/NODE24_BIN line:\n${result.stdout}`);
		const npmCli = findNpmCli();
		const env: NodeJS.ProcessEnv = {
			...cleanEnv(process.env),
			PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
			npm_config_nodedir: path.dirname(nodeBinDir),
		};
		const runtime: N8nRuntime = {
			node: path.join(nodeBinDir, 'node'),
			nodeBinDir,
			n8nHome: home,
			n8nBin: path.join(home, 'node_modules', 'n8n', 'bin', 'n8n'),
			npmCli,
			env,
		};
		log(`ensureN8n: ready in ${seconds(started)} (n8n ${home}, node ${runtime.node})`);
		return runtime;
	})();
	runtimePromise.catch(() => (runtimePromise = undefined));
	return runtimePromise;
}

/**
 * process.env without what jest/npx inject (NODE_ENV=test makes n8n refuse to load nodes; npm_config_nodedir points
 * at Node 20's headers; npm_* / NODE point at Node 20).
 */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const out: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(env)) {
		if (/^npm_/i.test(k) || ['NODE_ENV', 'NODE', 'NODE_OPTIONS', 'JEST_WORKER_ID', 'TS_JEST', 'INIT_CWD', 'COLOR', '_'].includes(k)) continue;
		out[k] = v;
	}
	// Keep the npm cache the machine uses (fast, offline-friendly installs).
	out.npm_config_cache = env.npm_config_cache ?? path.join(os.homedir(), '.npm');
	return out;
}

/** The machine's npm CLI script (npm is plain JS; we run it with Node 24). */
function findNpmCli(): string {
	const candidates = [
		process.env.npm_execpath,
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	for (const c of candidates) if (c && c.endsWith('npm-cli.js') && existsSync(c)) return path.resolve(c);
	throw new Error(`cannot find npm-cli.js (tried ${candidates.filter(Boolean).join(', ')})`);
}

// ---------------------------------------------------------------------------------------------------------------
// packPack
// ---------------------------------------------------------------------------------------------------------------

export interface PackOptions {
	/** Package directory; default: the repo. */
	projectDir?: string;
	/** Run `npm run build` first (default: true when package.json has a build script). */
	build?: boolean;
}

/** What `npm run build` + `npm pack` read; a change to any of them makes packPack build again. */
const SOURCE_ROOTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'gulpfile.js', 'index.js', 'README.md', 'LICENSE', '.npmignore', 'nodes', 'credentials', 'lib', 'bin', 'build', 'workflows'];

function hashSources(projectDir: string): string {
	const hash = createHash('sha256');
	const walk = (rel: string): void => {
		const abs = path.join(projectDir, rel);
		if (!existsSync(abs)) return;
		const st = statSync(abs);
		if (st.isDirectory()) {
			for (const entry of readdirSync(abs).sort()) {
				if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
				walk(path.join(rel, entry));
			}
		} else {
			hash.update(rel).update('\0').update(readFileSync(abs)).update('\0');
		}
	};
	for (const root of SOURCE_ROOTS) walk(root);
	return hash.digest('hex').slice(0, 16);
}

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
	const deadline = Date.now() + 15 * 60_000;
	mkdirSync(path.dirname(lockDir), { recursive: true });
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch {
			// Stale lock from a dead process?
			try {
				const pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
				if (pid && !isAlive(pid)) rmSync(lockDir, { recursive: true, force: true });
			} catch {
				/* lock being created right now */
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
			await sleep(500);
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Builds (`npm run build`) and packs (`npm pack`) a package, once per source state: the tarball is cached under
 * `<cache>/packs/<name>-<hash of the sources>/`, so later test files and runs reuse it. Returns the tarball's path.
 */
export async function packPack(options: PackOptions = {}): Promise<string> {
	const projectDir = path.resolve(options.projectDir ?? REPO_ROOT);
	const pkg = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
		scripts?: Record<string, string>;
	};
	const build = options.build ?? Boolean(pkg.scripts?.build);
	const key = `${pkg.name.replace(/[@/]/g, '_')}-${hashSources(projectDir)}`;
	const outDir = path.join(CACHE_DIR, 'packs', key);
	const findTgz = (): string | undefined => {
		if (!existsSync(outDir)) return undefined;
		const f = readdirSync(outDir).find((e) => e.endsWith('.tgz'));
		return f && existsSync(path.join(outDir, '.complete')) ? path.join(outDir, f) : undefined;
	};
	const cached = findTgz();
	if (cached) {
		log(`packPack: reusing ${cached}`);
		return cached;
	}
	return withLock(path.join(CACHE_DIR, 'packs', `.lock-${pkg.name.replace(/[@/]/g, '_')}`), async () => {
		const again = findTgz();
		if (again) return again;
		const started = Date.now();
		if (build) {
			log(`packPack: npm run build in ${projectDir}`);
			await runOrThrow('npm', ['run', 'build'], { cwd: projectDir, timeoutMs: 10 * 60_000 });
			log(`packPack: build took ${seconds(started)}`);
		}
		// The hash is computed before the build; sources that change during the build just make the next run rebuild.
		const tmpOut = `${outDir}.tmp-${process.pid}`;
		rmSync(tmpOut, { recursive: true, force: true });
		mkdirSync(tmpOut, { recursive: true });
		const packed = await runOrThrow(
			'npm',
			['pack', '--ignore-scripts', '--silent', '--pack-destination', tmpOut],
			{ cwd: projectDir, timeoutMs: 5 * 60_000 },
		);
		const name = packed.stdout.trim().split('\n').pop()!.trim();
		if (!existsSync(path.join(tmpOut, name))) throw new Error(`npm pack produced no ${name} in ${tmpOut}`);
		writeFileSync(path.join(tmpOut, '.complete'), new Date().toISOString());
		rmSync(outDir, { recursive: true, force: true });
		renameSync(tmpOut, outDir);
		log(`packPack: ${name} in ${seconds(started)}`);
		return path.join(outDir, name);
	});
}

// ---------------------------------------------------------------------------------------------------------------
// startN8n
// ---------------------------------------------------------------------------------------------------------------

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

export interface StartN8nOptions {
	/** Port for n8n's HTTP server; default a free one (the demo asks for 5678). */
	port?: number;
	/** Tarballs to install into `<folder>/.n8n/nodes` (a user's install). Default: none. */
	tarballs?: string[];
	/** Extra environment for n8n (wins over the defaults). */
	env?: Record<string, string>;
	ownerEmail?: string;
	ownerPassword?: string;
	/** Give up when n8n is not healthy after this long. Default 240 s. */
	startTimeoutMs?: number;
	/** Echo n8n's output to stderr while it runs (also ODOO_OPS_E2E_VERBOSE=1). */
	verbose?: boolean;
	/** Fail start-up when an installed package contributed no node type (default true). */
	verifyPackagesLoaded?: boolean;
	/** Keep the temp folder after stop() (also ODOO_OPS_E2E_KEEP=1). */
	keepFolder?: boolean;
}

export interface CredentialRef {
	id: string;
	name: string;
	type: string;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		credentials?: Record<string, { id?: string | null; name: string }>;
		[k: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: unknown;
	[k: string]: unknown;
}

export interface HttpResult<T = any> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export interface ManualRunResult {
	exitCode: number | null;
	/** Set when the CLI died from a signal (n8n 2.41 on Node 24 occasionally segfaults on exit after a good run). */
	signal: NodeJS.Signals | null;
	/** The IRun JSON n8n printed (null if none could be parsed). */
	run: any | null;
	/** Last node's output items (json only), for convenience. */
	lastNodeJson: any[];
	/** runData of a node by name: its output items' json (main output 0 of the last run of that node). */
	nodeJson(nodeName: string, outputIndex?: number): any[];
	/** The error message if the run failed. */
	error: string | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface N8nHandle {
	url: string;
	port: number;
	apiKey: string;
	userFolder: string;
	ownerEmail: string;
	ownerPassword: string;
	runtime: N8nRuntime;
	/** Public API call (`/api/v1` + path) with the API key. Throws on status >= 400 unless `allowError`. */
	api<T = any>(method: string, apiPath: string, body?: unknown, allowError?: boolean): Promise<HttpResult<T>>;
	/** Internal REST call (`/rest` + path) with the owner's session cookie. */
	rest<T = any>(method: string, restPath: string, body?: unknown, allowError?: boolean): Promise<HttpResult<T>>;
	createCredential(c: { name: string; type: string; data: Record<string, unknown> }): Promise<CredentialRef>;
	/**
	 * Creates the workflow through the public API. Credential references are re-mapped by type (and name, when
	 * several credentials of a type exist) to credentials created through this handle, like `n8n import:workflow`.
	 */
	importWorkflow(json: WorkflowJson, opts?: { credentials?: Record<string, CredentialRef> }): Promise<{ id: string; name: string; raw: any }>;
	publish(workflowId: string): Promise<any>;
	unpublish(workflowId: string): Promise<any>;
	/** POST (or `method`) to `/webhook/<path>` (or `/webhook-test/` with test), retrying 404s for `retryMs`. */
	runWebhook<T = any>(
		webhookPath: string,
		body?: unknown,
		opts?: { method?: string; headers?: Record<string, string>; retryMs?: number; rawBody?: string },
	): Promise<HttpResult<T>>;
	/** Runs a workflow starting with a Manual / Execute Workflow trigger via `n8n execute --id=X --rawOutput`. */
	executeManually(workflowId: string, opts?: { timeoutMs?: number }): Promise<ManualRunResult>;
	/** Executions of a workflow through the public API, newest first, with data. */
	executions(workflowId: string, opts?: { includeData?: boolean; status?: string; limit?: number }): Promise<any[]>;
	/** Polls executions() until `predicate` holds (default: at least one finished execution). */
	waitForExecutions(
		workflowId: string,
		opts?: { timeoutMs?: number; predicate?: (executions: any[]) => boolean; intervalMs?: number },
	): Promise<any[]>;
	/**
	 * Credential test as the UI does it. With an id: the stored credential through the public API
	 * (`POST /api/v1/credentials/{id}/test`). With `{type, data}`: unsaved data through `POST /rest/credentials/test`.
	 */
	testCredential(
		arg: string | { type: string; data: Record<string, unknown>; name?: string },
	): Promise<{ status: 'OK' | 'Error' | string; message: string }>;
	/** Node types n8n loaded (REST `/rest/node-types` names), to assert the pack's types. */
	nodeTypeNames(): Promise<string[]>;
	/** Everything n8n printed so far. */
	logs(): string;
	stop(): Promise<void>;
}

export const E2E_ENCRYPTION_KEY = 'odoo-ops-e2e-encryption-key-0123456789';

/** The settings every n8n the harness starts runs with; exported for tests that start n8n again on a kept folder. */
export const QUIET_ENV: Record<string, string> = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false',
	DB_TYPE: 'sqlite',
	N8N_LOG_OUTPUT: 'console',
	N8N_LOG_LEVEL: 'info',
	N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
	GENERIC_TIMEZONE: 'UTC',
	TZ: 'UTC',
	NO_COLOR: '1',
};

const liveHandles = new Set<N8nHandle>();

/** Stops every n8n started by this process (use in afterAll). */
export async function stopAllN8n(): Promise<void> {
	await Promise.all([...liveHandles].map((h) => h.stop()));
}

/** Installs tarballs into `<userFolder>/.n8n/nodes` exactly as a user's manual install: `npm install <tgz>`. */
export async function installTarballs(runtime: N8nRuntime, userFolder: string, tarballs: string[]): Promise<void> {
	if (tarballs.length === 0) return;
	const started = Date.now();
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	if (!existsSync(path.join(nodesDir, 'package.json'))) {
		writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	// --legacy-peer-deps: like n8n's own installer (which strips peerDependencies), do not install a second
	// n8n-workflow; n8n puts its own node_modules on NODE_PATH for community packages.
	const result = await run(
		runtime.node,
		[
			runtime.npmCli,
			'install',
			'--no-audit',
			'--no-fund',
			'--ignore-scripts',
			'--legacy-peer-deps',
			// Registry metadata from the local npm cache when it has it: the same versions, without a round trip each.
			'--prefer-offline',
			'--loglevel=error',
			...tarballs.map((t) => path.resolve(t)),
		],
		{ cwd: nodesDir, env: runtime.env, timeoutMs: 10 * 60_000 },
	);
	if (result.code !== 0) {
		throw new Error(`npm install of ${tarballs.join(', ')} failed (${result.code}):\n${result.stderr.slice(-4000)}`);
	}
	log(`install: ${tarballs.map((t) => path.basename(t)).join(', ')} into ${nodesDir} in ${seconds(started)}`);
}

function bcryptHash(runtime: N8nRuntime, password: string): Promise<string> {
	return runOrThrow(
		runtime.node,
		['-e', 'process.stdout.write(require("bcryptjs").hashSync(process.argv[1], 10))', password],
		{ cwd: runtime.n8nHome, env: runtime.env },
	).then((r) => r.stdout.trim());
}

/**
 * Scopes the API key asks for: every API-key scope n8n knows (`API_KEY_RESOURCES`; n8n accepts those the owner's
 * role has). `OWNER_API_KEY_SCOPES` alone lacks `credential:read`, which `POST /credentials/{id}/test` needs.
 */
function allApiKeyScopes(runtime: N8nRuntime): Promise<{ all: string[]; owner: string[] }> {
	const script =
		'const p=require("@n8n/permissions");' +
		'const all=Object.entries(p.API_KEY_RESOURCES).flatMap(([r,ops])=>ops.map((o)=>r+":"+o));' +
		'process.stdout.write(JSON.stringify({all,owner:p.OWNER_API_KEY_SCOPES}))';
	return runOrThrow(runtime.node, ['-e', script], { cwd: runtime.n8nHome, env: runtime.env }).then(
		(r) => JSON.parse(r.stdout) as { all: string[]; owner: string[] },
	);
}

/** Extracts the IRun JSON `n8n execute --rawOutput` prints after its log lines. */
export function parseExecuteOutput(text: string): any | null {
	const lines = text.split('\n');
	let best: any = null;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = lines.length - 1; j > i; j--) {
			if (lines[j] !== '}') continue;
			try {
				best = JSON.parse(lines.slice(i, j + 1).join('\n'));
				i = j;
				break;
			} catch {
				/* try a shorter slice */
			}
		}
	}
	return best;
}

function nodeOutputJson(runData: any, nodeName: string, outputIndex = 0): any[] {
	const runs = runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) return [];
	const last = runs[runs.length - 1];
	const items = last?.data?.main?.[outputIndex] ?? [];
	return (items as any[]).map((i) => i?.json);
}

export async function startN8n(options: StartN8nOptions = {}): Promise<N8nHandle> {
	const runtime = await ensureN8n();
	const verbose = options.verbose ?? process.env.ODOO_OPS_E2E_VERBOSE === '1';
	const keep = options.keepFolder ?? process.env.ODOO_OPS_E2E_KEEP === '1';
	const userFolder = await fs.mkdtemp(path.join(os.tmpdir(), 'odoo-ops-n8n-'));
	const ownerEmail = options.ownerEmail ?? 'owner@odoo-ops.test';
	const ownerPassword = options.ownerPassword ?? 'E2e-Owner-Passw0rd';

	try {
		await installTarballs(runtime, userFolder, options.tarballs ?? []);
	} catch (e) {
		if (!keep) rmSync(userFolder, { recursive: true, force: true });
		throw e;
	}

	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const baseEnv: NodeJS.ProcessEnv = {
		...runtime.env,
		...QUIET_ENV,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: ownerEmail,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'E2E',
		N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: await bcryptHash(runtime, ownerPassword),
		...options.env,
	};
	const serverEnv = { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(brokerPort) };

	const logFile = path.join(userFolder, 'n8n.log');
	const logStream: WriteStream = createWriteStream(logFile);
	let logText = '';
	const onOutput = (d: Buffer): void => {
		const s = d.toString();
		logText += s;
		if (logText.length > 4_000_000) logText = logText.slice(-2_000_000);
		logStream.write(s);
		if (verbose) process.stderr.write(s);
	};

	const started = Date.now();
	const child = spawn(runtime.node, [runtime.n8nBin, 'start'], {
		cwd: userFolder,
		env: serverEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	child.stdout!.on('data', onOutput);
	child.stderr!.on('data', onOutput);
	let exited: string | null = null;
	child.on('exit', (code, signal) => (exited = `n8n exited (code ${code}, signal ${signal})`));

	let stopped = false;
	const stop = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		liveHandles.delete(handle);
		await stopGroup(child);
		await new Promise<void>((r) => logStream.end(() => r()));
		if (keep) log(`n8n folder kept: ${userFolder}`);
		else rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	};

	// ---- HTTP helpers ----
	const browserId = randomUUID();
	let cookie = '';
	let apiKey = '';

	const http = async <T>(
		method: string,
		fullUrl: string,
		headers: Record<string, string>,
		body?: unknown,
		rawBody?: string,
	): Promise<HttpResult<T>> => {
		const init: RequestInit = { method, headers: { ...headers } };
		if (rawBody !== undefined) init.body = rawBody;
		else if (body !== undefined) {
			init.body = JSON.stringify(body);
			(init.headers as Record<string, string>)['content-type'] = 'application/json';
		}
		const res = await fetch(fullUrl, init);
		const text = await res.text();
		let parsed: any = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			/* not JSON */
		}
		return { status: res.status, headers: res.headers, body: parsed as T, text };
	};

	const api = async <T = any>(method: string, apiPath: string, body?: unknown, allowError = false) => {
		const r = await http<T>(method, `${url}/api/v1${apiPath}`, { 'X-N8N-API-KEY': apiKey, accept: 'application/json' }, body);
		if (r.status >= 400 && !allowError) throw new Error(`${method} /api/v1${apiPath} -> ${r.status}: ${r.text.slice(0, 2000)}`);
		return r;
	};
	const rest = async <T = any>(method: string, restPath: string, body?: unknown, allowError = false) => {
		const r = await http<T>(method, `${url}/rest${restPath}`, { cookie, 'browser-id': browserId, accept: 'application/json' }, body);
		if (r.status >= 400 && !allowError) throw new Error(`${method} /rest${restPath} -> ${r.status}: ${r.text.slice(0, 2000)}`);
		return r;
	};

	const credentials: CredentialRef[] = [];

	const handle: N8nHandle = {
		url,
		port,
		get apiKey() {
			return apiKey;
		},
		userFolder,
		ownerEmail,
		ownerPassword,
		runtime,
		api,
		rest,
		async createCredential({ name, type, data }) {
			const r = await api('POST', '/credentials', { name, type, data });
			const ref = { id: String(r.body.id), name, type };
			credentials.push(ref);
			return ref;
		},
		async importWorkflow(json, opts = {}) {
			const nodes = json.nodes.map((node) => {
				if (!node.credentials) return node;
				const mapped: Record<string, { id: string; name: string }> = {};
				for (const [type, ref] of Object.entries(node.credentials)) {
					const explicit = opts.credentials?.[type];
					const ofType = credentials.filter((c) => c.type === type);
					const found = explicit ?? ofType.find((c) => c.name === ref.name) ?? (ofType.length === 1 ? ofType[0] : undefined);
					mapped[type] = found ? { id: found.id, name: found.name } : { id: ref.id ?? '', name: ref.name };
				}
				return { ...node, credentials: mapped };
			});
			const body = {
				name: json.name,
				nodes,
				connections: json.connections,
				settings: json.settings ?? { executionOrder: 'v1' },
				...(json.staticData ? { staticData: json.staticData } : {}),
			};
			const r = await api('POST', '/workflows', body);
			return { id: String(r.body.id), name: r.body.name, raw: r.body };
		},
		async publish(workflowId) {
			return (await api('POST', `/workflows/${workflowId}/publish`, {})).body;
		},
		async unpublish(workflowId) {
			return (await api('POST', `/workflows/${workflowId}/unpublish`, {})).body;
		},
		async runWebhook(webhookPath, body, opts = {}) {
			const method = opts.method ?? 'POST';
			const deadline = Date.now() + (opts.retryMs ?? 30_000);
			for (;;) {
				const r = await http<any>(
					method,
					`${url}/webhook/${webhookPath.replace(/^\//, '')}`,
					{ accept: 'application/json', ...(opts.headers ?? {}) },
					method === 'GET' ? undefined : body,
					opts.rawBody,
				);
				if (r.status !== 404 || Date.now() > deadline) return r;
				await sleep(500);
			}
		},
		async executeManually(workflowId, opts = {}) {
			const t0 = Date.now();
			const cliBroker = await freePort();
			const result = await run(runtime.node, [runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
				cwd: userFolder,
				env: { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(cliBroker), N8N_LOG_OUTPUT: 'console' },
				timeoutMs: opts.timeoutMs ?? 5 * 60_000,
			});
			const parsed = parseExecuteOutput(result.stdout) ?? parseExecuteOutput(result.stdout + '\n' + result.stderr);
			const resultData = parsed?.data?.resultData;
			const runData = resultData?.runData ?? {};
			const lastNode: string | undefined = resultData?.lastNodeExecuted;
			// n8n 2.41 on Node 24 sometimes dies with SIGSEGV while exiting, after printing the complete result: the
			// printed run decides success, the exit status only when nothing could be parsed.
			const finished = parsed?.finished === true || parsed?.status === 'success';
			const errorMessage: string | null =
				resultData?.error?.message ??
				(finished
					? null
					: (/Execution error:[\s\S]*?\n([^\n]+)\n/.exec(result.stdout + result.stderr)?.[1] ??
						`n8n execute exited ${result.code ?? result.signal} without a result`));
			if (verbose || result.code !== 0) {
				log(`n8n execute --id=${workflowId} exited ${result.code ?? result.signal} in ${seconds(t0)}${errorMessage ? `: ${errorMessage}` : ''}`);
				if (errorMessage) log(`--- n8n execute output (tail) ---\n${(result.stdout + result.stderr).slice(-3000)}`);
			}
			return {
				exitCode: result.code,
				signal: result.signal,
				run: parsed,
				lastNodeJson: lastNode ? nodeOutputJson(runData, lastNode) : [],
				nodeJson: (name: string, outputIndex = 0) => nodeOutputJson(runData, name, outputIndex),
				error: errorMessage,
				stdout: result.stdout,
				stderr: result.stderr,
				durationMs: Date.now() - t0,
			};
		},
		async executions(workflowId, opts = {}) {
			const q = new URLSearchParams({
				workflowId,
				includeData: String(opts.includeData ?? true),
				limit: String(opts.limit ?? 100),
			});
			if (opts.status) q.set('status', opts.status);
			return (await api('GET', `/executions?${q.toString()}`)).body.data as any[];
		},
		async waitForExecutions(workflowId, opts = {}) {
			const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
			const predicate =
				opts.predicate ?? ((ex: any[]) => ex.some((e) => e.finished === true || (e.status && e.status !== 'running' && e.status !== 'new')));
			for (;;) {
				const ex = await handle.executions(workflowId);
				if (predicate(ex)) return ex;
				if (Date.now() > deadline) {
					throw new Error(`timed out waiting for executions of ${workflowId}; have ${ex.length}: ${JSON.stringify(ex.map((e) => [e.id, e.status]))}`);
				}
				await sleep(opts.intervalMs ?? 2000);
			}
		},
		async testCredential(arg) {
			if (typeof arg === 'string') {
				const r = await api('POST', `/credentials/${arg}/test`, {});
				return r.body as { status: string; message: string };
			}
			const r = await rest('POST', '/credentials/test', {
				credentials: { id: '', name: arg.name ?? 'e2e unsaved', type: arg.type, data: arg.data },
			});
			return (r.body?.data ?? r.body) as { status: string; message: string };
		},
		async nodeTypeNames() {
			const r = await rest('GET', '/node-types', undefined, true);
			if (r.status < 400 && Array.isArray(r.body?.data ?? r.body)) {
				return (r.body?.data ?? r.body).map((t: any) => t.name as string);
			}
			// 2.x serves the catalogue as a static file.
			const s = await http<any>('GET', `${url}/types/nodes.json`, { cookie, 'browser-id': browserId });
			return (Array.isArray(s.body) ? s.body : []).map((t: any) => t.name as string);
		},
		logs: () => logText,
		stop,
	};
	liveHandles.add(handle);

	try {
		const timeout = options.startTimeoutMs ?? 240_000;
		// 1. /healthz
		for (;;) {
			if (exited) throw new Error(`${exited} before it became healthy`);
			if (Date.now() - started > timeout) throw new Error(`n8n not healthy after ${timeout / 1000}s`);
			try {
				// /healthz answers as soon as the HTTP server listens; readiness waits for the DB and migrations.
				const r = await fetch(`${url}/healthz/readiness`);
				if (r.status === 200) break;
			} catch {
				/* not listening yet */
			}
			await sleep(500);
		}
		const healthyAfter = seconds(started);
		// 2. REST login (the env-managed owner appears during start-up)
		for (;;) {
			if (exited) throw new Error(`${exited} before the login worked`);
			const r = await http<any>(
				'POST',
				`${url}/rest/login`,
				{ 'browser-id': browserId },
				{ emailOrLdapLoginId: ownerEmail, password: ownerPassword },
			);
			if (r.status === 200 && typeof r.body === 'object' && r.body !== null) {
				const setCookie = r.headers.getSetCookie?.() ?? [r.headers.get('set-cookie') ?? ''];
				cookie = setCookie
					.map((c) => c.split(';')[0])
					.filter((c) => c.startsWith('n8n-auth='))
					.join('; ');
				if (!cookie) throw new Error(`login answered 200 without an n8n-auth cookie: ${JSON.stringify(setCookie)} ${r.text.slice(0, 300)}`);
				break;
			}
			if (Date.now() - started > timeout) throw new Error(`REST login still failing: ${r.status} ${r.text.slice(0, 500)}`);
			await sleep(1000);
		}
		// 3. API key: body is CreateApiKeyRequestDto {label (1-50 chars), scopes (non-empty), expiresAt (unix s | null)}
		const scopes = await allApiKeyScopes(runtime);
		// OWNER_API_KEY_SCOPES + credential:read is what the owner role accepts in 2.41 (the full API_KEY_RESOURCES
		// list is refused with "Invalid scopes for user role").
		const wanted = [...new Set([...scopes.owner, 'credential:read'])].filter((sc) => scopes.all.includes(sc));
		let keyRes = await rest('POST', '/api-keys', { label: `e2e ${port}`, scopes: wanted, expiresAt: null }, true);
		if (keyRes.status >= 400) {
			const minimal = ['workflow:create', 'workflow:read', 'workflow:update', 'workflow:delete', 'workflow:list', 'workflow:activate', 'workflow:deactivate', 'execution:read', 'execution:list', 'execution:delete', 'credential:create', 'credential:read', 'credential:update', 'credential:delete', 'credential:list', 'tag:create', 'tag:read', 'tag:list'];
			keyRes = await rest('POST', '/api-keys', { label: `e2e-min ${port}`, scopes: minimal, expiresAt: null });
		}
		apiKey = keyRes.body?.data?.rawApiKey ?? keyRes.body?.rawApiKey;
		if (!apiKey) throw new Error(`POST /rest/api-keys returned no rawApiKey: ${keyRes.text.slice(0, 500)}`);
		// 4. The installed packages really loaded (n8n logs a bad package and carries on without it).
		if ((options.tarballs ?? []).length > 0 && options.verifyPackagesLoaded !== false) {
			const names = await handle.nodeTypeNames();
			const nodesDir = path.join(userFolder, '.n8n', 'nodes');
			const installed = Object.keys(
				(JSON.parse(readFileSync(path.join(nodesDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {},
			);
			for (const pkg of installed) {
				if (!names.some((n) => n.startsWith(`${pkg}.`))) {
					const related = logText
						.split('\n')
						.filter((l) => l.includes(pkg) || /failed to load|cannot find module|error/i.test(l))
						.slice(-30)
						.join('\n');
					throw new Error(`n8n did not load any node of ${pkg}; n8n said:\n${related}`);
				}
			}
		}
		log(`startN8n: ${url} healthy after ${healthyAfter}, ready (owner login + API key) after ${seconds(started)}; folder ${userFolder}`);
		return handle;
	} catch (e) {
		const tail = logText.split('\n').slice(-60).join('\n');
		await stop();
		throw new Error(`${(e as Error).message}\n--- last n8n output ---\n${tail}`);
	}
}

/** Loads a workflow JSON from the repo (path relative to the repo root). */
export function loadWorkflow(relPath: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(REPO_ROOT, relPath), 'utf8')) as WorkflowJson;
}

