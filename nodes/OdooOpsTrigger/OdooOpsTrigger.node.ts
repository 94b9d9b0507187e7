import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { getOdooClient, parseFieldList, toNodeError } from '../../lib/n8n';
import { andDomains, parseDomain } from '../../lib/odoo';
import type { OdooDomain, OdooRecord } from '../../lib/odoo/types';
import { credentialTest, listSearch } from '../OdooOps/v1/methods';
import { getFields } from '../OdooOps/v1/methods/loadOptions';

/** Where the trigger is in the model's history; lives in the workflow's static data, never in process memory. */
interface Cursor {
	field: 'create_date' | 'write_date';
	model: string;
	date: string;
	id: number;
}

/** The first poll starts here when the model is still empty, so its first records are not skipped. */
const EPOCH = '1970-01-01 00:00:00';

/**
 * Records strictly after the cursor in (date, id) order. Odoo stamps every record of one transaction with the same
 * date, to the second, so the date alone would skip or repeat records; the id breaks the tie.
 */
export function afterCursor(cursor: Cursor): OdooDomain {
	return ['|', [cursor.field, '>', cursor.date], '&', [cursor.field, '=', cursor.date], ['id', '>', cursor.id]];
}

function readCursor(data: IDataObject, field: Cursor['field'], model: string): Cursor | undefined {
	const cursor = data.cursor as Partial<Cursor> | undefined;
	// A cursor kept for another model or event would skip or replay records: start over instead.
	if (!cursor || cursor.field !== field || cursor.model !== model || typeof cursor.date !== 'string' || typeof cursor.id !== 'number') {
		return undefined;
	}
	return cursor as Cursor;
}

export class OdooOpsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Odoo Ops Trigger',
		name: 'odooOpsTrigger',
		icon: { light: 'file:odooOps.svg', dark: 'file:odooOps.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] + ": " + $parameter["model"].value }}',
		description:
			'Starts the workflow when Odoo records of a model are created or updated, without missing records that share a timestamp',
		defaults: { name: 'Odoo Ops Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest' }],
		properties: [
			{
				displayName: 'Model',
				name: 'model',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				required: true,
				description: 'The Odoo model to watch (e.g. Contact, res.partner)',
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						placeholder: 'Select a model...',
						typeOptions: { searchListMethod: 'searchModels', searchable: true },
					},
					{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'res.partner' },
				],
			},
			{
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				default: 'created',
				options: [
					{ name: 'Record Created', value: 'created', description: 'New records (create_date)' },
					{ name: 'Record Created or Updated', value: 'updated', description: 'New or changed records (write_date)' },
				],
			},
			{
				displayName: 'Domain',
				name: 'domain',
				type: 'string',
				default: '[]',
				typeOptions: { rows: 2 },
				placeholder: "[('stage_id.closed', '=', False)]",
				description: "Only records matching this domain (JSON or Odoo's list syntax)",
			},
			{
				displayName: 'Field Names or IDs',
				name: 'fields',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['model.value'] },
				default: [],
				description:
					'Fields to return; all when empty. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 100,
						description: 'Records read per request',
					},
					{
						displayName: 'Max Pages per Poll',
						name: 'maxPages',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10,
						description: 'A larger backlog is emitted over the following polls, in order',
					},
				],
			},
		],
	};

	methods = { credentialTest, listSearch, loadOptions: { getFields } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const model = String(this.getNodeParameter('model', '', { extractValue: true }) ?? '').trim();
		const field: Cursor['field'] = this.getNodeParameter('event', 'created') === 'updated' ? 'write_date' : 'create_date';
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const pageSize = Math.max(1, Math.floor(Number(options.pageSize) || 100));
		const maxPages = Math.max(1, Math.floor(Number(options.maxPages) || 10));
		const staticData = this.getWorkflowStaticData('node');

		try {
			const userDomain = parseDomain(String(this.getNodeParameter('domain', '[]') ?? '[]'));
			const requested = parseFieldList(this.getNodeParameter('fields', []));
			// The cursor needs both columns whatever the user picked; they are removed again below if not asked for.
			const fields = requested.length > 0 ? [...new Set([...requested, field, 'id'])] : undefined;
			const client = await getOdooClient(this);
			const strip = (record: OdooRecord): IDataObject => {
				if (!fields) return record as IDataObject;
				const out: IDataObject = {};
				for (const name of requested) if (name in record) out[name] = record[name] as IDataObject[string];
				if (!requested.includes('id')) out.id = record.id;
				return out;
			};

			if (this.getMode() === 'manual') {
				// "Fetch test event": show the newest matching record and leave the cursor alone.
				const sample = await client.searchRead(model, userDomain, { fields, order: `${field} desc, id desc`, limit: 1 });
				return sample.length > 0 ? [sample.map((record) => ({ json: strip(record) }))] : null;
			}

			const cursor = readCursor(staticData, field, model);
			if (!cursor) {
				// First activation: remember where history ends instead of replaying it into the workflow.
				const [newest] = await client.searchRead(model, userDomain, { fields: [field], order: `${field} desc, id desc`, limit: 1 });
				staticData.cursor = newest
					? ({ field, model, date: String(newest[field]), id: newest.id } satisfies Cursor)
					: ({ field, model, date: EPOCH, id: 0 } satisfies Cursor);
				return null;
			}

			const records: OdooRecord[] = [];
			let position: Cursor = cursor;
			const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
			const started = Date.now();
			for (let page = 0; page < maxPages; page++) {
				const batch = await client.searchRead(model, andDomains(afterCursor(position), userDomain), {
					fields,
					order: `${field} asc, id asc`,
					limit: pageSize,
				});
				if (batch.length === 0) break;
				records.push(...batch);
				const last = batch[batch.length - 1];
				position = { field, model, date: String(last[field]), id: last.id };
				if (batch.length < pageSize) break;
				// Leave the rest to the next poll rather than be cut off by the engine mid-page.
				if (budget !== undefined && Date.now() - started > budget / 2) break;
			}
			if (records.length === 0) return null;
			staticData.cursor = position satisfies Cursor;
			return [records.map((record) => ({ json: strip(record) }))];
		} catch (error) {
			throw toNodeError(node, error);
		}
	}
}
