import {
	APPROVE_ACTION_ID,
	REJECT_ACTION_ID,
	approvalMessage,
	chatterEntry,
	checkRecordFirst,
	createApprovalToken,
	decisionMessage,
	deriveApprovalSecret,
	odooRecordUrl,
	type RecordSnapshot,
	type SlackBlock,
} from '../../../lib/approvals';
import fc from 'fast-check';
import { BLOCK_KIT_LIMITS, validateBlocks } from '../../sandboxes/slack';

const ODOO = 'https://erp.example.com/';
const invoice: RecordSnapshot = { model: 'account.move', id: 42, name: 'INV/2026/0042', amount: 1250, currency: 'EUR', partner: 'Azure Interior' };
const token = createApprovalToken({ approvalId: 'exec-1:Approval', model: 'account.move', id: 42, expires: Date.now() + 3600_000 }, deriveApprovalSecret('8f742231b10e8888abcd99edabcd00d1'));

const buttons = (blocks: SlackBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements as Array<Record<string, unknown>>);
const allText = (blocks: SlackBlock[]) => JSON.stringify(blocks);
/** Only mrkdwn is parsed for mentions and links; plain_text shows "<!channel>" as typed. */
const mrkdwn = (blocks: SlackBlock[]): string =>
	JSON.stringify(blocks)
		.match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g)
		?.join('\n') ?? '';

describe('checkRecordFirst', () => {
	test('refuses when the record does not exist, naming it', () => {
		const r = checkRecordFirst({ ref: { model: 'account.move', id: 999 }, record: null, attachments: [{ id: 1, name: 'x.pdf' }] });
		expect(r).toEqual({ ok: false, code: 'no-record', reason: expect.stringMatching(/^Record first: account\.move #999 does not exist in Odoo.*Nothing was posted to Slack\.$/) });
	});

	test('refuses a record read back for another reference (a stale or mixed-up read)', () => {
		expect(checkRecordFirst({ ref: { model: 'account.move', id: 1 }, record: { model: 'account.move', id: 2 }, attachments: [{ name: 'a' }] })).toMatchObject({ ok: false, code: 'no-record' });
	});

	test('refuses a malformed reference', () => {
		expect(checkRecordFirst({ ref: { model: 'Invoices', id: 1 }, record: null, attachments: [] })).toMatchObject({ ok: false, code: 'bad-reference', reason: expect.stringMatching(/model like 'account.move'/) });
		expect(checkRecordFirst({ ref: { model: 'account.move', id: 1.5 }, record: null, attachments: [] })).toMatchObject({ ok: false, code: 'bad-reference' });
		expect(checkRecordFirst({ record: undefined, attachments: [] })).toMatchObject({ ok: false, code: 'bad-reference' });
	});

	test('refuses a record without evidence and without a reason; a blank reason is no reason', () => {
		for (const noEvidenceReason of [undefined, null, '', '   ']) {
			expect(checkRecordFirst({ record: invoice, attachments: [], noEvidenceReason })).toMatchObject({ ok: false, code: 'no-evidence', reason: expect.stringMatching(/has no evidence attached/) });
		}
	});

	test('accepts attachments, or an explicit reason', () => {
		expect(checkRecordFirst({ record: invoice, attachments: [{ id: 7, name: 'contract.pdf' }] })).toEqual({ ok: true, evidence: 'attachments', count: 1 });
		expect(checkRecordFirst({ record: invoice, attachments: null, noEvidenceReason: ' Internal transfer ' })).toEqual({ ok: true, evidence: 'waived', reason: 'Internal transfer' });
	});
});

describe('approvalMessage', () => {
	const msg = approvalMessage({
		odooUrl: ODOO,
		record: invoice,
		action: { kind: 'send', description: 'Send the invoice to the customer' },
		app: 'Accounting / Invoicing / Expenses',
		gate: '#mlg-finance-review before sending/payment/customer-facing action.',
		evidence: [{ id: 7, name: 'PO-118.pdf' }, { name: 'Email thread', url: 'https://mail.example.com/t/1' }],
		requester: { slackUserId: 'U0CAROL', name: 'Carol Diaz' },
		token,
	});

	test('passes Slack\'s Block Kit validation', () => {
		expect(validateBlocks(msg.blocks)).toEqual([]);
	});

	test('links the record in Odoo (/odoo/<model>/<id>), shows action, amount, partner, evidence and requester', () => {
		const t = allText(msg.blocks);
		expect(t).toContain('<https://erp.example.com/odoo/account.move/42|INV/2026/0042>');
		expect(t).toContain('Send the invoice to the customer');
		expect(t).toContain('1,250.00 EUR');
		expect(t).toContain('Azure Interior');
		expect(t).toContain('<https://erp.example.com/web/content/7?download=true|PO-118.pdf>');
		expect(t).toContain('<https://mail.example.com/t/1|Email thread>');
		expect(t).toContain('<@U0CAROL>');
		expect(msg.text).toBe('Approval needed: INV/2026/0042 — Send the invoice to the customer');
	});

	test('Approve and Reject carry the token, within the value and action_id limits', () => {
		const [approve, reject] = buttons(msg.blocks);
		expect(approve).toMatchObject({ action_id: APPROVE_ACTION_ID, style: 'primary', value: token });
		expect(reject).toMatchObject({ action_id: REJECT_ACTION_ID, style: 'danger', value: token });
		for (const b of [approve, reject]) {
			expect((b.value as string).length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.buttonValue);
			expect((b.action_id as string).length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.actionId);
		}
	});

	test('user text cannot inject Slack markup (mentions, links)', () => {
		const m = approvalMessage({ odooUrl: ODOO, record: { ...invoice, name: '<!channel> <https://evil|click>', partner: 'A & B' }, action: { description: 'pay <@U0DAVE>' }, evidence: [{ name: 'x|y>', url: 'javascript:alert(1)' }], token });
		const t = mrkdwn(m.blocks);
		expect(t).toContain('*Action:*');
		expect(t).not.toMatch(/<!channel>|<@U0DAVE>|<https:\/\/evil/);
		expect(t).toContain('&lt;!channel&gt;');
		expect(t).toContain('A &amp; B');
		expect(t).not.toContain('javascript:');
		expect(validateBlocks(m.blocks)).toEqual([]);
	});

	test('huge names, descriptions and 500 evidence files still fit every limit', () => {
		const m = approvalMessage({
			odooUrl: ODOO,
			record: { ...invoice, name: 'N'.repeat(5000), partner: 'P'.repeat(5000) },
			action: { kind: 'k'.repeat(500), description: 'D'.repeat(10000) },
			app: 'A'.repeat(4000),
			evidence: Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: `evidence-file-${i}.png` })),
			noEvidenceReason: undefined,
			requester: { name: 'R'.repeat(3000) },
			token,
			expiresAt: Date.UTC(2026, 11, 1),
		});
		expect(validateBlocks(m.blocks)).toEqual([]);
		expect(allText(m.blocks)).toMatch(/…and \d+ more on the Odoo record/);
		expect(m.text.length).toBeLessThanOrEqual(3000);
	});

	test('any record text and evidence list gives blocks Slack accepts (property)', () => {
		const text = fc.string({ unit: 'grapheme', maxLength: 400 });
		fc.assert(
			fc.property(text, text, fc.option(text, { nil: undefined }), fc.array(fc.record({ name: text, url: fc.option(fc.webUrl(), { nil: undefined }) }), { maxLength: 80 }), (name, description, partner, evidence) => {
				const m = approvalMessage({ odooUrl: ODOO, record: { ...invoice, name, partner }, action: { description }, evidence, noEvidenceReason: 'n/a', token });
				expect(validateBlocks(m.blocks)).toEqual([]);
				const d = decisionMessage({ odooUrl: ODOO, record: { ...invoice, name, partner }, action: { description }, outcome: 'rejected', decidedBy: { name }, decidedAt: 0, comment: description });
				expect(validateBlocks(d.blocks)).toEqual([]);
			}),
			{ numRuns: 150 },
		);
	});

	test('no evidence: the waiver reason is shown', () => {
		const m = approvalMessage({ odooUrl: ODOO, record: { model: 'res.partner', id: 3, name: 'Deco Addict' }, action: { description: 'Update the VAT number' }, evidence: [], noEvidenceReason: 'Typo fix requested by the client', token });
		expect(allText(m.blocks)).toContain('None needed: Typo fix requested by the client');
		expect(validateBlocks(m.blocks)).toEqual([]);
	});

	test('a token over 2000 characters is refused rather than sent to fail in Slack', () => {
		expect(() => approvalMessage({ odooUrl: ODOO, record: invoice, action: { description: 'x' }, evidence: [], token: 'x'.repeat(2001) })).toThrow(/2000/);
	});
});

describe('decisionMessage', () => {
	test('outcome, who and when, no buttons', () => {
		const m = decisionMessage({ odooUrl: ODOO, record: invoice, action: { description: 'Send the invoice' }, outcome: 'approved', decidedBy: { slackUserId: 'U0ALICE', name: 'Alice Martin' }, decidedAt: Date.UTC(2026, 10, 28, 22, 5), comment: 'ok <b>go</b>' });
		expect(validateBlocks(m.blocks)).toEqual([]);
		expect(buttons(m.blocks)).toEqual([]);
		expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
		const t = allText(m.blocks);
		expect(t).toContain('Approved: INV/2026/0042');
		expect(t).toContain('Approved by <@U0ALICE> at 2026-11-28T22:05:00.000Z');
		expect(t).toContain('ok &lt;b&gt;go&lt;/b&gt;');
		expect(m.text).toBe('Approved by Alice Martin: INV/2026/0042 — Send the invoice');
	});

	test('rejected, timed out, and an unknown approver (link-button mode)', () => {
		const base = { odooUrl: ODOO, record: invoice, action: { description: 'Pay' }, decidedAt: '2026-11-28T22:05:00Z' };
		expect(allText(decisionMessage({ ...base, outcome: 'rejected', decidedBy: { slackUserId: 'U0BOB' } }).blocks)).toContain('Rejected by <@U0BOB>');
		expect(allText(decisionMessage({ ...base, outcome: 'timed-out' }).blocks)).toContain('Nobody decided before 2026-11-28T22:05:00.000Z; nothing was executed.');
		expect(allText(decisionMessage({ ...base, outcome: 'approved' }).blocks)).toContain('Approved by an unknown approver (link button)');
	});
});

describe('chatterEntry', () => {
	test('who, when, Slack link and comment, with user text escaped', () => {
		const html = chatterEntry({
			outcome: 'approved',
			decidedBy: { slackUserId: 'U0ALICE', name: 'Alice <script>' },
			decidedAt: Date.UTC(2026, 10, 28, 22, 5),
			slackPermalink: 'https://odoo-ops.slack.com/archives/C0FINANCE/p1732800000000100',
			comment: 'Looks "fine" & <img src=x onerror=alert(1)>',
			action: 'Send the invoice',
		});
		expect(html).toBe(
			'<p><strong>Slack approval: approved</strong></p><ul>' +
				'<li>Action: Send the invoice</li>' +
				'<li>Decided by: Alice &lt;script&gt; (Slack U0ALICE)</li>' +
				'<li>When: 2026-11-28T22:05:00.000Z</li>' +
				'<li>Slack message: <a href="https://odoo-ops.slack.com/archives/C0FINANCE/p1732800000000100">https://odoo-ops.slack.com/archives/C0FINANCE/p1732800000000100</a></li>' +
				'<li>Comment: Looks &quot;fine&quot; &amp; &lt;img src=x onerror=alert(1)&gt;</li></ul>',
		);
	});

	test('a non-web permalink is not made a link; timeouts and unknown deciders say so', () => {
		expect(chatterEntry({ outcome: 'rejected', decidedAt: 0, slackPermalink: 'javascript:alert(1)' })).not.toContain('<a ');
		expect(chatterEntry({ outcome: 'approved', decidedAt: 0 })).toContain('Decided by: unknown (link button');
		expect(chatterEntry({ outcome: 'timed-out', decidedAt: 0 })).toContain('Nobody decided before 1970-01-01T00:00:00.000Z');
	});
});

test('odooRecordUrl: current form by default, /web# for Odoo 17.0 and older', () => {
	expect(odooRecordUrl('https://erp.example.com//', 'account.move', 42)).toBe('https://erp.example.com/odoo/account.move/42');
	expect(odooRecordUrl('https://erp.example.com', 'account.move', 42, 'web')).toBe('https://erp.example.com/web#model=account.move&id=42&view_type=form');
});
