#!/usr/bin/env node
import { installWorkflows } from '../lib/installer';

const USAGE = `Usage: n8n-nodes-odoo-ops install-workflows --url <n8n url> --api-key <key> [--publish] [--dry-run] [--dir <folder>]

Imports or updates the workflows shipped with n8n-nodes-odoo-ops in an existing n8n, through its public API.
Credentials are matched by name and type; create them first. Running it twice changes nothing.
The API key can also come from the environment variable N8N_API_KEY.`;

function parse(argv: string[]) {
	const [command, ...rest] = argv;
	const flags: Record<string, string | boolean> = {};
	for (let index = 0; index < rest.length; index++) {
		const arg = rest[index];
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument '${arg}'`);
		const [key, inline] = arg.slice(2).split('=', 2);
		if (['publish', 'dry-run', 'help'].includes(key)) flags[key] = true;
		else flags[key] = inline ?? rest[++index] ?? '';
	}
	return { command, flags };
}

async function main() {
	const { command, flags } = parse(process.argv.slice(2));
	if (!command || flags.help || command === 'help') {
		console.log(USAGE);
		return;
	}
	if (command !== 'install-workflows') throw new Error(`Unknown command '${command}'.\n\n${USAGE}`);
	const url = String(flags.url ?? process.env.N8N_URL ?? '');
	const apiKey = String(flags['api-key'] ?? process.env.N8N_API_KEY ?? '');
	if (!url) throw new Error('Missing --url (the address of your n8n, e.g. http://localhost:5678)');
	if (!apiKey) throw new Error('Missing --api-key (create one in n8n under Settings → n8n API)');
	const actions = await installWorkflows({
		url,
		apiKey,
		directory: typeof flags.dir === 'string' ? flags.dir : undefined,
		publish: flags.publish === true,
		dryRun: flags['dry-run'] === true,
		log: (line) => console.log(line),
	});
	const counts = actions.reduce<Record<string, number>>((sum, action) => ({ ...sum, [action.action]: (sum[action.action] ?? 0) + 1 }), {});
	console.log(`${flags['dry-run'] ? 'would ' : ''}create ${counts.create ?? 0}, update ${counts.update ?? 0}, unchanged ${counts.unchanged ?? 0}`);
}

main().catch((error) => {
	console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
