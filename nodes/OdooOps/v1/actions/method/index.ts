import type { INodeProperties } from 'n8n-workflow';

import { modelLocator } from '../common.descriptions';
import * as call from './call.operation';

export { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['method'] } },
		options: [{ name: 'Call', value: 'call', description: 'Call any method of a model', action: 'Call a method' }],
		default: 'call',
	},
	{ ...modelLocator, displayOptions: { show: { resource: ['method'] } } },
	...call.description,
];
