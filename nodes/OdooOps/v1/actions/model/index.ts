import type { INodeProperties } from 'n8n-workflow';

import { modelLocator } from '../common.descriptions';
import * as getFields from './getFields.operation';
import * as getMany from './getMany.operation';

export { getFields, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{ name: 'Get Fields', value: 'getFields', description: 'List the fields of a model with types, required flags and selection values', action: 'Get the fields of a model' },
			{ name: 'Get Many', value: 'getMany', description: 'List the models of the database', action: 'Get many models' },
		],
		default: 'getFields',
	},
	{ ...modelLocator, displayOptions: { show: { resource: ['model'], operation: ['getFields'] } } },
	...getFields.description,
	...getMany.description,
];
