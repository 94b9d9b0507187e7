import { ensureAssetFields, MAINTENANCE_EQUIPMENT_HOME, upsertAssets } from '../../../lib/inventory/assets';
import { checkRunbookInput, RUNBOOK_DIGEST_FIELD, runbookHtml, upsertRunbook, type RunbookInput } from '../../../lib/inventory/runbooks';
import { SecretValueError } from '../../../lib/inventory/secrets';
import { InventoryInputError } from '../../../lib/inventory/types';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';

describe('runbookHtml', () => {
	it('turns markdown-ish text into HTML, escaping what is not markup', () => {
		const text = [
			'# Restore pfSense',
			'Use the console when the GUI is down.',
			'Keep the <config.xml> at hand.',
			'',
			'1. Boot the installer',
			'2. Pick **Recover config.xml**',
			'',
			'- see [the wiki](https://wiki.lab.example.com/pfsense)',
			'- run `pfSsh.php playback restartallwan`',
			'',
			'```',
			'diag_backup.php > /tmp/x && echo "<ok>"',
			'```',
		].join('\n');
		expect(runbookHtml(text)).toBe(
			[
				'<h1>Restore pfSense</h1>',
				'<p>Use the console when the GUI is down.<br>Keep the &lt;config.xml&gt; at hand.</p>',
				'<ol><li>Boot the installer</li><li>Pick <b>Recover config.xml</b></li></ol>',
				'<ul><li>see <a href="https://wiki.lab.example.com/pfsense">the wiki</a></li><li>run <code>pfSsh.php playback restartallwan</code></li></ul>',
				'<pre><code>diag_backup.php &gt; /tmp/x &amp;&amp; echo &quot;&lt;ok&gt;&quot;</code></pre>',
			].join('\n'),
		);
	});

	it('keeps HTML as written', () => {
		expect(runbookHtml('  <p>Already <b>HTML</b></p>\n')).toBe('<p>Already <b>HTML</b></p>');
	});
});

describe('checkRunbookInput', () => {
	const good: RunbookInput = { title: 'Restore pfSense', body: 'Steps', assetRefs: ['maintenance.equipment,1', 'maintenance.equipment,1', 'ov.asset,4'] };
	it('dedupes asset refs', () => {
		expect(checkRunbookInput(good).assets.map((asset) => asset.ref)).toEqual(['maintenance.equipment,1', 'ov.asset,4']);
	});
	it.each<[Partial<RunbookInput>, string, RegExp]>([
		[{ title: '' }, 'title', /'title' is missing: Give the runbook a title/],
		[{ body: ' ' }, 'body', /'body' is empty: Write the steps/],
		[{ url: 'wiki/pfsense' }, 'url', /'url' is not a URL/],
		[{ assetRefs: ['pve01'] }, 'assetRefs', /asset "pve01" is not an asset reference: Write each asset as model,id/],
		[{ body: 'Log in with admin / password: Pf5ense!2026' }, 'body', /Runbook 'Restore pfSense': 'body' looks like a secret \(text that sets a password/],
		[{ body: 'Key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----' }, 'body', /'body' looks like a secret \(a private key/],
	])('refuses %j', (change, field, message) => {
		let error: InventoryInputError | undefined;
		try {
			checkRunbookInput({ ...good, ...change });
		} catch (caught) {
			error = caught as InventoryInputError;
		}
		expect(error).toBeInstanceOf(InventoryInputError);
		expect(error!.field).toBe(field);
		expect(error!.message).toMatch(message);
	});
	it('lets a body mention where the password is', () => {
		expect(() => checkRunbookInput({ ...good, body: 'The admin password is in vaultwarden://Collections/Homelab/pfsense_admin (password: see vault).' })).not.toThrow();
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Against the Odoo sandbox

async function setUp(documentPage: boolean): Promise<{ sandbox: OdooSandbox; odoo: OdooClient; refs: string[] }> {
	const sandbox = await startOdooSandbox({ governance: false, modules: { documentPage } });
	sandbox.setClock(new Date('2026-06-01T09:00:00Z'));
	const odoo = createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
	await ensureAssetFields(odoo, MAINTENANCE_EQUIPMENT_HOME);
	const assets = await upsertAssets(odoo, MAINTENANCE_EQUIPMENT_HOME, [
		{ hostname: 'fw01', kind: 'network' },
		{ hostname: 'fw02', kind: 'network', docsUrl: 'https://wiki.lab.example.com/fw02' },
	]);
	return { sandbox, odoo, refs: assets.map((asset) => `maintenance.equipment,${asset.id}`) };
}

const notesOn = (sandbox: OdooSandbox, ref: string) => {
	const [model, id] = ref.split(',');
	return sandbox.records('mail.message').filter((m) => m.model === model && m.res_id === Number(id) && String(m.body).includes('Runbook'));
};
const writes = (sandbox: OdooSandbox) => (sandbox.stats.byMethod.create ?? 0) + (sandbox.stats.byMethod.write ?? 0) + (sandbox.stats.byMethod.message_post ?? 0);

describe('runbooks as document.page', () => {
	let sandbox: OdooSandbox;
	let odoo: OdooClient;
	let refs: string[];
	beforeAll(async () => {
		({ sandbox, odoo, refs } = await setUp(true));
	});
	afterAll(async () => {
		await sandbox.close();
	});
	const runbook = (): RunbookInput => ({ title: 'Restore pfSense', body: '# Restore\n1. Boot the installer\n2. Recover config.xml', assetRefs: refs });

	it('writes nothing when a linked asset does not exist', async () => {
		sandbox.resetStats();
		await expect(upsertRunbook(odoo, { ...runbook(), assetRefs: [...refs, 'maintenance.equipment,999'] })).rejects.toThrow(/asset maintenance.equipment,999 does not exist: Link only existing assets/);
		expect(writes(sandbox)).toBe(0);
		expect(sandbox.records('document.page')).toHaveLength(0);
	});

	it('makes a page, notes each asset once and fills an empty documentation URL', async () => {
		const result = await upsertRunbook(odoo, runbook());
		expect(result).toMatchObject({ kind: 'page', model: 'document.page', action: 'created', warnings: [] });
		expect(result.url).toBe(`${sandbox.url}/odoo/action-document_page.action_page/${result.id}`);
		expect(result.links).toEqual([
			{ assetRef: refs[0], note: 'posted', docsUrlSet: true },
			{ assetRef: refs[1], note: 'posted', docsUrlSet: false },
		]);
		const [page] = sandbox.records('document.page');
		expect(page).toMatchObject({ name: 'Restore pfSense', type: 'content', content: '<h1>Restore</h1>\n<ol><li>Boot the installer</li><li>Recover config.xml</li></ol>', [RUNBOOK_DIGEST_FIELD]: result.revision });
		expect(sandbox.records('document.page.history').filter((rev) => rev.page_id === page.id)).toHaveLength(1);
		const equipment = sandbox.records('maintenance.equipment');
		expect(equipment.find((row) => `maintenance.equipment,${row.id}` === refs[0])!.x_docs_url).toBe(result.url);
		// A documentation URL someone set stays.
		expect(equipment.find((row) => `maintenance.equipment,${row.id}` === refs[1])!.x_docs_url).toBe('https://wiki.lab.example.com/fw02');
		for (const ref of refs) {
			expect(notesOn(sandbox, ref)).toHaveLength(1);
			expect(String(notesOn(sandbox, ref)[0].body)).toContain(`<a href="${result.url}">Restore pfSense</a> linked (rev ${result.revision})`);
		}
	});

	it('changes nothing when run again with the same text', async () => {
		sandbox.resetStats();
		const again = await upsertRunbook(odoo, runbook());
		expect(again).toMatchObject({ action: 'unchanged', links: [{ note: 'already', docsUrlSet: false }, { note: 'already', docsUrlSet: false }] });
		expect(writes(sandbox)).toBe(0);
		for (const ref of refs) expect(notesOn(sandbox, ref)).toHaveLength(1);
	});

	it('updates the page and notes the assets again when the text changes', async () => {
		const changed = await upsertRunbook(odoo, { ...runbook(), body: '# Restore\n1. Boot the installer\n2. Recover config.xml\n3. Reboot' });
		expect(changed.action).toBe('updated');
		const [page] = sandbox.records('document.page');
		expect(String(page.content)).toContain('<li>Reboot</li>');
		expect(sandbox.records('document.page.history').filter((rev) => rev.page_id === page.id)).toHaveLength(2);
		for (const ref of refs) {
			expect(notesOn(sandbox, ref)).toHaveLength(2);
			expect(String(notesOn(sandbox, ref)[1].body)).toContain(`updated (rev ${changed.revision})`);
		}
		expect(sandbox.records('document.page')).toHaveLength(1);
	});

	it('refuses a body with a secret before writing', async () => {
		sandbox.resetStats();
		const error = await upsertRunbook(odoo, { ...runbook(), body: 'API token: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SecretValueError);
		expect(writes(sandbox)).toBe(0);
	});
});

describe('runbooks without document.page', () => {
	let sandbox: OdooSandbox;
	let odoo: OdooClient;
	let refs: string[];
	beforeAll(async () => {
		({ sandbox, odoo, refs } = await setUp(false));
	});
	afterAll(async () => {
		await sandbox.close();
	});
	const files = () => sandbox.records('ir.attachment').filter((file) => file.name === 'Patch Proxmox.html');

	it('needs an asset to keep the file on', async () => {
		await expect(upsertRunbook(odoo, { title: 'Patch Proxmox', body: 'apt full-upgrade', assetRefs: [] })).rejects.toThrow(/kept as a file on its first asset, and no asset is linked: Link at least one asset/);
	});

	it('keeps the runbook as an HTML file on the first asset and notes each asset', async () => {
		const result = await upsertRunbook(odoo, { title: 'Patch Proxmox', body: '1. apt update\n2. apt full-upgrade', url: 'https://wiki.lab.example.com/patch-proxmox', assetRefs: refs });
		expect(result).toMatchObject({ kind: 'attachment', model: 'ir.attachment', action: 'created', url: 'https://wiki.lab.example.com/patch-proxmox' });
		const [file] = files();
		expect(file).toMatchObject({ id: result.id, res_model: 'maintenance.equipment', res_id: Number(refs[0].split(',')[1]), mimetype: 'text/html' });
		const html = Buffer.from(String(file.datas), 'base64').toString('utf8');
		expect(html).toContain('<h1>Patch Proxmox</h1>');
		expect(html).toContain('<ol><li>apt update</li><li>apt full-upgrade</li></ol>');
		for (const ref of refs) expect(notesOn(sandbox, ref)).toHaveLength(1);
		expect(sandbox.records('maintenance.equipment').find((row) => `maintenance.equipment,${row.id}` === refs[0])!.x_docs_url).toBe('https://wiki.lab.example.com/patch-proxmox');
	});

	it('is idempotent, and rewrites the same file when the text changes', async () => {
		sandbox.resetStats();
		const input = { title: 'Patch Proxmox', body: '1. apt update\n2. apt full-upgrade', url: 'https://wiki.lab.example.com/patch-proxmox', assetRefs: refs };
		expect(await upsertRunbook(odoo, input)).toMatchObject({ action: 'unchanged' });
		expect(writes(sandbox)).toBe(0);
		const changed = await upsertRunbook(odoo, { ...input, body: '1. apt update\n2. apt full-upgrade\n3. reboot' });
		expect(changed.action).toBe('updated');
		expect(files()).toHaveLength(1);
		expect(Buffer.from(String(files()[0].datas), 'base64').toString('utf8')).toContain('<li>reboot</li>');
		for (const ref of refs) expect(notesOn(sandbox, ref)).toHaveLength(2);
	});
});
