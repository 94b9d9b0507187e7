import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CHANGE_WINDOWS } from '../../../lib/inventory/patch-cycle';

const show = (resource: string, operation?: string[]) => ({ show: { resource: [resource], ...(operation ? { operation } : {}) } });

const asOf = (resource: string, operation: string[], what: string): INodeProperties => ({
	displayName: 'As Of',
	name: 'asOf',
	type: 'string',
	default: '={{ $now.toISO() }}',
	required: true,
	displayOptions: show(resource, operation),
	description: `The instant ${what} is worked out for (ISO 8601). A Schedule Trigger's time, or a fixed date to re-run a past cycle.`,
});

/** Where an upsert's records come from: each input item as it is, or a JSON parameter (`<prefix>Input`, `<prefix>Json`). */
function recordInput(resource: string, prefix: string, label: string, fields: string, example: Record<string, unknown>): INodeProperties[] {
	return [
		{
			displayName: `${label} Input`,
			name: `${prefix}Input`,
			type: 'options',
			default: 'item',
			displayOptions: show(resource, ['upsert']),
			options: [
				{ name: "Input Item's Fields", value: 'item', description: `Each item holds ${fields}` },
				{ name: 'JSON', value: 'json' },
			],
		},
		{
			displayName: `${label} (JSON)`,
			name: `${prefix}Json`,
			type: 'json',
			default: JSON.stringify(example, null, 2),
			displayOptions: { show: { resource: [resource], operation: ['upsert'], [`${prefix}Input`]: ['json'] } },
		},
	];
}

const assetHome: INodeProperties[] = [
	{
		displayName: 'Asset Model',
		name: 'assetModel',
		type: 'options',
		default: 'auto',
		options: [
			{ name: 'Automatic', value: 'auto', description: 'ov.asset when installed, otherwise maintenance.equipment' },
			{ name: 'Equipment (maintenance.equipment)', value: 'maintenance.equipment' },
			{ name: 'Asset (ov.asset)', value: 'ov.asset' },
			{ name: 'Other Model', value: 'custom' },
		],
		displayOptions: { show: { resource: ['asset', 'patchCycle', 'snapshot', 'runbook'] } },
		description: 'Where the asset inventory lives in Odoo',
	},
	{
		displayName: 'Model Name',
		name: 'customAssetModel',
		type: 'string',
		default: '',
		placeholder: 'e.g. x_homelab_asset',
		displayOptions: { show: { resource: ['asset', 'patchCycle', 'snapshot', 'runbook'], assetModel: ['custom'] } },
		description: 'Technical name of the model that holds your assets',
	},
	{
		displayName: 'Field Mapping (JSON)',
		name: 'fieldMap',
		type: 'json',
		default: '{}',
		displayOptions: { show: { resource: ['asset', 'patchCycle', 'snapshot', 'runbook'] } },
		description:
			'Overrides of which Odoo field holds each asset fact, e.g. {"hostname": "x_fqdn", "owner": "technician_user_id"}. Facts: name, hostname, ip, vlan, os, osVersion, owner, purpose, docsUrl, lastPatched, patchGroup, kind.',
	},
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'asset',
		options: [
			{ name: 'Asset', value: 'asset' },
			{ name: 'Credential Reference', value: 'credentialReference' },
			{ name: 'Patch Cycle', value: 'patchCycle' },
			{ name: 'Runbook', value: 'runbook' },
			{ name: 'Snapshot', value: 'snapshot' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('asset'),
		default: 'upsert',
		options: [
			{ name: 'Ensure Fields', value: 'ensureFields', action: 'Add the inventory fields to the asset model', description: 'Create the x_ fields the inventory needs, once; a second run changes nothing' },
			{ name: 'Get Due for Patching', value: 'getDue', action: 'Get assets due for patching', description: 'Assets whose last patch is older than the policy allows, with the reason' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many assets' },
			{ name: 'Upsert', value: 'upsert', action: 'Create or update assets', description: 'One asset per input item, matched by hostname (or name); nothing written if any item is refused' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('credentialReference'),
		default: 'upsert',
		options: [
			{ name: 'Create Rotation Tasks', value: 'createRotationTasks', action: 'Create tasks for due rotations', description: 'One task per reference and due date, assigned to its owner' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many credential references' },
			{ name: 'Upsert', value: 'upsert', action: 'Create or update credential references', description: 'References only (vault path, policy, owner); a value that looks like a secret is refused' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('patchCycle'),
		default: 'plan',
		options: [
			{ name: 'Plan', value: 'plan', action: 'Plan a patch cycle', description: 'Assets due → one project per cycle, one task per asset with its change window, the task list as evidence' },
			{ name: 'Apply Decision', value: 'applyDecision', action: 'Apply a change decision to a patch cycle', description: 'Approved: tasks to Scheduled. Rejected or timed out: cancelled with the reason.' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('runbook'),
		default: 'upsert',
		options: [{ name: 'Upsert', value: 'upsert', action: 'Create or update a runbook', description: 'A knowledge page (or an attachment) linked to its assets' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('snapshot'),
		default: 'take',
		options: [{ name: 'Take', value: 'take', action: 'Take an inventory snapshot', description: 'The inventory as CSV and JSON on a snapshot record, with the difference from the last one' }],
	},

	...assetHome,

	// ---- asset
	...recordInput('asset', 'asset', 'Asset', 'name, hostname, ip, vlan, os, osVersion, owner, purpose, docsUrl, lastPatched, patchGroup, kind', { name: 'pfSense', hostname: 'pfsense.lab', kind: 'network' }),
	{
		displayName: 'Filter (Domain)',
		name: 'assetDomain',
		type: 'json',
		default: '[]',
		displayOptions: { show: { resource: ['asset', 'patchCycle', 'snapshot'], operation: ['getMany', 'getDue', 'plan', 'take'] } },
		description: 'Odoo domain on the asset model, e.g. [["active", "=", true]]',
	},
	asOf('asset', ['getDue'], 'what is due'),
	asOf('patchCycle', ['plan'], 'the cycle'),
	asOf('snapshot', ['take'], 'the snapshot'),
	asOf('credentialReference', ['createRotationTasks'], 'what is due'),
	{
		displayName: 'Patch Groups',
		name: 'patchGroups',
		type: 'string',
		default: '',
		placeholder: 'e.g. network, hypervisors',
		displayOptions: { show: { resource: ['asset', 'patchCycle'], operation: ['getDue', 'plan'] } },
		description: 'Only these patch groups, separated by commas. Empty: every asset.',
	},
	{
		displayName: 'OS Contains',
		name: 'osMatch',
		type: 'string',
		default: '',
		placeholder: 'e.g. Debian, Proxmox',
		displayOptions: { show: { resource: ['asset', 'patchCycle'], operation: ['getDue', 'plan'] } },
		description: 'Only assets whose OS contains one of these words, separated by commas. Empty: any OS.',
	},
	{
		displayName: 'Minimum Days Since Last Patch',
		name: 'minDaysSincePatch',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 25,
		displayOptions: { show: { resource: ['asset', 'patchCycle'], operation: ['getDue', 'plan'] } },
		description: 'An asset is due when it was last patched this many days ago or more, or never',
	},

	// ---- patch cycle
	{
		displayName: 'Cadence',
		name: 'cadence',
		type: 'options',
		default: 'monthly',
		options: [
			{ name: 'Monthly (Patch 2026-11)', value: 'monthly' },
			{ name: 'Weekly (Patch 2026-W48)', value: 'weekly' },
		],
		displayOptions: show('patchCycle', ['plan']),
		description: 'The cycle key names the project; re-running inside the same cycle creates nothing new',
	},
	{
		displayName: 'Change Windows (JSON)',
		name: 'changeWindows',
		type: 'json',
		default: JSON.stringify(DEFAULT_CHANGE_WINDOWS, null, 2),
		displayOptions: show('patchCycle', ['plan']),
		description:
			'Per patch group: {"weekday": "sat", "start": "22:00", "durationMinutes": 240, "tz": "+01:00"}. "default" serves every other group. The window is the first such day in the cycle on or after As Of.',
	},
	{
		displayName: 'Cycle',
		name: 'cycle',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Patch 2026-11, or a project ID',
		displayOptions: show('patchCycle', ['applyDecision']),
		description: "The cycle key Plan returned (its project's name) or the project's ID",
	},
	{
		displayName: 'Decision',
		name: 'decision',
		type: 'options',
		default: 'approved',
		options: [
			{ name: 'Approved', value: 'approved' },
			{ name: 'Rejected', value: 'rejected' },
			{ name: 'Timed Out', value: 'timedOut' },
		],
		displayOptions: show('patchCycle', ['applyDecision']),
		description: "Connect one Apply Decision per output of the approval node, or map its 'decision' field (approved, rejected, timed-out)",
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		displayOptions: show('patchCycle', ['applyDecision']),
		description: 'Written on every cancelled task and in the cycle chatter',
	},
	{
		displayName: 'Decided By',
		name: 'decidedBy',
		type: 'string',
		default: '',
		displayOptions: show('patchCycle', ['applyDecision']),
	},

	// ---- credential references
	...recordInput('credentialReference', 'reference', 'Reference', 'name, vaultPath, rotationPolicy, mfaRequired, lastRotation, owner, assetRef', {
		name: 'pfsense_admin',
		vaultPath: 'vaultwarden://Collections/Homelab/pfsense_admin',
		rotationPolicy: 'quarterly',
		mfaRequired: true,
	}),
	{
		displayName: 'Project Name',
		name: 'projectName',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['credentialReference', 'snapshot', 'patchCycle'], operation: ['createRotationTasks', 'take', 'plan'] } },
		description: "Where the tasks go. Empty: 'Credential rotation', 'Inventory snapshots', or the cycle key.",
	},

	// ---- runbook
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show('runbook', ['upsert']),
		description: 'Names the page; a second upsert with the same title updates it',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		displayOptions: show('runbook', ['upsert']),
		description: 'The runbook text (HTML or plain text). Never a secret: vault paths only.',
	},
	{
		displayName: 'Link',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://git.lab/ops/runbooks/pfsense.md',
		displayOptions: show('runbook', ['upsert']),
	},
	{
		displayName: 'Asset References',
		name: 'assetRefs',
		type: 'string',
		default: '',
		placeholder: 'e.g. maintenance.equipment,3, maintenance.equipment,4',
		displayOptions: show('runbook', ['upsert']),
		description: "The assets the runbook is for, as 'model,id' (Get Many returns them as 'ref') or plain IDs in the asset model, separated by spaces, semicolons or commas",
	},
];
