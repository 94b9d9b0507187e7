import { WebClient, type Logger, LogLevel, type WebClientOptions } from '@slack/web-api';
import type { SlackSandbox } from '../sandboxes/slack';

/** The SDK logs Slack's `[ERROR]` response messages itself; the tests assert on them instead of printing them. */
export const silentLogger: Logger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
	setLevel: () => undefined,
	getLevel: () => LogLevel.ERROR,
	setName: () => undefined,
};

export function client(sb: SlackSandbox, opts: WebClientOptions & { token?: string | null } = {}): WebClient {
	const { token, ...rest } = opts;
	return new WebClient(token === null ? undefined : (token ?? sb.botToken), {
		slackApiUrl: sb.url,
		logger: silentLogger,
		retryConfig: { retries: 0 },
		...rest,
	});
}

/** The rejection of a promise, which must reject. */
export async function rejection<T = { code: string; data?: { error: string; errors?: string[] } }>(p: Promise<unknown>): Promise<T> {
	try {
		await p;
	} catch (e) {
		return e as T;
	}
	throw new Error('expected a rejection');
}

export function approvalBlocks(opts: { actionId?: string; value?: string; url?: string; blockId?: string } = {}): unknown[] {
	const approve: Record<string, unknown> = { type: 'button', action_id: opts.actionId ?? 'approve', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: opts.value ?? 'tok-approve' };
	if (opts.url) approve.url = opts.url;
	return [
		{ type: 'section', text: { type: 'mrkdwn', text: '*INV/2026/0042* — Azure Interior — 1,250.00 EUR' } },
		{
			type: 'actions',
			...(opts.blockId ? { block_id: opts.blockId } : {}),
			elements: [approve, { type: 'button', action_id: 'reject', text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value: 'tok-reject' }],
		},
	];
}
