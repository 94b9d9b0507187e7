/**
 * The Slack Ops API credential's declarative test, replayed the way n8n runs it (generic auth headers from the
 * credential, baseURL + url joined like axios, then the responseSuccessBody rules), against the Slack sandbox.
 */
import type { IAuthenticateGeneric, IAuthenticateRuleResponseSuccessBody, ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SlackOpsApi } from '../../../credentials/SlackOpsApi.credentials';
import { startSlackSandbox, type SlackSandbox } from '../../sandboxes/slack';

const credential = new SlackOpsApi();

/** Just enough of n8n's expression resolution for `={{$credentials.x}}` inside a string. */
const resolve = (template: string, data: ICredentialDataDecryptedObject) =>
	template.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, k: string) => String(data[k] ?? ''));

async function runTest(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const { request, rules } = credential.test;
	const base = resolve(String(request.baseURL), data);
	const url = `${base.replace(/\/+$/, '')}/${String(request.url).replace(/^\/+/, '')}`;
	const headers = Object.fromEntries(Object.entries((credential.authenticate as IAuthenticateGeneric).properties.headers ?? {}).map(([k, v]) => [k, resolve(String(v), data)]));
	const res = await fetch(url, { method: request.method, headers });
	if (res.status >= 400) return { status: 'Error', message: `HTTP ${res.status}` };
	const body = (await res.json()) as Record<string, unknown>;
	for (const rule of (rules ?? []) as IAuthenticateRuleResponseSuccessBody[]) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection tested successfully' };
}

let sb: SlackSandbox;
beforeAll(async () => {
	sb = await startSlackSandbox();
});
afterAll(() => sb.close());

describe('Slack Ops API credential', () => {
	test('name, display name, secret fields masked, sandbox-overridable base URL', () => {
		expect(credential.name).toBe('slackOpsApi');
		expect(credential.displayName).toBe('Slack Ops API');
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.botToken.typeOptions).toEqual({ password: true });
		expect(byName.signingSecret.typeOptions).toEqual({ password: true });
		expect(byName.apiUrl.default).toBe('https://slack.com/api/');
		expect(credential.test.request).toMatchObject({ url: 'auth.test', method: 'POST' });
	});

	test('a good token passes auth.test; the sandbox sees a Bearer token', async () => {
		expect(await runTest({ botToken: sb.botToken, signingSecret: sb.signingSecret, apiUrl: sb.url })).toEqual({ status: 'OK', message: expect.any(String) });
		expect(await runTest({ botToken: sb.botToken, signingSecret: sb.signingSecret, apiUrl: sb.url.replace(/\/$/, '') })).toMatchObject({ status: 'OK' });
		expect(sb.calls('auth.test').at(-1)).toMatchObject({ ok: true, status: 200 });
	});

	test('a wrong token: Slack says HTTP 200 ok:false, and the rule turns it into an error', async () => {
		expect(await runTest({ botToken: 'xoxb-wrong', signingSecret: 'x', apiUrl: sb.url })).toEqual({ status: 'Error', message: expect.stringMatching(/^Slack rejected the bot token/) });
	});
});
