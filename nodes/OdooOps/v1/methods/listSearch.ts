import { type ILoadOptionsFunctions, type INodeListSearchResult } from 'n8n-workflow';

import { buildOdooClient, credentialsToConfig, ODOO_CREDENTIAL_TYPE, toNodeError } from '../../../../lib/n8n';
import type { OdooClient, OdooDomain } from '../../../../lib/odoo/types';

const PAGE = 100;

async function client(context: ILoadOptionsFunctions): Promise<OdooClient> {
	return buildOdooClient(credentialsToConfig(await context.getCredentials(ODOO_CREDENTIAL_TYPE)));
}

export async function searchModels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken) || 0;
	const domain: OdooDomain = filter ? ['|', ['model', 'ilike', filter], ['name', 'ilike', filter]] : [];
	try {
		const models = await (await client(this)).searchRead('ir.model', domain, { fields: ['model', 'name'], order: 'model asc', limit: PAGE, offset });
		return {
			results: models.map((model) => ({ name: `${String(model.name)} (${String(model.model)})`, value: String(model.model) })),
			paginationToken: models.length === PAGE ? String(offset + PAGE) : undefined,
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

export async function searchRecords(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const model = String(this.getNodeParameter('model', '', { extractValue: true }) ?? '').trim();
	if (!model) return { results: [] };
	try {
		const records = await (await client(this)).nameSearch(model, filter ?? '', { limit: PAGE });
		return { results: records.map(([id, name]) => ({ name: `${name} (#${id})`, value: id })) };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
