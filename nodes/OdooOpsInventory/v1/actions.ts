/**
 * One function per operation, each thin: read parameters, call lib/inventory, shape items. Everything the inventory
 * knows lives in Odoo, so any worker can run any operation (queue mode) and a re-run finds what the last one made.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { parseFieldList, parseJsonParameter, runPerItem } from '../../../lib/n8n';
import { parseDomain } from '../../../lib/odoo';
import type { OdooClient, OdooDomain } from '../../../lib/odoo/types';
import { ensureAssetFields, listAssets, resolveAssetHome, upsertAssets } from '../../../lib/inventory/assets';
import { listCredentialReferences, upsertCredentialReferences } from '../../../lib/inventory/credentials';
import { applyPatchDecision, assetsDue, ensurePatchCycle, summarizeCycle, type ChangeWindows, type Cadence, type PatchDecision } from '../../../lib/inventory/patch-cycle';
import { ensureRotationTasks } from '../../../lib/inventory/rotation';
import { upsertRunbook } from '../../../lib/inventory/runbooks';
import { takeInventorySnapshot } from '../../../lib/inventory/snapshot';
import type { AssetHome } from '../../../lib/inventory/types';

export interface InventoryState {
	client: OdooClient;
	items: INodeExecutionData[];
	/** The asset home per (model, mapping) for this execution: one look at the model, whatever the number of items. */
	homes: Map<string, Promise<AssetHome>>;
}

type Operation = (this: IExecuteFunctions, state: InventoryState) => Promise<INodeExecutionData[]>;

const str = (ctx: IExecuteFunctions, name: string, i: number, fallback = ''): string => String(ctx.getNodeParameter(name, i, fallback) ?? '').trim();

/** A JSON object parameter, undefined when left empty (so the library's defaults apply). */
function objectParameter(ctx: IExecuteFunctions, name: string, label: string, i: number, example: string): Record<string, unknown> | undefined {
	const value = parseJsonParameter<Record<string, unknown>>(ctx.getNode(), label, ctx.getNodeParameter(name, i, ''), 'object', i, example);
	return Object.keys(value).length > 0 ? value : undefined;
}

async function home(ctx: IExecuteFunctions, state: InventoryState, i: number): Promise<AssetHome> {
	const choice = str(ctx, 'assetModel', i, 'auto');
	const model = choice === 'auto' ? undefined : choice === 'custom' ? str(ctx, 'customAssetModel', i) : choice;
	if (choice === 'custom' && !model) throw new NodeOperationError(ctx.getNode(), "No model given in 'Model Name'", { itemIndex: i, description: 'Type the technical name of your asset model, or pick Automatic.' });
	const fieldMap = objectParameter(ctx, 'fieldMap', 'Field Mapping (JSON)', i, '{"hostname": "x_fqdn"}') as AssetHome['fields'] | undefined;
	const key = JSON.stringify([model ?? null, fieldMap ?? {}]);
	let found = state.homes.get(key);
	if (!found) {
		found = resolveAssetHome(state.client, { model, fieldMap });
		state.homes.set(key, found);
	}
	return await found;
}

function assetDomain(ctx: IExecuteFunctions, i: number): OdooDomain {
	const raw = ctx.getNodeParameter('assetDomain', i, '[]');
	const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
	return text.trim() === '' ? [] : parseDomain(text);
}

const asJson = (value: unknown): IDataObject => JSON.parse(JSON.stringify(value)) as IDataObject;

/** The records an item describes: the whole item, or the JSON parameter. */
function inputRecord(ctx: IExecuteFunctions, state: InventoryState, source: string, jsonName: string, label: string, i: number): Record<string, unknown> {
	if (str(ctx, source, i, 'item') === 'json') return objectParameter(ctx, jsonName, label, i, 'the default value of this parameter') ?? {};
	return { ...(state.items[i].json as Record<string, unknown>) };
}

// ---- asset

const ensureFields: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const assetHome = await home(this, state, i);
		const created = await ensureAssetFields(state.client, assetHome);
		return [{ json: asJson({ model: assetHome.model, fields: assetHome.fields, created }) }];
	});
};

const getMany: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const assets = await listAssets(state.client, await home(this, state, i), { domain: assetDomain(this, i) });
		return assets.map((asset) => ({ json: asJson({ ref: `${asset.model},${asset.id}`, ...asset }) }));
	});
};

function policy(ctx: IExecuteFunctions, i: number) {
	return {
		asOf: str(ctx, 'asOf', i),
		patchGroups: parseFieldList(str(ctx, 'patchGroups', i)),
		osMatch: parseFieldList(str(ctx, 'osMatch', i)),
		minDaysSincePatch: Number(ctx.getNodeParameter('minDaysSincePatch', i, 25)),
	};
}

const getDue: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const assets = await listAssets(state.client, await home(this, state, i), { domain: assetDomain(this, i) });
		return assetsDue(assets, policy(this, i)).map((due) => ({ json: asJson({ ref: due.ref, reason: due.reason, daysSincePatch: due.daysSincePatch, ...due.asset }) }));
	});
};

/**
 * All items are checked before anything is written (a refused item, e.g. one carrying a secret, stops the whole
 * batch), then written in one go: no half-written inventory.
 */
const upsertAssetItems: Operation = async function (state) {
	const byHome = new Map<AssetHome, number[]>();
	const inputs: Array<Record<string, unknown>> = [];
	for (let i = 0; i < state.items.length; i++) {
		const assetHome = await home(this, state, i);
		byHome.set(assetHome, [...(byHome.get(assetHome) ?? []), i]);
		inputs[i] = inputRecord(this, state, 'assetInput', 'assetJson', 'Asset (JSON)', i);
	}
	const output: INodeExecutionData[] = [];
	for (const [assetHome, indexes] of byHome) {
		const results = await upsertAssets(state.client, assetHome, indexes.map((i) => inputs[i]) as never);
		results.forEach((result, n) => output.push({ json: asJson(result), pairedItem: { item: indexes[n] } }));
	}
	return output.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item);
};

// ---- credential references

const upsertReferences: Operation = async function (state) {
	const inputs = state.items.map((_, i) => inputRecord(this, state, 'referenceInput', 'referenceJson', 'Reference (JSON)', i));
	const results = await upsertCredentialReferences(state.client, inputs as never);
	return results.map((result, i) => ({ json: asJson(result), pairedItem: { item: i } }));
};

const getReferences: Operation = async function (state) {
	const references = await listCredentialReferences(state.client);
	return references.map((reference) => ({ json: asJson(reference), pairedItem: { item: 0 } }));
};

const rotationTasks: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const projectName = str(this, 'projectName', i) || undefined;
		const result = await ensureRotationTasks(state.client, { asOf: str(this, 'asOf', i), ...(projectName ? { projectName } : {}) });
		return [{ json: asJson(result) }];
	});
};

// ---- runbook

/**
 * 'model,id' refs or plain ids in the asset model, separated by spaces, semicolons or commas: the placeholder's
 * 'm,3, m,4', a list joined by an expression ('m,3,m,4'), '3, 4' and '3;4' all work. Anything else is passed on as
 * written, for the runbook check to name.
 */
function assetRefList(text: string, model: string): string[] {
	return text
		.split(/[\s;]+/)
		.flatMap((token) => token.split(/(?<=\d),(?=[a-z_])/i))
		.map((token) => token.replace(/^,+|,+$/g, ''))
		.flatMap((token) => (/^\d+(,\d+)*$/.test(token) ? token.split(',').map((id) => `${model},${id}`) : token ? [token] : []));
}

const upsertRunbookItem: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const assetHome = await home(this, state, i);
		const assetRefs = assetRefList(str(this, 'assetRefs', i), assetHome.model);
		const result = await upsertRunbook(state.client, { title: str(this, 'title', i), body: String(this.getNodeParameter('body', i, '') ?? ''), url: str(this, 'url', i) || undefined, assetRefs, home: assetHome });
		return [{ json: asJson(result) }];
	});
};

// ---- patch cycle

const plan: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const assets = await listAssets(state.client, await home(this, state, i), { domain: assetDomain(this, i) });
		const p = policy(this, i);
		const due = assetsDue(assets, p);
		const projectName = str(this, 'projectName', i) || undefined;
		const result = await ensurePatchCycle(state.client, {
			asOf: p.asOf,
			cadence: str(this, 'cadence', i, 'monthly') as Cadence,
			due,
			windows: objectParameter(this, 'changeWindows', 'Change Windows (JSON)', i, '{"default": {"weekday": "sat", "start": "22:00", "durationMinutes": 240}}') as ChangeWindows | undefined,
			...(projectName ? { projectName } : {}),
		});
		return [{ json: asJson({ ...result, needsDecision: result.counts.awaitingDecision > 0, summary: summarizeCycle(result) }) }];
	});
};

const DECISIONS: Record<string, PatchDecision> = { approved: 'approved', rejected: 'rejected', timedOut: 'timedOut', 'timed-out': 'timedOut', timed_out: 'timedOut' };

const applyDecision: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const cycle = str(this, 'cycle', i);
		const decision = DECISIONS[str(this, 'decision', i)];
		if (!decision) {
			throw new NodeOperationError(this.getNode(), `'Decision' must be approved, rejected or timed out, not '${str(this, 'decision', i)}'`, {
				itemIndex: i,
				description: "Map the approval node's 'decision' field, or pick one value per output.",
			});
		}
		const reason = str(this, 'reason', i) || undefined;
		const decidedBy = str(this, 'decidedBy', i) || undefined;
		const result = await applyPatchDecision(state.client, { ...(/^\d+$/.test(cycle) ? { projectId: Number(cycle) } : { key: cycle }), decision, reason, decidedBy });
		return [{ json: asJson(result) }];
	});
};

// ---- snapshot

const take: Operation = async function (state) {
	return await runPerItem(this, state.items, async (i) => {
		const assets = await listAssets(state.client, await home(this, state, i), { domain: assetDomain(this, i) });
		const projectName = str(this, 'projectName', i) || undefined;
		const result = await takeInventorySnapshot(state.client, { assets, asOf: str(this, 'asOf', i), ...(projectName ? { projectName } : {}) });
		return [{ json: asJson({ ...result, assets: assets.length }) }];
	});
};

export const operations: Record<string, Record<string, Operation>> = {
	asset: { ensureFields, getMany, getDue, upsert: upsertAssetItems },
	credentialReference: { upsert: upsertReferences, getMany: getReferences, createRotationTasks: rotationTasks },
	runbook: { upsert: upsertRunbookItem },
	patchCycle: { plan, applyDecision },
	snapshot: { take },
};
