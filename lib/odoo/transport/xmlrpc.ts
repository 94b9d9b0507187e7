import * as xmlrpc from 'xmlrpc';
import { fromHttpStatus, fromNetworkError, fromXmlRpcFault, networkCode, type CallSite } from '../error-mapping';
import { RpcServicesTransport } from './rpc-services';
import { joinUrl, originOf } from './http';

/** Odoo's /xmlrpc/2 endpoints through the `xmlrpc` package; faults carry a traceback that error-mapping reads. */
export class XmlRpcTransport extends RpcServicesTransport {
	readonly protocol = 'xmlrpc' as const;
	private readonly clients = new Map<string, xmlrpc.Client>();

	constructor(
		private readonly baseUrl: string,
		private readonly timeoutMs: number,
	) {
		super();
	}

	private client(service: 'common' | 'object' | 'db'): xmlrpc.Client {
		let client = this.clients.get(service);
		if (!client) {
			const url = joinUrl(this.baseUrl, `/xmlrpc/2/${service}`);
			client = url.startsWith('https:') ? xmlrpc.createSecureClient({ url }) : xmlrpc.createClient({ url });
			this.clients.set(service, client);
		}
		return client;
	}

	call(service: 'common' | 'object' | 'db', method: string, params: unknown[], site: CallSite = {}): Promise<unknown> {
		this.stats.requests++;
		const origin = originOf(this.baseUrl);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(fromNetworkError({ code: 'ETIMEDOUT' }, origin, site)), this.timeoutMs);
			this.client(service).methodCall(method, params, (error: any, value: unknown) => {
				clearTimeout(timer);
				if (!error) return resolve(value);
				if (typeof error.faultCode === 'number' || error.faultString !== undefined) {
					return reject(fromXmlRpcFault(Number(error.faultCode), String(error.faultString ?? ''), site));
				}
				if (networkCode(error)) return reject(fromNetworkError(error, origin, site));
				const status = error.res?.statusCode ?? (error.message === 'Not Found' ? 404 : 502);
				reject(fromHttpStatus(status, origin, String(error.body ?? error.message), site));
			});
		});
	}
}
