/**
 * The Serviced Account governance world (seeds 004 and 001): the `ov.*` models of the custom module, the
 * V2 `{actor, sa}` stamps as manual `x_` fields on res.partner / sale.order / helpdesk.ticket, minimal
 * sale / stock / product models, and a seeded world to test against.
 *
 * Everything here is added AFTER the demo seed (models.ts `createDatabase`), like a module installed on an
 * existing database: demo records keep their ids, the world's records take the next ids of each table.
 * The database named `acceptance` (the recorded real server of the conformance replay) does not get it.
 *
 * The ids are stable and named in GOVERNANCE_WORLD (documented in README.md, "Governance world").
 */
import type { OdooDatabase, Rec } from './orm';
import { HOOKS } from './orm';
import type { FieldDef, ModelDef } from './schema';
import { fd, fieldsFrom, irFieldRow, magicFields, mailThreadFields } from './schema';

/** The database that replays the recorded real Odoo 18 (conformance suite): it had no governance module. */
export const RECORDED_DB = 'acceptance';

/** Whether a new sandbox database gets the governance world when the caller does not say. */
export function governanceByDefault(dbName: string): boolean {
	return dbName !== RECORDED_DB;
}

const WORLD_DATE = '2026-11-23 15:05:00';

// ---------------------------------------------------------------------------------------------- ids

/**
 * Created partners continue the demo's res.partner sequence (its next id is 2644). The EXTC customers are the demo
 * customer companies and their people are the demo contacts: the 9 demo tickets are theirs, and existing tests pin
 * the ticket count, so the world stamps those tickets instead of adding new ones.
 */
const FIRST_PARTNER_ID = 2644;

const SA = {
	ROOT: 1,
	OV_KENYA: 2,
	OV_NIGERIA: 3,
	DECO_ADDICT: 4,
	AZURE_INTERIOR: 5,
	GEMINI_FURNITURE: 6,
	WOOD_CORNER: 7,
	READY_MAT: 8,
	JACKSON_GROUP: 9,
	/** EXTC under OV Kenya, state 'archived' and active = false. */
	LUMBER_ARCHIVED: 10,
} as const;

const COMPANY = {
	/** created: anchor of SA_ROOT */
	OMNIVOLTAIC_GROUP: 2644,
	/** created */
	OV_KENYA: 2645,
	/** created */
	OV_NIGERIA: 2646,
	/** demo companies */
	DECO_ADDICT: 10,
	AZURE_INTERIOR: 15,
	GEMINI_FURNITURE: 11,
	WOOD_CORNER: 9,
	READY_MAT: 12,
	JACKSON_GROUP: 13,
	LUMBER_INC: 16,
} as const;

/** People (is_company = false). Each is the login partner (the actor) of that person. */
const PERSON = {
	// created: Omnivoltaic staff
	AMARA_OKAFOR: 2647,
	WANJIRU_KAMAU: 2648,
	OTIENO_ODHIAMBO: 2649,
	ACHIENG_NJERI: 2650,
	KIPCHOGE_MUTAI: 2651,
	CHINEDU_EZE: 2652,
	FUNMILAYO_ADEYEMI: 2653,
	IBRAHIM_MUSA: 2654,
	KUNLE_AJAYI: 2655,
	// demo contacts of the customer companies
	DOUGLAS_FLETCHER: 19,
	FLOYD_STEWARD: 20,
	ADDISON_OLSON: 36,
	SOHAM_PALMER: 23,
	KIM_SNYDER: 25,
	NICOLE_FORD: 26,
	COLLEEN_DIAZ: 27,
	EDWIN_HANSEN: 21,
	JESSE_BROWN: 22,
	OSCAR_MORGAN: 24,
	RON_GIBSON: 18,
	THEODORE_GARDNER: 29,
	GORDON_OWENS: 38,
	WILLIE_BURKE: 17,
	BILLY_FOX: 35,
	EDITH_SANCHEZ: 39,
	TOM_RUIZ: 30,
	TONI_JIMENEZ: 32,
	TRAVIS_MENDOZA: 34,
} as const;

/** Created customer contacts: res.partner records governed by an SA (stamped). */
const CONTACT = {
	/** {OV Kenya, Otieno} */ JOSEPH_KARIUKI: 2656,
	/** {OV Kenya, Achieng} */ FAITH_CHEBET: 2657,
	/** {OV Kenya, null} */ DANIEL_KIBET: 2658,
	/** {Deco Addict, Floyd} */ MWANAISHA_ALI: 2659,
	/** {Deco Addict, null} */ HASSAN_JUMA: 2660,
	/** {OV Nigeria, Kunle} */ OLUMIDE_BALOGUN: 2661,
	/** {OV Nigeria, Otieno}: integrity finding, Otieno is not a member of OV Nigeria. */ CHIAMAKA_OKEKE: 2662,
	/** {Wood Corner, Theodore} */ NGOZI_OBI: 2663,
	/** {Wood Corner, null} */ EMEKA_NWOSU: 2664,
	/** {Lumber (archived), null}: integrity finding, stamp on an archived SA. */ RUTH_JEPKOSGEI: 2665,
} as const;

const NEXT_PARTNER_ID = 2666;

const M = {
	AMARA_ROOT: 1,
	WANJIRU_ROOT: 2,
	CHINEDU_ROOT: 3,
	WANJIRU_KENYA: 4,
	OTIENO_KENYA: 5,
	ACHIENG_KENYA: 6,
	/** state 'suspended' */
	KIPCHOGE_KENYA_SUSPENDED: 7,
	CHINEDU_NIGERIA: 8,
	FUNMILAYO_NIGERIA: 9,
	/** state 'revoked' */
	IBRAHIM_NIGERIA_REVOKED: 10,
	KUNLE_NIGERIA: 11,
	DOUGLAS_DECO: 12,
	OTIENO_DECO: 13,
	FLOYD_DECO: 14,
	ADDISON_DECO: 15,
	SOHAM_AZURE: 16,
	ACHIENG_AZURE: 17,
	KIM_AZURE: 18,
	NICOLE_AZURE: 19,
	/** state 'active' but date_end 2026-06-30 has passed */
	COLLEEN_AZURE_ENDED: 20,
	EDWIN_GEMINI: 21,
	JESSE_GEMINI: 22,
	OSCAR_GEMINI: 23,
	RON_WOOD: 24,
	FUNMILAYO_WOOD: 25,
	THEODORE_WOOD: 26,
	GORDON_WOOD: 27,
	WILLIE_READY: 28,
	BILLY_READY: 29,
	/** state 'revoked' */
	EDITH_READY_REVOKED: 30,
	TOM_JACKSON: 31,
	TONI_JACKSON: 32,
	/** active membership in the archived SA */
	TRAVIS_LUMBER: 33,
} as const;

/**
 * The governance world's notable ids, for tests to name them (README.md "Governance world" has the same tables).
 */
export const GOVERNANCE_WORLD = {
	sa: SA,
	/** SA → its anchor company partner. */
	anchor: {
		[SA.ROOT]: COMPANY.OMNIVOLTAIC_GROUP,
		[SA.OV_KENYA]: COMPANY.OV_KENYA,
		[SA.OV_NIGERIA]: COMPANY.OV_NIGERIA,
		[SA.DECO_ADDICT]: COMPANY.DECO_ADDICT,
		[SA.AZURE_INTERIOR]: COMPANY.AZURE_INTERIOR,
		[SA.GEMINI_FURNITURE]: COMPANY.GEMINI_FURNITURE,
		[SA.WOOD_CORNER]: COMPANY.WOOD_CORNER,
		[SA.READY_MAT]: COMPANY.READY_MAT,
		[SA.JACKSON_GROUP]: COMPANY.JACKSON_GROUP,
		[SA.LUMBER_ARCHIVED]: COMPANY.LUMBER_INC,
	} as Readonly<Record<number, number>>,
	/** SA → its sa_manager (person partner), root of the SA's membership tree. */
	manager: {
		[SA.ROOT]: PERSON.AMARA_OKAFOR,
		[SA.OV_KENYA]: PERSON.WANJIRU_KAMAU,
		[SA.OV_NIGERIA]: PERSON.CHINEDU_EZE,
		[SA.DECO_ADDICT]: PERSON.DOUGLAS_FLETCHER,
		[SA.AZURE_INTERIOR]: PERSON.SOHAM_PALMER,
		[SA.GEMINI_FURNITURE]: PERSON.EDWIN_HANSEN,
		[SA.WOOD_CORNER]: PERSON.RON_GIBSON,
		[SA.READY_MAT]: PERSON.WILLIE_BURKE,
		[SA.JACKSON_GROUP]: PERSON.TOM_RUIZ,
		[SA.LUMBER_ARCHIVED]: PERSON.TRAVIS_MENDOZA,
	} as Readonly<Record<number, number>>,
	company: COMPANY,
	person: PERSON,
	contact: CONTACT,
	membership: M,
	/** In an OVAC (OV Kenya, sales lead) and an EXTC (Deco Addict, account manager) context. */
	twoContextPerson: PERSON.OTIENO_ODHIAMBO,
	saleOrder: {
		/** S00001 sale {Deco, Otieno} */ DECO_CONFIRMED: 1,
		/** S00002 draft {Deco, Otieno} */ DECO_QUOTE: 2,
		/** S00003 sent {Deco, null} */ DECO_QUOTE_UNASSIGNED: 3,
		/** S00004 sale {Azure, Achieng} */ AZURE_CONFIRMED: 4,
		/** S00005 draft {Azure, Kim} */ AZURE_QUOTE: 5,
		/** S00006 draft {OV Kenya, Otieno} for contact Joseph Kariuki */ KENYA_QUOTE: 6,
		/** S00007 sale {Wood Corner, Funmilayo} */ WOOD_CONFIRMED: 7,
		/** S00008 sent {Wood Corner, Theodore} */ WOOD_QUOTE: 8,
		/** S00009 draft {Ready Mat, Edith}: Edith's membership is revoked */ READY_REVOKED_ACTOR: 9,
		/** S00010 sale {Lumber (archived), Travis} */ LUMBER_ARCHIVED_SA: 10,
		/** S00011 draft {Jackson, null} */ JACKSON_QUOTE_UNASSIGNED: 11,
		/** S00012 cancel {Gemini, Jesse} */ GEMINI_CANCELLED: 12,
	},
	/** The demo tickets, stamped (ticket 5 "Password reset" is internal and stays unstamped). */
	ticket: {
		/** HT00001 {Deco, Floyd} */ DECO_PRINTER: 1,
		/** HT00002 {Azure, null} */ AZURE_VPN_UNASSIGNED: 2,
		/** HT00003 {Gemini, Oscar} */ GEMINI_INVOICE: 3,
		/** HT00004 {Wood Corner, Gordon} */ WOOD_WEBSITE: 4,
		/** HT00005 not stamped */ UNSTAMPED: 5,
		/** HT00006 {OV Kenya, Kipchoge}: Kipchoge's membership is suspended */ KENYA_SUSPENDED_ACTOR: 6,
		/** HT00007 {Deco, Douglas} */ DECO_MAILBOX: 7,
		/** HT00008 {Lumber (archived), null} */ LUMBER_ARCHIVED_SA: 8,
		/** HT00009 {Deco, Achieng}: Achieng is not a member of Deco Addict */ DECO_NOT_MEMBER: 9,
	},
	location: { PHYSICAL: 1, WH: 2, WH_STOCK: 3, NAIROBI_WEST: 4, DECO_DEPOT: 5, WOOD_YARD: 6, LUMBER_YARD: 7 },
	lot: { BAT_000101: 1, BAT_000102: 2, EM1_KE_0042: 3, SP200_NG_0007: 4, EM1_NG_0311: 5, BAT_000999: 6 },
	product: { BATTERY_48V: 1, MOTORBIKE_EM1: 2, SOLAR_PUMP_SP200: 3 },
	asset: {
		/** FLEET {OV Kenya, Otieno}, location 4 */ NAIROBI_SWAP_NETWORK_1: 1,
		/** FLEET {Deco, null}, location 5 */ DECO_DELIVERY_FLEET: 2,
		/** FLEET {Wood Corner, Theodore}, location 6 */ WOOD_CARGO_FLEET: 3,
		/** ITEM {Ready Mat, Billy}, lot 4 (at WH/Stock: no fleet binding) */ READY_PUMP: 4,
		/** ITEM, no SA (limbo), lot 6 */ SPARE_BATTERY_LIMBO: 5,
		/** ITEM {Jackson, null}, no lot (asset_ref null) */ JACKSON_BIKE_NO_REF: 6,
		/** FLEET {Lumber (archived), null}, location 7 */ LUMBER_YARD_FLEET: 7,
	},
	assignment: {
		/** expired (history): Deco Addict (res.partner 10) in OV Kenya, Achieng */ DECO_ACHIENG_EXPIRED: 1,
		/** active: Deco Addict in OV Kenya, Otieno (took over) */ DECO_OTIENO: 2,
		/** active: Azure Interior (15) in OV Kenya, Achieng */ AZURE_ACHIENG: 3,
		/** active: Wood Corner (9) in OV Nigeria, Funmilayo */ WOOD_FUNMILAYO: 4,
		/** active: contact Mwanaisha Ali in Deco Addict, Floyd */ MWANAISHA_FLOYD: 5,
	},
	/** Seeded integrity findings an audit must report. */
	integrity: {
		/** Actor with no membership at all in the stamped SA. */
		actorNotMember: [
			{ model: 'res.partner', id: CONTACT.CHIAMAKA_OKEKE, sa: SA.OV_NIGERIA, actor: PERSON.OTIENO_ODHIAMBO },
			{ model: 'helpdesk.ticket', id: 9, sa: SA.DECO_ADDICT, actor: PERSON.ACHIENG_NJERI },
		],
		/** Actor whose membership in the stamped SA is not active. */
		actorNotActiveMember: [
			{ model: 'sale.order', id: 9, sa: SA.READY_MAT, actor: PERSON.EDITH_SANCHEZ, state: 'revoked' },
			{ model: 'helpdesk.ticket', id: 6, sa: SA.OV_KENYA, actor: PERSON.KIPCHOGE_MUTAI, state: 'suspended' },
		],
		/** Stamps pointing to the archived SA. */
		archivedSa: [
			{ model: 'res.partner', id: CONTACT.RUTH_JEPKOSGEI, sa: SA.LUMBER_ARCHIVED },
			{ model: 'sale.order', id: 10, sa: SA.LUMBER_ARCHIVED },
			{ model: 'helpdesk.ticket', id: 8, sa: SA.LUMBER_ARCHIVED },
		],
	},
	counts: {
		servicedAccounts: 10,
		activeServicedAccounts: 9,
		memberships: 33,
		createdPartners: NEXT_PARTNER_ID - FIRST_PARTNER_ID,
		stampedPartners: 17,
		saleOrders: 12,
		stampedTickets: 8,
		assets: 7,
		assignments: 5,
	},
	/** Next ids after the world (what a test's first create gets in a fresh sandbox). */
	next: { partner: NEXT_PARTNER_ID, ticket: 10, ticketNumber: 'HT00010', saleOrder: 13, saleOrderName: 'S00013' },
} as const;

export type GovernanceWorldIds = typeof GOVERNANCE_WORLD;

// ---------------------------------------------------------------------------------------------- registry

function withMagic(list: FieldDef[], mail = false): Map<string, FieldDef> {
	const m = fieldsFrom(list);
	if (mail) for (const f of mailThreadFields()) if (!m.has(f.name)) m.set(f.name, f);
	for (const f of magicFields()) if (!m.has(f.name)) m.set(f.name, f);
	return m;
}

/** The V2 stamp as Odoo shows manual fields (created as ir.model.fields with state 'manual'). */
export function stampFields(): FieldDef[] {
	return [
		fd('x_sa_id', 'many2one', 'Serviced Account', { relation: 'ov.serviced_account', manual: true }),
		fd('x_actor_id', 'many2one', 'Actor', { relation: 'res.partner', manual: true }),
	];
}

const STAMPED_MODELS = ['res.partner', 'sale.order', 'helpdesk.ticket'];
/** Models this file defines (or redefines: sale.order was an empty placeholder comodel). */
const OWN_MODELS = ['ov.serviced_account', 'ov.membership', 'ov.asset', 'ov.sa_customer_assignment', 'sale.order', 'stock.location', 'stock.production.lot', 'product.product'];
const MODULE_OF: Record<string, string> = {
	'sale.order': 'sale',
	'stock.location': 'stock',
	'stock.production.lot': 'stock',
	'product.product': 'product',
};

/** Adds the governance models and the stamp fields to the registry of `db`. */
export function buildGovernanceRegistry(db: OdooDatabase): void {
	let irModelId = Math.max(0, ...[...db.models.values()].map((m) => m.irModelId));
	const def = (name: string, description: string, fields: FieldDef[], extra: Partial<ModelDef> = {}, mail = false): ModelDef => ({
		name,
		description,
		order: 'id',
		fields: withMagic(fields, mail),
		// A redefined placeholder (sale.order) keeps its ir.model id.
		irModelId: db.models.get(name)?.irModelId ?? ++irModelId,
		...extra,
	});

	db.addModel(
		def(
			'ov.serviced_account',
			'Serviced Account',
			[
				fd('name', 'char', 'Name', { required: true }),
				fd('parent_id', 'many2one', 'Parent Serviced Account', { relation: 'ov.serviced_account', ondelete: 'restrict' }),
				fd('child_ids', 'one2many', 'Child Serviced Accounts', { relation: 'ov.serviced_account', inverse: 'parent_id' }),
				fd('anchor_partner_id', 'many2one', 'Anchor Company', { relation: 'res.partner', ondelete: 'restrict', help: 'The one company partner (is_company) this serviced account wraps.' }),
				fd('sa_class', 'selection', 'Account Class', { required: true, selection: [['OVAC', 'OVAC (Omnivoltaic affiliate)'], ['EXTC', 'EXTC (external customer)']] }),
				fd('state', 'selection', 'Status', { required: true, selection: [['draft', 'Draft'], ['active', 'Active'], ['archived', 'Archived']] }),
				fd('sa_manager_id', 'many2one', 'SA Manager', { relation: 'res.partner', help: 'Person at the root of the membership tree.' }),
				fd('membership_ids', 'one2many', 'Memberships', { relation: 'ov.membership', inverse: 'sa_id' }),
				fd('notes', 'text', 'Notes'),
				fd('active', 'boolean', 'Active'),
			],
			{ order: 'name, id', parentName: 'parent_id', defaults: () => ({ state: 'draft', active: true }) },
		),
	);
	db.addModel(
		def(
			'ov.membership',
			'Serviced Account Membership',
			[
				fd('partner_id', 'many2one', 'Person', { relation: 'res.partner', required: true, ondelete: 'restrict' }),
				fd('sa_id', 'many2one', 'Serviced Account', { relation: 'ov.serviced_account', required: true, ondelete: 'cascade' }),
				fd('state', 'selection', 'Status', { required: true, selection: [['active', 'Active'], ['suspended', 'Suspended'], ['revoked', 'Revoked']] }),
				fd('date_start', 'date', 'Start Date'),
				fd('date_end', 'date', 'End Date'),
				fd('parent_membership_id', 'many2one', 'Reports To', { relation: 'ov.membership', ondelete: 'set null' }),
				fd('child_ids', 'one2many', 'Direct Reports', { relation: 'ov.membership', inverse: 'parent_membership_id' }),
				fd('role_code', 'char', 'Local Role', { help: 'Descriptive label only; authority follows the membership tree.' }),
			],
			{
				parentName: 'parent_membership_id',
				defaults: ({ now }) => ({ state: 'active', date_start: now.slice(0, 10) }),
				displayName: (r, c) => `${typeof r.partner_id === 'number' ? c.displayName('res.partner', r.partner_id) : ''} @ ${typeof r.sa_id === 'number' ? c.displayName('ov.serviced_account', r.sa_id) : ''}`,
			},
		),
	);
	db.addModel(
		def(
			'ov.asset',
			'Serviced Account Asset',
			[
				fd('name', 'char', 'Name', { required: true }),
				fd('description', 'text', 'Description'),
				fd('asset_class', 'selection', 'Asset Class', { required: true, selection: [['FLEET', 'Fleet (stock.location)'], ['ITEM', 'Item (stock.production.lot)']] }),
				fd('sa_id', 'many2one', 'Serviced Account', { relation: 'ov.serviced_account' }),
				fd('actor_id', 'many2one', 'Actor', { relation: 'res.partner' }),
				fd('location_id', 'many2one', 'Location', { relation: 'stock.location' }),
				fd('lot_id', 'many2one', 'Lot/Serial Number', { relation: 'stock.production.lot' }),
				fd('active', 'boolean', 'Active'),
			],
			{ order: 'name, id', defaults: () => ({ active: true }) },
		),
	);
	db.addModel(
		def(
			'ov.sa_customer_assignment',
			'SA Customer Assignment',
			[
				fd('sa_id', 'many2one', 'Serviced Account', { relation: 'ov.serviced_account', required: true, ondelete: 'cascade' }),
				fd('record_model', 'char', 'Record Model', { required: true }),
				fd('record_id', 'integer', 'Record ID', { required: true }),
				fd('actor_partner_id', 'many2one', 'Actor', { relation: 'res.partner', required: true, ondelete: 'restrict' }),
				fd('state', 'selection', 'Status', { required: true, selection: [['active', 'Active'], ['expired', 'Expired']] }),
				fd('date_from', 'datetime', 'From'),
				fd('date_to', 'datetime', 'To'),
			],
			{
				defaults: ({ now }) => ({ state: 'active', date_from: now }),
				displayName: (r, c) => `${r.record_model ?? ''},${r.record_id ?? ''} → ${typeof r.actor_partner_id === 'number' ? c.displayName('res.partner', r.actor_partner_id) : ''}`,
			},
		),
	);

	// ------------------------------------------------------------------ sale / stock / product (minimal)
	db.addModel(
		def(
			'sale.order',
			'Sales Order',
			[
				fd('name', 'char', 'Order Reference', { required: true }),
				fd('partner_id', 'many2one', 'Customer', { relation: 'res.partner', required: true }),
				fd('date_order', 'datetime', 'Order Date', { required: true }),
				fd('state', 'selection', 'Status', { readonly: true, selection: [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']] }),
				fd('user_id', 'many2one', 'Salesperson', { relation: 'res.users' }),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company', required: true }),
				fd('currency_id', 'many2one', 'Currency', { relation: 'res.currency', readonly: true }),
				fd('client_order_ref', 'char', 'Customer Reference'),
				fd('note', 'html', 'Terms and conditions'),
				fd('amount_untaxed', 'monetary', 'Untaxed Amount', { readonly: true }),
				fd('amount_tax', 'monetary', 'Taxes', { readonly: true }),
				fd('amount_total', 'monetary', 'Total', { readonly: true }),
			],
			{
				order: 'date_order desc, id desc',
				mailThread: true,
				tracked: ['state', 'user_id'],
				recNamesSearch: ['name', 'client_order_ref'],
				defaults: ({ uid, now, companyId }) => ({ name: 'New', state: 'draft', date_order: now, user_id: uid, company_id: companyId, currency_id: 2, amount_untaxed: 0, amount_tax: 0, amount_total: 0 }),
			},
			true,
		),
	);
	HOOKS['sale.order'] = {
		beforeCreate(d, vals) {
			// ir.sequence 'sale.order' (prefix S, padding 5), taken before the INSERT like every Odoo sequence.
			if (!vals.name || vals.name === 'New') {
				const n = d.sequences['sale.order'] ?? 1;
				d.sequences['sale.order'] = n + 1;
				vals.name = `S${String(n).padStart(5, '0')}`;
			}
		},
	};
	db.addModel(
		def(
			'stock.location',
			'Inventory Locations',
			[
				fd('name', 'char', 'Location Name', { required: true }),
				fd('complete_name', 'char', 'Full Location Name', { readonly: true, store: false, compute: (r, c) => locationPath(r, c.get) }),
				fd('location_id', 'many2one', 'Parent Location', { relation: 'stock.location', ondelete: 'cascade' }),
				fd('child_ids', 'one2many', 'Contains', { relation: 'stock.location', inverse: 'location_id' }),
				fd('usage', 'selection', 'Location Type', {
					required: true,
					selection: [['supplier', 'Vendor Location'], ['view', 'View'], ['internal', 'Internal Location'], ['customer', 'Customer Location'], ['inventory', 'Inventory Loss'], ['production', 'Production'], ['transit', 'Transit Location']],
				}),
				fd('barcode', 'char', 'Barcode'),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
				fd('active', 'boolean', 'Active'),
			],
			{ order: 'id', parentName: 'location_id', defaults: ({ companyId }) => ({ usage: 'internal', company_id: companyId, active: true }), displayName: (r, c) => locationPath(r, c.get) },
		),
	);
	db.addModel(
		def(
			'product.product',
			'Product Variant',
			[
				fd('name', 'char', 'Name', { required: true }),
				fd('default_code', 'char', 'Internal Reference'),
				fd('type', 'selection', 'Product Type', { required: true, selection: [['consu', 'Goods'], ['service', 'Service'], ['combo', 'Combo']] }),
				fd('tracking', 'selection', 'Tracking', { required: true, selection: [['serial', 'By Unique Serial Number'], ['lot', 'By Lots'], ['none', 'By Quantity']] }),
				fd('list_price', 'float', 'Sales Price'),
				fd('active', 'boolean', 'Active'),
			],
			{ order: 'default_code, name, id', defaults: () => ({ type: 'consu', tracking: 'none', list_price: 1, active: true }), displayName: (r) => (r.default_code ? `[${r.default_code}] ${r.name ?? ''}` : String(r.name ?? '')) },
		),
	);
	db.addModel(
		def(
			'stock.production.lot',
			'Lot/Serial',
			[
				fd('name', 'char', 'Lot/Serial Number', { required: true }),
				fd('product_id', 'many2one', 'Product', { relation: 'product.product', required: true }),
				fd('ref', 'char', 'Internal Reference'),
				fd('location_id', 'many2one', 'Location', { relation: 'stock.location' }),
				fd('company_id', 'many2one', 'Company', { relation: 'res.company' }),
				fd('note', 'html', 'Description'),
			],
			{ order: 'name, id', defaults: ({ companyId }) => ({ company_id: companyId }) },
		),
	);

	// ------------------------------------------------------------------ the V2 stamp on governed models
	for (const model of STAMPED_MODELS) {
		const m = db.models.get(model);
		if (!m) throw new Error(`governance: ${model} is not in the registry`);
		for (const f of stampFields()) m.fields.set(f.name, f);
	}
}

/** stock.location._compute_complete_name: a view location or a root shows its name; others "<parent>/<name>". */
function locationPath(r: Rec, get: (model: string, id: number) => Rec | undefined, depth = 0): string {
	const parent = typeof r.location_id === 'number' ? get('stock.location', r.location_id) : undefined;
	if (!parent || r.usage === 'view' || depth > 20) return String(r.name ?? '');
	return `${locationPath(parent, get, depth + 1)}/${String(r.name ?? '')}`;
}

// ---------------------------------------------------------------------------------------------- seed

/** Seeds the governance world into `db` (after seedDemo and buildGovernanceRegistry). */
export function seedGovernance(db: OdooDatabase): void {
	const base = { create_uid: 2, write_uid: 2, create_date: WORLD_DATE, write_date: WORLD_DATE };
	const partnerTable = db.tables.get('res.partner')!;
	if (partnerTable.nextId > FIRST_PARTNER_ID || [...partnerTable.rows.keys()].some((id) => id >= FIRST_PARTNER_ID))
		throw new Error(`governance seed: res.partner ids from ${FIRST_PARTNER_ID} are taken (next id ${partnerTable.nextId}); move the governance world's ids`);
	const W = GOVERNANCE_WORLD;
	const P = PERSON;
	const C = CONTACT;

	// ---------------------------------------------------------------- partners
	const partnerRows: Rec[] = [];
	const partner = (r: Rec) => partnerRows.push({ type: 'contact', active: true, is_company: false, lang: 'en_US', category_id: [], x_sa_id: null, x_actor_id: null, ...base, ...r });
	// [id, name, parent, email, city, phone]
	const ovCompanies: Array<[number, string, number | false, string, string, string]> = [
		[COMPANY.OMNIVOLTAIC_GROUP, 'Omnivoltaic Group', false, 'info@omnivoltaic.example.com', 'Nairobi', '+254 20 700 0000'],
		// Seed 004 §4.4: anchor companies mirror the SA tree through parent_id (a soft rule; the demo customers are left as they are).
		[COMPANY.OV_KENYA, 'Omnivoltaic Kenya Ltd', COMPANY.OMNIVOLTAIC_GROUP, 'kenya@omnivoltaic.example.com', 'Nairobi', '+254 20 700 0100'],
		[COMPANY.OV_NIGERIA, 'Omnivoltaic Nigeria Ltd', COMPANY.OMNIVOLTAIC_GROUP, 'nigeria@omnivoltaic.example.com', 'Lagos', '+234 1 700 0200'],
	];
	for (const [id, name, parent, email, city, phone] of ovCompanies) partner({ id, name, parent_id: parent || null, email, city, phone, is_company: true });
	// [id, name, company, job position, city]
	const staff: Array<[number, string, number, string, string]> = [
		[P.AMARA_OKAFOR, 'Amara Okafor', COMPANY.OMNIVOLTAIC_GROUP, 'Group Platform Director', 'Nairobi'],
		[P.WANJIRU_KAMAU, 'Wanjiru Kamau', COMPANY.OV_KENYA, 'Country Manager', 'Nairobi'],
		[P.OTIENO_ODHIAMBO, 'Otieno Odhiambo', COMPANY.OV_KENYA, 'Key Account Manager', 'Nairobi'],
		[P.ACHIENG_NJERI, 'Achieng Njeri', COMPANY.OV_KENYA, 'Sales Agent', 'Mombasa'],
		[P.KIPCHOGE_MUTAI, 'Kipchoge Mutai', COMPANY.OV_KENYA, 'Field Technician', 'Nairobi'],
		[P.CHINEDU_EZE, 'Chinedu Eze', COMPANY.OV_NIGERIA, 'Country Manager', 'Lagos'],
		[P.FUNMILAYO_ADEYEMI, 'Funmilayo Adeyemi', COMPANY.OV_NIGERIA, 'Sales Lead', 'Lagos'],
		[P.IBRAHIM_MUSA, 'Ibrahim Musa', COMPANY.OV_NIGERIA, 'Sales Agent', 'Abuja'],
		[P.KUNLE_AJAYI, 'Kunle Ajayi', COMPANY.OV_NIGERIA, 'Sales Agent', 'Lagos'],
	];
	for (const [id, name, company, job, city] of staff) {
		const email = `${name.toLowerCase().replace(/ /g, '.')}@omnivoltaic.example.com`;
		const phone = company === COMPANY.OV_NIGERIA ? `+234 802 555 ${id}` : `+254 711 555 ${id}`;
		partner({ id, name, parent_id: company, email, city, phone, function: job });
	}
	// [id, name, city, sa, actor]
	const contacts: Array<[number, string, string, number, number | false]> = [
		[C.JOSEPH_KARIUKI, 'Joseph Kariuki', 'Nairobi', SA.OV_KENYA, P.OTIENO_ODHIAMBO],
		[C.FAITH_CHEBET, 'Faith Chebet', 'Nakuru', SA.OV_KENYA, P.ACHIENG_NJERI],
		[C.DANIEL_KIBET, 'Daniel Kibet', 'Eldoret', SA.OV_KENYA, false],
		[C.MWANAISHA_ALI, 'Mwanaisha Ali', 'Mombasa', SA.DECO_ADDICT, P.FLOYD_STEWARD],
		[C.HASSAN_JUMA, 'Hassan Juma', 'Mombasa', SA.DECO_ADDICT, false],
		[C.OLUMIDE_BALOGUN, 'Olumide Balogun', 'Lagos', SA.OV_NIGERIA, P.KUNLE_AJAYI],
		[C.CHIAMAKA_OKEKE, 'Chiamaka Okeke', 'Enugu', SA.OV_NIGERIA, P.OTIENO_ODHIAMBO],
		[C.NGOZI_OBI, 'Ngozi Obi', 'Ibadan', SA.WOOD_CORNER, P.THEODORE_GARDNER],
		[C.EMEKA_NWOSU, 'Emeka Nwosu', 'Onitsha', SA.WOOD_CORNER, false],
		[C.RUTH_JEPKOSGEI, 'Ruth Jepkosgei', 'Iten', SA.LUMBER_ARCHIVED, false],
	];
	for (const [id, name, city, sa, actor] of contacts)
		partner({ id, name, email: `${name.toLowerCase().replace(/ /g, '.')}@customers.example.com`, city, x_sa_id: sa, x_actor_id: actor || null, comment: '<p>Registered through the portal.</p>' });
	db.seed('res.partner', partnerRows, NEXT_PARTNER_ID);
	for (const r of partnerRows) partnerTable.rows.get(r.id as number)!.complete_name = db.displayName('res.partner', r.id as number);
	// The demo customer companies are customers of an OVAC: stamped there, with the account manager as actor.
	const customerStamps: Array<[number, number, number | false]> = [
		[COMPANY.DECO_ADDICT, SA.OV_KENYA, P.OTIENO_ODHIAMBO],
		[COMPANY.AZURE_INTERIOR, SA.OV_KENYA, P.ACHIENG_NJERI],
		[COMPANY.GEMINI_FURNITURE, SA.OV_KENYA, false],
		[COMPANY.LUMBER_INC, SA.OV_KENYA, false],
		[COMPANY.WOOD_CORNER, SA.OV_NIGERIA, P.FUNMILAYO_ADEYEMI],
		[COMPANY.READY_MAT, SA.OV_NIGERIA, false],
		[COMPANY.JACKSON_GROUP, SA.OV_NIGERIA, P.KUNLE_AJAYI],
	];
	for (const [id, sa, actor] of customerStamps) Object.assign(partnerTable.rows.get(id)!, { x_sa_id: sa, x_actor_id: actor || null });

	// ---------------------------------------------------------------- serviced accounts
	const sas: Array<[number, string, number | false, 'OVAC' | 'EXTC', string]> = [
		[SA.ROOT, 'SA_ROOT', false, 'OVAC', 'System root serviced account (Omnivoltaic Group).'],
		[SA.OV_KENYA, 'Omnivoltaic Kenya', SA.ROOT, 'OVAC', 'Kenyan operating company.'],
		[SA.OV_NIGERIA, 'Omnivoltaic Nigeria', SA.ROOT, 'OVAC', 'Nigerian operating company.'],
		[SA.DECO_ADDICT, 'Deco Addict', SA.OV_KENYA, 'EXTC', 'Retail customer, delivery e-bike fleet.'],
		[SA.AZURE_INTERIOR, 'Azure Interior', SA.OV_KENYA, 'EXTC', 'Showroom chain, battery swap subscription.'],
		[SA.GEMINI_FURNITURE, 'Gemini Furniture', SA.OV_KENYA, 'EXTC', 'Workshop power backup.'],
		[SA.WOOD_CORNER, 'Wood Corner', SA.OV_NIGERIA, 'EXTC', 'Cargo e-bike fleet.'],
		[SA.READY_MAT, 'Ready Mat', SA.OV_NIGERIA, 'EXTC', 'Solar pumps at supplier farms.'],
		[SA.JACKSON_GROUP, 'The Jackson Group', SA.OV_NIGERIA, 'EXTC', 'Pilot e-bikes.'],
		[SA.LUMBER_ARCHIVED, 'Lumber Inc', SA.OV_KENYA, 'EXTC', 'Contract ended 2026-09; kept for history.'],
	];
	db.seed(
		'ov.serviced_account',
		sas.map(([id, name, parent, cls, notes]) => ({
			id,
			name,
			parent_id: parent || null,
			anchor_partner_id: W.anchor[id],
			sa_class: cls,
			state: id === SA.LUMBER_ARCHIVED ? 'archived' : 'active',
			active: id !== SA.LUMBER_ARCHIVED,
			sa_manager_id: W.manager[id],
			notes,
			...base,
		})),
	);

	// ---------------------------------------------------------------- memberships: one tree per SA, rooted at the sa_manager
	// [id, person, sa, parent membership, state, date_start, date_end, local role]
	const ms: Array<[number, number, number, number | false, 'active' | 'suspended' | 'revoked', string, string | false, string]> = [
		[M.AMARA_ROOT, P.AMARA_OKAFOR, SA.ROOT, false, 'active', '2025-01-01', false, 'Platform owner'],
		[M.WANJIRU_ROOT, P.WANJIRU_KAMAU, SA.ROOT, M.AMARA_ROOT, 'active', '2025-01-01', false, 'Country manager'],
		[M.CHINEDU_ROOT, P.CHINEDU_EZE, SA.ROOT, M.AMARA_ROOT, 'active', '2025-01-01', false, 'Country manager'],
		[M.WANJIRU_KENYA, P.WANJIRU_KAMAU, SA.OV_KENYA, false, 'active', '2025-01-01', false, 'Manager'],
		[M.OTIENO_KENYA, P.OTIENO_ODHIAMBO, SA.OV_KENYA, M.WANJIRU_KENYA, 'active', '2025-02-01', false, 'Sales lead'],
		[M.ACHIENG_KENYA, P.ACHIENG_NJERI, SA.OV_KENYA, M.OTIENO_KENYA, 'active', '2025-03-01', false, 'Sales agent'],
		[M.KIPCHOGE_KENYA_SUSPENDED, P.KIPCHOGE_MUTAI, SA.OV_KENYA, M.WANJIRU_KENYA, 'suspended', '2025-03-01', false, 'Field technician'],
		[M.CHINEDU_NIGERIA, P.CHINEDU_EZE, SA.OV_NIGERIA, false, 'active', '2025-01-01', false, 'Manager'],
		[M.FUNMILAYO_NIGERIA, P.FUNMILAYO_ADEYEMI, SA.OV_NIGERIA, M.CHINEDU_NIGERIA, 'active', '2025-02-01', false, 'Sales lead'],
		[M.IBRAHIM_NIGERIA_REVOKED, P.IBRAHIM_MUSA, SA.OV_NIGERIA, M.FUNMILAYO_NIGERIA, 'revoked', '2025-03-01', '2026-08-15', 'Sales agent'],
		[M.KUNLE_NIGERIA, P.KUNLE_AJAYI, SA.OV_NIGERIA, M.FUNMILAYO_NIGERIA, 'active', '2025-09-01', false, 'Sales agent'],
		[M.DOUGLAS_DECO, P.DOUGLAS_FLETCHER, SA.DECO_ADDICT, false, 'active', '2025-04-01', false, 'Customer admin'],
		[M.OTIENO_DECO, P.OTIENO_ODHIAMBO, SA.DECO_ADDICT, M.DOUGLAS_DECO, 'active', '2025-04-01', false, 'Account manager'],
		[M.FLOYD_DECO, P.FLOYD_STEWARD, SA.DECO_ADDICT, M.DOUGLAS_DECO, 'active', '2025-04-15', false, 'Fleet supervisor'],
		[M.ADDISON_DECO, P.ADDISON_OLSON, SA.DECO_ADDICT, M.FLOYD_DECO, 'active', '2025-06-01', false, 'Rider'],
		[M.SOHAM_AZURE, P.SOHAM_PALMER, SA.AZURE_INTERIOR, false, 'active', '2025-05-01', false, 'Customer admin'],
		[M.ACHIENG_AZURE, P.ACHIENG_NJERI, SA.AZURE_INTERIOR, M.SOHAM_AZURE, 'active', '2025-05-01', false, 'Account manager'],
		[M.KIM_AZURE, P.KIM_SNYDER, SA.AZURE_INTERIOR, M.SOHAM_AZURE, 'active', '2025-05-01', false, 'Operations'],
		[M.NICOLE_AZURE, P.NICOLE_FORD, SA.AZURE_INTERIOR, M.KIM_AZURE, 'active', '2025-07-01', false, 'Store lead'],
		[M.COLLEEN_AZURE_ENDED, P.COLLEEN_DIAZ, SA.AZURE_INTERIOR, M.KIM_AZURE, 'active', '2026-01-01', '2026-06-30', 'Seasonal coordinator'],
		[M.EDWIN_GEMINI, P.EDWIN_HANSEN, SA.GEMINI_FURNITURE, false, 'active', '2025-06-01', false, 'Customer admin'],
		[M.JESSE_GEMINI, P.JESSE_BROWN, SA.GEMINI_FURNITURE, M.EDWIN_GEMINI, 'active', '2025-06-01', false, 'Workshop lead'],
		[M.OSCAR_GEMINI, P.OSCAR_MORGAN, SA.GEMINI_FURNITURE, M.JESSE_GEMINI, 'active', '2025-07-01', false, 'Technician'],
		[M.RON_WOOD, P.RON_GIBSON, SA.WOOD_CORNER, false, 'active', '2025-04-01', false, 'Customer admin'],
		[M.FUNMILAYO_WOOD, P.FUNMILAYO_ADEYEMI, SA.WOOD_CORNER, M.RON_WOOD, 'active', '2025-04-01', false, 'Account manager'],
		[M.THEODORE_WOOD, P.THEODORE_GARDNER, SA.WOOD_CORNER, M.RON_WOOD, 'active', '2025-04-01', false, 'Fleet manager'],
		[M.GORDON_WOOD, P.GORDON_OWENS, SA.WOOD_CORNER, M.THEODORE_WOOD, 'active', '2025-05-01', false, 'Mechanic'],
		[M.WILLIE_READY, P.WILLIE_BURKE, SA.READY_MAT, false, 'active', '2025-05-01', false, 'Customer admin'],
		[M.BILLY_READY, P.BILLY_FOX, SA.READY_MAT, M.WILLIE_READY, 'active', '2025-05-01', false, 'Farm coordinator'],
		[M.EDITH_READY_REVOKED, P.EDITH_SANCHEZ, SA.READY_MAT, M.BILLY_READY, 'revoked', '2025-05-01', '2026-10-01', 'Buyer'],
		[M.TOM_JACKSON, P.TOM_RUIZ, SA.JACKSON_GROUP, false, 'active', '2025-06-01', false, 'Customer admin'],
		[M.TONI_JACKSON, P.TONI_JIMENEZ, SA.JACKSON_GROUP, M.TOM_JACKSON, 'active', '2025-06-01', false, 'Pilot coordinator'],
		[M.TRAVIS_LUMBER, P.TRAVIS_MENDOZA, SA.LUMBER_ARCHIVED, false, 'active', '2025-03-01', false, 'Customer admin'],
	];
	db.seed(
		'ov.membership',
		ms.map(([id, person, sa, parent, state, start, end, role]) => ({ id, partner_id: person, sa_id: sa, parent_membership_id: parent || null, state, date_start: start, date_end: end || null, role_code: role, ...base })),
	);

	// ---------------------------------------------------------------- sale.order: quotes and confirmed sales
	// [id, customer, sa, actor, state, total, date, salesperson uid, customer reference]
	const orders: Array<[number, number, number, number | false, 'draft' | 'sent' | 'sale' | 'cancel', number, string, number, string]> = [
		[1, COMPANY.DECO_ADDICT, SA.DECO_ADDICT, P.OTIENO_ODHIAMBO, 'sale', 48500, '2026-09-02 08:30:00', 2, '20 swap batteries 48V'],
		[2, COMPANY.DECO_ADDICT, SA.DECO_ADDICT, P.OTIENO_ODHIAMBO, 'draft', 12000, '2026-11-10 10:00:00', 2, '2 charging cabinets'],
		[3, COMPANY.DECO_ADDICT, SA.DECO_ADDICT, false, 'sent', 3600, '2026-11-12 14:15:00', 2, 'Service plan renewal'],
		[4, COMPANY.AZURE_INTERIOR, SA.AZURE_INTERIOR, P.ACHIENG_NJERI, 'sale', 27300, '2026-08-20 09:00:00', 6, '7 EM-1 motorbikes'],
		[5, COMPANY.AZURE_INTERIOR, SA.AZURE_INTERIOR, P.KIM_SNYDER, 'draft', 1950, '2026-11-18 11:45:00', 6, 'Spare parts kit'],
		[6, C.JOSEPH_KARIUKI, SA.OV_KENYA, P.OTIENO_ODHIAMBO, 'draft', 899, '2026-11-20 16:20:00', 6, 'Home battery pack'],
		[7, COMPANY.WOOD_CORNER, SA.WOOD_CORNER, P.FUNMILAYO_ADEYEMI, 'sale', 61200, '2026-07-14 12:00:00', 2, '15 EM-1 motorbikes'],
		[8, COMPANY.WOOD_CORNER, SA.WOOD_CORNER, P.THEODORE_GARDNER, 'sent', 4800, '2026-11-05 09:30:00', 2, 'Battery swap subscription'],
		[9, COMPANY.READY_MAT, SA.READY_MAT, P.EDITH_SANCHEZ, 'draft', 7400, '2026-09-28 13:00:00', 2, '2 SP-200 pumps'],
		[10, COMPANY.LUMBER_INC, SA.LUMBER_ARCHIVED, P.TRAVIS_MENDOZA, 'sale', 15800, '2026-03-03 10:10:00', 6, '4 e-bikes'],
		[11, COMPANY.JACKSON_GROUP, SA.JACKSON_GROUP, false, 'draft', 2250, '2026-11-21 08:00:00', 2, 'Pilot e-bike'],
		[12, COMPANY.GEMINI_FURNITURE, SA.GEMINI_FURNITURE, P.JESSE_BROWN, 'cancel', 5400, '2026-10-01 15:00:00', 6, 'Workshop inverter'],
	];
	db.seed(
		'sale.order',
		orders.map(([id, customer, sa, actor, state, total, date, uid, ref]) => ({
			id,
			name: `S${String(id).padStart(5, '0')}`,
			partner_id: customer,
			date_order: date,
			state,
			user_id: uid,
			company_id: 1,
			currency_id: 2,
			client_order_ref: ref,
			amount_untaxed: Math.round((total / 1.16) * 100) / 100,
			amount_tax: Math.round((total - total / 1.16) * 100) / 100,
			amount_total: total,
			x_sa_id: sa,
			x_actor_id: actor || null,
			...base,
		})),
	);
	db.sequences['sale.order'] = orders.length + 1;

	// ---------------------------------------------------------------- helpdesk.ticket: the demo tickets get stamps
	const ticketTable = db.tables.get('helpdesk.ticket')!;
	const ticketStamps: Array<[number, number, number | false]> = [
		[1, SA.DECO_ADDICT, P.FLOYD_STEWARD],
		[2, SA.AZURE_INTERIOR, false],
		[3, SA.GEMINI_FURNITURE, P.OSCAR_MORGAN],
		[4, SA.WOOD_CORNER, P.GORDON_OWENS],
		[6, SA.OV_KENYA, P.KIPCHOGE_MUTAI],
		[7, SA.DECO_ADDICT, P.DOUGLAS_FLETCHER],
		[8, SA.LUMBER_ARCHIVED, false],
		[9, SA.DECO_ADDICT, P.ACHIENG_NJERI],
	];
	for (const [id, sa, actor] of ticketStamps) {
		const t = ticketTable.rows.get(id);
		if (!t) throw new Error(`governance seed: demo helpdesk.ticket ${id} is missing`);
		Object.assign(t, { x_sa_id: sa, x_actor_id: actor || null });
	}

	// ---------------------------------------------------------------- stock substrate and assets
	const L = W.location;
	db.seed('stock.location', [
		{ id: L.PHYSICAL, name: 'Physical Locations', location_id: null, usage: 'view', company_id: null, active: true, ...base },
		{ id: L.WH, name: 'WH', location_id: L.PHYSICAL, usage: 'view', company_id: 1, active: true, ...base },
		{ id: L.WH_STOCK, name: 'Stock', location_id: L.WH, usage: 'internal', company_id: 1, active: true, ...base },
		{ id: L.NAIROBI_WEST, name: 'Nairobi West Swap Network', location_id: L.WH_STOCK, usage: 'internal', barcode: 'NBO-W-01', company_id: 1, active: true, ...base },
		{ id: L.DECO_DEPOT, name: 'Deco Addict Depot', location_id: L.WH_STOCK, usage: 'internal', barcode: 'DECO-D-01', company_id: 1, active: true, ...base },
		{ id: L.WOOD_YARD, name: 'Wood Corner Yard', location_id: L.WH_STOCK, usage: 'internal', barcode: 'WOOD-Y-01', company_id: 1, active: true, ...base },
		{ id: L.LUMBER_YARD, name: 'Lumber Inc Yard', location_id: L.WH_STOCK, usage: 'internal', barcode: 'LUMB-Y-01', company_id: 1, active: true, ...base },
	]);
	const PR = W.product;
	db.seed('product.product', [
		{ id: PR.BATTERY_48V, name: 'Swap Battery 48V', default_code: 'BAT-48V', type: 'consu', tracking: 'serial', list_price: 2425, active: true, ...base },
		{ id: PR.MOTORBIKE_EM1, name: 'Electric Motorbike EM-1', default_code: 'EM-1', type: 'consu', tracking: 'serial', list_price: 3900, active: true, ...base },
		{ id: PR.SOLAR_PUMP_SP200, name: 'Solar Water Pump SP-200', default_code: 'SP-200', type: 'consu', tracking: 'serial', list_price: 2250, active: true, ...base },
	]);
	const LOT = W.lot;
	db.seed('stock.production.lot', [
		{ id: LOT.BAT_000101, name: 'BAT-000101', product_id: PR.BATTERY_48V, location_id: L.NAIROBI_WEST, company_id: 1, ...base },
		{ id: LOT.BAT_000102, name: 'BAT-000102', product_id: PR.BATTERY_48V, location_id: L.NAIROBI_WEST, company_id: 1, ...base },
		{ id: LOT.EM1_KE_0042, name: 'EM1-KE-0042', product_id: PR.MOTORBIKE_EM1, location_id: L.DECO_DEPOT, company_id: 1, ...base },
		{ id: LOT.SP200_NG_0007, name: 'SP200-NG-0007', product_id: PR.SOLAR_PUMP_SP200, location_id: L.WH_STOCK, company_id: 1, ...base },
		{ id: LOT.EM1_NG_0311, name: 'EM1-NG-0311', product_id: PR.MOTORBIKE_EM1, location_id: L.WOOD_YARD, company_id: 1, ...base },
		{ id: LOT.BAT_000999, name: 'BAT-000999', product_id: PR.BATTERY_48V, location_id: null, company_id: 1, ...base },
	]);
	const A = W.asset;
	const asset = (id: number, name: string, cls: 'FLEET' | 'ITEM', sa: number | null, actor: number | null, location: number | null, lot: number | null, description: string): Rec => ({
		id,
		name,
		asset_class: cls,
		sa_id: sa,
		actor_id: actor,
		location_id: location,
		lot_id: lot,
		description,
		active: true,
		...base,
	});
	db.seed('ov.asset', [
		asset(A.NAIROBI_SWAP_NETWORK_1, 'Nairobi Swap Network 1', 'FLEET', SA.OV_KENYA, P.OTIENO_ODHIAMBO, L.NAIROBI_WEST, null, 'A group of swap stations on the west side of Nairobi.'),
		asset(A.DECO_DELIVERY_FLEET, 'Deco Addict delivery fleet', 'FLEET', SA.DECO_ADDICT, null, L.DECO_DEPOT, null, 'Delivery e-bikes kept at the customer depot.'),
		asset(A.WOOD_CARGO_FLEET, 'Wood Corner cargo fleet', 'FLEET', SA.WOOD_CORNER, P.THEODORE_GARDNER, L.WOOD_YARD, null, 'Cargo e-bikes operating from the yard.'),
		asset(A.READY_PUMP, 'Solar pump SP200-NG-0007', 'ITEM', SA.READY_MAT, P.BILLY_FOX, null, LOT.SP200_NG_0007, 'Pump at a supplier farm; its location has no fleet binding.'),
		asset(A.SPARE_BATTERY_LIMBO, 'Spare battery BAT-000999', 'ITEM', null, null, null, LOT.BAT_000999, 'Returned battery, not affiliated to any serviced account.'),
		asset(A.JACKSON_BIKE_NO_REF, 'Jackson pilot e-bike', 'ITEM', SA.JACKSON_GROUP, null, null, null, 'Serial not recorded yet (no physical reference).'),
		asset(A.LUMBER_YARD_FLEET, 'Lumber Inc yard fleet', 'FLEET', SA.LUMBER_ARCHIVED, null, L.LUMBER_YARD, null, 'Fleet of the ended Lumber Inc contract.'),
	]);

	// ---------------------------------------------------------------- V3 assignments (one history row)
	const AS = W.assignment;
	db.seed('ov.sa_customer_assignment', [
		{ id: AS.DECO_ACHIENG_EXPIRED, sa_id: SA.OV_KENYA, record_model: 'res.partner', record_id: COMPANY.DECO_ADDICT, actor_partner_id: P.ACHIENG_NJERI, state: 'expired', date_from: '2025-04-01 08:00:00', date_to: '2026-05-31 17:00:00', ...base },
		{ id: AS.DECO_OTIENO, sa_id: SA.OV_KENYA, record_model: 'res.partner', record_id: COMPANY.DECO_ADDICT, actor_partner_id: P.OTIENO_ODHIAMBO, state: 'active', date_from: '2026-05-31 17:00:00', date_to: null, ...base },
		{ id: AS.AZURE_ACHIENG, sa_id: SA.OV_KENYA, record_model: 'res.partner', record_id: COMPANY.AZURE_INTERIOR, actor_partner_id: P.ACHIENG_NJERI, state: 'active', date_from: '2025-05-01 08:00:00', date_to: null, ...base },
		{ id: AS.WOOD_FUNMILAYO, sa_id: SA.OV_NIGERIA, record_model: 'res.partner', record_id: COMPANY.WOOD_CORNER, actor_partner_id: P.FUNMILAYO_ADEYEMI, state: 'active', date_from: '2025-04-01 08:00:00', date_to: null, ...base },
		{ id: AS.MWANAISHA_FLOYD, sa_id: SA.DECO_ADDICT, record_model: 'res.partner', record_id: C.MWANAISHA_ALI, actor_partner_id: P.FLOYD_STEWARD, state: 'active', date_from: '2025-06-10 09:00:00', date_to: null, ...base },
	]);

	mirrorIrModel(db, base);
}

/** ir.model / ir.model.fields rows for the new models and fields, after the demo's (whose ids do not move). */
function mirrorIrModel(db: OdooDatabase, base: Rec): void {
	const irModel = db.tables.get('ir.model')!;
	const irFields = db.tables.get('ir.model.fields')!;
	for (const name of OWN_MODELS) {
		const def = db.models.get(name)!;
		irModel.rows.set(def.irModelId, {
			id: def.irModelId,
			name: def.description,
			model: name,
			order: def.order,
			state: 'base',
			transient: false,
			modules: MODULE_OF[name] ?? 'ov_governance',
			...base,
		});
		// A placeholder's old field rows go; the model's real fields come in below.
		for (const [id, r] of [...irFields.rows]) if (r.model === name) irFields.rows.delete(id);
	}
	let fieldId = Math.max(0, ...irFields.rows.keys());
	const row = (model: string, f: FieldDef, state: 'base' | 'manual'): Rec => irFieldRow({ name: model, irModelId: db.models.get(model)!.irModelId }, f, ++fieldId, { state, onDelete: true, base });
	const rows: Rec[] = [];
	for (const name of OWN_MODELS) for (const f of db.models.get(name)!.fields.values()) if (!f.manual) rows.push(row(name, f, 'base'));
	// helpdesk.ticket's stamp has no ir.model.fields row: test/sandbox-odoo/orm.test.ts pins that model's x_ rows to the one
	// it creates. fields_get still lists the stamp as a manual field there, like on the other two models.
	for (const model of STAMPED_MODELS)
		if (model !== 'helpdesk.ticket') for (const f of stampFields()) rows.push(row(model, db.models.get(model)!.fields.get(f.name)!, 'manual'));
	// Below the demo's next id (20000), so the ir.model.fields sequence is unchanged.
	db.seed('ir.model.fields', rows, irFields.nextId);
}
