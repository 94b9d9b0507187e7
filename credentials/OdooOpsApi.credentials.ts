import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * Tested by the nodes (`testedBy: 'odooOpsApiTest'`) rather than by a declarative request: only our client can tell a
 * wrong password from a wrong database from an unreachable server, and report the server version on success.
 */
export class OdooOpsApi implements ICredentialType {
	name = 'odooOpsApi';

	displayName = 'Odoo Ops API';

	icon: Icon = { light: 'file:odooOps.svg', dark: 'file:odooOps.dark.svg' };

	documentationUrl = 'https://github.com/odoo-ops/n8n-nodes-odoo-ops#odoo-ops-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Site URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://mycompany.odoo.com',
			description: 'Base URL of the Odoo server, without /odoo or /web',
			required: true,
		},
		{
			displayName: 'Database',
			name: 'db',
			type: 'string',
			default: '',
			placeholder: 'mycompany',
			description: 'Name of the Odoo database to log in to',
			required: true,
		},
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			placeholder: 'admin@example.com',
			description: "The user's login (usually an email address)",
			required: true,
		},
		{
			displayName: 'Password or API Key',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"The user's password, or an API key created in Odoo under Preferences → Account Security (recommended)",
			required: true,
		},
		{
			displayName: 'Secret Is API Key',
			name: 'authWithKey',
			type: 'boolean',
			default: false,
			description:
				'Whether the secret above is an API key. Needed for JSON-2 (Odoo 19+), which only accepts API keys.',
		},
		{
			displayName: 'Protocol',
			name: 'protocol',
			type: 'options',
			default: 'auto',
			options: [
				{
					name: 'Auto-Detect',
					value: 'auto',
					description: 'JSON-2 on Odoo 19+ when the secret is an API key, otherwise JSON-RPC or XML-RPC',
				},
				{ name: 'XML-RPC', value: 'xmlrpc', description: '/xmlrpc/2 endpoints (all versions)' },
				{ name: 'JSON-RPC', value: 'jsonrpc', description: '/jsonrpc endpoint (all versions)' },
				{ name: 'JSON-2 (Odoo 19+)', value: 'json2', description: '/json/2 endpoints with a bearer API key' },
			],
		},
	];
}
