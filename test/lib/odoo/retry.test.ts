import { backoffDelay, withRetry } from '../../../lib/shared/retry';
import { isSafeToRetry } from '../../../lib/odoo';
import { OdooError } from '../../../lib/odoo/errors';

const transient = (message: string, kind: OdooError['kind'] = 'network') => new OdooError({ kind, message, retriable: true });

describe('withRetry', () => {
	it('retries until success and waits with growing jittered delays', async () => {
		const waits: number[] = [];
		let calls = 0;
		const result = await withRetry(
			async () => {
				calls++;
				if (calls < 3) throw transient('reset');
				return 'done';
			},
			{ retries: 5, baseMs: 100, shouldRetry: () => true, sleep: async (ms) => void waits.push(ms), random: () => 1 },
		);
		expect(result).toBe('done');
		expect(calls).toBe(3);
		expect(waits).toEqual([100, 200]);
	});

	it('gives up after the allowed retries and rethrows the last failure', async () => {
		let calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw transient(`failure ${calls}`);
				},
				{ retries: 2, baseMs: 1, shouldRetry: () => true, sleep: async () => undefined },
			),
		).rejects.toThrow('failure 3');
	});

	it('keeps the delay between half and all of the capped exponential ceiling', () => {
		for (let attempt = 0; attempt < 10; attempt++) {
			const low = backoffDelay(attempt, 100, 1000, () => 0);
			const high = backoffDelay(attempt, 100, 1000, () => 1);
			const ceiling = Math.min(1000, 100 * 2 ** attempt);
			expect(low).toBe(ceiling / 2);
			expect(high).toBe(ceiling);
		}
	});
});

describe('isSafeToRetry', () => {
	it('retries reads after any transient failure', () => {
		expect(isSafeToRetry(transient('The Odoo server at x cannot be reached (ECONNRESET)'), 'search_read')).toBe(true);
		expect(isSafeToRetry(new OdooError({ kind: 'network', message: 'HTTP 503', httpStatus: 503, retriable: true }), 'read')).toBe(true);
	});

	it('never retries a create that may have reached the server', () => {
		expect(isSafeToRetry(transient('The Odoo server at x cannot be reached (ECONNRESET)'), 'create')).toBe(false);
		expect(isSafeToRetry(new OdooError({ kind: 'network', message: 'HTTP 503', httpStatus: 503, retriable: true }), 'create')).toBe(false);
		expect(isSafeToRetry(transient('The Odoo server at x did not answer in time'), 'message_post')).toBe(false);
	});

	it('retries a create that surely did nothing: refused connection or rolled-back concurrent update', () => {
		expect(isSafeToRetry(transient('The Odoo server at x cannot be reached (ECONNREFUSED)'), 'create')).toBe(true);
		expect(isSafeToRetry(transient('concurrent update', 'concurrency'), 'create')).toBe(true);
	});

	it('never retries user errors', () => {
		expect(isSafeToRetry(new OdooError({ kind: 'validation', message: 'x' }), 'read')).toBe(false);
		expect(isSafeToRetry(new Error('plain'), 'read')).toBe(false);
	});
});
