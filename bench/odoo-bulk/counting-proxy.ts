/**
 * bench/odoo-bulk: a counting reverse proxy in front of an Odoo server, so every path's HTTP requests and logins are
 * counted the same way whether the server is the in-process sandbox or a real Odoo, where nothing else can count
 * them. Bodies stream through both ways; method, path, headers and status are kept, except the hop-by-hop headers
 * (RFC 9110 §7.6.1: they describe one connection, not the message) and Host, which names the upstream so a real
 * server behind virtual hosting or a host-based dbfilter sees the name it expects.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ProxyStats {
	requests: number;
	logins: number;
}

export interface CountingProxy {
	url: string;
	stats: ProxyStats;
	reset(): void;
	close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** A login body is a few hundred bytes; past this a body is a data call and is only streamed, not kept. */
const INSPECT_LIMIT = 1 << 20;

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
	// A Connection header may name further headers that are hop-by-hop for this message.
	const named = new Set(String(headers.connection ?? '').split(',').map((token) => token.trim().toLowerCase()));
	const out: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) out[name] = value;
	return out;
}

/** Which requests could be logins, and so need their body read: the rest are only counted. */
function loginKind(path: string): 'jsonrpc' | 'xmlrpc' | 'session' | undefined {
	if (path === '/web/session/authenticate') return 'session';
	if (path === '/jsonrpc') return 'jsonrpc';
	if (/^\/xmlrpc\/(?:2\/)?common$/.test(path)) return 'xmlrpc';
	return undefined;
}

function countsAsLogin(kind: 'jsonrpc' | 'xmlrpc', body: string): number {
	if (kind === 'xmlrpc') return /<methodName>\s*(?:login|authenticate)\s*<\/methodName>/.test(body) ? 1 : 0;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return 0; // the server answers it with an error; it logs no one in
	}
	// Odoo takes one call per request; an array is counted call by call all the same.
	const calls = Array.isArray(parsed) ? parsed : [parsed];
	return calls.filter((call) => {
		const params = (call as { params?: { service?: unknown; method?: unknown } } | null)?.params;
		return params?.service === 'common' && (params.method === 'login' || params.method === 'authenticate');
	}).length;
}

export async function startCountingProxy(upstreamUrl: string): Promise<CountingProxy> {
	const upstream = new URL(upstreamUrl);
	const client = upstream.protocol === 'https:' ? https : http;
	// Keep-alive upstream as the clients keep it to us, so the proxy adds no connection set-up per request. The 1 s
	// idle timeout (the agent also honours a shorter Keep-Alive hint) drops a free socket before a server closes it
	// under a request.
	const agent = new client.Agent({ keepAlive: true, timeout: 1000 });
	const basePath = upstream.pathname.replace(/\/$/, '');
	const stats: ProxyStats = { requests: 0, logins: 0 };

	const server = http.createServer((req, res) => {
		stats.requests++;
		const path = (req.url ?? '/').split('?')[0];
		const kind = loginKind(path);
		if (kind === 'session') stats.logins++;
		if (kind === 'jsonrpc' || kind === 'xmlrpc') {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= INSPECT_LIMIT) chunks.push(chunk);
			});
			req.on('end', () => {
				if (size <= INSPECT_LIMIT) stats.logins += countsAsLogin(kind, Buffer.concat(chunks).toString('utf8'));
			});
		}
		const forward = client.request(
			{
				protocol: upstream.protocol,
				hostname: upstream.hostname,
				port: upstream.port || undefined,
				method: req.method,
				path: basePath + (req.url ?? '/'),
				headers: { ...endToEnd(req.headers), host: upstream.host },
				agent,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
				answer.pipe(res);
			},
		);
		forward.on('error', (error) => {
			if (!res.headersSent) {
				res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`bench proxy: ${upstream.origin} unreachable: ${error.message}\n`);
			} else res.destroy(error);
		});
		// A client that goes away mid-request must not leave the upstream call running for nobody.
		res.on('close', () => {
			if (!res.writableFinished) forward.destroy();
		});
		req.pipe(forward);
	});
	// No limits of our own: the server behind decides how long a request may take.
	server.requestTimeout = 0;
	server.headersTimeout = 0;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		stats,
		reset() {
			stats.requests = 0;
			stats.logins = 0;
		},
		close() {
			agent.destroy();
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
