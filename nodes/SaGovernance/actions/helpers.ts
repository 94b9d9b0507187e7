import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';

import {
	DEFAULT_NAMES,
	deny,
	indexWorld,
	resolveContext,
	type Denial,
	type DenyReason,
	type GovernanceContext,
	type GovernanceNames,
	type GovernanceStore,
	type GovernanceWorld,
	type IndexedWorld,
	type StampedRecord,
	type Assignment,
	type TargetDecision,
} from '../../../lib/governance';
import { OdooGovernanceStore } from '../../../lib/governance/odoo-store';
import { parseIdList, parseJsonParameter, runPerItem } from '../../../lib/n8n';
import type { OdooClient } from '../../../lib/odoo/types';

const MODEL_NAME = /^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)*$/;
const FIELD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const ASSET_STAMP = Object.freeze({ sa: 'sa_id', actor: 'actor_id' });

const NAME_LABELS: Record<keyof Omit<GovernanceNames, 'stampFields'>, string> = {
	servicedAccountModel: 'Serviced Account Model',
	membershipModel: 'Membership Model',
	assetModel: 'Asset Model',
	assignmentModel: 'Assignment Model',
	saField: 'Stamp SA Field',
	actorField: 'Stamp Actor Field',
};

/** The "Names" collection over the seeds' defaults; a malformed name is refused here rather than sent to Odoo. */
export function getNames(context: IExecuteFunctions, itemIndex: number): GovernanceNames {
	const raw = context.getNodeParameter('names', itemIndex, {}) as IDataObject;
	const node = context.getNode();
	const names: GovernanceNames = { ...DEFAULT_NAMES };
	for (const key of Object.keys(NAME_LABELS) as Array<keyof typeof NAME_LABELS>) {
		const value = raw[key];
		if (value === undefined || value === null || String(value).trim() === '') continue;
		const text = String(value).trim();
		const isField = key === 'saField' || key === 'actorField';
		if (!(isField ? FIELD_NAME : MODEL_NAME).test(text)) {
			throw new NodeOperationError(node, `'Names › ${NAME_LABELS[key]}' is not a valid Odoo ${isField ? 'field' : 'model'} name`, {
				description: `Got '${text}'. Use the technical name, e.g. '${DEFAULT_NAMES[key]}'.`,
				itemIndex,
			});
		}
		names[key] = text;
	}
	// The asset wrapper carries its own SA and actor fields (seed 004 §9.5), not the x_ stamp of governed models.
	names.stampFields = { [names.assetModel]: { ...ASSET_STAMP } };
	if (raw.stampFields !== undefined && raw.stampFields !== '') {
		const parsed = parseJsonParameter<Record<string, unknown>>(node, 'Names › Per-Model Stamp Fields', raw.stampFields, 'object', itemIndex);
		const stampFields: Record<string, { sa: string; actor: string }> = {};
		for (const [model, fields] of Object.entries(parsed)) {
			const f = fields as { sa?: unknown; actor?: unknown } | null;
			if (!f || typeof f.sa !== 'string' || typeof f.actor !== 'string' || !FIELD_NAME.test(f.sa) || !FIELD_NAME.test(f.actor)) {
				throw new NodeOperationError(node, `'Names › Per-Model Stamp Fields' has an invalid entry for '${model}'`, {
					description: 'Each model maps to {"sa": "<field>", "actor": "<field>"}, e.g. {"ov.asset": {"sa": "serviced_account_id", "actor": "x_actor_id"}}.',
					itemIndex,
				});
			}
			stampFields[model] = { sa: f.sa, actor: f.actor };
		}
		names.stampFields = { ...names.stampFields, ...stampFields };
	}
	return names;
}

/** Several refused records become one denial that names each of them, so nothing is written and the fix is clear. */
export function refusal(decisions: readonly TargetDecision[]): Denial {
	const first = decisions[0];
	const more = decisions.length > 1 ? ` (and ${decisions.length - 1} more refused record(s))` : '';
	return deny(first.reason as DenyReason, `${first.message}${more} Nothing was written.`, {
		refused: decisions.map((d) => ({ model: d.model, id: d.id, reason: d.reason, message: d.message })),
	});
}

/** A partner or SA id from a parameter. Empty is allowed only where the parameter is optional. */
export function getOptionalId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): number | null {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === undefined || value === null || value === '' || value === 0 || value === '0') return null;
	const ids = parseIdList(context.getNode(), label, typeof value === 'string' ? value.trim() : value, itemIndex);
	if (ids.length !== 1) {
		throw new NodeOperationError(context.getNode(), `'${label}' must be one ID`, { description: `Got ${ids.length} IDs; give a single res.partner or serviced account ID.`, itemIndex });
	}
	return ids[0];
}

export function getRequiredId(context: IExecuteFunctions, name: string, label: string, itemIndex: number, hint: string): number {
	const id = getOptionalId(context, name, label, itemIndex);
	if (id === null) throw new NodeOperationError(context.getNode(), `'${label}' is empty`, { description: hint, itemIndex });
	return id;
}

export function getModelName(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const model = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!MODEL_NAME.test(model)) {
		throw new NodeOperationError(context.getNode(), model === '' ? `'${label}' is empty` : `'${label}' is not a valid Odoo model name`, {
			description: 'Use the technical model name, e.g. sale.order or helpdesk.ticket.',
			itemIndex,
		});
	}
	return model;
}

export function getModelList(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string[] {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	const list = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(',')).map((m) => m.trim()).filter(Boolean);
	const bad = list.find((m) => !MODEL_NAME.test(m));
	if (list.length === 0 || bad !== undefined) {
		throw new NodeOperationError(context.getNode(), list.length === 0 ? `'${label}' is empty` : `'${label}' contains '${bad}', which is not a model name`, {
			description: 'List the governed models separated by commas, e.g. res.partner, sale.order, helpdesk.ticket.',
			itemIndex,
		});
	}
	return [...new Set(list)];
}

/**
 * A governance denial as an n8n error: the sentence is the message, the machine reason travels in the error's
 * context so the error item (Continue On Fail / error output) can carry it for a workflow to branch on.
 */
export function denialError(node: INode, denial: Denial, itemIndex?: number): NodeOperationError {
	const error = new NodeOperationError(node, denial.message, {
		description: `Governance reason: ${denial.reason}${denial.details ? `\nDetails: ${JSON.stringify(denial.details)}` : ''}`,
		itemIndex,
	});
	error.context.reason = denial.reason;
	if (denial.details) error.context.details = denial.details as IDataObject;
	return error;
}

/**
 * The failed item: `{ error, details: { reason, ... } }`. n8n routes an item to a node's error output only when its
 * json has no keys but error, message and details, and it replaces the json of an item carrying `.error` with the
 * message alone; so the machine reason lives in `details`, where a workflow can branch on it (a denial → 403).
 */
export function errorJson(failure: NodeOperationError | { message: string; context: IDataObject }): IDataObject {
	const details: IDataObject = {};
	if (failure.context.reason !== undefined) details.reason = failure.context.reason;
	if (failure.context.details !== undefined) Object.assign(details, failure.context.details as IDataObject);
	return Object.keys(details).length > 0 ? { error: failure.message, details } : { error: failure.message };
}

/** lib/n8n's runPerItem, with failed items keeping the governance reason (see errorJson). */
export function runGoverned(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number, item: INodeExecutionData) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	return runPerItem(context, items, fn, errorJson);
}

/** Memoises the world per person for one execution, so a batch pays the three loading calls once per person. */
class CachingStore implements GovernanceStore {
	private readonly worlds = new Map<number, Promise<GovernanceWorld>>();
	constructor(private readonly inner: GovernanceStore) {}
	loadWorld(partnerId: number): Promise<GovernanceWorld> {
		let world = this.worlds.get(partnerId);
		if (!world) {
			world = this.inner.loadWorld(partnerId);
			this.worlds.set(partnerId, world);
			world.catch(() => this.worlds.delete(partnerId));
		}
		return world;
	}
	readStamps(model: string, ids: readonly number[]): Promise<StampedRecord[]> {
		return this.inner.readStamps(model, ids);
	}
	stampedRecords(model: string, saId: number, actorId?: number | null): Promise<StampedRecord[]> {
		return this.inner.stampedRecords(model, saId, actorId);
	}
	assignments(saId: number, filter?: { recordModel?: string; recordIds?: readonly number[]; activeOnly?: boolean }): Promise<Assignment[]> {
		return this.inner.assignments(saId, filter);
	}
}

/** Everything one execution shares: the client (one login), a store per set of names, and one clock reading. */
export class GovernanceState {
	readonly now = new Date();
	private readonly stores = new Map<string, GovernanceStore>();
	private readonly indexed = new Map<string, Promise<IndexedWorld>>();

	constructor(
		readonly client: OdooClient,
		readonly items: INodeExecutionData[],
	) {}

	private readonly fieldTypes = new Map<string, Promise<Record<string, string>>>();

	/**
	 * Field types of a governance model, asked once per execution: the seeds leave date vs datetime open (004 §12),
	 * and Odoo refuses a datetime text in some date fields, so values are shaped to the field actually there.
	 */
	async fieldType(model: string, field: string): Promise<string | undefined> {
		let types = this.fieldTypes.get(model);
		if (!types) {
			types = this.client.fieldsGet(model, ['type']).then((fields) => Object.fromEntries(Object.entries(fields).map(([name, info]) => [name, String(info.type)])));
			this.fieldTypes.set(model, types);
			types.catch(() => this.fieldTypes.delete(model));
		}
		return (await types)[field];
	}

	/** A datetime text from the plans, cut to a date when the Odoo field is a date. */
	async dateValue(model: string, field: string, value: unknown): Promise<unknown> {
		if (typeof value !== 'string') return value;
		return (await this.fieldType(model, field)) === 'date' ? value.slice(0, 10) : value;
	}

	store(names: GovernanceNames): GovernanceStore {
		const key = JSON.stringify(names);
		let store = this.stores.get(key);
		if (!store) {
			store = new CachingStore(new OdooGovernanceStore(this.client, names));
			this.stores.set(key, store);
		}
		return store;
	}

	/** The indexed world of a person; indexing once per person keeps many items over one world linear. */
	async world(names: GovernanceNames, partnerId: number): Promise<IndexedWorld> {
		const key = `${JSON.stringify(names)}\u0000${partnerId}`;
		let world = this.indexed.get(key);
		if (!world) {
			world = this.store(names).loadWorld(partnerId).then(indexWorld);
			this.indexed.set(key, world);
			world.catch(() => this.indexed.delete(key));
		}
		return await world;
	}

	async context(names: GovernanceNames, partnerId: number, saId: number | null): Promise<{ ok: true; world: IndexedWorld; ctx: GovernanceContext } | Denial> {
		const world = await this.world(names, partnerId);
		const resolved = resolveContext(world, partnerId, saId, this.now);
		if (!resolved.ok) return resolved;
		const { ok, ...ctx } = resolved;
		void ok;
		return { ok: true, world, ctx };
	}
}

/** The acting person and SA, the two parameters every operation starts from; a denial is thrown with its reason. */
export async function actingContext(context: IExecuteFunctions, state: GovernanceState, names: GovernanceNames, itemIndex: number): Promise<{ world: IndexedWorld; ctx: GovernanceContext }> {
	const partnerId = getRequiredId(context, 'loginPartnerId', 'Login Partner ID', itemIndex, 'Give the res.partner ID of the person acting (the real human, not the Odoo proxy user).');
	const saId = getOptionalId(context, 'saId', 'Serviced Account ID', itemIndex);
	const resolved = await state.context(names, partnerId, saId);
	if (!resolved.ok) throw denialError(context.getNode(), resolved, itemIndex);
	return resolved;
}

/** The context as item data: plain JSON, ids rather than objects where a workflow would branch on them. */
export function contextJson(ctx: GovernanceContext): IDataObject {
	return {
		actor: ctx.actor,
		sa_id: ctx.sa.id,
		sa: { ...ctx.sa },
		membership: { ...ctx.membership },
		authority: { ...ctx.authority },
		isSaManager: ctx.isSaManager,
		subordinates: { direct: [...ctx.subordinates.direct], team: [...ctx.subordinates.team] },
		descendantSaIds: [...ctx.descendantSaIds],
		at: ctx.at,
	};
}

/** Odoo reads a many2one as [id, name] or false; items built by hand may hold a bare id. */
export function many2oneId(value: unknown): number | null {
	if (Array.isArray(value)) return typeof value[0] === 'number' ? value[0] : null;
	if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	return null;
}
