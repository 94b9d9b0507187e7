import { createApprovalToken, deriveApprovalSecret, verifyApprovalToken } from '../../../lib/approvals';

const SECRET = deriveApprovalSecret('8f742231b10e8888abcd99edabcd00d1');
const NOW = Date.UTC(2026, 10, 28, 22, 0, 0);
const claims = { approvalId: 'exec-1042:Request Approval', model: 'account.move', id: 42, expires: NOW + 3600_000 };

describe('approval token', () => {
	test('round trip: the claims come back, with a random nonce', () => {
		const a = createApprovalToken(claims, SECRET);
		const b = createApprovalToken(claims, SECRET);
		expect(a).not.toBe(b);
		const r = verifyApprovalToken(a, SECRET, NOW, { approvalId: claims.approvalId, model: 'account.move', id: 42 });
		expect(r).toEqual({ ok: true, claims: { ...claims, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) } });
		expect(a.length).toBeLessThanOrEqual(2000);
	});

	test('another key: forged', () => {
		const t = createApprovalToken(claims, deriveApprovalSecret('another app entirely'));
		expect(verifyApprovalToken(t, SECRET, NOW)).toMatchObject({ ok: false, code: 'forged' });
	});

	test('claims edited after signing (another record, a later expiry): forged', () => {
		const t = createApprovalToken(claims, SECRET);
		const [v, payload, sig] = t.split('.');
		const edited = JSON.parse(Buffer.from(payload, 'base64url').toString());
		for (const change of [{ i: 43 }, { e: NOW + 10 * 86400_000 }, { a: 'exec-9999:Request Approval' }]) {
			const p2 = Buffer.from(JSON.stringify({ ...edited, ...change })).toString('base64url');
			expect(verifyApprovalToken(`${v}.${p2}.${sig}`, SECRET, NOW)).toMatchObject({ ok: false, code: 'forged' });
		}
		// One changed signature character is as good as none.
		const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
		expect(verifyApprovalToken(`${v}.${payload}.${flipped}`, SECRET, NOW)).toMatchObject({ ok: false, code: 'forged' });
	});

	test('expired at the expiry instant and after', () => {
		const t = createApprovalToken(claims, SECRET);
		expect(verifyApprovalToken(t, SECRET, claims.expires - 1).ok).toBe(true);
		expect(verifyApprovalToken(t, SECRET, claims.expires)).toMatchObject({ ok: false, code: 'expired', reason: expect.stringMatching(/expired at 2026-11-28T23:00:00.000Z/) });
		expect(verifyApprovalToken(t, SECRET, new Date(claims.expires + 1)).ok).toBe(false);
	});

	test('a valid token presented to another approval is refused', () => {
		const t = createApprovalToken(claims, SECRET);
		expect(verifyApprovalToken(t, SECRET, NOW, { approvalId: 'exec-1043:Request Approval' })).toMatchObject({ ok: false, code: 'other-approval', reason: expect.stringMatching(/approval differs/) });
		expect(verifyApprovalToken(t, SECRET, NOW, { approvalId: claims.approvalId, model: 'account.move', id: 7 })).toMatchObject({ ok: false, code: 'other-approval', reason: expect.stringMatching(/record id differs/) });
		expect(verifyApprovalToken(t, SECRET, NOW, { model: 'sale.order' })).toMatchObject({ ok: false, code: 'other-approval' });
	});

	test('garbage is malformed, not a crash', () => {
		for (const bad of [undefined, '', 'x', 'v1.a', 'v2.a.b', 'v1.a.b.c', 'v1.!!.b', 'x'.repeat(2001)]) {
			expect(verifyApprovalToken(bad, SECRET, NOW)).toMatchObject({ ok: false, code: 'malformed' });
		}
	});

	test('bad inputs are refused at creation', () => {
		expect(() => createApprovalToken({ ...claims, id: 0 }, SECRET)).toThrow(/positive integer/);
		expect(() => createApprovalToken({ ...claims, approvalId: '' }, SECRET)).toThrow(/approvalId/);
		expect(() => createApprovalToken({ ...claims, approvalId: 'x'.repeat(2000) }, SECRET)).toThrow(/over Slack's 2000/);
		expect(() => createApprovalToken(claims, 'short')).toThrow(/at least 16 bytes/);
		expect(() => deriveApprovalSecret('')).toThrow();
	});

	test('the derived key differs from the signing secret and is stable', () => {
		expect(deriveApprovalSecret('s3cret-s3cret-s3cret')).toEqual(deriveApprovalSecret('s3cret-s3cret-s3cret'));
		expect(deriveApprovalSecret('s3cret-s3cret-s3cret').equals(Buffer.from('s3cret-s3cret-s3cret'))).toBe(false);
	});
});
