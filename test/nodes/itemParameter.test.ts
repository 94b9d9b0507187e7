import type { IExecuteFunctions } from 'n8n-workflow';
import { itemParameter } from '../../lib/n8n';

/** A context that counts how often n8n would have to resolve a parameter. */
function countingContext(parameters: Record<string, unknown>, perItem: (name: string, itemIndex: number) => unknown) {
	const calls: string[] = [];
	const context = {
		getNode: () => ({ parameters }),
		getNodeParameter: (name: string, itemIndex: number) => {
			calls.push(`${name}@${itemIndex}`);
			return perItem(name, itemIndex);
		},
	} as unknown as IExecuteFunctions;
	return { context, calls };
}

describe('itemParameter', () => {
	it('reads a plain value once per execution', () => {
		const { context, calls } = countingContext({ model: { __rl: true, mode: 'name', value: 'res.partner' }, options: { batchSize: 50 } }, (name) => (name === 'model' ? 'res.partner' : 50));
		for (let item = 0; item < 100; item++) {
			expect(itemParameter(context, 'model', item, '', { extractValue: true })).toBe('res.partner');
			expect(itemParameter(context, 'options.batchSize', item, 200)).toBe(50);
		}
		expect(calls).toEqual(['model@0', 'options.batchSize@0']);
	});

	it('reads an expression for every item, however deep it sits', () => {
		const { context, calls } = countingContext({ model: { __rl: true, mode: 'name', value: '={{ $json.model }}' }, options: { lang: '={{ $json.lang }}' } }, (name, item) => `${name}-${item}`);
		expect([0, 1, 2].map((item) => itemParameter(context, 'model', item, ''))).toEqual(['model-0', 'model-1', 'model-2']);
		expect([0, 1].map((item) => itemParameter(context, 'options', item, {}))).toEqual(['options-0', 'options-1']);
		expect(calls).toHaveLength(5);
	});

	it('keeps nothing between executions', () => {
		const first = countingContext({ model: 'res.partner' }, () => 'res.partner');
		const second = countingContext({ model: 'res.users' }, () => 'res.users');
		expect(itemParameter(first.context, 'model', 0, '')).toBe('res.partner');
		expect(itemParameter(second.context, 'model', 0, '')).toBe('res.users');
	});
});
