import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The Slack app behind approvals: the bot token posts and updates messages, the signing secret lets the Slack
 * Interaction Trigger prove a click came from Slack (and keys the approval tokens), and the base URL lets tests and
 * the offline demo point at the sandbox.
 */
export class SlackOpsApi implements ICredentialType {
	name = 'slackOpsApi';

	displayName = 'Slack Ops API';

	icon: Icon = { light: 'file:slackOps.svg', dark: 'file:slackOps.dark.svg' };

	documentationUrl = 'https://github.com/odoo-ops/n8n-nodes-odoo-ops#slack-ops-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot Token',
			name: 'botToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'xoxb-...',
			description: "The app's Bot User OAuth Token (OAuth & Permissions). Scopes: chat:write, users:read, usergroups:read.",
			required: true,
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: "The app's Signing Secret (Basic Information → App Credentials), used to verify button clicks",
			required: true,
		},
		{
			displayName: 'API Base URL',
			name: 'apiUrl',
			type: 'string',
			default: 'https://slack.com/api/',
			description: "Slack Web API base URL. Keep Slack's unless you use a proxy or a local Slack sandbox.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.botToken}}' },
		},
	};

	// Slack answers a bad token with HTTP 200 and ok:false, so the status code alone would call it a success.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiUrl}}',
			url: 'auth.test',
			method: 'POST',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'ok',
					value: false,
					message: 'Slack rejected the bot token (check it, and that the app is installed in the workspace)',
				},
			},
		],
	};
}
