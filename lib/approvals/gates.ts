/**
 * The approval gate table of seed 000 ("Odoo app mapping") as data: which actions on which Odoo app need a human
 * decision in Slack, where it is asked and who may give it. Workflows can replace the table with their own JSON
 * (validated here); no gate lives in a code branch.
 */
import { z } from 'zod';

export const ACTION_KINDS = [
	'send',
	'payment',
	'sign',
	'customer-facing',
	'legal',
	'data-change',
	'purchase-over-threshold',
	'outbound-message',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const GATE_STATUSES = ['mapped', 'pending', 'review'] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];

export interface Approvers {
	/** Slack user ids (U…/W…). */
	users: string[];
	/** Slack user group ids (S…); membership is resolved at click time, so group changes apply to waiting approvals. */
	usergroups: string[];
}

export interface GateRow {
	/** App name as the seed writes it; `aliases` and the parts around " / " also match ("Invoicing"). */
	app: string;
	aliases: string[];
	/** Odoo models whose records belong to this app (lets a caller find the row from a record). */
	models: string[];
	purpose: string;
	/** The gate in words, as shown in the command room. */
	gate: string;
	status: GateStatus;
	/** Action kinds this app gates. */
	actions: ActionKind[];
	/**
	 * Action kinds explicitly free of approval. Kinds in neither list are asked for anyway: a table that does not
	 * say an action is free has not established that it is (deny by default).
	 */
	noApproval: ActionKind[];
	/** Slack channel id or #name the approval request is posted to. */
	channel: string;
	approvers: Approvers;
	/** Whether the person who asked may also approve. */
	allowSelfApproval: boolean;
	/** For `purchase-over-threshold`: amounts strictly above need approval. Unset: every amount does. */
	threshold?: number;
	currency?: string;
}

export type GateTable = GateRow[];

/**
 * Seed 000 names only one approval channel (#mlg-finance-review, for finance, and "finance approval" for purchases).
 * Documents and Helpdesk approve "in the thread/channel" of the work; for the others the seed is silent. This channel
 * is our placeholder for those rows: a workflow overrides it with its own table.
 */
export const DEFAULT_APPROVAL_CHANNEL = '#odoo-approvals';
const FINANCE_CHANNEL = '#mlg-finance-review';

// The seed names no approvers. An empty list means nobody can approve (fail closed) until a table names them.
const NOBODY: Approvers = { users: [], usergroups: [] };

type SeedRow = Pick<GateRow, 'app' | 'purpose' | 'gate' | 'status' | 'actions' | 'channel' | 'models'> & Partial<GateRow>;

const SEED_ROWS: SeedRow[] = [
	{
		app: 'Documents',
		purpose: 'Document folder and evidence storage.',
		gate: 'Legal/signature approval before sign.',
		status: 'mapped',
		actions: ['legal', 'sign'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		models: ['documents.document', 'ir.attachment', 'dms.file'],
	},
	{
		app: 'Helpdesk',
		purpose: 'Warranty/support/legacy issue ticketing.',
		gate: 'Legal/financial/customer-facing actions need approval.',
		status: 'mapped',
		// "financial" has no action kind of its own; a payment is the financial action a ticket can lead to.
		actions: ['legal', 'payment', 'customer-facing'],
		// The seed lists #mlh-warranty-support and #mlh-legacy-issues as Helpdesk's channels and asks for approval in
		// the issue thread; one row has one channel, so the first is the default and legacy issues need an override.
		channel: '#mlh-warranty-support',
		models: ['helpdesk.ticket'],
	},
	{
		app: 'Accounting / Invoicing / Expenses',
		purpose: 'Finance records, draft invoices, payments, expense tracking.',
		gate: '#mlg-finance-review before sending/payment/customer-facing action.',
		status: 'mapped',
		actions: ['send', 'payment', 'customer-facing'],
		channel: FINANCE_CHANNEL,
		aliases: ['Finance'],
		models: ['account.move', 'account.payment', 'hr.expense', 'hr.expense.sheet'],
	},
	{
		app: 'CRM / Sales',
		purpose: 'Lead and opportunity tracking for MLG/MLH deals.',
		gate: 'Customer-facing actions need approval.',
		status: 'pending',
		actions: ['customer-facing'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		models: ['crm.lead', 'sale.order'],
	},
	{
		app: 'Project',
		purpose: 'Project and task management across Viewport entities.',
		gate: 'Deadline/delivery changes need approval if customer-facing.',
		status: 'pending',
		actions: ['customer-facing'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		models: ['project.project', 'project.task'],
	},
	{
		app: 'Contacts',
		purpose: 'Customer, vendor, partner, and employee records.',
		gate: 'Data modification of live client records needs approval.',
		status: 'pending',
		actions: ['data-change'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		models: ['res.partner'],
	},
	{
		app: 'Purchase / Inventory',
		purpose: 'Procurement and stock management.',
		gate: 'Purchase orders over threshold need finance approval.',
		status: 'pending',
		actions: ['purchase-over-threshold'],
		channel: FINANCE_CHANNEL,
		models: ['purchase.order', 'stock.picking'],
	},
	{
		app: 'Email / Marketing',
		purpose: 'Outbound communication and campaign management.',
		gate: 'All outbound to real clients needs per-message approval.',
		status: 'review',
		actions: ['outbound-message', 'send'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		aliases: ['Email/Marketing'],
		models: ['mailing.mailing', 'mail.mail'],
	},
	{
		app: 'Sign',
		purpose: 'Digital signature routing for contracts and documents.',
		gate: 'Legal/financial documents need Slack approval before send.',
		status: 'pending',
		actions: ['send', 'sign', 'legal', 'payment'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		models: ['sign.request', 'sign.oca.request'],
	},
	{
		app: 'Website / eCommerce',
		purpose: 'Public-facing Odoo web portal.',
		gate: 'Content changes to live portal need approval.',
		status: 'pending',
		actions: ['data-change', 'customer-facing'],
		channel: DEFAULT_APPROVAL_CHANNEL,
		models: ['website.page', 'product.template'],
	},
];

/** Seed 000's ten apps with their gate wording and status, word for word. */
export const DEFAULT_GATE_TABLE: GateTable = SEED_ROWS.map((r) => ({
	aliases: [],
	noApproval: [],
	approvers: { users: [...NOBODY.users], usergroups: [...NOBODY.usergroups] },
	allowSelfApproval: false,
	...r,
}));

// ---------------------------------------------------------------------------------------------------------------------
// Parsing a table supplied by a workflow

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, "must be a Slack user id like 'U0123ABCD'");
const slackGroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, "must be a Slack user group id like 'S0123ABCD'");
const actionKind = z.enum(ACTION_KINDS, { errorMap: () => ({ message: `must be one of ${ACTION_KINDS.join(', ')}` }) });

const rowSchema = z
	.object({
		app: z.string().trim().min(1, 'must not be empty'),
		aliases: z.array(z.string().trim().min(1)).default([]),
		models: z.array(z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$/, "must be an Odoo model name like 'account.move'")).default([]),
		purpose: z.string().default(''),
		gate: z.string().default(''),
		status: z.enum(GATE_STATUSES, { errorMap: () => ({ message: `must be one of ${GATE_STATUSES.join(', ')}` }) }),
		actions: z.array(actionKind).min(1, 'must list at least one action kind'),
		noApproval: z.array(actionKind).default([]),
		channel: z.string().trim().min(1, 'must not be empty'),
		approvers: z
			.object({ users: z.array(slackUserId).default([]), usergroups: z.array(slackGroupId).default([]) })
			.strict(),
		allowSelfApproval: z.boolean().default(false),
		threshold: z.number().finite().nonnegative().optional(),
		currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO currency code like 'EUR'").optional(),
	})
	.strict()
	.superRefine((row, ctx) => {
		const both = row.actions.filter((a) => row.noApproval.includes(a));
		if (both.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['noApproval'], message: `lists ${both.join(', ')}, which 'actions' gates too` });
	});

export class GateTableError extends Error {
	constructor(readonly problems: string[]) {
		super(problems.length === 1 ? `Invalid gate table: ${problems[0]}` : `Invalid gate table:\n- ${problems.join('\n- ')}`);
		this.name = 'GateTableError';
	}
}

function describeIssue(issue: z.ZodIssue, rows: unknown[]): string {
	const [index, field, ...rest] = issue.path;
	if (typeof index !== 'number') return issue.message;
	const raw = rows[index] as Record<string, unknown> | undefined;
	const app = raw && typeof raw === 'object' && typeof raw.app === 'string' && raw.app.trim() ? ` (app '${raw.app}')` : '';
	const where = `Row ${index + 1}${app}`;
	if (issue.code === 'unrecognized_keys') {
		return `${where}${field === undefined ? '' : ` '${[field, ...rest].map(String).join('.')}'`}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
	}
	if (field === undefined) return `${where}: ${issue.code === 'invalid_type' ? `must be an object, got ${issue.received}` : issue.message}`;
	const name = [field, ...rest].map(String).join('.');
	if (issue.code === 'invalid_type' && issue.received === 'undefined') return `${where}: '${name}' is required`;
	if (issue.code === 'invalid_type') return `${where}: '${name}' must be ${issue.expected}, got ${issue.received}`;
	return `${where}: '${name}' ${issue.message}`;
}

/**
 * A workflow's gate table, from JSON text or parsed JSON: an array of rows, or `{ "apps": [...] }`. Throws a
 * GateTableError whose message names each bad row (1-based, with its app) and field.
 */
export function parseGateTable(json: unknown): GateTable {
	let value = json;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch (e) {
			throw new GateTableError([`not valid JSON (${(e as Error).message})`]);
		}
	}
	if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { apps?: unknown }).apps)) value = (value as { apps: unknown[] }).apps;
	if (!Array.isArray(value)) throw new GateTableError(['expected an array of rows (or an object with an "apps" array)']);
	if (value.length === 0) throw new GateTableError(['the table has no rows']);
	const parsed = z.array(rowSchema).safeParse(value);
	if (!parsed.success) throw new GateTableError(parsed.error.issues.map((i) => describeIssue(i, value as unknown[])));
	const table = parsed.data as GateTable;
	const seen = new Map<string, number>();
	const problems: string[] = [];
	table.forEach((row, i) => {
		for (const name of appNames(row)) {
			const prior = seen.get(name);
			if (prior !== undefined && prior !== i) problems.push(`Row ${i + 1} (app '${row.app}'): name '${name}' is also used by row ${prior + 1}`);
			else seen.set(name, i);
		}
	});
	if (problems.length) throw new GateTableError(problems);
	return table;
}

// ---------------------------------------------------------------------------------------------------------------------
// Deciding

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

function appNames(row: GateRow): string[] {
	const parts = row.app.split('/').map(norm).filter(Boolean);
	return [...new Set([norm(row.app), ...(parts.length > 1 ? parts : []), ...row.aliases.map(norm)])];
}

/** The row for an app name (the full name, one part of "A / B", or an alias), or for an Odoo model. */
export function findGateRow(table: GateTable, app: string | undefined, model?: string): GateRow | undefined {
	if (app && app.trim()) {
		const key = norm(app);
		const byName = table.find((row) => appNames(row).includes(key));
		if (byName) return byName;
	}
	if (model) return table.find((row) => row.models.includes(model));
	return undefined;
}

export interface GateQuery {
	app: string;
	action: string;
	amount?: number;
	/** Lets a caller that only knows the record find the app. */
	model?: string;
}

export interface GateDecision {
	needsApproval: boolean;
	/** The gate in words, or null when no row applies. */
	gate: string | null;
	app: string | null;
	status: GateStatus | null;
	channel: string | null;
	approvers: Approvers;
	allowSelfApproval: boolean;
	reason: string;
}

const isActionKind = (a: string): a is ActionKind => (ACTION_KINDS as readonly string[]).includes(a);

export function evaluateGate(table: GateTable, query: GateQuery): GateDecision {
	const row = findGateRow(table, query.app, query.model);
	const action = (query.action ?? '').trim();
	if (!row) {
		return {
			needsApproval: true,
			gate: null,
			app: null,
			status: null,
			channel: null,
			approvers: { users: [], usergroups: [] },
			allowSelfApproval: false,
			reason: `No gate row for app '${query.app}'${query.model ? ` or model '${query.model}'` : ''}: approval is required by default, and nobody can give it until the gate table has a row for this app`,
		};
	}
	const base = {
		gate: row.gate || null,
		app: row.app,
		status: row.status,
		channel: row.channel,
		approvers: { users: [...row.approvers.users], usergroups: [...row.approvers.usergroups] },
		allowSelfApproval: row.allowSelfApproval,
	};
	const noApprovers = row.approvers.users.length === 0 && row.approvers.usergroups.length === 0 ? ' No approvers are configured for this app, so nobody can approve until the gate table names them.' : '';
	if (!isActionKind(action)) {
		return { ...base, needsApproval: true, reason: `Unknown action kind '${query.action}' (known: ${ACTION_KINDS.join(', ')}): approval is required by default.${noApprovers}` };
	}
	if (row.noApproval.includes(action)) {
		return { ...base, needsApproval: false, reason: `${row.app}: '${action}' is marked as not needing approval in the gate table` };
	}
	if (action === 'purchase-over-threshold' && row.actions.includes(action)) {
		if (row.threshold === undefined) {
			return { ...base, needsApproval: true, reason: `${row.app}: ${row.gate} No threshold is configured, so every purchase needs approval.${noApprovers}` };
		}
		const cur = row.currency ? ` ${row.currency}` : '';
		if (query.amount === undefined || query.amount === null || !Number.isFinite(query.amount)) {
			return { ...base, needsApproval: true, reason: `${row.app}: ${row.gate} The amount is unknown, so it cannot be shown to be within ${row.threshold}${cur}.${noApprovers}` };
		}
		if (query.amount <= row.threshold) {
			return { ...base, needsApproval: false, reason: `${row.app}: amount ${query.amount}${cur} is within the threshold of ${row.threshold}${cur}` };
		}
		return { ...base, needsApproval: true, reason: `${row.app}: ${row.gate} Amount ${query.amount}${cur} is over the threshold of ${row.threshold}${cur}.${noApprovers}` };
	}
	if (row.actions.includes(action)) {
		return { ...base, needsApproval: true, reason: `${row.app}: ${row.gate || `'${action}' is gated`}${noApprovers}` };
	}
	return {
		...base,
		needsApproval: true,
		reason: `${row.app} does not list '${action}' as gated or as free of approval: approval is required by default.${noApprovers}`,
	};
}

// ---------------------------------------------------------------------------------------------------------------------
// Who may decide

export interface ApproverCheck {
	/** Who clicked. */
	userId: string;
	/** Who asked (Slack user id), when known. */
	requesterId?: string;
	approvers: Approvers;
	allowSelfApproval: boolean;
	/** Current members of the gate's user groups (resolved by the caller; a group that could not be read is absent). */
	groupMembers: Record<string, string[]>;
}

export type ApproverVerdict = { allowed: true; via: 'user' | 'usergroup'; group?: string } | { allowed: false; reason: string };

export function checkApprover(check: ApproverCheck): ApproverVerdict {
	const { userId, requesterId, approvers } = check;
	if (!userId) return { allowed: false, reason: 'The click carries no Slack user, so nobody can be credited with the decision.' };
	if (requesterId && userId === requesterId && !check.allowSelfApproval) {
		return { allowed: false, reason: 'You asked for this approval, and this gate does not let the requester approve their own request.' };
	}
	if (approvers.users.includes(userId)) return { allowed: true, via: 'user' };
	const group = approvers.usergroups.find((g) => check.groupMembers[g]?.includes(userId));
	if (group) return { allowed: true, via: 'usergroup', group };
	const who = [...approvers.users.map((u) => `<@${u}>`), ...approvers.usergroups.map((g) => `<!subteam^${g}>`)];
	return {
		allowed: false,
		reason: who.length ? `You are not an approver for this gate. Approvers: ${who.join(', ')}.` : 'No approvers are configured for this gate, so nobody can approve it.',
	};
}
