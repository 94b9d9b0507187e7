import { fromHttpStatus, fromJsonRpcError, type CallSite } from '../error-mapping';
import { RpcServicesTransport } from './rpc-services';
import { joinUrl, originOf, postJson } from './http';

/** Odoo's /jsonrpc endpoint (all versions up to 21): {service, method, args} inside a JSON-RPC 2.0 "call". */
export class JsonRpcTransport extends RpcServicesTransport {
	readonly protocol = 'jsonrpc' as const;
	private nextId = 1;

	constructor(
		private readonly baseUrl: string,
		private readonly timeoutMs: number,
	) {
		super();
	}

	async call(service: string, method: string, args: unknown[], site: CallSite = {}): Promise<unknown> {
		const url = joinUrl(this.baseUrl, '/jsonrpc');
		const { status, body, text } = await postJson(
			this.stats,
			url,
			{ jsonrpc: '2.0', method: 'call', id: this.nextId++, params: { service, method, args } },
			{ timeoutMs: this.timeoutMs, site },
		);
		const envelope = body as { result?: unknown; error?: { code?: number; message?: string; data?: any } } | undefined;
		if (envelope?.error) throw fromJsonRpcError(envelope.error, site);
		if (status !== 200 || !envelope || !('result' in envelope)) throw fromHttpStatus(status === 200 ? 502 : status, originOf(url), text, site);
		return envelope.result;
	}
}
