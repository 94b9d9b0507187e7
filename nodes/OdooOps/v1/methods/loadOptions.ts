import { NodeOperationError, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';

import { buildOdooClient, credentialsToConfig, ODOO_CREDENTIAL_TYPE, toNodeError } from '../../../../lib/n8n';
import type { OdooFieldInfo } from '../../../../lib/odoo/types';

/** Fields Odoo maintains itself: offered for reading and filtering, never for writing. */
const MAGIC_FIELDS = new Set(['id', 'create_uid', 'create_date', 'write_uid', 'write_date', '__last_update', 'display_name']);

async function loadFields(context: ILoadOptionsFunctions): Promise<Array<[string, OdooFieldInfo]>> {
	const model = String(context.getNodeParameter('model', '', { extractValue: true }) ?? '').trim();
	if (!model) {
		throw new NodeOperationError(context.getNode(), 'Choose a model first', { description: 'The field list comes from the selected model' });
	}
	try {
		const client = buildOdooClient(credentialsToConfig(await context.getCredentials(ODOO_CREDENTIAL_TYPE)));
		const fields = await client.fieldsGet(model, ['string', 'type', 'required', 'readonly', 'relation']);
		return Object.entries(fields).sort(([, a], [, b]) => String(a.string).localeCompare(String(b.string)));
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
}

function option([name, info]: [string, OdooFieldInfo]): INodePropertyOptions {
	return {
		name: `${info.string || name} (${name})`,
		value: name,
		description: `${info.type}${info.relation ? ` → ${info.relation}` : ''}${info.required ? ', required' : ''}${info.readonly ? ', read-only' : ''}`,
	};
}

export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await loadFields(this)).map(option);
}

export async function getWritableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await loadFields(this))
		.filter(([name, info]) => !MAGIC_FIELDS.has(name) && info.readonly !== true)
		.map(option);
}
