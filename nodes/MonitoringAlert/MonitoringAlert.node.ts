import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { AlertPayloadError, handleAlert, normaliseAlerts, parseCanonicalAlert, recordUnparsedAlert, type AlertSeverity, type AlertSource, type DedupeScope, type GenericPaths, type HandleAlertOptions, type TicketTarget } from '../../lib/alerts';
import { getOdooClient, parseFieldList, runPerItem, toNodeError } from '../../lib/n8n';
import type { OdooClient } from '../../lib/odoo/types';
import { credentialTest } from '../OdooOps/v1/methods';
import { properties } from './descriptions';

function getPath(source: unknown, path: string): unknown {
	let current = source;
	for (const part of path.split('.').filter(Boolean)) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}


/** The body a webhook delivered: n8n's Webhook node puts it under `body`, next to headers and query. */
function bodyOf(context: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): unknown {
	const from = context.getNodeParameter('bodyFrom', itemIndex) as string;
	if (from === 'item') return item.json;
	if (from === 'field') {
		const field = context.getNodeParameter('bodyField', itemIndex) as string;
		const value = getPath(item.json, field);
		if (value === undefined) {
			throw new NodeOperationError(context.getNode(), `The input item has no field '${field}'`, {
				description: `Set 'Body Field' to the field that holds the webhook body. The item has: ${Object.keys(item.json).join(', ') || 'no fields'}.`,
				itemIndex,
			});
		}
		return value;
	}
	const json = item.json as IDataObject;
	const looksLikeWebhook = json.body !== undefined && (json.headers !== undefined || Object.keys(json).every((key) => ['body', 'headers', 'params', 'query', 'webhookUrl', 'executionMode'].includes(key)));
	return looksLikeWebhook ? json.body : json;
}

function payloadFailure(context: IExecuteFunctions, error: AlertPayloadError, itemIndex: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), error.message, {
		description: error.issues.length > 0 ? error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n') : undefined,
		itemIndex,
	});
}

async function normalise(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let body: unknown;
		try {
			body = bodyOf(this, items[itemIndex], itemIndex);
			const options = this.getNodeParameter('normaliseOptions', itemIndex, {}) as IDataObject;
			const paths = this.getNodeParameter('genericPaths', itemIndex, {}) as Partial<GenericPaths>;
			const generic = Object.fromEntries(Object.entries(paths).filter(([, value]) => typeof value === 'string' && value.trim() !== '')) as Partial<GenericPaths>;
			const result = normaliseAlerts(body, {
				source: this.getNodeParameter('source', itemIndex) as AlertSource | 'auto',
				dedupeBy: this.getNodeParameter('dedupeBy', itemIndex) as DedupeScope,
				generic: generic.status ? (generic as GenericPaths) : undefined,
				defaultSeverity: (options.defaultSeverity as AlertSeverity | undefined) ?? 'warning',
				firingValues: parseFieldList(options.firingValues),
				resolvedValues: parseFieldList(options.resolvedValues),
			});
			const includeRaw = options.includeRaw !== false;
			const warnings = result.warnings.length > 0 ? { warnings: result.warnings } : {};
			if (result.test) {
				output.push({ json: { test: true, source: result.source, message: result.testMessage ?? '' }, pairedItem: { item: itemIndex } });
				continue;
			}
			if (result.alerts.length === 0) {
				output.push({ json: { skipped: true, source: result.source, ...warnings }, pairedItem: { item: itemIndex } });
				continue;
			}
			for (const alert of result.alerts) {
				const json = { ...alert, ...warnings } as unknown as IDataObject;
				if (!includeRaw) delete json.raw;
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const failure = error instanceof AlertPayloadError ? payloadFailure(this, error, itemIndex) : toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw failure;
			// The raw body stays on the error item so a malformed delivery can still be kept (e.g. on an "unparsed
			// alert" ticket) instead of being lost.
			output.push({
				json: {
					error: failure.message,
					...(error instanceof AlertPayloadError ? { issues: error.issues as unknown as IDataObject[] } : {}),
					rawBody: (body ?? null) as IDataObject,
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return output;
}

const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);

async function handleTicket(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	let client: OdooClient | undefined;
	return await runPerItem(this, items, async (itemIndex, item) => {
		const json = item.json as IDataObject;
		if (json.test === true || json.skipped === true) {
			return [{ json: { action: 'ignore', reason: json.test === true ? 'test-message' : 'no-alert', source: json.source ?? null } }];
		}
		if (typeof json.error === 'string' && 'rawBody' in json) {
			if (this.getNodeParameter('unparsed', itemIndex, 'ticket') === 'pass') return [{ json }];
			client ??= await getOdooClient(this);
			const target = this.getNodeParameter('target', itemIndex) as TicketTarget;
			const tags = parseFieldList(this.getNodeParameter('tags', itemIndex, '')).map((tag) => (/^\d+$/.test(tag) ? Number(tag) : tag));
			const kept = await recordUnparsedAlert(client, json.rawBody, json.error, {
				target,
				teamId: target === 'helpdesk.ticket' ? positive(this.getNodeParameter('teamId', itemIndex, 0)) : undefined,
				projectId: target === 'project.task' ? positive(this.getNodeParameter('projectId', itemIndex, 0)) : undefined,
				tags,
			});
			return [{ json: { ...kept, unparsed: true, error: json.error } as unknown as IDataObject }];
		}
		let alert;
		try {
			alert = parseCanonicalAlert(json);
		} catch (error) {
			throw error instanceof AlertPayloadError ? payloadFailure(this, error, itemIndex) : toNodeError(this.getNode(), error, itemIndex);
		}
		// One client for the whole run, created on the first real alert: one login whatever the number of items.
		client ??= await getOdooClient(this);
		const target = this.getNodeParameter('target', itemIndex) as TicketTarget;
		const extra = this.getNodeParameter('ticketOptions', itemIndex, {}) as IDataObject;
		const tags = parseFieldList(this.getNodeParameter('tags', itemIndex, '')).map((tag) => (/^\d+$/.test(tag) ? Number(tag) : tag));
		const options: HandleAlertOptions = {
			target,
			teamId: target === 'helpdesk.ticket' ? positive(this.getNodeParameter('teamId', itemIndex, 0)) : undefined,
			projectId: target === 'project.task' ? positive(this.getNodeParameter('projectId', itemIndex, 0)) : undefined,
			reopenWindowMinutes: this.getNodeParameter('reopenWindowMinutes', itemIndex, 60) as number,
			tags,
			closedStageId: positive(extra.closedStageId),
			openStageId: positive(extra.openStageId),
			assetModels: extra.linkAsset === false ? false : typeof extra.assetModels === 'string' ? parseFieldList(extra.assetModels) : undefined,
			createAssetField: extra.createAssetField !== false,
		};
		const result = await handleAlert(client, alert, options);
		return [{ json: { ...result, status: alert.status, summary: alert.summary } as unknown as IDataObject }];
	});
}

/**
 * Monitoring webhooks → Odoo tickets. Normalise is pure (no credential needed); Handle Ticket keeps exactly one open
 * ticket per dedupe key in Odoo, which is where all its state lives, so any worker can take any delivery.
 */
export class MonitoringAlert implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring Alert',
		name: 'monitoringAlert',
		icon: { light: 'file:monitoringAlert.svg', dark: 'file:monitoringAlert.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			'Turns Alertmanager, Grafana, Uptime Kuma and generic JSON alerts into Odoo tickets: one open ticket per incident, updated, reopened within a window and closed on resolve.',
		defaults: { name: 'Monitoring Alert' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'odooOpsApi', required: true, testedBy: 'odooOpsApiTest', displayOptions: { show: { operation: ['handleTicket'] } } }],
		properties,
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === 'normalise') return [await normalise.call(this, items)];
		if (operation === 'handleTicket') return [await handleTicket.call(this, items)];
		throw new NodeOperationError(this.getNode(), `The operation '${operation}' is not supported`);
	}
}
