/**
 * The Slack Web API calls the approval pipeline makes, over the official SDK. The wrapper adds what the SDK leaves to
 * the caller: a configurable base URL (sandbox, Enterprise proxies), a retry budget that suits a workflow step, string
 * thread timestamps, and error messages that tell the user what to do.
 */
import { ErrorCode, LogLevel, WebClient, type Logger, type RetryOptions } from '@slack/web-api';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export interface SlackClientOptions {
	token: string;
	/** Defaults to Slack's; must end with the API path (`…/api/`). */
	apiUrl?: string;
	/**
	 * Attempts after a 429 (each waits the Retry-After Slack sent) or a 5xx/network failure. The SDK's own default
	 * retries for about 30 minutes, far longer than a workflow step should hang.
	 */
	retries?: number;
	/** Extra backoff between retries on top of Retry-After, in ms (tests make it small). */
	minRetryDelayMs?: number;
	maxRetryDelayMs?: number;
	timeoutMs?: number;
	logger?: Logger;
}

export type SlackErrorKind = 'platform' | 'rate-limited' | 'http' | 'network' | 'invalid-argument';

export class SlackOpsError extends Error {
	constructor(
		message: string,
		readonly kind: SlackErrorKind,
		readonly method: string,
		/** Slack's error code (`channel_not_found`…) or the HTTP status. */
		readonly code?: string,
		readonly details?: string[],
		readonly retriable = false,
	) {
		super(message);
		this.name = 'SlackOpsError';
	}
}

interface CallContext {
	method: string;
	channel?: string;
	user?: string;
	usergroup?: string;
	ts?: string;
}

/** Slack's error codes in words a workflow builder can act on. */
function platformMessage(code: string, ctx: CallContext): string {
	const ch = ctx.channel ?? '(none given)';
	switch (code) {
		case 'channel_not_found':
			return `Slack channel ${ch} not found or the bot is not in it: invite the bot`;
		case 'not_in_channel':
			return `The bot is not a member of Slack channel ${ch}: invite the bot (/invite @<bot name>)`;
		case 'is_archived':
			return `Slack channel ${ch} is archived: unarchive it or choose another channel`;
		case 'not_authed':
		case 'invalid_auth':
		case 'token_revoked':
		case 'token_expired':
		case 'account_inactive':
			return `Slack rejected the bot token (${code}): check the Slack Ops API credential`;
		case 'missing_scope':
			return `The Slack app lacks a permission for ${ctx.method} (missing_scope): add the scope in the app's OAuth settings and reinstall it`;
		case 'message_not_found':
			return `Slack message ${ctx.ts ?? '(none given)'} not found in channel ${ch}`;
		case 'cant_update_message':
			return `Slack message ${ctx.ts ?? ''} in ${ch} was not posted by this bot, so the bot cannot update it`;
		case 'user_not_found':
			return `Slack user ${ctx.user ?? '(none given)'} not found`;
		case 'user_not_in_channel':
			return `Slack user ${ctx.user ?? '(none given)'} is not in channel ${ch}, so an ephemeral message cannot reach them`;
		case 'no_such_subteam':
			return `Slack user group ${ctx.usergroup ?? '(none given)'} not found`;
		case 'invalid_thread_ts':
			return `The thread timestamp is not a valid Slack ts (e.g. "1732800000.000100"): pass the parent message's ts as a string`;
		case 'invalid_blocks':
		case 'invalid_blocks_format':
			return `Slack refused the message blocks (${code})`;
		case 'no_text':
			return 'The Slack message has neither text nor blocks';
		case 'msg_too_long':
			return 'The Slack message text is too long';
		case 'ratelimited':
			return `Slack rate-limited ${ctx.method} and the retries ran out: try again later`;
		default:
			return `Slack ${ctx.method} failed: ${code}`;
	}
}

function mapError(e: unknown, ctx: CallContext): SlackOpsError {
	if (e instanceof SlackOpsError) return e;
	const err = e as { code?: string; data?: { error?: string; errors?: string[]; response_metadata?: { messages?: string[] } }; statusCode?: number; retryAfter?: number; message?: string };
	switch (err?.code) {
		case ErrorCode.PlatformError: {
			const code = err.data?.error ?? 'unknown_error';
			const details = err.data?.errors ?? err.data?.response_metadata?.messages;
			const base = platformMessage(code, ctx);
			return new SlackOpsError(details?.length ? `${base}: ${details.join('; ')}` : base, code === 'ratelimited' ? 'rate-limited' : 'platform', ctx.method, code, details);
		}
		case ErrorCode.RateLimitedError:
			return new SlackOpsError(`Slack rate-limited ${ctx.method}: retry after ${err.retryAfter} s`, 'rate-limited', ctx.method, 'ratelimited', undefined, true);
		case ErrorCode.HTTPError:
			return new SlackOpsError(`Slack answered ${ctx.method} with HTTP ${err.statusCode}`, 'http', ctx.method, String(err.statusCode), undefined, (err.statusCode ?? 0) >= 500);
		case ErrorCode.RequestError:
			return new SlackOpsError(`Cannot reach the Slack API for ${ctx.method}: ${err.message}`, 'network', ctx.method, undefined, undefined, true);
	}
	// What the SDK throws when 429s outlast its retries: a plain Error naming the rate limit.
	if (typeof err?.message === 'string' && /rate limit was exceeded/i.test(err.message)) {
		return new SlackOpsError(platformMessage('ratelimited', ctx), 'rate-limited', ctx.method, 'ratelimited', undefined, true);
	}
	return new SlackOpsError(`Slack ${ctx.method} failed: ${err?.message ?? String(e)}`, 'network', ctx.method, undefined, undefined, false);
}

const SLACK_TS = /^\d{1,10}\.\d{1,6}$/;

/**
 * Slack ts values must stay strings: as a number "1732800000.000100" becomes 1732800000.0001, and a reply to it is
 * accepted by Slack yet lands in no thread.
 */
function checkTs(value: unknown, what: string, method: string): string {
	if (typeof value !== 'string' || !SLACK_TS.test(value)) {
		throw new SlackOpsError(`${what} must be a Slack ts string like "1732800000.000100", got ${JSON.stringify(value)}`, 'invalid-argument', method);
	}
	return value;
}

const quietLogger: Logger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
	setLevel: () => undefined,
	getLevel: () => LogLevel.ERROR,
	setName: () => undefined,
};

export interface PostMessageArgs {
	channel: string;
	text: string;
	blocks?: unknown[];
	/** Parent message ts, as a string. */
	threadTs?: string;
	/** Also show a thread reply in the channel. */
	broadcast?: boolean;
}

export interface PostedMessage {
	channel: string;
	ts: string;
}

export interface SlackUserInfo {
	id: string;
	name: string;
	realName: string;
	deleted: boolean;
	isBot: boolean;
	teamId?: string;
	email?: string;
}

export interface SlackIdentity {
	teamId: string;
	team: string;
	userId: string;
	botId?: string;
	url: string;
}

export interface SlackOpsClient {
	readonly web: WebClient;
	postMessage(args: PostMessageArgs): Promise<PostedMessage>;
	/** `blocks: []` removes the blocks (and with them the buttons); omitted blocks are kept. */
	updateMessage(args: { channel: string; ts: string; text: string; blocks?: unknown[] }): Promise<PostedMessage>;
	postEphemeral(args: { channel: string; user: string; text: string; blocks?: unknown[]; threadTs?: string }): Promise<{ messageTs: string }>;
	permalink(channel: string, ts: string): Promise<string>;
	usergroupMembers(usergroupId: string): Promise<string[]>;
	userInfo(userId: string): Promise<SlackUserInfo>;
	authTest(): Promise<SlackIdentity>;
}

export function createSlackClient(options: SlackClientOptions): SlackOpsClient {
	if (!options.token) throw new SlackOpsError('No Slack bot token: set it in the Slack Ops API credential', 'invalid-argument', 'client');
	let apiUrl = options.apiUrl?.trim() || DEFAULT_SLACK_API_URL;
	if (!/^https?:\/\//i.test(apiUrl)) throw new SlackOpsError(`The Slack API base URL must start with https:// (or http:// for a local sandbox), got ${JSON.stringify(apiUrl)}`, 'invalid-argument', 'client');
	// The SDK appends the method name to the base as is: without the slash "…/api" + "chat.postMessage" is a 404.
	if (!apiUrl.endsWith('/')) apiUrl += '/';
	const retryConfig: RetryOptions = {
		retries: options.retries ?? 3,
		factor: 2,
		minTimeout: options.minRetryDelayMs ?? 500,
		maxTimeout: options.maxRetryDelayMs ?? 5000,
		randomize: true,
	};
	const web = new WebClient(options.token, {
		slackApiUrl: apiUrl,
		retryConfig,
		rejectRateLimitedCalls: false,
		logger: options.logger ?? quietLogger,
		timeout: options.timeoutMs ?? 30000,
	});

	async function call<T>(ctx: CallContext, run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (e) {
			throw mapError(e, ctx);
		}
	}

	return {
		web,
		async postMessage(args) {
			const ctx = { method: 'chat.postMessage', channel: args.channel };
			const threadTs = args.threadTs === undefined ? undefined : checkTs(args.threadTs, 'threadTs', ctx.method);
			return call(ctx, async () => {
				const params: Record<string, unknown> = { channel: args.channel, text: args.text };
				if (args.blocks) params.blocks = args.blocks;
				if (threadTs) params.thread_ts = threadTs;
				if (threadTs && args.broadcast) params.reply_broadcast = true;
				// The SDK's argument type is a union over thread/broadcast shapes; the checks above keep to one of them.
				const r = await web.chat.postMessage(params as never);
				return { channel: r.channel as string, ts: r.ts as string };
			});
		},
		async updateMessage(args) {
			const ctx = { method: 'chat.update', channel: args.channel, ts: args.ts };
			const ts = checkTs(args.ts, 'ts', ctx.method);
			return call(ctx, async () => {
				const r = await web.chat.update({ channel: args.channel, ts, text: args.text, ...(args.blocks ? { blocks: args.blocks as never } : {}) });
				return { channel: r.channel as string, ts: r.ts as string };
			});
		},
		async postEphemeral(args) {
			const ctx = { method: 'chat.postEphemeral', channel: args.channel, user: args.user };
			const threadTs = args.threadTs === undefined ? undefined : checkTs(args.threadTs, 'threadTs', ctx.method);
			return call(ctx, async () => {
				const r = await web.chat.postEphemeral({
					channel: args.channel,
					user: args.user,
					text: args.text,
					...(args.blocks ? { blocks: args.blocks as never } : {}),
					...(threadTs ? { thread_ts: threadTs } : {}),
				});
				return { messageTs: r.message_ts as string };
			});
		},
		async permalink(channel, ts) {
			const ctx = { method: 'chat.getPermalink', channel, ts };
			const messageTs = checkTs(ts, 'ts', ctx.method);
			return call(ctx, async () => (await web.chat.getPermalink({ channel, message_ts: messageTs })).permalink as string);
		},
		async usergroupMembers(usergroupId) {
			return call({ method: 'usergroups.users.list', usergroup: usergroupId }, async () => (await web.usergroups.users.list({ usergroup: usergroupId })).users ?? []);
		},
		async userInfo(userId) {
			return call({ method: 'users.info', user: userId }, async () => {
				const u = (await web.users.info({ user: userId })).user;
				if (!u?.id) throw new SlackOpsError(`Slack user ${userId} not found`, 'platform', 'users.info', 'user_not_found');
				return {
					id: u.id,
					name: u.name ?? '',
					realName: u.real_name ?? u.profile?.real_name ?? u.name ?? '',
					deleted: u.deleted === true,
					isBot: u.is_bot === true,
					...(u.team_id ? { teamId: u.team_id } : {}),
					...(u.profile?.email ? { email: u.profile.email } : {}),
				};
			});
		},
		async authTest() {
			return call({ method: 'auth.test' }, async () => {
				const r = await web.auth.test();
				return { teamId: r.team_id ?? '', team: r.team ?? '', userId: r.user_id ?? '', ...(r.bot_id ? { botId: r.bot_id } : {}), url: r.url ?? '' };
			});
		},
	};
}
