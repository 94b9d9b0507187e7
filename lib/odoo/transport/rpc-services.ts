import type { CallSite } from '../error-mapping';
import type { OdooServerVersion, OdooTransport, ResolvedProtocol, WireStats } from '../types';

/**
 * XML-RPC and JSON-RPC expose the same services (`common`, `object`, `db`) with the same positional arguments;
 * only the wire format differs. Subclasses say how one call goes over the wire.
 */
export abstract class RpcServicesTransport implements OdooTransport {
	abstract readonly protocol: ResolvedProtocol;
	readonly stats: WireStats = { requests: 0, logins: 0 };

	abstract call(service: 'common' | 'object' | 'db', method: string, args: unknown[], site?: CallSite): Promise<unknown>;

	version(): Promise<OdooServerVersion> {
		return this.call('common', 'version', []) as Promise<OdooServerVersion>;
	}

	async authenticate(db: string, login: string, secret: string): Promise<number | false> {
		this.stats.logins++;
		return (await this.call('common', 'authenticate', [db, login, secret, {}])) as number | false;
	}

	executeKw(db: string, uid: number, secret: string, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) {
		return this.call('object', 'execute_kw', [db, uid, secret, model, method, args, kwargs], { model, method });
	}
}
