import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { OdooOpsTrigger } from '../../nodes/OdooOpsTrigger/OdooOpsTrigger.node';
import { fakeExecuteFunctions, fakePollFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const trigger = new OdooOpsTrigger();
const ops = new OdooOps();
const sandbox = useOdooSandbox();

/** Creates rows in one create call: Odoo (and the sandbox) stamp them all with one create_date/write_date. */
async function createPartners(names: string[]): Promise<number[]> {
	const { context } = fakeExecuteFunctions({
		nodeType: ops,
		parameters: { resource: 'record', operation: 'create', model: rl('res.partner', 'name'), fieldsInput: 'json' },
		perItem: (i) => ({ fieldsJson: JSON.stringify({ name: names[i] }) }),
		items: names.map(() => ({ json: {} })),
		credentials: credentialsFor(sandbox.get()),
	});
	return (await runNode(ops, context)).map((item) => item.json.id as number);
}

async function poll(parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	const { context } = fakePollFunctions({ nodeType: trigger, parameters, staticData, mode, credentials: credentialsFor(sandbox.get()) });
	const result = await trigger.poll.call(context);
	return result ? result[0].map((item) => item.json) : [];
}

describe('Odoo Ops Trigger', () => {
	it('first poll records the cursor without replaying history; later polls return only new records', async () => {
		const tag = `trg-${Date.now()}`;
		await createPartners([`${tag} old`]);
		const staticData: IDataObject = {};
		const parameters = { model: rl('res.partner', 'name'), event: 'created', domain: JSON.stringify([['name', 'like', tag]]) };

		expect(await poll(parameters, staticData)).toEqual([]);
		expect(staticData.cursor).toMatchObject({ field: 'create_date', model: 'res.partner', id: expect.any(Number) });
		expect(await poll(parameters, staticData)).toEqual([]);

		const [id] = await createPartners([`${tag} new`]);
		const found = await poll(parameters, staticData);
		expect(found.map((record) => record.id)).toEqual([id]);
		expect(await poll(parameters, staticData)).toEqual([]);
	});

	it('5 records sharing one write_date, page size 2: none missed, none repeated', async () => {
		const tag = `same-${Date.now()}`;
		const staticData: IDataObject = {};
		const parameters = {
			model: rl('res.partner', 'name'),
			event: 'updated',
			domain: `[('name', '=like', '${tag}%')]`,
			fields: ['name', 'write_date'],
			options: { pageSize: 2, maxPages: 1 },
		};
		expect(await poll(parameters, staticData)).toEqual([]);

		const ids = await createPartners([1, 2, 3, 4, 5].map((n) => `${tag} ${n}`));
		const rows = sandbox.get().records('res.partner').filter((row) => ids.includes(row.id as number));
		expect(new Set(rows.map((row) => row.write_date)).size).toBe(1);

		const first = await poll(parameters, staticData);
		const second = await poll(parameters, staticData);
		const third = await poll(parameters, staticData);
		expect(first).toHaveLength(2);
		expect(second).toHaveLength(2);
		expect(third).toHaveLength(1);
		expect([...first, ...second, ...third].map((record) => record.id)).toEqual(ids);
		expect(await poll(parameters, staticData)).toEqual([]);
		// Only the asked-for fields (plus id) come out, even though the cursor needs write_date internally.
		expect(Object.keys(first[0]).sort()).toEqual(['id', 'name', 'write_date']);

		// Several pages in one poll when allowed; an update moves a record past the cursor again.
		const more = await createPartners([6, 7, 8].map((n) => `${tag} ${n}`));
		const drained = await poll({ ...parameters, options: { pageSize: 2 } }, staticData);
		expect(drained.map((record) => record.id)).toEqual(more);
	});

	it('records that arrive later within the same second as the cursor are still emitted (id tie-breaker)', async () => {
		const tag = `tie-${Date.now()}`;
		const staticData: IDataObject = {};
		const parameters = { model: rl('res.partner', 'name'), event: 'updated', domain: `[('name', '=like', '${tag}%')]`, options: { pageSize: 2 } };
		expect(await poll(parameters, staticData)).toEqual([]);
		sandbox.get().setClock(new Date('2026-11-28T12:00:00Z'));
		try {
			const early = await createPartners([1, 2, 3].map((n) => `${tag} ${n}`));
			expect((await poll(parameters, staticData)).map((record) => record.id)).toEqual(early);
			const late = await createPartners([4, 5].map((n) => `${tag} ${n}`));
			expect((await poll(parameters, staticData)).map((record) => record.id)).toEqual(late);
			expect(await poll(parameters, staticData)).toEqual([]);
			expect(staticData.cursor).toMatchObject({ date: '2026-11-28 12:00:00', id: late[1] });
		} finally {
			sandbox.get().setClock(null);
		}
	});

	it('manual mode returns the latest matching record as a sample and leaves the cursor alone', async () => {
		const tag = `man-${Date.now()}`;
		const [, newest] = await createPartners([`${tag} a`, `${tag} b`]);
		const staticData: IDataObject = {};
		const sample = await poll({ model: rl('res.partner', 'name'), event: 'created', domain: JSON.stringify([['name', 'like', tag]]) }, staticData, 'manual');
		expect(sample.map((record) => record.id)).toEqual([newest]);
		expect(staticData).toEqual({});
	});

	it('a malformed domain fails the poll with a clear error', async () => {
		await expect(poll({ model: rl('res.partner', 'name'), domain: "[('name', '=')]" }, {})).rejects.toThrow(/three|condition/i);
	});
});
