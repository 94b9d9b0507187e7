/**
 * Stand-ins for the parts of n8n the approval pipeline meets, served over real HTTP so the trigger, the resume request
 * and the waiting node talk exactly as they would across n8n processes:
 * - a waiting-webhook endpoint that, like n8n 2.41's WaitingWebhooks, checks the resume URL signature (HMAC-SHA256
 *   over path + query without `signature`), calls the node's webhook() while the execution waits, and answers a
 *   "no action required" page once it has resumed;
 * - a production-webhook endpoint for the Slack Interaction Trigger, with the raw body n8n keeps on the request;
 * - execute() contexts with getSignedResumeUrl / putExecutionToWait / getExecuteData, and n8n's timed-out resume
 *   (the waiting node is disabled and its stack entry forwarded, see WorkflowExecute.handleDisabledNode).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { fakeExecuteFunctions } from './n8nContext';

const N8N_SECRET = 'n8n-instance-hmac-secret-for-tests';

function signUrl(url: URL): string {
	const copy = new URL(url.toString());
	copy.searchParams.delete('signature');
	return createHmac('sha256', N8N_SECRET).update(`${copy.pathname}${copy.search}`).digest('hex');
}

interface ExpressLikeResponse {
	status(code: number): ExpressLikeResponse;
	type(t: string): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	send(body: unknown): ExpressLikeResponse;
	end(): ExpressLikeResponse;
}

function expressRes(res: http.ServerResponse): ExpressLikeResponse {
	const r: ExpressLikeResponse = {
		status(code) {
			res.statusCode = code;
			return r;
		},
		type(t) {
			res.setHeader('content-type', t === 'html' ? 'text/html; charset=utf-8' : t);
			return r;
		},
		json(body) {
			if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
			res.end(JSON.stringify(body));
			return r;
		},
		send(body) {
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
			return r;
		},
		end() {
			res.end();
			return r;
		},
	};
	return r;
}

async function httpRequest(o: { method?: string; url: string; body?: unknown; json?: boolean; returnFullResponse?: boolean; ignoreHttpStatusErrors?: boolean }) {
	const r = await fetch(o.url, { method: o.method ?? 'GET', headers: { 'content-type': 'application/json' }, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
	const text = await r.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// not JSON: keep the text, as n8n does
	}
	if (!o.ignoreHttpStatusErrors && r.status >= 400) throw new Error(`Request failed with status code ${r.status}`);
	const headers: Record<string, string> = {};
	r.headers.forEach((v, k) => {
		headers[k] = v;
	});
	return o.returnFullResponse ? { statusCode: r.status, body, headers } : body;
}

export interface WebhookCall {
	status: number;
	result?: IWebhookResponseData;
	error?: Error;
}

interface ServeOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject;
	nodeId: string;
	executionId?: string;
}

function webhookContext(o: ServeOptions, req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): IWebhookFunctions {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const contentType = String(req.headers['content-type'] ?? '');
	let body: IDataObject = {};
	if (contentType.includes('application/json') && raw.length) body = JSON.parse(raw.toString('utf8')) as IDataObject;
	else if (contentType.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
	const node = { id: o.nodeId, name: o.nodeType.description.defaults.name ?? 'node', type: `n8n-nodes-odoo-ops.${o.nodeType.description.name}`, typeVersion: 1, position: [0, 0] as [number, number], parameters: o.parameters };
	const request = { method: req.method, url: req.url, path: url.pathname, headers: req.headers, query: Object.fromEntries(url.searchParams), body, rawBody: raw };
	return {
		getNode: () => node,
		getNodeParameter: (name: string, fallback?: unknown) => (o.parameters[name] !== undefined ? o.parameters[name] : fallback),
		getCredentials: async (type: string) => {
			if (!o.nodeType.description.credentials?.some((c) => c.name === type)) throw new Error(`Node does not have credentials of type ${type}`);
			return { ...o.credentials };
		},
		getExecutionId: () => o.executionId ?? '',
		getRequestObject: () => request,
		getResponseObject: () => expressRes(res),
		getBodyData: () => body,
		getHeaderData: () => req.headers,
		getQueryData: () => Object.fromEntries(url.searchParams),
		getMode: () => 'webhook',
		helpers: { httpRequest },
		logger: { debug() {}, info() {}, warn() {}, error() {} },
	} as unknown as IWebhookFunctions;
}

async function runWebhook(o: ServeOptions, req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<WebhookCall> {
	const call: WebhookCall = { status: 0 };
	try {
		call.result = await o.nodeType.webhook!.call(webhookContext(o, req, res, raw));
		if (!res.writableEnded) {
			if (call.result.webhookResponse !== undefined) expressRes(res).status(200).json(call.result.webhookResponse);
			else expressRes(res).status(200).json({ message: 'Workflow was started' });
		}
	} catch (e) {
		call.error = e as Error;
		if (!res.writableEnded) expressRes(res).status(500).json({ message: 'Error in workflow' });
	}
	call.status = res.statusCode;
	return call;
}

const readRaw = (req: http.IncomingMessage) =>
	new Promise<Buffer>((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
	});

function listen(handler: http.RequestListener): Promise<{ origin: string; close: () => Promise<void> }> {
	const server = http.createServer(handler);
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
				close: () =>
					new Promise<void>((r) => {
						server.close(() => r());
						server.closeAllConnections();
					}),
			}),
		),
	);
}

export interface WaitingExecution extends ServeOptions {
	executionId: string;
	state: 'waiting' | 'resumed';
	calls: WebhookCall[];
	/** The node's outputs once resumed (Approved, Rejected, Timed Out). */
	outputs?: INodeExecutionData[][];
}

/** n8n's /webhook-waiting endpoint for the executions the tests put to wait. */
export async function startWaitingWebhooks() {
	const executions = new Map<string, WaitingExecution>();
	const server = await listen(async (req, res) => {
		const raw = await readRaw(req);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const [, prefix, executionId, nodeId] = url.pathname.split('/');
		const execution = executions.get(executionId);
		if (prefix !== 'webhook-waiting' || !execution || execution.nodeId !== decodeURIComponent(nodeId ?? '')) {
			res.writeHead(404).end('not found');
			return;
		}
		const given = Buffer.from(url.searchParams.get('signature') ?? '');
		const wanted = Buffer.from(signUrl(url));
		if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
			res.writeHead(401, { 'content-type': 'text/html' }).end('<p>Invalid token</p>');
			return;
		}
		if (execution.state !== 'waiting') {
			res.writeHead(200, { 'content-type': 'text/html' }).end('<p>No action required</p>');
			return;
		}
		const call = await runWebhook(execution, req, res, raw);
		execution.calls.push(call);
		if (call.result?.workflowData) {
			execution.state = 'resumed';
			execution.outputs = call.result.workflowData;
		}
	});
	return {
		...server,
		executions,
		/** What getSignedResumeUrl returns in n8n: base + /{executionId}/{nodeId}, parameters, then the signature. */
		signedResumeUrl(executionId: string, nodeId: string, parameters: Record<string, string> = {}): string {
			const url = new URL(`${server.origin}/webhook-waiting/${executionId}/${encodeURIComponent(nodeId)}`);
			for (const [k, v] of Object.entries(parameters)) url.searchParams.set(k, v);
			url.searchParams.set('signature', signUrl(url));
			return url.toString();
		},
	};
}
export type WaitingWebhooks = Awaited<ReturnType<typeof startWaitingWebhooks>>;

/** Runs execute() of a Request Approval as n8n would, and registers the execution as waiting when it waits. */
export async function runUntilWait(
	waiting: WaitingWebhooks,
	o: { nodeType: INodeType; parameters: INodeParameters; credentials: ICredentialDataDecryptedObject; items?: INodeExecutionData[] },
) {
	const executionId = `exec-${randomBytes(4).toString('hex')}`;
	const { context } = fakeExecuteFunctions({ nodeType: o.nodeType, parameters: o.parameters, credentials: o.credentials, items: o.items });
	const items = o.items ?? [{ json: {} }];
	const executeData: IExecuteData = { node: context.getNode(), data: { main: [items] }, source: null };
	let waitTill: Date | undefined;
	Object.assign(context as unknown as Record<string, unknown>, {
		getExecutionId: () => executionId,
		getSignedResumeUrl: (parameters?: Record<string, string>) => waiting.signedResumeUrl(executionId, context.getNode().id, parameters),
		putExecutionToWait: async (date: Date) => {
			waitTill = date;
		},
		getExecuteData: () => executeData,
	});
	const output = (await o.nodeType.execute!.call(context as IExecuteFunctions)) as INodeExecutionData[][];
	let execution: WaitingExecution | undefined;
	if (waitTill) {
		execution = { nodeType: o.nodeType, parameters: o.parameters, credentials: o.credentials, nodeId: context.getNode().id, executionId, state: 'waiting', calls: [] };
		waiting.executions.set(executionId, execution);
	}
	return {
		output,
		waitTill,
		executeData,
		execution,
		/** n8n's resume after the wait limit: the node is disabled and its stack entry's data is forwarded as its output. */
		timeOut(): INodeExecutionData[][] {
			const main = executeData.data.main as INodeExecutionData[][];
			if (execution) execution.state = 'resumed';
			return executeData.metadata?.forwardAllOutputs ? main : [main[0]];
		},
	};
}

/** n8n's production webhook endpoint for one trigger node. */
export async function startTriggerEndpoint(o: ServeOptions) {
	const calls: WebhookCall[] = [];
	const server = await listen(async (req, res) => {
		const raw = await readRaw(req);
		calls.push(await runWebhook(o, req, res, raw));
	});
	return {
		...server,
		url: `${server.origin}/webhook/test-webhook-id/slack-interactivity`,
		calls,
		/** The trigger answers Slack before it finishes: wait for its work to end. */
		async settled(count: number, timeoutMs = 10000): Promise<WebhookCall[]> {
			const until = Date.now() + timeoutMs;
			while (calls.length < count) {
				if (Date.now() > until) throw new Error(`only ${calls.length} of ${count} trigger calls finished`);
				await new Promise((r) => setTimeout(r, 10));
			}
			return calls;
		},
	};
}
