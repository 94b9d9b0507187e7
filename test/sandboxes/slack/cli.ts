/**
 * Runs the Slack sandbox as a standalone server (offline demo, tests in another process such as real n8n):
 *   npx tsx test/sandboxes/slack/cli.ts --port 3330 [--bot-token xoxb-…] [--signing-secret …] [--team-id T…]
 * Prints one JSON line with the connection details, then serves until SIGINT/SIGTERM.
 * Control endpoints live under /__sandbox/ (messages, ephemeral, responses, calls, workspace, inject, reset,
 * post-as, block-action, resend).
 */
import { startSlackSandbox } from './index';

function parseArgs(argv: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		const eq = a.indexOf('=');
		if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
		else out[a.slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
	}
	return out;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const port = Number(args.port ?? 0);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${args.port}`);
	const sandbox = await startSlackSandbox({ port, botToken: args['bot-token'], signingSecret: args['signing-secret'], teamId: args['team-id'] });
	process.stdout.write(`${JSON.stringify({ url: sandbox.url, origin: sandbox.origin, botToken: sandbox.botToken, signingSecret: sandbox.signingSecret, teamId: sandbox.teamId })}\n`);
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
