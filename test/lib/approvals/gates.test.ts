import {
	ACTION_KINDS,
	DEFAULT_GATE_TABLE,
	GateTableError,
	checkApprover,
	evaluateGate,
	findGateRow,
	parseGateTable,
	type GateTable,
} from '../../../lib/approvals';

const errorOf = (fn: () => unknown): GateTableError => {
	try {
		fn();
	} catch (e) {
		return e as GateTableError;
	}
	throw new Error('expected a GateTableError');
};

const row = (over: Record<string, unknown> = {}) => ({
	app: 'Invoicing',
	status: 'mapped',
	actions: ['send', 'payment'],
	channel: 'C0FINANCE',
	approvers: { users: ['U0ALICE'], usergroups: ['S0APPROVERS'] },
	...over,
});

describe('DEFAULT_GATE_TABLE: seed 000 word for word', () => {
	test('ten apps, 3 mapped, 6 pending, 1 review (Email / Marketing)', () => {
		expect(DEFAULT_GATE_TABLE).toHaveLength(10);
		const by = (s: string) => DEFAULT_GATE_TABLE.filter((r) => r.status === s).map((r) => r.app);
		expect(by('mapped')).toEqual(['Documents', 'Helpdesk', 'Accounting / Invoicing / Expenses']);
		expect(by('pending')).toEqual(['CRM / Sales', 'Project', 'Contacts', 'Purchase / Inventory', 'Sign', 'Website / eCommerce']);
		expect(by('review')).toEqual(['Email / Marketing']);
	});

	test('gates and purposes carry the seed wording', () => {
		const finance = findGateRow(DEFAULT_GATE_TABLE, 'Accounting / Invoicing / Expenses')!;
		expect(finance.gate).toBe('#mlg-finance-review before sending/payment/customer-facing action.');
		expect(finance.purpose).toBe('Finance records, draft invoices, payments, expense tracking.');
		expect(finance.channel).toBe('#mlg-finance-review');
		expect(findGateRow(DEFAULT_GATE_TABLE, 'Email / Marketing')!.gate).toBe('All outbound to real clients needs per-message approval.');
		expect(findGateRow(DEFAULT_GATE_TABLE, 'Purchase / Inventory')!.gate).toBe('Purchase orders over threshold need finance approval.');
	});

	test('the default passes its own validation, so a workflow can start from a copy of it', () => {
		expect(parseGateTable(JSON.parse(JSON.stringify(DEFAULT_GATE_TABLE)))).toEqual(DEFAULT_GATE_TABLE);
	});

	test('nobody may self-approve by default', () => {
		expect(DEFAULT_GATE_TABLE.every((r) => r.allowSelfApproval === false)).toBe(true);
	});
});

describe('parseGateTable: errors name the row and the field', () => {
	test("a missing channel: Row 3 (app 'Invoicing'): 'channel' is required", () => {
		const { channel: _omit, ...noChannel } = row();
		void _omit;
		const e = errorOf(() => parseGateTable([row({ app: 'Documents' }), row({ app: 'Helpdesk' }), noChannel]));
		expect(e).toBeInstanceOf(GateTableError);
		expect(e.message).toBe("Invalid gate table: Row 3 (app 'Invoicing'): 'channel' is required");
	});

	test('several problems are all listed, with nested fields and allowed values', () => {
		const e = errorOf(() =>
			parseGateTable([row({ status: 'done' }), row({ app: 'CRM', actions: ['send', 'teleport'], approvers: { users: ['alice'] } }), { status: 'mapped' }]),
		);
		expect(e.problems).toEqual(
			expect.arrayContaining([
				"Row 1 (app 'Invoicing'): 'status' must be one of mapped, pending, review",
				"Row 2 (app 'CRM'): 'actions.1' must be one of " + ACTION_KINDS.join(', '),
				"Row 2 (app 'CRM'): 'approvers.users.0' must be a Slack user id like 'U0123ABCD'",
				"Row 3: 'app' is required",
			]),
		);
	});

	test('unknown fields, wrong types, duplicate apps, contradictory actions', () => {
		expect(errorOf(() => parseGateTable([row({ chanel: 'x' })])).message).toContain("Row 1 (app 'Invoicing'): unknown field(s) 'chanel'");
		expect(errorOf(() => parseGateTable([row({ threshold: '5000' })])).message).toContain("Row 1 (app 'Invoicing'): 'threshold' must be number, got string");
		expect(errorOf(() => parseGateTable([row(), row({ app: 'invoicing' })])).message).toContain("Row 2 (app 'invoicing'): name 'invoicing' is also used by row 1");
		expect(errorOf(() => parseGateTable([row({ noApproval: ['send'] })])).message).toContain("Row 1 (app 'Invoicing'): 'noApproval' lists send, which 'actions' gates too");
		expect(errorOf(() => parseGateTable(['x'])).message).toContain('Row 1: must be an object, got string');
	});

	test('JSON text, {apps: [...]} and bad JSON', () => {
		expect(parseGateTable(JSON.stringify({ apps: [row()] }))[0]).toMatchObject({ app: 'Invoicing', allowSelfApproval: false, noApproval: [], aliases: [] });
		expect(errorOf(() => parseGateTable('{nope')).message).toMatch(/^Invalid gate table: not valid JSON/);
		expect(errorOf(() => parseGateTable({})).message).toContain('expected an array of rows');
		expect(errorOf(() => parseGateTable([])).message).toContain('no rows');
	});
});

describe('evaluateGate: deny by default', () => {
	const table: GateTable = parseGateTable([
		row({ noApproval: ['data-change'] }),
		row({ app: 'Purchase / Inventory', actions: ['purchase-over-threshold'], threshold: 5000, currency: 'EUR' }),
	]);

	test('a gated action needs approval, with the channel and approvers of its row', () => {
		expect(evaluateGate(table, { app: 'Invoicing', action: 'payment' })).toMatchObject({
			needsApproval: true,
			app: 'Invoicing',
			channel: 'C0FINANCE',
			approvers: { users: ['U0ALICE'], usergroups: ['S0APPROVERS'] },
			allowSelfApproval: false,
		});
	});

	test('an unknown app needs approval, has no channel or approvers, and says why', () => {
		const d = evaluateGate(table, { app: 'Payroll', action: 'payment' });
		expect(d).toMatchObject({ needsApproval: true, gate: null, channel: null, approvers: { users: [], usergroups: [] } });
		expect(d.reason).toMatch(/No gate row for app 'Payroll'.*required by default/);
	});

	test('an unknown action kind needs approval', () => {
		const d = evaluateGate(table, { app: 'Invoicing', action: 'teleport' });
		expect(d.needsApproval).toBe(true);
		expect(d.reason).toMatch(/Unknown action kind 'teleport'/);
	});

	test('a known kind the row neither gates nor frees needs approval; an explicitly free one does not', () => {
		expect(evaluateGate(table, { app: 'Invoicing', action: 'legal' })).toMatchObject({ needsApproval: true, reason: expect.stringMatching(/does not list 'legal'/) });
		expect(evaluateGate(table, { app: 'Invoicing', action: 'data-change' }).needsApproval).toBe(false);
	});

	test('purchase over threshold: above needs approval, within does not, unknown amount does', () => {
		const q = (amount?: number) => evaluateGate(table, { app: 'Purchase / Inventory', action: 'purchase-over-threshold', amount });
		expect(q(5000.01).needsApproval).toBe(true);
		expect(q(5000).needsApproval).toBe(false);
		expect(q(undefined)).toMatchObject({ needsApproval: true, reason: expect.stringMatching(/amount is unknown/) });
		expect(q(Number.NaN).needsApproval).toBe(true);
	});

	test('the seed table asks for every purchase (no threshold given) and warns that nobody can approve yet', () => {
		const d = evaluateGate(DEFAULT_GATE_TABLE, { app: 'Purchase', action: 'purchase-over-threshold', amount: 1 });
		expect(d).toMatchObject({ needsApproval: true, channel: '#mlg-finance-review' });
		expect(d.reason).toMatch(/No threshold is configured/);
		expect(d.reason).toMatch(/nobody can approve/);
	});

	test('apps are found by full name, a part of "A / B", an alias, case-insensitively, or by model', () => {
		expect(evaluateGate(DEFAULT_GATE_TABLE, { app: 'invoicing', action: 'send' }).app).toBe('Accounting / Invoicing / Expenses');
		expect(evaluateGate(DEFAULT_GATE_TABLE, { app: 'Finance', action: 'send' }).app).toBe('Accounting / Invoicing / Expenses');
		expect(evaluateGate(DEFAULT_GATE_TABLE, { app: 'Email/Marketing', action: 'outbound-message' }).status).toBe('review');
		expect(evaluateGate(DEFAULT_GATE_TABLE, { app: '', model: 'helpdesk.ticket', action: 'legal' }).app).toBe('Helpdesk');
	});
});

describe('checkApprover', () => {
	const approvers = { users: ['U0BOB'], usergroups: ['S0APPROVERS'] };
	const groupMembers = { S0APPROVERS: ['U0ALICE', 'U0BOB'] };

	test('a listed user or a group member may approve', () => {
		expect(checkApprover({ userId: 'U0BOB', approvers, allowSelfApproval: false, groupMembers })).toEqual({ allowed: true, via: 'user' });
		expect(checkApprover({ userId: 'U0ALICE', approvers, allowSelfApproval: false, groupMembers })).toEqual({ allowed: true, via: 'usergroup', group: 'S0APPROVERS' });
	});

	test('an outsider is told who may approve', () => {
		const v = checkApprover({ userId: 'U0DAVE', approvers, allowSelfApproval: false, groupMembers });
		expect(v).toEqual({ allowed: false, reason: 'You are not an approver for this gate. Approvers: <@U0BOB>, <!subteam^S0APPROVERS>.' });
	});

	test('the requester cannot approve their own request unless the gate allows it', () => {
		expect(checkApprover({ userId: 'U0ALICE', requesterId: 'U0ALICE', approvers, allowSelfApproval: false, groupMembers })).toMatchObject({ allowed: false, reason: expect.stringMatching(/You asked for this approval/) });
		expect(checkApprover({ userId: 'U0ALICE', requesterId: 'U0ALICE', approvers, allowSelfApproval: true, groupMembers }).allowed).toBe(true);
	});

	test('a group whose members could not be read approves nobody', () => {
		expect(checkApprover({ userId: 'U0ALICE', approvers: { users: [], usergroups: ['S0APPROVERS'] }, allowSelfApproval: false, groupMembers: {} }).allowed).toBe(false);
	});
});
