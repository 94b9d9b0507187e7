/**
 * The approval node's link-button fallback in a real n8n: no Slack app Request URL, the buttons are n8n's signed
 * resume links. Whoever opens the link decides, and Odoo records the approver as unknown. A link whose query was
 * altered is refused by n8n's own signature check, and a used link cannot decide twice.
 */
import { GOVERNANCE_WORLD as W, startOdooSandbox, type OdooSandbox } from '../sandboxes/odoo';
import { SEED_IDS, startSlackSandbox, type SlackSandbox } from '../sandboxes/slack';
import { N8nHandle, packPack, sleep, startN8n, type WorkflowJson } from './harness';

jest.setTimeout(5 * 60_000);

const { users: U, channels: C } = SEED_IDS;
const PATH = 'e2e-approval-link';
type Row = Record<string, any>;

describe('Approval by link buttons in a real n8n', () => {
	let odoo: OdooSandbox;
	let slack: SlackSandbox;
	let n8n: N8nHandle;
	let workflowId = '';

	const workflow = (): WorkflowJson => ({
		name: 'e2e: approval by link buttons',
		nodes: [
			{ id: 'l1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'c0ffee00-0000-4000-8000-0000000011a1', parameters: { httpMethod: 'POST', path: PATH, responseMode: 'onReceived', options: {} } },
			{
				id: 'l2',
				name: 'Request Approval',
				type: 'n8n-nodes-odoo-ops.odooOpsApproval',
				typeVersion: 1,
				position: [200, 0],
				webhookId: 'c0ffee00-0000-4000-8000-0000000011a2',
				credentials: { odooOpsApi: { id: 'odooOpsSandbox01', name: 'Odoo Ops (sandbox)' }, slackOpsApi: { id: 'slackOpsSandbox01', name: 'Slack Ops (sandbox)' } },
				parameters: {
					operation: 'sendAndWait',
					gateTableSource: 'default',
					app: 'Helpdesk',
					actionKind: 'customer-facing',
					recordModel: 'helpdesk.ticket',
					recordId: '={{ $json.body.id }}',
					description: '={{ $json.body.description }}',
					requester: U.carol,
					approveVia: 'link',
					limitAmount: 10,
					limitUnit: 'minutes',
					channelOverride: C.ops,
				},
			},
			{ id: 'l3', name: 'Approved', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, -100], parameters: {} },
			{ id: 'l4', name: 'Rejected', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
			{ id: 'l5', name: 'Timed Out', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 100], parameters: {} },
		],
		connections: {
			Webhook: { main: [[{ node: 'Request Approval', type: 'main', index: 0 }]] },
			'Request Approval': {
				main: [[{ node: 'Approved', type: 'main', index: 0 }], [{ node: 'Rejected', type: 'main', index: 0 }], [{ node: 'Timed Out', type: 'main', index: 0 }]],
			},
		},
	});

	const requestFor = async (description: string): Promise<Row> => {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const found = (slack.messages(C.ops) as Row[]).find((m) => JSON.stringify(m).includes(description) && JSON.stringify(m.blocks ?? []).includes('"url"'));
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`no link-button request for "${description}"`);
			await sleep(250);
		}
	};
	const linkOf = (message: Row, actionId: string): string => {
		const actions = (message.blocks as Row[]).find((b) => b.type === 'actions');
		return (actions?.elements as Row[]).find((e) => e.action_id === actionId)?.url as string;
	};
	const chatter = (id: number): string[] => (odoo.records('mail.message') as Row[]).filter((m) => m.model === 'helpdesk.ticket' && m.res_id === id).map((m) => String(m.body));
	const finished = async (count: number): Promise<Row[]> =>
		await n8n.waitForExecutions(workflowId, { timeoutMs: 60_000, predicate: (list) => list.filter((e) => e.status === 'success').length >= count });

	beforeAll(async () => {
		const [tgz, o, s] = await Promise.all([packPack(), startOdooSandbox({ loginCostMs: 10 }), startSlackSandbox()]);
		odoo = o;
		slack = s;
		n8n = await startN8n({ tarballs: [tgz] });
		await n8n.createCredential({ name: 'Odoo Ops (sandbox)', type: 'odooOpsApi', data: { url: odoo.url, db: odoo.db, login: 'admin', password: 'admin', authWithKey: false, protocol: 'auto' } });
		await n8n.createCredential({ name: 'Slack Ops (sandbox)', type: 'slackOpsApi', data: { botToken: slack.botToken, signingSecret: slack.signingSecret, apiUrl: slack.url } });
		workflowId = (await n8n.importWorkflow(workflow())).id;
		await n8n.publish(workflowId);
	});

	afterAll(async () => {
		await n8n?.stop();
		await odoo?.close();
		await slack?.close();
	});

	it('approves through the signed link: the execution resumes on Approved and Odoo records an unknown approver', async () => {
		const description = 'Replace the printer toner (link)';
		expect((await n8n.runWebhook(PATH, { id: W.ticket.DECO_PRINTER, description })).status).toBe(200);
		const message = await requestFor(description);
		const approve = linkOf(message, 'odoo_ops_approve');
		expect(approve).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/webhook-waiting\/\d+\/[^?]*\?/);
		expect(approve).toContain('signature=');

		// The same link with its decision turned round no longer matches n8n's signature.
		const forged = approve.replace('decision=approved', 'decision=rejected');
		expect(forged).not.toBe(approve);
		const refused = await fetch(forged);
		expect(refused.status).toBeGreaterThanOrEqual(400);
		const stillWaiting = await n8n.executions(workflowId);
		expect(stillWaiting[0].status).toBe('waiting');

		const answer = await fetch(approve);
		expect(answer.status).toBe(200);
		expect(await answer.text()).toContain('Approved');

		const [execution] = await finished(1);
		const ran = Object.keys(execution.data?.resultData?.runData ?? {});
		expect(ran).toContain('Approved');
		expect(ran).not.toContain('Rejected');
		const decision = execution.data.resultData.runData['Request Approval'].at(-1).data.main[0][0].json;
		expect(decision).toMatchObject({ decision: 'approved', approver: 'unknown', decidedBy: null, finalized: true });

		expect(chatter(W.ticket.DECO_PRINTER).at(-1)).toContain('unknown (link button');
		const updated = (slack.messages(C.ops) as Row[]).find((m) => m.ts === message.ts)!;
		expect(JSON.stringify(updated.blocks)).not.toContain('odoo_ops_approve');
		expect(JSON.stringify(updated)).toMatch(/Approved/);

		// The link is spent: n8n answers its own "No action required" page for a finished execution, and nothing runs.
		const again = await fetch(approve);
		expect(await again.text()).toContain('No action required');
		await sleep(1000);
		expect((await n8n.executions(workflowId)).filter((e) => e.status === 'success')).toHaveLength(1);
		expect(chatter(W.ticket.DECO_PRINTER).filter((body) => body.includes('unknown (link button'))).toHaveLength(1);
	});

	it('rejects through the other link, on the Rejected output', async () => {
		const description = 'Refund the mailbox migration (link)';
		expect((await n8n.runWebhook(PATH, { id: W.ticket.DECO_PRINTER, description })).status).toBe(200);
		const message = await requestFor(description);
		const answer = await fetch(linkOf(message, 'odoo_ops_reject'));
		expect(answer.status).toBe(200);
		const ofThisRequest = (list: Row[]) => list.find((e) => e.status === 'success' && JSON.stringify(e.data?.resultData?.runData?.Webhook ?? '').includes(description));
		const latest = ofThisRequest(await n8n.waitForExecutions(workflowId, { timeoutMs: 60_000, predicate: (list) => Boolean(ofThisRequest(list)) }))!;
		const ran = Object.keys(latest.data.resultData.runData);
		expect(ran).toContain('Rejected');
		expect(ran).not.toContain('Approved');
	});
});
