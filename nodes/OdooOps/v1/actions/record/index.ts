import type { INodeProperties } from 'n8n-workflow';

import { modelLocator } from '../common.descriptions';
import * as count from './count.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { count, create, del as delete, get, getMany, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['record'] } },
		options: [
			{ name: 'Count', value: 'count', description: 'Count records matching a filter', action: 'Count records' },
			{ name: 'Create', value: 'create', description: 'Create records, many per request', action: 'Create records' },
			{ name: 'Create or Update', value: 'upsert', description: 'Create a record, or update the one with the same key fields', action: 'Create or update records by key' },
			{ name: 'Delete', value: 'delete', description: 'Delete a record', action: 'Delete a record' },
			{ name: 'Get', value: 'get', description: 'Get a record by ID', action: 'Get a record' },
			{ name: 'Get Many', value: 'getMany', description: 'Get records matching a filter', action: 'Get many records' },
			{ name: 'Update', value: 'update', description: 'Update a record', action: 'Update a record' },
		],
		default: 'getMany',
	},
	{ ...modelLocator, displayOptions: { show: { resource: ['record'] } } },
	...count.description,
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...update.description,
	...upsert.description,
];
