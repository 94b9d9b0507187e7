import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ACTIONS, DEFAULT_NAMES } from '../../../lib/governance';

const show = (resource: string, operation: string[]) => ({ show: { resource: [resource], operation } });

export const DEFAULT_GOVERNED_MODELS = 'res.partner, sale.order, helpdesk.ticket, ov.asset';

const actionOptions: INodePropertyOptions[] = Object.entries(ACTIONS)
	.map(([value, spec]) => ({ name: value, value, description: `${spec.summary} (${spec.authority})` }))
	.sort((a, b) => a.name.localeCompare(b.name));

const policyOptions: INodePropertyOptions[] = [
	{ name: 'Assigned Only', value: 'assigned_only', description: 'Records whose actor is the current person' },
	{ name: 'Assigned Plus Unassigned', value: 'assigned_plus_unassigned', description: 'Records of the current person and shared ones (actor empty)' },
	{ name: 'SA Wide', value: 'sa_wide', description: 'Every record of the current serviced account' },
];

const scopeOptions: INodePropertyOptions[] = [
	{ name: 'Own', value: 'own', description: 'The policy as written' },
	{ name: 'Team', value: 'team', description: '"Assigned to me" widens to me and my recursive team' },
	{ name: 'SA Tree', value: 'sa_tree', description: 'The current sa_manager only: adds every record of the descendant serviced accounts' },
];

const actingPerson = (resource: string, operation: string[]): INodeProperties[] => [
	{
		displayName: 'Login Partner ID',
		name: 'loginPartnerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '42',
		description: 'The res.partner ID of the person acting: the real human, not the Odoo proxy user',
		displayOptions: show(resource, operation),
	},
	{
		displayName: 'Serviced Account ID',
		name: 'saId',
		type: 'string',
		default: '',
		placeholder: '7',
		description: 'The serviced account (ov.serviced_account ID) to act in. Empty: chosen automatically when the person is an active member of exactly one.',
		displayOptions: show(resource, operation),
	},
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Access', value: 'access' },
			{ name: 'Context', value: 'context' },
			{ name: 'Integrity', value: 'integrity' },
			{ name: 'Membership', value: 'membership' },
			{ name: 'Record', value: 'record' },
		],
		default: 'context',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['context'] } },
		options: [
			{ name: 'Resolve Context', value: 'resolve', description: 'Establish {actor, sa} for a login partner', action: 'Resolve the governance context' },
			{ name: 'Roll-Up', value: 'rollUp', description: 'Direct reports, recursive team and (managers only) descendant serviced accounts', action: 'Roll up team and serviced accounts' },
		],
		default: 'resolve',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['access'] } },
		options: [
			{ name: 'Check', value: 'check', description: 'Decide an action on records: Allowed and Denied outputs', action: 'Check an action' },
			{ name: 'Visibility Domain', value: 'visibility', description: 'The Odoo domain of a visibility policy, or filter records by it', action: 'Get a visibility domain' },
		],
		default: 'check',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['record'] } },
		options: [
			{ name: 'Reassign', value: 'reassign', description: 'Move records from one actor to another (V2 stamps or V3 assignment rows)', action: 'Reassign records' },
			{ name: 'Stamp', value: 'stamp', description: 'Write the {actor, sa} stamp on records', action: 'Stamp records' },
		],
		default: 'stamp',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['membership'] } },
		options: [
			{ name: 'Revoke', value: 'revoke', description: 'Revoke a membership and set its stamped records to unassigned', action: 'Revoke a membership' },
		],
		default: 'revoke',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['integrity'] } },
		options: [
			{ name: 'Audit', value: 'audit', description: 'Find stamps and assignments that break the invariants, and optionally repair them', action: 'Audit integrity' },
		],
		default: 'audit',
	},

	...actingPerson('context', ['resolve', 'rollUp']),
	...actingPerson('access', ['check', 'visibility']),
	...actingPerson('record', ['stamp', 'reassign']),
	...actingPerson('membership', ['revoke']),
	...actingPerson('integrity', ['audit']),

	// ---------------------------------------------------------------- Check
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		options: actionOptions,
		default: 'record.read',
		description: 'The governed action. SAA actions change structure and need the current sa_manager; SAM actions are work inside the serviced account.',
		displayOptions: show('access', ['check']),
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: 'res.partner',
		placeholder: 'sale.order',
		description: 'The model of the records checked. SA and membership actions use the models set under Names.',
		displayOptions: show('access', ['check']),
	},
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		default: '={{ $json.id }}',
		placeholder: '7, 12, 31',
		description: 'IDs of the records (or serviced accounts, or memberships) the action is on. The default takes each input item\'s ID. Not used by create actions.',
		displayOptions: show('access', ['check']),
	},
	{
		displayName: 'Check Options',
		name: 'checkOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('access', ['check']),
		options: [
			{ displayName: 'New Parent Membership ID', name: 'toParentMembershipId', type: 'string', default: '', description: 'For membership.set_parent: the new parent membership ("none" = directly under the manager)' },
			{ displayName: 'Policy', name: 'policy', type: 'options', options: policyOptions, default: 'assigned_only', description: 'For record.read: the app\'s visibility policy' },
			{ displayName: 'Scope', name: 'scope', type: 'options', options: scopeOptions, default: 'own', description: 'For record.read: how far the person looks' },
			{ displayName: 'Target Actor ID', name: 'targetActorId', type: 'string', default: '', description: 'For record.create: the actor of the new record; for membership.add: the person to admit' },
			{ displayName: 'Target SA ID', name: 'targetSaId', type: 'string', default: '', description: 'For sa.create: the parent; for membership.add: the serviced account; for record.create: defaults to the current one' },
			{ displayName: 'To Actor ID', name: 'toActorId', type: 'string', default: '', description: 'For record.assign: the new actor; for sa.change_manager: the new manager' },
			{ displayName: 'To SA ID', name: 'toSaId', type: 'string', default: '', description: 'For sa.set_parent: the new parent; for scope.assign: the destination (default: the current one)' },
		],
	},

	// ---------------------------------------------------------------- Visibility Domain
	{
		displayName: 'Mode',
		name: 'visibilityMode',
		type: 'options',
		options: [
			{ name: 'Output Domain', value: 'domain', description: 'One item with the Odoo domain, to feed a search' },
			{ name: 'Filter Records', value: 'filter', description: 'Keep only the input items (records with their stamp fields) the person may see' },
		],
		default: 'domain',
		displayOptions: show('access', ['visibility']),
	},
	{
		displayName: 'Policy',
		name: 'policy',
		type: 'options',
		options: policyOptions,
		default: 'assigned_plus_unassigned',
		description: 'Visibility is always inside the current serviced account; the policy decides which actors\' records are seen',
		displayOptions: show('access', ['visibility']),
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: scopeOptions,
		default: 'own',
		displayOptions: show('access', ['visibility']),
	},
	{
		displayName: 'Model',
		name: 'visibilityModel',
		type: 'string',
		default: '',
		placeholder: 'sale.order',
		description: 'The governed model searched (its stamp fields come from Names); passed on in the output for the search node',
		displayOptions: show('access', ['visibility']),
	},
	{
		displayName: 'Combine With Domain',
		name: 'extraDomain',
		type: 'json',
		default: '[]',
		description: 'A domain ANDed with the visibility domain, e.g. [["state", "in", ["draft", "sent"]]]',
		displayOptions: { show: { resource: ['access'], operation: ['visibility'], visibilityMode: ['domain'] } },
	},

	// ---------------------------------------------------------------- Stamp
	{
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: 'res.partner',
		placeholder: 'sale.order',
		displayOptions: show('record', ['stamp']),
	},
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		default: '={{ $json.id }}',
		placeholder: '7, 12, 31',
		displayOptions: show('record', ['stamp']),
	},
	{
		displayName: 'Actor ID',
		name: 'actorId',
		type: 'string',
		default: '',
		placeholder: '42',
		description: 'The person (res.partner ID) the records are assigned to, who must be an active member. Empty: shared in the serviced account.',
		displayOptions: show('record', ['stamp']),
	},

	// ---------------------------------------------------------------- Reassign
	{
		displayName: 'Mode',
		name: 'reassignMode',
		type: 'options',
		options: [
			{ name: 'V2 Direct (Stamps)', value: 'v2', description: 'Change the actor of the stamp from one person to another' },
			{ name: 'V3 Assignment Rows', value: 'v3', description: 'Expire the active assignment row and open a new one, keeping history' },
		],
		default: 'v2',
		displayOptions: show('record', ['reassign']),
	},
	{
		displayName: 'Models',
		name: 'models',
		type: 'string',
		default: DEFAULT_GOVERNED_MODELS,
		description: 'Governed models whose records move, separated by commas',
		displayOptions: { show: { resource: ['record'], operation: ['reassign'], reassignMode: ['v2'] } },
	},
	{
		displayName: 'From Actor ID',
		name: 'fromActorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '42',
		displayOptions: { show: { resource: ['record'], operation: ['reassign'], reassignMode: ['v2'] } },
	},
	{
		displayName: 'Record Model',
		name: 'recordModel',
		type: 'string',
		default: 'res.partner',
		description: 'The model of the records the assignment rows point to',
		displayOptions: { show: { resource: ['record'], operation: ['reassign'], reassignMode: ['v3'] } },
	},
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		default: '',
		placeholder: '7, 12, 31',
		description: 'V2: limit to these records (one model only); empty moves every record of the From actor. V3: the records to reassign.',
		displayOptions: show('record', ['reassign']),
	},
	{
		displayName: 'To Actor ID',
		name: 'toActorId',
		type: 'string',
		default: '',
		placeholder: '43',
		description: 'The new actor, an active member of the serviced account. V3 only: empty closes the assignment (the record becomes unassigned).',
		displayOptions: show('record', ['reassign']),
	},
	{
		displayName: 'Update Stamp Too',
		name: 'syncStamp',
		type: 'boolean',
		default: true,
		description: 'Whether the V2 stamp actor of the records follows the new assignment, for readers that still use stamps',
		displayOptions: { show: { resource: ['record'], operation: ['reassign'], reassignMode: ['v3'] } },
	},

	// ---------------------------------------------------------------- Revoke / Audit
	{
		displayName: 'Membership ID',
		name: 'membershipId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12',
		description: 'The ov.membership to revoke',
		displayOptions: show('membership', ['revoke']),
	},
	{
		displayName: 'Governed Models',
		name: 'governedModels',
		type: 'string',
		default: DEFAULT_GOVERNED_MODELS,
		description: 'Models whose stamped records are normalised (revoke) or audited, separated by commas',
		displayOptions: { show: { resource: ['membership', 'integrity'], operation: ['revoke', 'audit'] } },
	},
	{
		displayName: 'Repair',
		name: 'repair',
		type: 'boolean',
		default: false,
		description: 'Whether to fix what has a mechanical fix: stamps of non-members become unassigned, duplicate active assignments keep only the newest. Everything else is reported for an administrator.',
		displayOptions: show('integrity', ['audit']),
	},

	// ---------------------------------------------------------------- Names
	{
		displayName: 'Names',
		name: 'names',
		type: 'collection',
		placeholder: 'Add Name',
		default: {},
		description: 'Model and field names of the governance data, when they differ from the defaults',
		options: [
			{ displayName: 'Asset Model', name: 'assetModel', type: 'string', default: DEFAULT_NAMES.assetModel },
			{ displayName: 'Assignment Model', name: 'assignmentModel', type: 'string', default: DEFAULT_NAMES.assignmentModel, description: 'V3 assignment rows' },
			{ displayName: 'Membership Model', name: 'membershipModel', type: 'string', default: DEFAULT_NAMES.membershipModel },
			{
				displayName: 'Per-Model Stamp Fields (JSON)',
				name: 'stampFields',
				type: 'json',
				default: '{}',
				description: 'Models whose stamp uses other fields than the two above, e.g. {"ov.asset": {"sa": "serviced_account_id", "actor": "actor_id"}}. The asset model uses sa_id and actor_id unless set here.',
			},
			{ displayName: 'Serviced Account Model', name: 'servicedAccountModel', type: 'string', default: DEFAULT_NAMES.servicedAccountModel },
			{ displayName: 'Stamp Actor Field', name: 'actorField', type: 'string', default: DEFAULT_NAMES.actorField, description: 'Many2one to res.partner on governed models' },
			{ displayName: 'Stamp SA Field', name: 'saField', type: 'string', default: DEFAULT_NAMES.saField, description: 'Many2one to the serviced account on governed models' },
		],
	},
];
