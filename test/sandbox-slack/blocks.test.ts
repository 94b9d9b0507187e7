/** The validator's limits beyond the three button limits the contract test drives through the SDK. */
import { BLOCK_KIT_LIMITS as L, validateBlocks } from '../sandboxes/slack';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (extra: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' }, ...extra });

test('a typical approval message is valid', () => {
	expect(
		validateBlocks([
			{ type: 'header', text: { type: 'plain_text', text: 'Payment approval', emoji: true } },
			{ type: 'section', text: { type: 'mrkdwn', text: '*BILL/2026/0007*' }, fields: [{ type: 'mrkdwn', text: '*Amount*\n1,250.00 EUR' }], accessory: { type: 'image', image_url: 'https://odoo.example/logo.png', alt_text: 'logo' } },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Requested by <@U0CAROL>' }] },
			{ type: 'divider' },
			{ type: 'actions', block_id: 'decide', elements: [button({ action_id: 'approve', style: 'primary', confirm: { title: { type: 'plain_text', text: 'Sure?' }, text: { type: 'mrkdwn', text: 'Pay now' }, confirm: { type: 'plain_text', text: 'Yes' }, deny: { type: 'plain_text', text: 'No' } } }), button({ action_id: 'reject', style: 'danger' })] },
		]),
	).toEqual([]);
});

test.each([
	['more than 50 blocks', Array.from({ length: L.blocksPerMessage + 1 }, () => ({ type: 'divider' })), 'no more than 50 items allowed [json-pointer:/blocks]'],
	['header over 150', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], 'must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
	['header in mrkdwn', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], 'must be a valid enum value [json-pointer:/blocks/0/text/type]'],
	['section text over 3000', [section('s'.repeat(3001))], 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
	['empty text', [section('')], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
	['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }], 'no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
	['block_id over 255', [{ type: 'divider', block_id: 'b'.repeat(256) }], 'must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
	['button text over 75', [{ type: 'actions', elements: [button({ text: { type: 'plain_text', text: 't'.repeat(76) } })] }], 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
	['bad style', [{ type: 'actions', elements: [button({ style: 'warning' })] }], 'must be a valid enum value [json-pointer:/blocks/0/elements/0/style]'],
	['duplicate action_id in a block', [{ type: 'actions', elements: [button(), button()] }], 'duplicate action_id: a [json-pointer:/blocks/0/elements/1/action_id]'],
	['26 actions', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }], 'no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
	['image without alt_text', [{ type: 'image', image_url: 'https://x.example/i.png' }], 'missing required field: alt_text [json-pointer:/blocks/0]'],
	['value not a string', [{ type: 'actions', elements: [button({ value: 42 })] }], 'must provide a string [json-pointer:/blocks/0/elements/0/value]'],
])('%s', (_name, blocks, error) => {
	expect(validateBlocks(blocks)).toContain(error);
});
