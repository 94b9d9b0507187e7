import { DEFAULT_FLOWS, DEFAULT_GATE_TABLE, commandRoomStatus, parseGateTable } from '../../../lib/approvals';

describe('commandRoomStatus', () => {
	test('the seed table gives the seed document: 3 / 3 flows, 10 tracked, 3 mapped, 6 pending, 1 in review', () => {
		const s = commandRoomStatus(DEFAULT_GATE_TABLE);
		expect(s).toMatchObject({ flowsMapped: 3, flowsTotal: 3, appsTracked: 10, appsMapped: 3, appsPending: 6, appsInReview: 1, state: 'partial foundation' });
		expect(s.flows.map((f) => f.name)).toEqual(['Documents', 'Helpdesk', 'Finance']);
		expect(s.apps[2]).toMatchObject({ app: 'Accounting / Invoicing / Expenses', status: 'mapped', gate: '#mlg-finance-review before sending/payment/customer-facing action.' });
		// The seed names no approvers: the document says so instead of looking finished.
		expect(s.appsWithoutApprovers).toHaveLength(10);
		expect(s.generatedAt).toBeUndefined();
	});

	test('the Markdown carries the seed lines and the app table', () => {
		const md = commandRoomStatus(DEFAULT_GATE_TABLE, DEFAULT_FLOWS, { generatedAt: '2026-06-05T04:53:06Z' }).markdown;
		expect(md).toContain('| Core flows mapped | 3 / 3 |');
		expect(md).toContain('- 3 / 3 core Odoo ↔ Slack flows mapped (Documents · Helpdesk · Finance)');
		expect(md).toContain('- 10 Odoo apps with defined approval gates');
		expect(md).toContain('- 6 apps pending full approval-gate wiring');
		expect(md).toContain('- 1 app in review — Email / Marketing');
		expect(md).toContain('Approval gates and status per Odoo module. 3 mapped · 6 pending · 1 review.');
		expect(md).toContain('| Sign | Digital signature routing for contracts and documents. | Legal/financial documents need Slack approval before send. | pending |');
		expect(md).toContain('State: PARTIAL FOUNDATION');
		expect(md).toContain('Generated 2026-06-05T04:53:06.000Z');
	});

	test('follows the table in use, and escapes pipes in cells', () => {
		const table = parseGateTable([
			{ app: 'Invoicing', purpose: 'a | b', status: 'mapped', actions: ['send'], channel: 'C0FINANCE', approvers: { users: ['U0ALICE'] } },
		]);
		const s = commandRoomStatus(table, []);
		expect(s).toMatchObject({ appsTracked: 1, appsMapped: 1, appsPending: 0, flowsMapped: 0, flowsTotal: 0, state: 'all apps mapped', appsWithoutApprovers: [] });
		expect(s.markdown).toContain('| Invoicing | a \\| b |');
	});
});
