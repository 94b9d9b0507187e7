/**
 * Runs the Odoo sandbox as a standalone server (offline demos, tests in another process):
 *   npx tsx test/sandboxes/odoo/cli.ts --port 8069 --version 18 --login-cost 400 [--db odoo] [--api-key KEY=login]
 *     [--no-governance] [--no-maintenance] [--document-page]
 * Prints one JSON line with the connection details, then serves until SIGINT/SIGTERM.
 */
import { startOdooSandbox } from './index';

function parseArgs(argv: string[]): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		const eq = a.indexOf('=');
		const [k, v] = eq > 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true'];
		(out[k] ??= []).push(v);
	}
	return out;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const one = (k: string) => args[k]?.[args[k].length - 1];
	const version = Number(one('version') ?? 18);
	if (![17, 18, 19].includes(version)) throw new Error(`--version must be 17, 18 or 19, not ${version}`);
	const apiKeys: Record<string, string> = {};
	for (const kv of args['api-key'] ?? []) {
		const [key, login] = kv.split('=');
		apiKeys[key] = login || 'admin';
	}
	const sandbox = await startOdooSandbox({
		port: Number(one('port') ?? 8069),
		version: version as 17 | 18 | 19,
		loginCostMs: Number(one('login-cost') ?? 0),
		db: one('db') ?? 'odoo',
		apiKeys,
		host: one('host'),
		...(one('no-governance') ? { governance: false } : {}),
		modules: { maintenance: !one('no-maintenance'), documentPage: Boolean(one('document-page')) },
	});
	process.stdout.write(`${JSON.stringify({ url: sandbox.url, db: sandbox.db, login: 'admin', password: 'admin', version, apiKeys: Object.keys(apiKeys) })}\n`);
	let closing = false;
	const stop = () => {
		if (closing) return;
		closing = true;
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	process.stderr.write(`${String(e?.stack ?? e)}\n`);
	process.exit(1);
});
