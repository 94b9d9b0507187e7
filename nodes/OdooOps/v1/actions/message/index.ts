import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, recordLocator } from '../common.descriptions';
import * as post from './post.operation';

export { post };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [{ name: 'Post', value: 'post', description: "Post a note or message to a record's chatter", action: 'Post a message' }],
		default: 'post',
	},
	{ ...modelLocator, displayOptions: { show: { resource: ['message'] } } },
	{ ...recordLocator(), displayOptions: { show: { resource: ['message'] } } },
	...post.description,
];
