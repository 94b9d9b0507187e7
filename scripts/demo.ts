/**
 * The one-command demo (`npm start`): a real n8n with this pack installed as a community package, the shipped
 * workflows imported and published, their credentials wired to local sandboxes — or to real systems when their
 * settings are given. Ctrl-C stops everything it started.
 *
 * Real systems, by environment variable (or a JSON file of the same keys given as `--config file.json`):
 *   ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD (password or API key), ODOO_API_KEY=true|false, ODOO_PROTOCOL
 *   SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL (default Slack's)
 *   ALERT_WEBHOOK_USER, ALERT_WEBHOOK_PASSWORD: the Basic Auth monitoring systems use on the alert-to-ticket webhook
 *   SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY: credential "Supabase Analytics" (n8n's Supabase API type)
 *   KEYCLOAK_URL, KEYCLOAK_REALM (default master), KEYCLOAK_CLIENT_ID, KEYCLOAK_CLIENT_SECRET: credential "Keycloak admin"
 *     (n8n's OAuth2 API type, client-credentials grant on the realm's token endpoint)
 * Unset, the Odoo and Slack sandboxes are started on loopback. N8N_PORT picks n8n's port (default 5678). No shipped
 * workflow uses Keycloak or Supabase yet; their credentials are made so workflows installed later map to them.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { createOdooClient } from '../lib/odoo';
import { ensureAssetFields, resolveAssetHome, upsertAssets } from '../lib/inventory/assets';
import { upsertCredentialReferences } from '../lib/inventory/credentials';
import { startOdooSandbox, type OdooSandbox } from '../test/sandboxes/odoo';
import { startSlackSandbox } from '../test/sandboxes/slack';
import { packPack, startN8n, type N8nHandle } from '../test/e2e/harness';
import { installWorkflows } from '../lib/installer';

/** The credential names the shipped workflows reference; the installer maps them by name and type. */
const ODOO_CREDENTIAL = 'Odoo Ops (sandbox)';
const SLACK_CREDENTIAL = 'Slack Ops (sandbox)';
const ALERT_WEBHOOK_CREDENTIAL = 'Alert webhook auth';

function settings(): Record<string, string | undefined> {
	const index = process.argv.indexOf('--config');
	const file = index >= 0 ? (JSON.parse(readFileSync(process.argv[index + 1], 'utf8')) as Record<string, string>) : {};
	return { ...file, ...Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(ODOO|SLACK|ALERT_WEBHOOK|N8N_PORT|SUPABASE|KEYCLOAK)/.test(key))) };
}

/**
 * Seed 002's control-plane baseline in the sandbox, so the patch cycle, snapshot and rotation workflows have
 * something to work on: the inventory's fields, the homelab's assets, and credential references (vault paths only).
 * Never run against a real Odoo.
 */
async function seedHomelab(sandbox: OdooSandbox): Promise<void> {
	const client = createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc' });
	const home = await resolveAssetHome(client);
	await ensureAssetFields(client, home);
	const vm = (name: string, ip: string, purpose: string, lastPatched: string) => ({ name, hostname: `${name}.lab`, ip, vlan: 20, os: 'Debian', osVersion: '12', kind: 'vm', patchGroup: 'servers', purpose, lastPatched, owner: 'admin' });
	await upsertAssets(client, home, [
		{ name: 'pfSense', hostname: 'pfsense.lab', ip: '10.0.0.1', vlan: 1, os: 'pfSense CE', osVersion: '2.7.2', kind: 'network', patchGroup: 'network', purpose: 'Edge firewall', lastPatched: '2026-10-01', owner: 'admin' },
		{ name: 'switchOTS', hostname: 'switchots.lab', ip: '10.0.0.2', vlan: 1, os: 'SwitchOS', osVersion: '2.16', kind: 'network', patchGroup: 'network', purpose: 'Core switch', lastPatched: '2026-11-20', owner: 'admin' },
		{ name: 'pve01', hostname: 'pve01.lab', ip: '10.0.10.11', vlan: 10, os: 'Proxmox VE', osVersion: '8.2.4', kind: 'compute', patchGroup: 'hypervisors', purpose: 'Hypervisor', owner: 'admin' },
		vm('dc01', '10.0.20.10', 'Domain controller', '2026-09-15'),
		vm('odoo01', '10.0.20.20', 'Odoo', '2026-10-20'),
		vm('vault01', '10.0.20.30', 'Vaultwarden', '2026-11-02'),
		vm('mon01', '10.0.20.40', 'Monitoring', '2026-11-25'),
		{ name: 'OptiPlex 3080', hostname: 'optiplex.lab', ip: '10.0.30.50', vlan: 30, os: 'Windows 11', osVersion: '24H2', kind: 'endpoint', patchGroup: 'endpoints', purpose: 'Workstation', owner: 'admin' },
	] as never);
	await upsertCredentialReferences(client, [
		{ name: 'pfsense_admin', vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin', rotationPolicy: 'quarterly', mfaRequired: true, lastRotation: '2026-08-01', owner: 'admin' },
		{ name: 'pve_root', vaultPath: 'vaultwarden://Collections/Homelab/pve_root', rotationPolicy: 'semiannual', mfaRequired: true, lastRotation: '2026-07-01', owner: 'admin' },
	] as never);
	console.log(`[demo] seeded the homelab inventory (8 assets in ${home.model}) and 2 credential references`);
}

async function main() {
	const config = settings();
	const stops: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

	try {
		let odoo: { url: string; db: string; login: string; password: string; authWithKey: boolean; protocol: string; label: string };
		if (config.ODOO_URL) {
			for (const key of ['ODOO_DB', 'ODOO_LOGIN', 'ODOO_PASSWORD']) if (!config[key]) throw new Error(`${key} is required when ODOO_URL is set`);
			odoo = { url: config.ODOO_URL, db: config.ODOO_DB!, login: config.ODOO_LOGIN!, password: config.ODOO_PASSWORD!, authWithKey: config.ODOO_API_KEY === 'true', protocol: config.ODOO_PROTOCOL ?? 'auto', label: 'real Odoo' };
		} else {
			const sandbox: OdooSandbox = await startOdooSandbox({ port: 0 });
			stops.push(() => sandbox.close());
			odoo = { url: sandbox.url, db: sandbox.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto', label: 'Odoo sandbox' };
			console.log(`[demo] Odoo sandbox at ${sandbox.url} (database ${sandbox.db}, admin/admin)`);
			await seedHomelab(sandbox);
		}

		let slack: { botToken: string; signingSecret: string; apiUrl: string; label: string };
		if (config.SLACK_BOT_TOKEN) {
			if (!config.SLACK_SIGNING_SECRET) throw new Error('SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set');
			slack = { botToken: config.SLACK_BOT_TOKEN, signingSecret: config.SLACK_SIGNING_SECRET, apiUrl: config.SLACK_API_URL ?? 'https://slack.com/api/', label: 'real Slack' };
		} else {
			const sandbox = await startSlackSandbox();
			stops.push(() => sandbox.close());
			slack = { botToken: sandbox.botToken, signingSecret: sandbox.signingSecret, apiUrl: sandbox.url, label: 'Slack sandbox' };
			console.log(`[demo] Slack sandbox at ${sandbox.url}`);
		}

		console.log('[demo] packing the pack and starting n8n (first run installs Node 24 and n8n: a few minutes)…');
		const tarball = await packPack();
		const n8n: N8nHandle = await startN8n({ tarballs: [tarball], port: Number(config.N8N_PORT ?? 5678) });
		stops.push(() => n8n.stop());

		await n8n.createCredential({ name: ODOO_CREDENTIAL, type: 'odooOpsApi', data: { url: odoo.url, db: odoo.db, login: odoo.login, password: odoo.password, authWithKey: odoo.authWithKey, protocol: odoo.protocol } });
		await n8n.createCredential({ name: SLACK_CREDENTIAL, type: 'slackOpsApi', data: { botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.apiUrl } });
		const alertUser = config.ALERT_WEBHOOK_USER ?? 'alertmanager';
		await n8n.createCredential({ name: ALERT_WEBHOOK_CREDENTIAL, type: 'httpBasicAuth', data: { user: alertUser, password: config.ALERT_WEBHOOK_PASSWORD ?? 'demo-alert-webhook' } });
		const extra: string[] = [];
		if (config.SUPABASE_URL) {
			if (!config.SUPABASE_SERVICE_ROLE_KEY) throw new Error('SUPABASE_SERVICE_ROLE_KEY is required when SUPABASE_URL is set');
			await n8n.createCredential({ name: 'Supabase Analytics', type: 'supabaseApi', data: { host: config.SUPABASE_URL, serviceRole: config.SUPABASE_SERVICE_ROLE_KEY } });
			extra.push(`  Supabase: ${config.SUPABASE_URL} (credential "Supabase Analytics")`);
		}
		if (config.KEYCLOAK_URL) {
			for (const key of ['KEYCLOAK_CLIENT_ID', 'KEYCLOAK_CLIENT_SECRET']) if (!config[key]) throw new Error(`${key} is required when KEYCLOAK_URL is set`);
			const realm = config.KEYCLOAK_REALM ?? 'master';
			const tokenUrl = `${config.KEYCLOAK_URL.replace(/\/+$/, '')}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`;
			await n8n.createCredential({
				name: 'Keycloak admin',
				type: 'oAuth2Api',
				data: { grantType: 'clientCredentials', accessTokenUrl: tokenUrl, clientId: config.KEYCLOAK_CLIENT_ID, clientSecret: config.KEYCLOAK_CLIENT_SECRET, scope: '', authentication: 'header' },
			});
			extra.push(`  Keycloak: ${config.KEYCLOAK_URL} realm ${realm} (credential "Keycloak admin")`);
		}
		await installWorkflows({ url: n8n.url, apiKey: n8n.apiKey, directory: path.join(__dirname, '..', 'workflows'), publish: true, log: (line) => console.log(`[demo] ${line}`) });

		console.log('');
		console.log(`  n8n:      ${n8n.url}`);
		console.log(`  login:    ${n8n.ownerEmail} / ${n8n.ownerPassword}`);
		console.log(`  Odoo:     ${odoo.url} (${odoo.label}, database ${odoo.db})`);
		console.log(`  Slack:    ${slack.apiUrl} (${slack.label})`);
		for (const line of extra) console.log(line);
		console.log(`  Alerts:   POST ${n8n.url}/webhook/alert-to-ticket (Basic Auth user '${alertUser}', password from ALERT_WEBHOOK_PASSWORD)`);
		console.log('  Ctrl-C stops n8n and the sandboxes.');
		console.log('');
		await new Promise(() => undefined);
	} catch (error) {
		console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
		await stopAll();
		process.exit(1);
	}
}

void main();
