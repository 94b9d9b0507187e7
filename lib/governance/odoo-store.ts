import type { OdooClient, OdooRecord } from '../odoo/types';
import type { GovernanceStore } from './store';
import { DEFAULT_NAMES, stampFieldsOf, type Assignment, type GovernanceNames, type GovernanceWorld, type Membership, type ServicedAccount, type StampedRecord } from './types';

const many2oneId = (value: unknown): number | null => (Array.isArray(value) ? (value[0] as number) : typeof value === 'number' ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function toAccount(row: OdooRecord): ServicedAccount {
	return {
		id: row.id,
		name: String(row.name ?? ''),
		parent_id: many2oneId(row.parent_id),
		anchor_partner_id: many2oneId(row.anchor_partner_id),
		sa_class: row.sa_class === 'EXTC' ? 'EXTC' : 'OVAC',
		// Seed 004 starts with active/inactive; any other Odoo state (draft, archived…) is not active.
		state: row.state === 'active' ? 'active' : 'inactive',
		sa_manager_id: many2oneId(row.sa_manager_id),
		archived: row.active === false,
	};
}

function toMembership(row: OdooRecord): Membership {
	return {
		id: row.id,
		partner_id: many2oneId(row.partner_id)!,
		sa_id: many2oneId(row.sa_id)!,
		state: row.state === 'active' || row.state === 'suspended' ? row.state : 'revoked',
		date_start: text(row.date_start),
		date_end: text(row.date_end),
		parent_membership_id: many2oneId(row.parent_membership_id),
	};
}

function toAssignment(row: OdooRecord): Assignment {
	return {
		id: row.id,
		sa_id: many2oneId(row.sa_id)!,
		record_model: String(row.record_model),
		record_id: Number(row.record_id),
		actor_partner_id: many2oneId(row.actor_partner_id)!,
		state: row.state === 'active' ? 'active' : 'expired',
		date_from: text(row.date_from),
		date_to: text(row.date_to),
	};
}

const ACCOUNT_FIELDS = ['name', 'parent_id', 'anchor_partner_id', 'sa_class', 'state', 'sa_manager_id', 'active'];
const MEMBERSHIP_FIELDS = ['partner_id', 'sa_id', 'state', 'date_start', 'date_end', 'parent_membership_id'];
const ASSIGNMENT_FIELDS = ['sa_id', 'record_model', 'record_id', 'actor_partner_id', 'state', 'date_from', 'date_to'];
// Archived SAs and memberships still decide things (a stamp pointing to an archived SA is a finding), so read them.
const WITH_ARCHIVED = { active_test: false };

/**
 * The governance store over Odoo: each question is a fixed number of `search_read` calls, whatever the number of
 * records asked about (loadWorld: 3, readStamps: 1, stampedRecords: 1, assignments: 1).
 */
export class OdooGovernanceStore implements GovernanceStore {
	constructor(
		private readonly client: OdooClient,
		private readonly names: GovernanceNames = DEFAULT_NAMES,
	) {}

	async loadWorld(partnerId: number): Promise<GovernanceWorld> {
		const { servicedAccountModel, membershipModel } = this.names;
		const own = await this.client.searchRead(membershipModel, [['partner_id', '=', partnerId]], { fields: ['sa_id'], context: WITH_ARCHIVED });
		const roots = [...new Set(own.map((row) => many2oneId(row.sa_id)).filter((id): id is number => id !== null))];
		if (roots.length === 0) return { accounts: [], memberships: [] };
		const accounts = (await this.client.searchRead(servicedAccountModel, [['id', 'child_of', roots]], { fields: ACCOUNT_FIELDS, context: WITH_ARCHIVED })).map(toAccount);
		const memberships = (await this.client.searchRead(membershipModel, [['sa_id', 'in', accounts.map((sa) => sa.id)]], { fields: MEMBERSHIP_FIELDS, context: WITH_ARCHIVED })).map(toMembership);
		return { accounts, memberships };
	}

	async readStamps(model: string, ids: readonly number[]): Promise<StampedRecord[]> {
		if (ids.length === 0) return [];
		const stamp = stampFieldsOf(this.names, model);
		const rows = await this.client.read(model, [...ids], [stamp.sa, stamp.actor], WITH_ARCHIVED);
		return rows.map((row) => ({ id: row.id, model, sa: many2oneId(row[stamp.sa]), actor: many2oneId(row[stamp.actor]) }));
	}

	async stampedRecords(model: string, saId: number, actorId?: number | null): Promise<StampedRecord[]> {
		const stamp = stampFieldsOf(this.names, model);
		const domain: Array<[string, string, unknown]> = [[stamp.sa, '=', saId]];
		if (actorId !== undefined) domain.push([stamp.actor, '=', actorId ?? false]);
		const rows = await this.client.searchRead(model, domain, { fields: [stamp.sa, stamp.actor], context: WITH_ARCHIVED });
		return rows.map((row) => ({ id: row.id, model, sa: many2oneId(row[stamp.sa]), actor: many2oneId(row[stamp.actor]) }));
	}

	async assignments(saId: number, filter: { recordModel?: string; recordIds?: readonly number[]; activeOnly?: boolean } = {}): Promise<Assignment[]> {
		const domain: Array<[string, string, unknown]> = [['sa_id', '=', saId]];
		if (filter.recordModel) domain.push(['record_model', '=', filter.recordModel]);
		if (filter.recordIds) domain.push(['record_id', 'in', [...filter.recordIds]]);
		if (filter.activeOnly) domain.push(['state', '=', 'active']);
		const rows = await this.client.searchRead(this.names.assignmentModel, domain, { fields: ASSIGNMENT_FIELDS, order: 'id' });
		return rows.map(toAssignment);
	}
}
