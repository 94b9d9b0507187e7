import { CLAIM_MODULE, claimDecision, claimName } from '../../../lib/approvals';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';

let sandbox: OdooSandbox;
const client = (login = 'admin', secret = login): OdooClient =>
	createOdooClient({ url: sandbox.url, db: sandbox.db, login, secret, protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 1 });

beforeAll(async () => {
	sandbox = await startOdooSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

describe('claimDecision', () => {
	it('lets exactly one of many simultaneous decisions of one approval through', async () => {
		const approval = { executionId: '4711', nodeId: 'node-a', model: 'res.partner', id: 3 };
		const results = await Promise.all(Array.from({ length: 8 }, () => claimDecision(client(), approval)));
		expect(results.filter((r) => r.status === 'won')).toHaveLength(1);
		expect(results.filter((r) => r.status === 'lost')).toHaveLength(7);
		const rows = sandbox.records('ir.model.data').filter((r) => r.module === CLAIM_MODULE && r.name === claimName('4711', 'node-a'));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ model: 'res.partner', res_id: 3 });
		// Later clicks on the same approval keep losing; another approval (node or execution) has its own claim.
		expect((await claimDecision(client(), approval)).status).toBe('lost');
		expect((await claimDecision(client(), { ...approval, nodeId: 'node-b' })).status).toBe('won');
		expect((await claimDecision(client(), { ...approval, executionId: '4712' })).status).toBe('won');
	});

	it('decides without a claim, and says why, when there is no execution id or no right to external ids', async () => {
		expect(await claimDecision(client(), { nodeId: 'n', model: 'res.partner', id: 3 })).toMatchObject({ status: 'unclaimed' });
		const demo = await claimDecision(client('demo'), { executionId: '9', nodeId: 'n', model: 'res.partner', id: 3 });
		expect(demo.status).toBe('unclaimed');
		expect(demo.status === 'unclaimed' && demo.warning).toMatch(/Access Rights/);
	});
});
