/**
 * Inventory snapshot (seed 002): the asset inventory as CSV and JSON, attached in Odoo to one snapshot task per day,
 * with what changed since the previous snapshot. Earlier snapshots stay as they are, so Odoo keeps the history; the
 * previous inventory is read back from its JSON attachment, never from this process, because each scheduled run may
 * land on another n8n worker.
 *
 * It also holds the pure helpers the patch cycle shares (dates, RFC 4180 CSV); the Odoo record helpers both use are
 * in odoo-records.ts.
 */
import { ensureManualFields } from '../odoo/manual-schema';
import type { OdooClient } from '../odoo/types';
import { OPS_KEY_FIELD, OPS_KEY_SPEC, WITH_ARCHIVED, attachmentsNamed, decodeBase64, ensureProjectNamed, upsertTextAttachment, type TextAttachmentResult } from './odoo-records';
import { ASSET_FACTS, assetRef, InventoryInputError, type Asset, type AssetFact } from './types';

export { InventoryInputError };
export * from './odoo-records';

// ---------------------------------------------------------------------------------------------------------------------
// Errors

/** Accepts what an n8n expression gives (a Date or an ISO string), so a node can pass item JSON straight through. */
export function toDate(value: Date | string | undefined | null, field: string): Date {
	const date = value instanceof Date ? value : typeof value === 'string' && value.trim() ? new Date(value.trim()) : null;
	if (!date || Number.isNaN(date.getTime())) {
		throw new InventoryInputError(field, `expected a date, got ${JSON.stringify(value ?? null)}`, "Give an ISO 8601 date such as '2026-11-28T06:00:00Z' (for example {{ $now.toISO() }})");
	}
	return date;
}

/** YYYY-MM-DD of the instant in UTC. */
export function isoDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------------------
// CSV (RFC 4180)

export type CsvValue = string | number | null | undefined;

/** Quotes only when RFC 4180 requires it (comma, double quote, CR or LF); quotes inside are doubled. */
export function csvField(value: CsvValue): string {
	const text = value === null || value === undefined ? '' : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Lines end with CRLF, the last one too, as RFC 4180 spreadsheets expect. */
export function toCsv(rows: CsvValue[][]): string {
	return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

// ---------------------------------------------------------------------------------------------------------------------
// The inventory as documents

export const INVENTORY_COLUMNS = ['ref', 'name', 'hostname', 'ip', 'vlan', 'os', 'osVersion', 'owner', 'purpose', 'docsUrl', 'lastPatched', 'patchGroup', 'kind'] as const;

/** Model, then numeric id: 'x,9' before 'x,10', so the order does not move when ids grow a digit. */
export function compareAssetRefs(a: Pick<Asset, 'model' | 'id'>, b: Pick<Asset, 'model' | 'id'>): number {
	if (a.model !== b.model) return a.model < b.model ? -1 : 1;
	return a.id - b.id;
}

/** Sorted by reference, each reference once (its first row), so the CSV, the JSON and the diff list the same assets. */
function sortedByRef<T extends Pick<Asset, 'model' | 'id'>>(assets: readonly T[]): T[] {
	const seen = new Set<string>();
	return assets.filter((asset) => !seen.has(assetRef(asset)) && Boolean(seen.add(assetRef(asset)))).sort(compareAssetRefs);
}

/** A fact as a person reads it: the owner by name, empty for unknown. */
function factText(asset: Asset, fact: AssetFact): string | null {
	if (fact === 'owner') return asset.owner ? asset.owner.name : null;
	const value = asset[fact];
	return value === null || value === undefined || value === '' ? null : String(value);
}

export function inventoryToCsv(assets: readonly Asset[]): string {
	const rows: CsvValue[][] = [[...INVENTORY_COLUMNS]];
	for (const asset of sortedByRef(assets)) {
		rows.push(INVENTORY_COLUMNS.map((column) => (column === 'ref' ? assetRef(asset) : factText(asset, column))));
	}
	return toCsv(rows);
}

export interface InventoryEntry extends Asset {
	ref: string;
}

export interface InventoryDocument {
	/** Tells a reader (and parseInventoryJson) what the file is. */
	format: 'n8n-nodes-odoo-ops/inventory';
	version: 1;
	/** ISO 8601 instant the inventory was taken at. */
	asOf: string;
	count: number;
	assets: InventoryEntry[];
}

/** Fixed key order, so equal inventories give byte-equal files and the attachment is not rewritten for nothing. */
function entryOf(asset: Asset): InventoryEntry {
	return {
		ref: assetRef(asset),
		model: asset.model,
		id: asset.id,
		name: asset.name,
		hostname: asset.hostname ?? null,
		ip: asset.ip ?? null,
		vlan: asset.vlan ?? null,
		os: asset.os ?? null,
		osVersion: asset.osVersion ?? null,
		owner: asset.owner ? { id: asset.owner.id, name: asset.owner.name } : null,
		purpose: asset.purpose ?? null,
		docsUrl: asset.docsUrl ?? null,
		lastPatched: asset.lastPatched ?? null,
		patchGroup: asset.patchGroup ?? null,
		kind: asset.kind ?? null,
	};
}

export function inventoryDocument(assets: readonly Asset[], asOf: Date | string): InventoryDocument {
	const entries = sortedByRef(assets).map(entryOf);
	return { format: 'n8n-nodes-odoo-ops/inventory', version: 1, asOf: toDate(asOf, 'asOf').toISOString(), count: entries.length, assets: entries };
}

export function inventoryToJson(assets: readonly Asset[], asOf: Date | string): string {
	return `${JSON.stringify(inventoryDocument(assets, asOf), null, 2)}\n`;
}

/** Reads back an inventory JSON this module wrote; anything else is refused with what is wrong with it. */
export function parseInventoryJson(text: string): InventoryDocument {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw new InventoryInputError('inventory JSON', `is not JSON (${(error as Error).message})`);
	}
	const doc = data as Partial<InventoryDocument> | null;
	if (!doc || typeof doc !== 'object' || !Array.isArray(doc.assets)) {
		throw new InventoryInputError('inventory JSON', "has no 'assets' list", 'Only files written by the inventory snapshot can be compared');
	}
	doc.assets.forEach((entry, index) => {
		if (!entry || typeof entry.model !== 'string' || !Number.isInteger(entry.id) || typeof entry.name !== 'string') {
			throw new InventoryInputError(`inventory JSON assets[${index}]`, 'needs model, id and name');
		}
	});
	const assets = doc.assets.map((entry) => entryOf(entry));
	return { format: 'n8n-nodes-odoo-ops/inventory', version: 1, asOf: typeof doc.asOf === 'string' ? doc.asOf : '', count: assets.length, assets };
}

// ---------------------------------------------------------------------------------------------------------------------
// Difference between two inventories

export interface AssetBrief {
	ref: string;
	name: string;
}

export interface FactChange {
	from: string | null;
	to: string | null;
}

export interface AssetChange extends AssetBrief {
	changes: Partial<Record<AssetFact, FactChange>>;
}

export interface InventoryDiff {
	added: AssetBrief[];
	removed: AssetBrief[];
	changed: AssetChange[];
	/** Assets present in both and equal. */
	unchanged: number;
}

function byRef(assets: readonly Asset[]): Map<string, Asset> {
	const map = new Map<string, Asset>();
	for (const asset of sortedByRef(assets)) map.set(assetRef(asset), asset);
	return map;
}

/** Keyed by the asset reference: a renamed host is a change of the same asset, a new Odoo record is an addition. */
export function diffInventories(previous: readonly Asset[], current: readonly Asset[]): InventoryDiff {
	const before = byRef(previous);
	const after = byRef(current);
	const diff: InventoryDiff = { added: [], removed: [], changed: [], unchanged: 0 };
	for (const [ref, asset] of after) {
		const old = before.get(ref);
		if (!old) {
			diff.added.push({ ref, name: asset.name });
			continue;
		}
		const changes: Partial<Record<AssetFact, FactChange>> = {};
		for (const fact of ASSET_FACTS) {
			// The owner is compared by user id: two users may share a name, and a renamed user is the same owner.
			const same = fact === 'owner' ? (old.owner?.id ?? null) === (asset.owner?.id ?? null) : factText(old, fact) === factText(asset, fact);
			if (!same) changes[fact] = { from: factText(old, fact), to: factText(asset, fact) };
		}
		if (Object.keys(changes).length > 0) diff.changed.push({ ref, name: asset.name, changes });
		else diff.unchanged++;
	}
	for (const [ref, asset] of before) if (!after.has(ref)) diff.removed.push({ ref, name: asset.name });
	return diff;
}

export function diffIsEmpty(diff: InventoryDiff): boolean {
	return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

const LISTED = 5;

function listed(items: string[]): string {
	return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

function quoted(value: string | null): string {
	return value === null ? 'none' : `'${value}'`;
}

/**
 * One line a person reads in Slack or the chatter: "2 added (pve02, dc02), 1 removed (mon01), 1 changed (odoo01: os
 * 'Debian 12' → 'Debian 13')", or "no change since Inventory 2026-11-01".
 */
export function describeDiff(diff: InventoryDiff, previousName?: string | null): string {
	if (diffIsEmpty(diff)) return previousName ? `no change since ${previousName}` : 'no change';
	const parts: string[] = [];
	if (diff.added.length) parts.push(`${diff.added.length} added (${listed(diff.added.map((a) => a.name))})`);
	if (diff.removed.length) parts.push(`${diff.removed.length} removed (${listed(diff.removed.map((a) => a.name))})`);
	if (diff.changed.length) {
		const lines = diff.changed.map((change) => {
			const facts = Object.entries(change.changes).map(([fact, c]) => `${fact} ${quoted(c!.from)} → ${quoted(c!.to)}`);
			return `${change.name}: ${facts.join(', ')}`;
		});
		parts.push(`${diff.changed.length} changed (${listed(lines)})`);
	}
	return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------------------------------
// The snapshot executor

export const SNAPSHOT_KEY_PREFIX = 'snapshot:';
export const DEFAULT_SNAPSHOT_PROJECT = 'Inventory snapshots';

export interface InventorySnapshotInput {
	/** The inventory as read now (listAssets). */
	assets: Asset[];
	/** The snapshot's instant; its UTC date names the snapshot, so one snapshot per day. */
	asOf: Date | string;
	projectName?: string;
}

export interface InventorySnapshotResult {
	snapshot: { id: number; name: string; created: boolean };
	csvAttachmentId: number;
	jsonAttachmentId: number;
	/** What this run did to the two files. */
	attachments: { csv: TextAttachmentResult['action']; json: TextAttachmentResult['action'] };
	previous: { id: number; name: string } | null;
	/** Null on the first snapshot, or when the previous one has no readable inventory JSON. */
	diff: InventoryDiff | null;
	message: string;
	/** The message was posted to the snapshot's chatter by this run. */
	noted: boolean;
	warnings: string[];
}

export function snapshotName(day: string): string {
	return `Inventory ${day}`;
}

function validateAssets(assets: unknown, field: string): Asset[] {
	if (!Array.isArray(assets)) throw new InventoryInputError(field, `expected a list of assets, got ${typeof assets}`, 'Pass the output of listAssets');
	assets.forEach((asset: Partial<Asset> | null, index) => {
		if (!asset || typeof asset.model !== 'string' || !asset.model || !Number.isInteger(asset.id) || typeof asset.name !== 'string') {
			throw new InventoryInputError(`${field}[${index}]`, 'an asset needs model, id and name', 'Pass the output of listAssets');
		}
	});
	return assets as Asset[];
}

/** The JSON's assets without its asOf: a second run on the same day with the same inventory is not a change. */
function sameInventory(storedJson: string | null, assets: readonly Asset[]): boolean {
	if (storedJson === null) return false;
	try {
		return JSON.stringify(parseInventoryJson(storedJson).assets) === JSON.stringify(sortedByRef(assets).map(entryOf));
	} catch {
		return false;
	}
}

export async function takeInventorySnapshot(client: OdooClient, input: InventorySnapshotInput): Promise<InventorySnapshotResult> {
	const assets = validateAssets(input.assets, 'assets');
	const asOf = toDate(input.asOf, 'asOf');
	const projectName = (input.projectName ?? DEFAULT_SNAPSHOT_PROJECT).trim();
	if (!projectName) throw new InventoryInputError('projectName', 'is empty', `Leave it out for '${DEFAULT_SNAPSHOT_PROJECT}' or name a project`);
	const day = isoDay(asOf);
	const key = `${SNAPSHOT_KEY_PREFIX}${day}`;
	const name = snapshotName(day);
	const csvName = `inventory-${day}.csv`;
	const jsonName = `inventory-${day}.json`;
	const csv = inventoryToCsv(assets);
	const warnings: string[] = [];

	await ensureManualFields(client, 'project.task', [OPS_KEY_SPEC]);
	const project = await ensureProjectNamed(client, projectName);
	if (project.archived) warnings.push(`Project '${projectName}' is archived; the snapshot was filed there anyway`);

	const [existing] = await client.searchRead('project.task', [[OPS_KEY_FIELD, '=', key], ['project_id', '=', project.id]], { fields: ['id', 'name'], order: 'id asc', limit: 1, context: WITH_ARCHIVED });
	const snapshot = existing
		? { id: existing.id, name: String(existing.name), created: false }
		: { id: (await client.create('project.task', [{ name, project_id: project.id, [OPS_KEY_FIELD]: key }]))[0], name, created: true };

	const stored = await attachmentsNamed(client, 'project.task', snapshot.id, [csvName, jsonName]);
	const storedCsv = stored.find((row) => row.name === csvName) ?? null;
	const storedJson = stored.find((row) => row.name === jsonName) ?? null;
	const csvResult = await upsertTextAttachment(client, { resModel: 'project.task', resId: snapshot.id, name: csvName, mimetype: 'text/csv', text: csv }, storedCsv);
	// A same-day re-run keeps the first run's file (and its asOf) when the inventory itself did not change.
	const jsonResult = sameInventory(decodeBase64(storedJson?.datas), assets)
		? { id: storedJson!.id, action: 'unchanged' as const }
		: await upsertTextAttachment(client, { resModel: 'project.task', resId: snapshot.id, name: jsonName, mimetype: 'application/json', text: inventoryToJson(assets, asOf) }, storedJson);

	// The latest earlier snapshot by its key's date: names and ids may be edited or reordered, the key is not.
	const [prev] = await client.searchRead(
		'project.task',
		[
			['project_id', '=', project.id],
			[OPS_KEY_FIELD, '=like', `${SNAPSHOT_KEY_PREFIX}%`],
			[OPS_KEY_FIELD, '<', key],
		],
		{ fields: ['id', 'name', OPS_KEY_FIELD], order: `${OPS_KEY_FIELD} desc, id desc`, limit: 1, context: WITH_ARCHIVED },
	);
	const previous = prev ? { id: prev.id, name: String(prev.name) } : null;
	let diff: InventoryDiff | null = null;
	let message: string;
	if (!prev) {
		message = `${name}: first snapshot, ${assets.length} asset${assets.length === 1 ? '' : 's'}`;
	} else {
		const prevDay = String(prev[OPS_KEY_FIELD]).slice(SNAPSHOT_KEY_PREFIX.length);
		const [prevJson] = await attachmentsNamed(client, 'project.task', prev.id, [`inventory-${prevDay}.json`]);
		let before: Asset[] | null = null;
		try {
			const text = decodeBase64(prevJson?.datas);
			if (text !== null) before = parseInventoryJson(text).assets;
		} catch (error) {
			warnings.push(`The inventory JSON of '${previous!.name}' could not be read (${(error as Error).message}); no difference computed`);
		}
		if (before) {
			diff = diffInventories(before, assets);
			message = `${name}: ${assets.length} asset${assets.length === 1 ? '' : 's'}; ${describeDiff(diff, previous!.name)}${diffIsEmpty(diff) ? '' : ` since ${previous!.name}`}`;
		} else {
			if (!prevJson) warnings.push(`'${previous!.name}' has no inventory-${prevDay}.json; no difference computed`);
			message = `${name}: ${assets.length} asset${assets.length === 1 ? '' : 's'}; no difference: '${previous!.name}' has no readable inventory`;
		}
	}

	// Posting only when something was written keeps a same-day re-run silent; a changed inventory gets its new diff.
	const wrote = snapshot.created || csvResult.action !== 'unchanged' || jsonResult.action !== 'unchanged';
	if (wrote) await client.messagePost('project.task', snapshot.id, { body: message, kind: 'note' });
	return {
		snapshot,
		csvAttachmentId: csvResult.id,
		jsonAttachmentId: jsonResult.id,
		attachments: { csv: csvResult.action, json: jsonResult.action },
		previous,
		diff,
		message,
		noted: wrote,
		warnings,
	};
}
