/**
 * Slack Web API sandbox: the methods the approval pipeline uses, answered the way slack.com answers them
 * (HTTP 200 + `{ok:false, error}` for API errors, HTTP 429 + Retry-After for rate limits), plus the Slack side of
 * interactivity (signed `block_actions` deliveries and a recording `response_url`).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { assignBlockIds, validateBlocks } from './blocks';
import { deliver, encodeInteractionBody, signRequest, triggerId, type DeliveryResult, type SignedRequest, type Tamper } from './interactions';
import { seedWorkspace, SEED_IDS, type SlackChannel, type SlackUser, type SlackUsergroup, type Workspace } from './seed';

export interface SlackSandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	botToken?: string;
	signingSecret?: string;
	teamId?: string;
}

/** Faults apply to Web API calls only (not to control endpoints), first matching fault first, `times` calls each. */
export type SlackFault =
	| { kind: 'rate-limit'; retryAfter: number; times?: number; method?: string }
	| { kind: 'error'; error: string; method?: string; times?: number }
	| { kind: 'http'; status: number; body?: string; method?: string; times?: number }
	| { kind: 'delay'; ms: number; method?: string; times?: number };

export type UpdateVia = 'chat.postMessage' | 'chat.update' | 'response_url' | 'user';

export interface MessageVersion {
	text: string;
	blocks?: unknown[];
	attachments?: unknown[];
	/** When this version was written (a Slack ts: the message ts for the original, the edit ts afterwards). */
	at: string;
	via: UpdateVia;
}

export interface StoredMessage {
	channel: string;
	ts: string;
	/** Parent ts for replies; on a parent with replies, its own ts (as Slack reports it). */
	thread_ts?: string;
	user: string;
	bot_id?: string;
	app_id?: string;
	text: string;
	blocks?: unknown[];
	attachments?: unknown[];
	edited?: { user: string; ts: string };
	reply_count?: number;
	reply_users?: string[];
	latest_reply?: string;
	reply_broadcast?: boolean;
	/** Removed through response_url `delete_original`. */
	deleted?: boolean;
	/**
	 * Posted with a well-formed thread_ts that matches no message: slack.com says ok, and nobody ever sees the reply
	 * (the classic float-rounded thread_ts bug). Tests can assert this never happens.
	 */
	orphan?: boolean;
	/** Every version, oldest first; the last one is what the channel shows. */
	history: MessageVersion[];
}

export interface EphemeralMessage {
	channel: string;
	user: string;
	message_ts: string;
	thread_ts?: string;
	text: string;
	blocks?: unknown[];
	via: 'chat.postEphemeral' | 'response_url';
}

export interface ResponseUrlPost {
	id: string;
	/** What the app posted (parsed JSON, or the raw text when it was not JSON). */
	body: unknown;
	status: number;
	effect: 'replace_original' | 'delete_original' | 'ephemeral' | 'in_channel' | 'rejected';
	error?: string;
	at: number;
}

export interface ApiCall {
	method: string;
	/** Parameters as parsed, token removed. */
	params: Record<string, unknown>;
	status: number;
	ok: boolean;
	error?: string;
	at: number;
}

export interface SendBlockActionOptions {
	/** The app's Request URL (e.g. an n8n webhook). */
	url: string;
	/** Who clicks. */
	user: string;
	channel: string;
	messageTs: string;
	actionId: string;
	/** Defaults to the clicked button's value; giving another one needs `force`. */
	value?: string;
	blockId?: string;
	/** Unix seconds signed into X-Slack-Request-Timestamp; older than 5 minutes makes a replay. */
	timestamp?: number;
	/** Sign with this instead of the app's secret: a forgery. */
	signingSecret?: string;
	/** 'body': the payload's clicking user is rewritten to an approver after signing (impersonation attempt). */
	tamper?: Tamper;
	/**
	 * Sends what Slack never would: a click on an unknown message or button, or a value the button does not carry.
	 * For the product's defence tests (token reuse across approvals).
	 */
	force?: boolean;
	timeoutMs?: number;
}

export interface BlockActionResult extends DeliveryResult {
	payload: BlockActionsPayload;
	responseUrl: string;
	/** The button is gone from the current message: the click came from an earlier version (a late second click). */
	staleButton: boolean;
}

export interface BlockActionsPayload {
	type: 'block_actions';
	user: { id: string; username: string; name: string; team_id: string };
	api_app_id: string;
	token: string;
	container: { type: 'message'; message_ts: string; channel_id: string; is_ephemeral: boolean; thread_ts?: string };
	trigger_id: string;
	team: { id: string; domain: string };
	enterprise: null;
	is_enterprise_install: boolean;
	channel: { id: string; name: string };
	message: Record<string, unknown>;
	state: { values: Record<string, unknown> };
	response_url: string;
	actions: Array<{ type: 'button'; action_id: string; block_id: string; text: unknown; value?: string; url?: string; style?: string; action_ts: string }>;
}

export interface SlackSandbox {
	/** Base for `new WebClient(token, { slackApiUrl: url })`, ends with `/api/`. */
	url: string;
	origin: string;
	botToken: string;
	signingSecret: string;
	/** The deprecated verification token Slack still puts in payloads (`payload.token`). */
	verificationToken: string;
	teamId: string;
	readonly users: SlackUser[];
	readonly channels: SlackChannel[];
	readonly usergroups: SlackUsergroup[];
	readonly workspace: Workspace;
	/** Posted messages (copies), oldest first; `channel` is an id or a name. Deleted ones included, flagged. */
	messages(channel?: string): StoredMessage[];
	message(channel: string, ts: string): StoredMessage | undefined;
	ephemeral(user?: string): EphemeralMessage[];
	responses(): ResponseUrlPost[];
	calls(method?: string): ApiCall[];
	inject(fault: SlackFault): void;
	clearFaults(): void;
	/** Seeds a message written by a person (the bot cannot chat.update it: cant_update_message). */
	postAs(user: string, channel: string, text: string, threadTs?: string): StoredMessage;
	sendBlockAction(opts: SendBlockActionOptions): Promise<BlockActionResult>;
	/** Sends a previously delivered request again, byte for byte. */
	resend(request: SignedRequest, timeoutMs?: number): Promise<DeliveryResult>;
	reset(): void;
	close(): Promise<void>;
}

const DEFAULT_BOT_TOKEN = 'xoxb-1732700000-odoo-ops-sandbox';
const DEFAULT_SIGNING_SECRET = '8f742231b10e8888abcd99edabcd00d1';
const VERIFICATION_TOKEN = 'sandboxVerificationToken0';
const MAX_TEXT = 40000;
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
const SCOPES = 'chat:write,chat:write.public,channels:read,groups:read,im:write,users:read,usergroups:read';

class ApiError extends Error {
	constructor(
		readonly error: string,
		readonly extra: Record<string, unknown> = {},
	) {
		super(error);
	}
}

interface PendingResponseUrl {
	channel: string;
	messageTs: string;
	user: string;
	uses: number;
	expires: number;
}

const clone = <T>(v: T): T => structuredClone(v);
const randomBlockId = () => randomBytes(3).toString('base64').replace(/[+/=]/g, 'x');
const isTs = (v: string) => /^\d{1,10}(\.\d{1,6})?$/.test(v);

function readBody(req: http.IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > limit) {
				reject(new Error('body too large'));
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
	res.end(text);
}

export async function startSlackSandbox(options: SlackSandboxOptions = {}): Promise<SlackSandbox> {
	const botToken = options.botToken ?? DEFAULT_BOT_TOKEN;
	const signingSecret = options.signingSecret ?? DEFAULT_SIGNING_SECRET;
	const teamId = options.teamId ?? SEED_IDS.team;

	let ws: Workspace = seedWorkspace(teamId);
	let store: StoredMessage[] = [];
	let ephemerals: EphemeralMessage[] = [];
	let responsePosts: ResponseUrlPost[] = [];
	let apiCalls: ApiCall[] = [];
	let faults: Array<SlackFault & { left: number }> = [];
	const responseUrls = new Map<string, PendingResponseUrl>();
	let lastSec = 0;
	let seq = 0;

	/** Slack ts: unix seconds + 6 digits, unique per workspace and increasing (tests sort by it). */
	function nextTs(): string {
		const sec = Math.floor(Date.now() / 1000);
		if (sec > lastSec) {
			lastSec = sec;
			seq = 0;
		}
		seq += 1;
		if (seq * 100 > 999999) {
			lastSec += 1;
			seq = 1;
		}
		return `${lastSec}.${String(seq * 100).padStart(6, '0')}`;
	}

	const userById = (id: string) => ws.users.find((u) => u.id === id);
	const botIsMember = (c: SlackChannel) => c.members.includes(ws.bot.userId);

	/** Accepts an id, `#name` or `name`, and a user id (which opens the DM with that user), as slack.com does. */
	function resolveChannel(raw: unknown, { openDm = false } = {}): SlackChannel {
		if (typeof raw !== 'string' || raw === '') throw new ApiError('channel_not_found');
		const key = raw.replace(/^#/, '');
		let ch = ws.channels.find((c) => c.id === key || (!c.is_im && c.name === key));
		if (!ch && openDm && /^[UW]/.test(key)) {
			const u = userById(key);
			if (!u || u.deleted) throw new ApiError('channel_not_found');
			ch = ws.channels.find((c) => c.is_im && c.user === u.id);
			if (!ch) {
				ch = { id: `D${u.id.slice(1)}`, name: u.id, is_channel: false, is_private: true, is_im: true, is_archived: false, created: Math.floor(Date.now() / 1000), creator: ws.bot.userId, topic: { value: '', creator: '', last_set: 0 }, purpose: { value: '', creator: '', last_set: 0 }, members: [u.id, ws.bot.userId], user: u.id };
				ws.channels.push(ch);
			}
		}
		// A private conversation the bot is not in does not exist from the bot's point of view.
		if (!ch || (ch.is_private && !botIsMember(ch))) throw new ApiError('channel_not_found');
		return ch;
	}

	function findMessage(channel: string, ts: unknown): StoredMessage | undefined {
		return typeof ts === 'string' ? store.find((m) => m.channel === channel && m.ts === ts && !m.deleted) : undefined;
	}

	function parseBlocks(raw: unknown): unknown[] | undefined {
		if (raw === undefined || raw === null || raw === '') return undefined;
		let blocks = raw;
		if (typeof raw === 'string') {
			try {
				blocks = JSON.parse(raw);
			} catch {
				throw new ApiError('invalid_blocks_format');
			}
		}
		if (!Array.isArray(blocks)) throw new ApiError('invalid_blocks_format');
		const errors = validateBlocks(blocks);
		if (errors.length) throw new ApiError('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
		return assignBlockIds(blocks, randomBlockId);
	}

	function parseJsonArray(raw: unknown, error: string): unknown[] | undefined {
		if (raw === undefined || raw === null || raw === '') return undefined;
		let v = raw;
		if (typeof raw === 'string') {
			try {
				v = JSON.parse(raw);
			} catch {
				throw new ApiError(error);
			}
		}
		if (!Array.isArray(v)) throw new ApiError(error);
		return v;
	}

	function text(raw: unknown): string | undefined {
		if (raw === undefined || raw === null) return undefined;
		return String(raw).slice(0, MAX_TEXT);
	}

	/** The message object as Slack returns it in API answers and interaction payloads. */
	function wire(m: StoredMessage): Record<string, unknown> {
		const out: Record<string, unknown> = { type: 'message', text: m.text, user: m.user, ts: m.ts, team: ws.team.id };
		if (m.bot_id) {
			out.bot_id = m.bot_id;
			out.app_id = m.app_id;
			out.bot_profile = { id: m.bot_id, app_id: m.app_id, name: 'Odoo Ops', deleted: false, team_id: ws.team.id };
		}
		if (m.blocks) out.blocks = clone(m.blocks);
		if (m.attachments) out.attachments = clone(m.attachments);
		if (m.thread_ts) out.thread_ts = m.thread_ts;
		if (m.reply_broadcast) out.subtype = 'thread_broadcast';
		if (m.edited) out.edited = { ...m.edited };
		if (m.reply_count !== undefined) Object.assign(out, { reply_count: m.reply_count, reply_users: [...(m.reply_users ?? [])], reply_users_count: m.reply_users?.length ?? 0, latest_reply: m.latest_reply });
		return out;
	}

	/** Thread bookkeeping shared by bot posts, user posts and in_channel responses. */
	function storeMessage(channel: SlackChannel, author: string, content: { text: string; blocks?: unknown[]; attachments?: unknown[] }, threadTs: string | undefined, via: UpdateVia, broadcast = false): StoredMessage {
		const ts = nextTs();
		const m: StoredMessage = { channel: channel.id, ts, user: author, text: content.text, history: [{ ...clone(content), at: ts, via }] };
		if (content.blocks) m.blocks = content.blocks;
		if (content.attachments) m.attachments = content.attachments;
		if (author === ws.bot.userId) {
			m.bot_id = ws.bot.botId;
			m.app_id = ws.bot.appId;
		}
		if (threadTs !== undefined) {
			let parent = findMessage(channel.id, threadTs);
			// Replying to a reply lands in the parent's thread.
			if (parent?.thread_ts && parent.thread_ts !== parent.ts) parent = findMessage(channel.id, parent.thread_ts) ?? parent;
			if (parent) {
				m.thread_ts = parent.ts;
				parent.thread_ts = parent.ts;
				parent.reply_count = (parent.reply_count ?? 0) + 1;
				parent.reply_users = [...new Set([...(parent.reply_users ?? []), author])];
				parent.latest_reply = ts;
				if (broadcast) m.reply_broadcast = true;
			} else {
				m.thread_ts = threadTs;
				m.orphan = true;
			}
		}
		store.push(m);
		return m;
	}

	function requireContent(p: Record<string, unknown>): { text?: string; blocks?: unknown[]; attachments?: unknown[] } {
		const blocks = parseBlocks(p.blocks);
		const attachments = parseJsonArray(p.attachments, 'invalid_attachments');
		const t = text(p.text);
		if ((t === undefined || t === '') && !blocks?.length && !attachments?.length) throw new ApiError('no_text');
		return { text: t, blocks: blocks?.length ? blocks : undefined, attachments };
	}

	const methods: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
		'auth.test': () => ({
			url: `https://${ws.team.domain}.slack.com/`,
			team: ws.team.name,
			user: ws.bot.name,
			team_id: ws.team.id,
			user_id: ws.bot.userId,
			bot_id: ws.bot.botId,
			is_enterprise_install: false,
		}),

		'chat.postMessage': (p) => {
			const ch = resolveChannel(p.channel, { openDm: true });
			if (ch.is_archived) throw new ApiError('is_archived');
			if (!botIsMember(ch)) throw new ApiError('not_in_channel');
			const content = requireContent(p);
			let threadTs: string | undefined;
			if (p.thread_ts !== undefined && p.thread_ts !== null && p.thread_ts !== '') {
				threadTs = String(p.thread_ts);
				if (!isTs(threadTs)) throw new ApiError('invalid_thread_ts', { response_metadata: { messages: [`[ERROR] ${threadTs} is not a valid thread_ts`] } });
			}
			const broadcast = p.reply_broadcast === true || p.reply_broadcast === 'true';
			const m = storeMessage(ch, ws.bot.userId, { text: content.text ?? '', blocks: content.blocks, attachments: content.attachments }, threadTs, 'chat.postMessage', broadcast);
			return { channel: ch.id, ts: m.ts, message: wire(m) };
		},

		'chat.update': (p) => {
			const ch = resolveChannel(p.channel);
			const m = findMessage(ch.id, p.ts);
			if (!m) throw new ApiError('message_not_found');
			if (m.user !== ws.bot.userId) throw new ApiError('cant_update_message');
			const blocks = parseBlocks(p.blocks);
			const attachments = parseJsonArray(p.attachments, 'invalid_attachments');
			const t = text(p.text);
			if (t === undefined && p.blocks === undefined && attachments === undefined) throw new ApiError('no_text');
			// Omitted fields keep their previous value; an empty blocks array removes the blocks (Slack's documented rule).
			if (t !== undefined) m.text = t;
			if (p.blocks !== undefined) m.blocks = blocks?.length ? blocks : undefined;
			if (attachments !== undefined) m.attachments = attachments.length ? attachments : undefined;
			const editTs = nextTs();
			m.edited = { user: ws.bot.userId, ts: editTs };
			m.history.push({ text: m.text, ...(m.blocks ? { blocks: clone(m.blocks) } : {}), ...(m.attachments ? { attachments: clone(m.attachments) } : {}), at: editTs, via: 'chat.update' });
			return { channel: ch.id, ts: m.ts, text: m.text, message: wire(m) };
		},

		'chat.postEphemeral': (p) => {
			const ch = resolveChannel(p.channel);
			if (typeof p.user !== 'string' || !userById(p.user) || userById(p.user)?.deleted) throw new ApiError('user_not_found');
			if (!botIsMember(ch)) throw new ApiError('not_in_channel');
			if (!ch.members.includes(p.user)) throw new ApiError('user_not_in_channel');
			const content = requireContent(p);
			const e: EphemeralMessage = { channel: ch.id, user: p.user, message_ts: nextTs(), text: content.text ?? '', via: 'chat.postEphemeral' };
			if (content.blocks) e.blocks = content.blocks;
			if (typeof p.thread_ts === 'string' && p.thread_ts) e.thread_ts = p.thread_ts;
			ephemerals.push(e);
			return { message_ts: e.message_ts };
		},

		'chat.getPermalink': (p) => {
			const ch = resolveChannel(p.channel);
			const m = findMessage(ch.id, p.message_ts);
			if (!m) throw new ApiError('message_not_found');
			const base = `https://${ws.team.domain}.slack.com/archives/${ch.id}/p${m.ts.replace('.', '')}`;
			const isReply = m.thread_ts !== undefined && m.thread_ts !== m.ts;
			return { channel: ch.id, permalink: isReply ? `${base}?thread_ts=${m.thread_ts}&cid=${ch.id}` : base };
		},

		'conversations.info': (p) => {
			const ch = resolveChannel(p.channel);
			const { members, user, ...rest } = ch;
			const out: Record<string, unknown> = { ...clone(rest), is_member: botIsMember(ch), is_general: ch.name === 'general', name_normalized: ch.name };
			if (ch.is_im) Object.assign(out, { user, is_open: true });
			if (p.include_num_members === true || p.include_num_members === 'true') out.num_members = members.length;
			return { channel: out };
		},

		'users.info': (p) => {
			const u = typeof p.user === 'string' ? userById(p.user) : undefined;
			if (!u) throw new ApiError('user_not_found');
			return { user: clone(u) };
		},

		'usergroups.users.list': (p) => {
			const g = ws.usergroups.find((x) => x.id === p.usergroup);
			if (!g || (g.date_delete !== 0 && p.include_disabled !== true && p.include_disabled !== 'true')) throw new ApiError('no_such_subteam');
			return { users: [...g.users] };
		},
	};

	function takeFault(method: string): (SlackFault & { left: number }) | undefined {
		const f = faults.find((x) => x.left > 0 && (x.method === undefined || x.method === method));
		if (f) {
			f.left -= 1;
			faults = faults.filter((x) => x.left > 0);
		}
		return f;
	}

	async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, query: URLSearchParams): Promise<void> {
		const raw = req.method === 'POST' ? await readBody(req) : '';
		const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
		const params: Record<string, unknown> = Object.fromEntries(query);
		const warnings: string[] = [];
		const respond = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
			const { token: _t, ...logged } = params;
			apiCalls.push({ method, params: logged, status, ok: body.ok === true, ...(typeof body.error === 'string' ? { error: body.error } : {}), at: Date.now() });
			send(res, status, body, { 'x-oauth-scopes': SCOPES, 'x-accepted-oauth-scopes': '', ...headers });
		};
		const fail = (e: ApiError) => respond(200, { ok: false, error: e.error, ...e.extra, ...(warnings.length ? { warning: warnings.join(','), response_metadata: { ...((e.extra.response_metadata as object) ?? {}), warnings } } : {}) });

		let jsonBody = false;
		if (raw.length > 0) {
			if (contentType === '') return fail(new ApiError('missing_post_type'));
			if (contentType.startsWith('application/json')) {
				jsonBody = true;
				if (!/charset=/.test(contentType)) warnings.push('missing_charset');
				try {
					const parsed = JSON.parse(raw);
					if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(new ApiError('invalid_json'));
					Object.assign(params, parsed);
				} catch {
					return fail(new ApiError('invalid_json'));
				}
			} else if (contentType.startsWith('application/x-www-form-urlencoded')) {
				for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
			} else return fail(new ApiError('invalid_post_type'));
		}

		const handler = methods[method];
		if (!handler) return respond(404, { ok: false, error: 'unknown_method', req_method: method });

		// slack.com ignores a token inside a JSON body: JSON callers must use the Authorization header.
		const auth = String(req.headers.authorization ?? '');
		const token = auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : jsonBody ? undefined : typeof params.token === 'string' ? params.token : undefined;
		if (!token) return fail(new ApiError('not_authed'));
		if (token !== botToken) return fail(new ApiError('invalid_auth'));

		const fault = takeFault(method);
		if (fault?.kind === 'rate-limit') return respond(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
		if (fault?.kind === 'error') return fail(new ApiError(fault.error));
		if (fault?.kind === 'http') {
			apiCalls.push({ method, params: {}, status: fault.status, ok: false, at: Date.now() });
			return send(res, fault.status, fault.body ?? `<html><body>${fault.status}</body></html>`, { 'content-type': 'text/html' });
		}
		if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));

		try {
			const result = handler(params);
			respond(200, { ok: true, ...result, ...(warnings.length ? { warning: warnings.join(','), response_metadata: { warnings } } : {}) });
		} catch (e) {
			if (e instanceof ApiError) return fail(e);
			throw e;
		}
	}

	/** response_url: what the app answers a click with (replace/delete the message, or a new ephemeral/in_channel one). */
	async function handleResponseUrl(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
		const raw = await readBody(req);
		let body: unknown = raw;
		try {
			body = JSON.parse(raw);
		} catch {
			/* recorded raw */
		}
		const record = (status: number, effect: ResponseUrlPost['effect'], error?: string) => {
			responsePosts.push({ id, body, status, effect, ...(error ? { error } : {}), at: Date.now() });
			send(res, status, error ? { ok: false, error } : { ok: true });
		};
		const pending = responseUrls.get(id);
		if (!pending || pending.expires < Date.now()) return record(404, 'rejected', 'expired_url');
		if (pending.uses >= RESPONSE_URL_USES) return record(404, 'rejected', 'used_url');
		if (req.method !== 'POST' || typeof body !== 'object' || body === null) return record(400, 'rejected', 'invalid_payload');
		pending.uses += 1;
		const b = body as Record<string, unknown>;
		const truthy = (v: unknown) => v === true || v === 'true';
		try {
			const original = findMessage(pending.channel, pending.messageTs);
			if (truthy(b.delete_original)) {
				if (!original) return record(404, 'rejected', 'message_not_found');
				original.deleted = true;
				return record(200, 'delete_original');
			}
			const content = requireContent(b);
			if (truthy(b.replace_original)) {
				if (!original) return record(404, 'rejected', 'message_not_found');
				const at = nextTs();
				original.text = content.text ?? '';
				original.blocks = content.blocks;
				original.attachments = content.attachments;
				original.edited = { user: ws.bot.userId, ts: at };
				original.history.push({ text: original.text, ...(content.blocks ? { blocks: clone(content.blocks) } : {}), at, via: 'response_url' });
				return record(200, 'replace_original');
			}
			const ch = ws.channels.find((c) => c.id === pending.channel);
			if (b.response_type === 'in_channel' && ch) {
				storeMessage(ch, ws.bot.userId, { text: content.text ?? '', blocks: content.blocks, attachments: content.attachments }, typeof b.thread_ts === 'string' ? b.thread_ts : undefined, 'response_url');
				return record(200, 'in_channel');
			}
			ephemerals.push({ channel: pending.channel, user: pending.user, message_ts: nextTs(), text: content.text ?? '', ...(content.blocks ? { blocks: content.blocks } : {}), ...(typeof b.thread_ts === 'string' ? { thread_ts: b.thread_ts } : {}), via: 'response_url' });
			return record(200, 'ephemeral');
		} catch (e) {
			if (e instanceof ApiError) return record(400, 'rejected', e.error);
			throw e;
		}
	}

	async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string, query: URLSearchParams): Promise<void> {
		const readJson = async () => {
			const raw = await readBody(req);
			return (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
		};
		const route = `${req.method} ${path}`;
		switch (route) {
			case 'GET /__sandbox/messages':
				return send(res, 200, { ok: true, messages: sandbox.messages(query.get('channel') ?? undefined) });
			case 'GET /__sandbox/ephemeral':
				return send(res, 200, { ok: true, ephemeral: sandbox.ephemeral(query.get('user') ?? undefined) });
			case 'GET /__sandbox/responses':
				return send(res, 200, { ok: true, responses: sandbox.responses() });
			case 'GET /__sandbox/calls':
				return send(res, 200, { ok: true, calls: sandbox.calls(query.get('method') ?? undefined) });
			case 'GET /__sandbox/workspace':
				return send(res, 200, { ok: true, ...clone(ws) });
			case 'POST /__sandbox/inject': {
				const f = (await readJson()) as unknown as SlackFault;
				if (!['rate-limit', 'error', 'http', 'delay'].includes(f.kind)) return send(res, 400, { ok: false, error: `unknown fault kind ${String(f.kind)}` });
				sandbox.inject(f);
				return send(res, 200, { ok: true });
			}
			case 'POST /__sandbox/clear-faults':
				sandbox.clearFaults();
				return send(res, 200, { ok: true });
			case 'POST /__sandbox/reset':
				sandbox.reset();
				return send(res, 200, { ok: true });
			case 'POST /__sandbox/post-as': {
				const b = await readJson();
				return send(res, 200, { ok: true, message: sandbox.postAs(String(b.user), String(b.channel), String(b.text), b.thread_ts === undefined ? undefined : String(b.thread_ts)) });
			}
			case 'POST /__sandbox/block-action': {
				const r = await sandbox.sendBlockAction((await readJson()) as unknown as SendBlockActionOptions);
				return send(res, 200, { ok: true, ...r });
			}
			case 'POST /__sandbox/resend': {
				const b = await readJson();
				return send(res, 200, { ok: true, ...(await sandbox.resend(b.request as SignedRequest)) });
			}
			default:
				return send(res, 404, { ok: false, error: `no sandbox route ${route}` });
		}
	}

	const server = http.createServer((req, res) => {
		const u = new URL(req.url ?? '/', 'http://sandbox');
		const run = async () => {
			if (u.pathname.startsWith('/api/')) return handleApi(req, res, u.pathname.slice(5), u.searchParams);
			const resp = /^\/__sandbox\/response\/([A-Za-z0-9]+)$/.exec(u.pathname);
			if (resp) return handleResponseUrl(req, res, resp[1]);
			if (u.pathname.startsWith('/__sandbox/')) return handleControl(req, res, u.pathname, u.searchParams);
			send(res, 404, { ok: false, error: 'not_found' });
		};
		run().catch((e: Error) => {
			if (!res.headersSent) send(res, 500, { ok: false, error: 'sandbox_error', detail: String(e?.message ?? e) });
			else res.destroy();
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	function buildPayload(opts: SendBlockActionOptions): { payload: BlockActionsPayload; stale: boolean } {
		const clicker = userById(opts.user);
		if (!clicker || clicker.deleted) throw new Error(`sendBlockAction: unknown or deactivated user ${opts.user}`);
		const ch = ws.channels.find((c) => c.id === opts.channel || c.name === opts.channel.replace(/^#/, ''));
		if (!ch) throw new Error(`sendBlockAction: unknown channel ${opts.channel}`);
		const m = findMessage(ch.id, opts.messageTs);
		if (!m && !opts.force) throw new Error(`sendBlockAction: no message ${opts.messageTs} in ${ch.id} (Slack only sends clicks on existing messages; pass force to send anyway)`);
		if (!opts.force && !ch.members.includes(clicker.id)) throw new Error(`sendBlockAction: ${clicker.id} is not in ${ch.id} and cannot see the message`);

		let button: Record<string, unknown> | undefined;
		let blockId = opts.blockId;
		let stale = false;
		// Current blocks first, then earlier versions newest first: a second click racing the update that removed the
		// buttons (or a client still showing the old message) reaches the app exactly like this.
		const versions = m ? [m.blocks, ...m.history.map((v) => v.blocks).reverse()] : [];
		search: for (const [i, blocks] of versions.entries()) {
			for (const b of (blocks ?? []) as Array<Record<string, unknown>>) {
				if (opts.blockId !== undefined && b.block_id !== opts.blockId) continue;
				const candidates = b.type === 'actions' ? ((b.elements as Array<Record<string, unknown>>) ?? []) : b.accessory ? [b.accessory as Record<string, unknown>] : [];
				const hit = candidates.find((e) => e.type === 'button' && e.action_id === opts.actionId);
				if (hit) {
					button = hit;
					blockId = String(b.block_id);
					stale = i > 0 && JSON.stringify(m?.blocks ?? null) !== JSON.stringify(blocks);
					break search;
				}
			}
		}
		if (!button && !opts.force) throw new Error(`sendBlockAction: no button with action_id ${opts.actionId}${opts.blockId ? ` in block ${opts.blockId}` : ''} on message ${opts.messageTs}`);
		const value = opts.value ?? (button?.value as string | undefined);
		if (button && opts.value !== undefined && opts.value !== button.value && !opts.force) throw new Error(`sendBlockAction: the button carries value ${JSON.stringify(button.value)}, not ${JSON.stringify(opts.value)} (pass force to forge it)`);

		const now = Date.now();
		const actionTs = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0')}`;
		const responseId = randomBytes(12).toString('hex');
		responseUrls.set(responseId, { channel: ch.id, messageTs: opts.messageTs, user: clicker.id, uses: 0, expires: now + RESPONSE_URL_TTL_MS });
		const action: BlockActionsPayload['actions'][number] = {
			type: 'button',
			action_id: opts.actionId,
			block_id: blockId ?? randomBlockId(),
			text: button?.text ?? { type: 'plain_text', text: opts.actionId, emoji: true },
			action_ts: actionTs,
		};
		if (value !== undefined) action.value = value;
		if (typeof button?.url === 'string') action.url = button.url;
		if (typeof button?.style === 'string') action.style = button.style;
		const container: BlockActionsPayload['container'] = { type: 'message', message_ts: opts.messageTs, channel_id: ch.id, is_ephemeral: false };
		if (m?.thread_ts && m.thread_ts !== m.ts) container.thread_ts = m.thread_ts;
		return {
			stale,
			payload: {
				type: 'block_actions',
				user: { id: clicker.id, username: clicker.name, name: clicker.name, team_id: ws.team.id },
				api_app_id: ws.bot.appId,
				token: VERIFICATION_TOKEN,
				container,
				trigger_id: triggerId(),
				team: { id: ws.team.id, domain: ws.team.domain },
				enterprise: null,
				is_enterprise_install: false,
				channel: { id: ch.id, name: ch.is_im ? 'directmessage' : ch.name },
				message: m ? wire(m) : { type: 'message', ts: opts.messageTs, text: '' },
				state: { values: {} },
				response_url: `${origin}/__sandbox/response/${responseId}`,
				actions: [action],
			},
		};
	}

	const sandbox: SlackSandbox = {
		url: `${origin}/api/`,
		origin,
		botToken,
		signingSecret,
		verificationToken: VERIFICATION_TOKEN,
		teamId,
		get users() {
			return ws.users;
		},
		get channels() {
			return ws.channels;
		},
		get usergroups() {
			return ws.usergroups;
		},
		get workspace() {
			return ws;
		},
		messages(channel) {
			const id = channel === undefined ? undefined : (ws.channels.find((c) => c.id === channel || c.name === channel.replace(/^#/, ''))?.id ?? channel);
			return clone(store.filter((m) => id === undefined || m.channel === id));
		},
		message(channel, ts) {
			const m = store.find((x) => x.channel === channel && x.ts === ts);
			return m && clone(m);
		},
		ephemeral(user) {
			return clone(ephemerals.filter((e) => user === undefined || e.user === user));
		},
		responses() {
			return clone(responsePosts);
		},
		calls(method) {
			return clone(apiCalls.filter((c) => method === undefined || c.method === method));
		},
		inject(fault) {
			faults.push({ ...fault, left: fault.times ?? 1 });
		},
		clearFaults() {
			faults = [];
		},
		postAs(userId, channel, body, threadTs) {
			const u = userById(userId);
			if (!u) throw new Error(`postAs: unknown user ${userId}`);
			const ch = ws.channels.find((c) => c.id === channel || c.name === channel.replace(/^#/, ''));
			if (!ch) throw new Error(`postAs: unknown channel ${channel}`);
			return clone(storeMessage(ch, u.id, { text: body }, threadTs, 'user'));
		},
		async sendBlockAction(opts) {
			const { payload, stale } = buildPayload(opts);
			const body = encodeInteractionBody(payload);
			const impersonated = payload.user.id === SEED_IDS.users.alice ? SEED_IDS.users.bob : SEED_IDS.users.alice;
			const request = signRequest(opts.url, body, {
				secret: opts.signingSecret ?? signingSecret,
				timestamp: opts.timestamp,
				tamper: opts.tamper,
				tamperBody: () => encodeInteractionBody({ ...payload, user: { ...payload.user, id: impersonated, username: userById(impersonated)?.name, name: userById(impersonated)?.name } }),
			});
			const result = await deliver(request, opts.timeoutMs);
			return { ...result, payload, responseUrl: payload.response_url, staleButton: stale };
		},
		resend(request, timeoutMs) {
			return deliver(request, timeoutMs);
		},
		reset() {
			ws = seedWorkspace(teamId);
			store = [];
			ephemerals = [];
			responsePosts = [];
			apiCalls = [];
			faults = [];
			responseUrls.clear();
		},
		close() {
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return sandbox;
}
