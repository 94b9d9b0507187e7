import type { INodeProperties } from 'n8n-workflow';

import { modelLocator, recordLocator } from '../common.descriptions';
import * as download from './download.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export { download, getMany, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		options: [
			{ name: 'Download', value: 'download', description: 'Download an attachment to binary data', action: 'Download an attachment' },
			{ name: 'List', value: 'getMany', description: 'List the attachments of a record', action: 'List attachments of a record' },
			{ name: 'Upload', value: 'upload', description: 'Attach binary data to a record', action: 'Upload an attachment' },
		],
		default: 'upload',
	},
	{ ...modelLocator, displayOptions: { show: { resource: ['attachment'], operation: ['upload', 'getMany'] } } },
	{ ...recordLocator(), displayOptions: { show: { resource: ['attachment'], operation: ['upload', 'getMany'] } } },
	...download.description,
	...getMany.description,
	...upload.description,
];
