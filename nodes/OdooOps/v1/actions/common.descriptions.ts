import type { INodeProperties } from 'n8n-workflow';

/** The Odoo model, chosen from `ir.model` or typed by technical name. */
export const modelLocator: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Odoo model (e.g. Contact, res.partner)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a model...',
			typeOptions: { searchListMethod: 'searchModels', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'res.partner',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[a-zA-Z0-9_]+(\\.[a-zA-Z0-9_]+)*$',
						errorMessage: 'Use the technical model name, e.g. res.partner',
					},
				},
			],
		},
	],
};

export function recordLocator(displayName = 'Record', name = 'recordId'): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The record, searched by name or given by ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Search by name...',
				typeOptions: { searchListMethod: 'searchRecords', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '42',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A record ID is a whole number' } },
				],
			},
		],
	};
}

export const fieldsToSetDescription: INodeProperties[] = [
	{
		displayName: 'Fields Input',
		name: 'fieldsInput',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Field Rows', value: 'fields', description: 'Pick fields from the model and type values' },
			{ name: 'JSON', value: 'json', description: 'One JSON object of field: value' },
			{
				name: "Input Item's Fields",
				value: 'autoMap',
				description: "Each input item's fields go to the Odoo fields of the same name: no expressions, the fastest way to write many rows",
			},
		],
	},
	{
		displayName: 'Input Fields to Skip',
		name: 'skipInputFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. id, source_row',
		displayOptions: { show: { fieldsInput: ['autoMap'] } },
		description:
			"Input fields that are not Odoo fields, separated by commas. Any other input field the model does not have is refused with the model's field list, so nothing is silently dropped. 'id' is always skipped.",
	},
	{
		displayName: 'Fields to Set',
		name: 'fieldsToSet',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { fieldsInput: ['fields'] } },
		description:
			'Many2one fields take an ID or a name; many2many/one2many take IDs or names separated by commas, or Odoo commands as JSON',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'name',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getWritableFields', loadOptionsDependsOn: ['model.value'] },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Fields (JSON)',
		name: 'fieldsJson',
		type: 'json',
		default: '{\n  "name": ""\n}',
		displayOptions: { show: { fieldsInput: ['json'] } },
		description:
			'Field values by technical name. Relational fields accept IDs, names or Odoo command lists, e.g. {"category_id": ["VIP", 3]}.',
	},
];

/** Odoo context keys users actually set; anything else goes through "Additional Context". */
export const contextOptions: INodeProperties[] = [
	{
		displayName: 'Active Records Only',
		name: 'activeTest',
		type: 'boolean',
		default: true,
		description: 'Whether archived records are hidden (Odoo active_test)',
	},
	{
		displayName: 'Additional Context (JSON)',
		name: 'extraContext',
		type: 'json',
		default: '{}',
		description: 'Any other Odoo context keys, as a JSON object',
	},
	{
		displayName: 'Company IDs',
		name: 'companyIds',
		type: 'string',
		default: '',
		placeholder: '1, 2',
		description: 'Allowed companies (allowed_company_ids), the first being the current one',
	},
	{
		displayName: 'Language',
		name: 'lang',
		type: 'string',
		default: '',
		placeholder: 'en_US',
		description: 'Language of translated values (Odoo lang code)',
	},
	{
		displayName: 'Timezone',
		name: 'tz',
		type: 'string',
		default: '',
		placeholder: 'Europe/Brussels',
	},
];

export const domainDescription: INodeProperties[] = [
	{
		displayName: 'Filter',
		name: 'filterType',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'None', value: 'none', description: 'All records' },
			{ name: 'Build Conditions', value: 'builder', description: 'Field / operator / value rows' },
			{ name: 'Domain', value: 'raw', description: "A domain in JSON or Odoo's list syntax" },
		],
	},
	{
		displayName: 'Match',
		name: 'combinator',
		type: 'options',
		default: 'and',
		displayOptions: { show: { filterType: ['builder'] } },
		options: [
			{ name: 'All Conditions (AND)', value: 'and' },
			{ name: 'Any Condition (OR)', value: 'or' },
		],
	},
	{
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		displayOptions: { show: { filterType: ['builder'] } },
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getFields', loadOptionsDependsOn: ['model.value'] },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						default: '=',
						options: [
							{ name: '=', value: '=' },
							{ name: '!=', value: '!=' },
							{ name: '>', value: '>' },
							{ name: '>=', value: '>=' },
							{ name: '<', value: '<' },
							{ name: '<=', value: '<=' },
							{ name: 'Child Of', value: 'child_of' },
							{ name: 'Contains (Case-Insensitive)', value: 'ilike' },
							{ name: 'Contains', value: 'like' },
							{ name: 'Does Not Contain (Case-Insensitive)', value: 'not ilike' },
							{ name: 'In List', value: 'in' },
							{ name: 'Is Not Set', value: 'is not set' },
							{ name: 'Is Set', value: 'is set' },
							{ name: 'Matches Pattern (=ilike)', value: '=ilike' },
							{ name: 'Not In List', value: 'not in' },
							{ name: 'Parent Of', value: 'parent_of' },
						],
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'For In List, separate values with commas or give a JSON array',
					},
				],
			},
		],
	},
	{
		displayName: 'Domain',
		name: 'domain',
		type: 'string',
		default: '[]',
		typeOptions: { rows: 3 },
		displayOptions: { show: { filterType: ['raw'] } },
		placeholder: "[('is_company', '=', True), ('name', 'ilike', 'acme')]",
		description: 'JSON (["name","ilike","x"]) or Odoo list syntax with True/False/None and the prefix operators & | !',
	},
];

/** Return All with its Limit, shared by the operations that list. */
export const returnAllDescription: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];
