import fc from 'fast-check';

import {
	csvField,
	decodeBase64,
	describeDiff,
	diffInventories,
	inventoryToCsv,
	inventoryToJson,
	parseInventoryJson,
	takeInventorySnapshot,
	toCsv,
	type InventorySnapshotResult,
} from '../../../lib/inventory/snapshot';
import type { Asset } from '../../../lib/inventory/types';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';
import { asset } from './fixtures';


const NOVEMBER: Asset[] = [
	asset(1, 'pfsense', { os: 'FreeBSD', osVersion: '14.1', patchGroup: 'network', kind: 'network', lastPatched: '2026-09-30' }),
	asset(2, 'odoo01', { os: 'Debian 12', osVersion: null, lastPatched: '2026-10-01', purpose: 'ERP, "prod"\nmain' }),
	asset(3, 'mon01', { lastPatched: '2026-10-20' }),
	asset(10, 'pve01', { kind: 'compute', docsUrl: 'https://wiki.lan/pve01' }),
];

/** The next inventory: pve02 and dc02 added, mon01 gone, odoo01 upgraded. */
const LATER: Asset[] = [
	NOVEMBER[0],
	{ ...NOVEMBER[1], os: 'Debian 13' },
	NOVEMBER[3],
	asset(11, 'pve02', { kind: 'compute' }),
	asset(12, 'dc02', { os: 'Windows Server', osVersion: '2022', patchGroup: 'windows', owner: null }),
];

/** A small RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(cell);
			cell = '';
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += ch;
	}
	if (cell !== '' || row.length) rows.push([...row, cell]);
	return rows;
}

// ---------------------------------------------------------------------------------------------------------------------
// Pure

describe('inventoryToCsv', () => {
	it('has the stable columns, rows by reference, quoting only where RFC 4180 needs it', () => {
		const csv = inventoryToCsv([...NOVEMBER].reverse());
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('ref,name,hostname,ip,vlan,os,osVersion,owner,purpose,docsUrl,lastPatched,patchGroup,kind');
		expect(lines[1]).toBe('"maintenance.equipment,1",pfsense,pfsense.lan,10.0.10.1,10,FreeBSD,14.1,Mitchell Admin,,,2026-09-30,network,network');
		expect(csv).toContain('"maintenance.equipment,2",odoo01,odoo01.lan,10.0.10.2,10,Debian 12,,Mitchell Admin,"ERP, ""prod""\nmain",,2026-10-01,linux,vm\r\n');
		// id 10 after id 3: numeric, not text order.
		expect(parseCsv(csv).slice(1).map((row) => row[1])).toEqual(['pfsense', 'odoo01', 'mon01', 'pve01']);
		expect(csv.endsWith('\r\n')).toBe(true);
	});

	it('reads back cell for cell whatever the text holds', () => {
		const nasty = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rlf\r\n', '', ' spaced ', '"', 'ünï©ødé'];
		expect(parseCsv(toCsv([nasty, nasty.slice().reverse()]))).toEqual([nasty, nasty.slice().reverse()]);
		fc.assert(fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => expect(parseCsv(toCsv(rows))).toEqual(rows)));
		expect(csvField(null)).toBe('');
		expect(csvField('a"b')).toBe('"a""b"');
	});
});

describe('inventoryToJson', () => {
	it('is sorted by reference, carries asOf, and gives the same text for the same inventory in any order', () => {
		const asOf = new Date('2026-11-01T06:00:00Z');
		const text = inventoryToJson(NOVEMBER, asOf);
		expect(inventoryToJson([...NOVEMBER].reverse(), asOf)).toBe(text);
		const doc = JSON.parse(text);
		expect(doc).toMatchObject({ format: 'n8n-nodes-odoo-ops/inventory', version: 1, asOf: '2026-11-01T06:00:00.000Z', count: 4 });
		expect(doc.assets.map((a: { ref: string }) => a.ref)).toEqual(['maintenance.equipment,1', 'maintenance.equipment,2', 'maintenance.equipment,3', 'maintenance.equipment,10']);
		expect(Object.keys(doc.assets[0])).toEqual(['ref', 'model', 'id', 'name', 'hostname', 'ip', 'vlan', 'os', 'osVersion', 'owner', 'purpose', 'docsUrl', 'lastPatched', 'patchGroup', 'kind']);
		expect(parseInventoryJson(text).assets).toEqual(doc.assets);
	});

	it('refuses a file that is not an inventory, saying why', () => {
		expect(() => parseInventoryJson('{')).toThrow(/^inventory JSON: is not JSON/);
		expect(() => parseInventoryJson('{"rows": []}')).toThrow("inventory JSON: has no 'assets' list");
		expect(() => parseInventoryJson('{"assets": [{"name": "x"}]}')).toThrow('inventory JSON assets[0]: needs model, id and name');
	});
});

describe('diffInventories and describeDiff', () => {
	it('keys by reference and reports added, removed and changed facts', () => {
		const diff = diffInventories(NOVEMBER, LATER);
		expect(diff).toEqual({
			added: [
				{ ref: 'maintenance.equipment,11', name: 'pve02' },
				{ ref: 'maintenance.equipment,12', name: 'dc02' },
			],
			removed: [{ ref: 'maintenance.equipment,3', name: 'mon01' }],
			changed: [{ ref: 'maintenance.equipment,2', name: 'odoo01', changes: { os: { from: 'Debian 12', to: 'Debian 13' } } }],
			unchanged: 2,
		});
		expect(describeDiff(diff)).toBe("2 added (pve02, dc02), 1 removed (mon01), 1 changed (odoo01: os 'Debian 12' → 'Debian 13')");
	});

	it('says "no change since" the previous snapshot, and compares the owner by user', () => {
		expect(describeDiff(diffInventories(NOVEMBER, [...NOVEMBER].reverse()), 'Inventory 2026-11-01')).toBe('no change since Inventory 2026-11-01');
		const renamedUser = NOVEMBER.map((a) => ({ ...a, owner: a.owner && { ...a.owner, name: 'Mitch' } }));
		expect(diffInventories(NOVEMBER, renamedUser).changed).toEqual([]);
		const handedOver = diffInventories(NOVEMBER, [{ ...NOVEMBER[0], owner: { id: 6, name: 'Marc Demo' }, lastPatched: null }]);
		expect(describeDiff(handedOver)).toBe("3 removed (odoo01, mon01, pve01), 1 changed (pfsense: owner 'Mitchell Admin' → 'Marc Demo', lastPatched '2026-09-30' → none)");
	});

	it('is symmetric, empty against itself, and counts every asset once', () => {
		const inventory = fc.uniqueArray(
			fc.record({ id: fc.integer({ min: 1, max: 30 }), name: fc.constantFrom('a', 'b', 'c'), os: fc.constantFrom('Debian 12', 'Debian 13', null), ip: fc.constantFrom('10.0.0.1', '10.0.0.2') }),
			{ selector: (row) => row.id, maxLength: 12 },
		).map((rows) => rows.map((row) => asset(row.id, row.name, { os: row.os, ip: row.ip })));
		fc.assert(
			fc.property(inventory, inventory, (before, after) => {
				const forward = diffInventories(before, after);
				const backward = diffInventories(after, before);
				expect(forward.added.map((a) => a.ref).sort()).toEqual(backward.removed.map((a) => a.ref).sort());
				expect(forward.changed.map((c) => c.ref)).toEqual(backward.changed.map((c) => c.ref));
				expect(forward.added.length + forward.changed.length + forward.unchanged).toBe(after.length);
				expect(diffInventories(after, [...after].reverse())).toEqual({ added: [], removed: [], changed: [], unchanged: after.length });
			}),
		);
	});

	it('keeps long lists short', () => {
		const many = Array.from({ length: 8 }, (_, i) => asset(100 + i, `vm${i}`));
		expect(describeDiff(diffInventories([], many))).toBe('8 added (vm0, vm1, vm2, vm3, vm4 and 3 more)');
	});
});

// ---------------------------------------------------------------------------------------------------------------------
// Against the Odoo sandbox, with a fixed clock

describe('inventory snapshot in Odoo', () => {
	let sandbox: OdooSandbox;

	function client(): OdooClient {
		return createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
	}
	function at(iso: string): Date {
		const date = new Date(iso);
		sandbox.setClock(date);
		return date;
	}

	const snapshotProject = () => sandbox.records('project.project').filter((p) => p.name === 'Inventory snapshots');
	const snapshotTasks = () => sandbox.records('project.task').filter((t) => String(t.x_ops_key ?? '').startsWith('snapshot:'));
	const attachmentsOf = (taskId: number) => sandbox.records('ir.attachment').filter((a) => a.res_model === 'project.task' && a.res_id === taskId);
	const attachment = (id: number) => sandbox.records('ir.attachment').find((a) => a.id === id)!;
	const notesOn = (taskId: number) => sandbox.records('mail.message').filter((m) => m.model === 'project.task' && m.res_id === taskId && m.message_type === 'comment');

	beforeAll(async () => {
		sandbox = await startOdooSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});

	let first: InventorySnapshotResult;

	it('first snapshot: a task in the snapshot project with the CSV and JSON attached, nothing to compare', async () => {
		const asOf = at('2026-11-01T06:00:00Z');
		first = await takeInventorySnapshot(client(), { assets: NOVEMBER, asOf });
		expect(first).toMatchObject({ snapshot: { name: 'Inventory 2026-11-01', created: true }, previous: null, diff: null, noted: true, attachments: { csv: 'created', json: 'created' } });
		expect(first.message).toBe('Inventory 2026-11-01: first snapshot, 4 assets');
		expect(snapshotProject()).toHaveLength(1);
		const [task] = snapshotTasks();
		expect(task).toMatchObject({ id: first.snapshot.id, name: 'Inventory 2026-11-01', x_ops_key: 'snapshot:2026-11-01', project_id: snapshotProject()[0].id });
		expect(attachmentsOf(task.id as number).map((a) => a.name).sort()).toEqual(['inventory-2026-11-01.csv', 'inventory-2026-11-01.json']);
		expect(decodeBase64(attachment(first.csvAttachmentId).datas)).toBe(inventoryToCsv(NOVEMBER));
		expect(decodeBase64(attachment(first.jsonAttachmentId).datas)).toBe(inventoryToJson(NOVEMBER, asOf));
		expect(attachment(first.csvAttachmentId).mimetype).toBe('text/csv');
		expect(notesOn(first.snapshot.id).map((m) => m.body)).toEqual(['<p>Inventory 2026-11-01: first snapshot, 4 assets</p>']);
	});

	it('the same day again with the same inventory: no task, no write, no note', async () => {
		sandbox.resetStats();
		const again = await takeInventorySnapshot(client(), { assets: [...NOVEMBER].reverse(), asOf: at('2026-11-01T18:00:00Z') });
		expect(sandbox.stats.byMethod.create ?? 0).toBe(0);
		expect(sandbox.stats.byMethod.write ?? 0).toBe(0);
		expect(sandbox.stats.byMethod.message_post ?? 0).toBe(0);
		expect(again).toMatchObject({ snapshot: { id: first.snapshot.id, created: false }, csvAttachmentId: first.csvAttachmentId, jsonAttachmentId: first.jsonAttachmentId, noted: false });
		expect(snapshotTasks()).toHaveLength(1);
	});

	let second: InventorySnapshotResult;
	let firstFiles: Array<Record<string, unknown>>;

	it('a changed inventory: a second snapshot with the difference from the first in its chatter; the first untouched', async () => {
		firstFiles = attachmentsOf(first.snapshot.id).map((a) => ({ ...a }));
		second = await takeInventorySnapshot(client(), { assets: LATER, asOf: at('2026-11-28T06:00:00Z') });
		expect(second.snapshot).toMatchObject({ name: 'Inventory 2026-11-28', created: true });
		expect(second.previous).toEqual({ id: first.snapshot.id, name: 'Inventory 2026-11-01' });
		expect(second.diff).toMatchObject({ added: [{ name: 'pve02' }, { name: 'dc02' }], removed: [{ name: 'mon01' }], changed: [{ name: 'odoo01' }] });
		expect(second.message).toBe("Inventory 2026-11-28: 5 assets; 2 added (pve02, dc02), 1 removed (mon01), 1 changed (odoo01: os 'Debian 12' → 'Debian 13') since Inventory 2026-11-01");
		expect(notesOn(second.snapshot.id)).toHaveLength(1);
		// Odoo posts a text body escaped, in a paragraph.
		expect(notesOn(second.snapshot.id)[0].body).toBe(`<p>${second.message.replace(/'/g, '&#39;')}</p>`);
		expect(decodeBase64(attachment(second.csvAttachmentId).datas)).toBe(inventoryToCsv(LATER));
		expect(attachmentsOf(first.snapshot.id)).toEqual(firstFiles);
		expect(notesOn(first.snapshot.id)).toHaveLength(1);
		expect(snapshotTasks()).toHaveLength(2);
	});

	it('the same day with a further change: the files replaced in place and the new difference noted, still one task', async () => {
		const fixedIp = LATER.map((a) => (a.name === 'dc02' ? { ...a, ip: '10.0.20.12' } : a));
		const again = await takeInventorySnapshot(client(), { assets: fixedIp, asOf: at('2026-11-28T09:00:00Z') });
		expect(again).toMatchObject({ snapshot: { id: second.snapshot.id, created: false }, csvAttachmentId: second.csvAttachmentId, jsonAttachmentId: second.jsonAttachmentId, attachments: { csv: 'replaced', json: 'replaced' }, noted: true });
		expect(decodeBase64(attachment(second.csvAttachmentId).datas)).toContain('dc02,dc02.lan,10.0.20.12');
		expect(JSON.parse(decodeBase64(attachment(second.jsonAttachmentId).datas)!).asOf).toBe('2026-11-28T09:00:00.000Z');
		expect(attachmentsOf(second.snapshot.id)).toHaveLength(2);
		expect(notesOn(second.snapshot.id)).toHaveLength(2);
		expect(attachmentsOf(first.snapshot.id)).toEqual(firstFiles);
	});

	it('a snapshot for an earlier day compares with the latest snapshot before it, not the latest made', async () => {
		const backfill = await takeInventorySnapshot(client(), { assets: NOVEMBER.slice(0, 3), asOf: at('2026-11-15T06:00:00Z') });
		expect(backfill.previous).toEqual({ id: first.snapshot.id, name: 'Inventory 2026-11-01' });
		expect(backfill.message).toBe('Inventory 2026-11-15: 3 assets; 1 removed (pve01) since Inventory 2026-11-01');
		const next = await takeInventorySnapshot(client(), { assets: LATER, asOf: at('2026-12-01T06:00:00Z') });
		expect(next.previous?.name).toBe('Inventory 2026-11-28');
		expect(next.message).toBe('Inventory 2026-12-01: 5 assets; 1 changed (dc02: ip \'10.0.20.12\' → \'10.0.10.12\') since Inventory 2026-11-28');
	});

	it('a previous snapshot without its JSON gives a warning, not a failure', async () => {
		const odoo = client();
		const [json] = attachmentsOf(first.snapshot.id).filter((a) => String(a.name).endsWith('.json'));
		await odoo.unlink('ir.attachment', [json.id as number]);
		const result = await takeInventorySnapshot(odoo, { assets: NOVEMBER, asOf: at('2026-11-02T06:00:00Z') });
		expect(result.diff).toBeNull();
		expect(result.warnings).toEqual(["'Inventory 2026-11-01' has no inventory-2026-11-01.json; no difference computed"]);
		expect(result.message).toBe("Inventory 2026-11-02: 4 assets; no difference: 'Inventory 2026-11-01' has no readable inventory");
	});

	it('refuses bad input before writing anything', async () => {
		sandbox.resetStats();
		await expect(takeInventorySnapshot(client(), { assets: 'all' as never, asOf: new Date() })).rejects.toThrow('assets: expected a list of assets, got string. Pass the output of listAssets');
		await expect(takeInventorySnapshot(client(), { assets: [{ id: 1 } as never], asOf: new Date() })).rejects.toThrow(/^assets\[0\]: an asset needs model, id and name/);
		await expect(takeInventorySnapshot(client(), { assets: NOVEMBER, asOf: 'yesterday' })).rejects.toThrow(/^asOf: expected a date, got "yesterday"/);
		expect(sandbox.stats.requests).toBe(0);
	});
});
