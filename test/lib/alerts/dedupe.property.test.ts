import fc from 'fast-check';

import { labelsFingerprint, normaliseAlerts } from '../../../lib/alerts';

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/);
const labelSet = fc.dictionary(labelName, fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 8 });

function shuffled<T>(entries: T[], seed: number): T[] {
	const copy = [...entries];
	let state = seed >>> 0 || 1;
	for (let i = copy.length - 1; i > 0; i--) {
		state = (state * 1103515245 + 12345) >>> 0;
		const j = state % (i + 1);
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}

function amBody(labels: Record<string, string>, status: 'firing' | 'resolved') {
	return {
		version: '4',
		groupKey: '{}:{alertname="X"}',
		status,
		receiver: 'r',
		groupLabels: {},
		commonLabels: {},
		commonAnnotations: {},
		externalURL: 'http://am',
		truncatedAlerts: 0,
		// No fingerprint: the key must come from the labels alone.
		alerts: [{ status, labels, annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '' }],
	};
}

describe('dedupe key', () => {
	it('does not depend on the order labels arrive in', () => {
		fc.assert(
			fc.property(labelSet, fc.integer(), (labels, seed) => {
				const reordered = Object.fromEntries(shuffled(Object.entries(labels), seed));
				expect(labelsFingerprint(reordered)).toBe(labelsFingerprint(labels));
				expect(normaliseAlerts(amBody(reordered, 'firing')).alerts[0].dedupeKey).toBe(normaliseAlerts(amBody(labels, 'firing')).alerts[0].dedupeKey);
			}),
		);
	});

	it('is the same on every delivery, firing or resolved, and through a JSON round trip', () => {
		fc.assert(
			fc.property(labelSet, fc.integer({ min: 1, max: 5 }), (labels, repeats) => {
				const keys = new Set<string>();
				for (let i = 0; i < repeats; i++) {
					keys.add(normaliseAlerts(JSON.stringify(amBody(labels, i % 2 === 0 ? 'firing' : 'resolved'))).alerts[0].dedupeKey);
				}
				expect(keys.size).toBe(1);
			}),
		);
	});

	it('tells different label sets apart', () => {
		fc.assert(
			fc.property(labelSet, labelSet, (a, b) => {
				fc.pre(JSON.stringify(Object.entries(a).sort()) !== JSON.stringify(Object.entries(b).sort()));
				expect(labelsFingerprint(a)).not.toBe(labelsFingerprint(b));
			}),
		);
	});

	it('generic keys depend on the key value only, not on field order or other content', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string(), (id, title) => {
				const paths = { status: 'state', key: 'id', summary: 'title' };
				const one = normaliseAlerts({ id, state: 'firing', title }, { generic: paths }).alerts[0].dedupeKey;
				const two = normaliseAlerts({ title: `${title}!`, state: 'resolved', id }, { generic: paths }).alerts[0].dedupeKey;
				expect(two).toBe(one);
			}),
		);
	});
});
