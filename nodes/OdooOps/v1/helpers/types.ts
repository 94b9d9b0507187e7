import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NameCache } from '../../../../lib/odoo';
import type { OdooClient, OdooFieldInfo } from '../../../../lib/odoo/types';

/** Shared by every operation of one execution: the one client (one login) and what was already asked of Odoo. */
export interface ExecutionState {
	client: OdooClient;
	items: INodeExecutionData[];
	fields(model: string): Promise<Record<string, OdooFieldInfo>>;
	/** name → id answers of name_search, so a name repeated on many items is looked up once. */
	names: NameCache;
}

export type OperationExecute = (this: IExecuteFunctions, state: ExecutionState) => Promise<INodeExecutionData[]>;

export function createExecutionState(client: OdooClient, items: INodeExecutionData[]): ExecutionState {
	const fieldCache = new Map<string, Promise<Record<string, OdooFieldInfo>>>();
	return {
		client,
		items,
		names: new Map(),
		fields(model: string) {
			let fields = fieldCache.get(model);
			if (!fields) {
				fields = client.fieldsGet(model, ['string', 'type', 'required', 'readonly', 'relation', 'selection']);
				fieldCache.set(model, fields);
				// A failed lookup (unknown model) is reported for every item that needs it, not served from cache.
				fields.catch(() => fieldCache.delete(model));
			}
			return fields;
		},
	};
}
