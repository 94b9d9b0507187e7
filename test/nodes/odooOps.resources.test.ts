import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { OdooOps } from '../../nodes/OdooOps/OdooOps.node';
import { fakeExecuteFunctions, fakeLoadOptionsFunctions, rl, runNode } from '../helpers/n8nContext';
import { credentialsFor, useOdooSandbox } from '../helpers/odooSandbox';

const node = new OdooOps();
const sandbox = useOdooSandbox();
const partner = rl('res.partner', 'name');

async function run(parameters: INodeParameters, items?: INodeExecutionData[]) {
	const { context } = fakeExecuteFunctions({ nodeType: node, parameters, items, credentials: credentialsFor(sandbox.get()) });
	return await runNode(node, context);
}

describe('Odoo Ops node: Method, Attachment, Message, Model', () => {
	let recordId: number;

	beforeAll(async () => {
		const [created] = await run({
			resource: 'record',
			operation: 'create',
			model: partner,
			fieldsToSet: { field: [{ name: 'name', value: `resources-${Date.now()}` }] },
		});
		recordId = created.json.id as number;
	});

	it('calls a model method on IDs with positional and keyword arguments', async () => {
		const [read] = await run({
			resource: 'method',
			operation: 'call',
			model: partner,
			method: 'read',
			ids: String(recordId),
			args: '[["name"]]',
			kwargs: '{}',
		});
		expect(read.json).toMatchObject({ model: 'res.partner', method: 'read', ids: [recordId] });
		expect(read.json.result).toEqual([expect.objectContaining({ id: recordId, name: expect.stringContaining('resources-') })]);

		const [count] = await run({
			resource: 'method',
			operation: 'call',
			model: partner,
			method: 'search_count',
			args: JSON.stringify([[['id', '=', recordId]]]),
			kwargs: '{}',
		});
		expect(count.json.result).toBe(1);
	});

	it('uploads binary data as an attachment, lists it and downloads it back', async () => {
		const content = Buffer.from('hello from n8n\n');
		const [uploaded] = await run(
			{ resource: 'attachment', operation: 'upload', model: partner, recordId: rl(recordId), binaryPropertyName: 'file' },
			[{ json: {}, binary: { file: { data: content.toString('base64'), mimeType: 'text/plain', fileName: 'hello.txt' } } }],
		);
		expect(uploaded.json).toMatchObject({ id: expect.any(Number), name: 'hello.txt', res_model: 'res.partner', res_id: recordId });

		const listed = await run({ resource: 'attachment', operation: 'getMany', model: partner, recordId: rl(recordId) });
		expect(listed.map((item) => item.json.id)).toContain(uploaded.json.id);

		const [downloaded] = await run({ resource: 'attachment', operation: 'download', attachmentId: String(uploaded.json.id), binaryPropertyName: 'out' });
		expect(downloaded.json).toMatchObject({ id: uploaded.json.id, name: 'hello.txt' });
		expect(downloaded.json).not.toHaveProperty('datas');
		expect(Buffer.from(downloaded.binary!.out.data, 'base64').toString()).toBe('hello from n8n\n');
		expect(downloaded.binary!.out.fileName).toBe('hello.txt');
	});

	it('posts a plain-text note (escaped by Odoo) and an HTML comment with a binary attached and a partner mentioned', async () => {
		const [note] = await run({
			resource: 'message',
			operation: 'post',
			model: partner,
			recordId: rl(recordId),
			body: '<b>bold</b> & more',
		});
		expect(note.json).toMatchObject({ id: expect.any(Number), message_type: 'note' });
		const notes = sandbox.get().records('mail.message').filter((row) => row.id === note.json.id);
		expect(notes[0].body).toBe('<p>&lt;b&gt;bold&lt;/b&gt; &amp; more</p>');

		const [comment] = await run(
			{
				resource: 'message',
				operation: 'post',
				model: partner,
				recordId: rl(recordId),
				messageType: 'comment',
				bodyFormat: 'html',
				body: '<p>Report <b>attached</b></p>',
				options: { binaryProperties: 'report', partnerIds: String(recordId), subject: 'Weekly report' },
			},
			[{ json: {}, binary: { report: { data: Buffer.from('a,b\n1,2\n').toString('base64'), mimeType: 'text/csv', fileName: 'report.csv' } } }],
		);
		expect(comment.json.attachment_ids).toHaveLength(1);
		const message = sandbox.get().records('mail.message').find((row) => row.id === comment.json.id);
		expect(message?.body).toBe('<p>Report <b>attached</b></p>');
		const attachment = sandbox.get().records('ir.attachment').find((row) => row.id === (comment.json.attachment_ids as number[])[0]);
		expect(attachment).toMatchObject({ res_model: 'res.partner', res_id: recordId, name: 'report.csv' });
	});

	it('lists models and the fields of a model with types, required flags and selection values', async () => {
		const models = await run({ resource: 'model', operation: 'getMany', search: 'partner' });
		expect(models.map((item) => item.json.model)).toContain('res.partner');

		const fields = await run({ resource: 'model', operation: 'getFields', model: rl('res.partner') });
		const byName = Object.fromEntries(fields.map((item) => [item.json.name, item.json]));
		expect(byName.name).toMatchObject({ type: 'char', model: 'res.partner' });
		expect(byName.parent_id).toMatchObject({ type: 'many2one', relation: 'res.partner' });
		const selection = fields.find((item) => item.json.type === 'selection');
		expect(selection?.json.selection).toEqual(expect.arrayContaining([expect.objectContaining({ value: expect.anything(), label: expect.any(String) })]));
		const tickets = await run({ resource: 'model', operation: 'getFields', model: rl('helpdesk.ticket', 'name') });
		expect(tickets.find((item) => item.json.name === 'description')?.json.required).toBe(true);
	});

	it('fills the model, record and field lists from the live server', async () => {
		const load = fakeLoadOptionsFunctions({
			nodeType: node,
			parameters: { resource: 'record', operation: 'update', model: partner },
			credentials: credentialsFor(sandbox.get()),
		});
		const models = await node.methods.listSearch.searchModels.call(load, 'partner');
		expect(models.results).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'res.partner' })]));
		const records = await node.methods.listSearch.searchRecords.call(load, 'resources-');
		expect(records.results).toEqual(expect.arrayContaining([expect.objectContaining({ value: recordId })]));
		const writable = await node.methods.loadOptions.getWritableFields.call(load);
		const values = writable.map((option) => option.value);
		expect(values).toContain('name');
		expect(values).not.toContain('write_date');
		const all = await node.methods.loadOptions.getFields.call(load);
		expect(all.map((option) => option.value)).toContain('write_date');
	});
});
