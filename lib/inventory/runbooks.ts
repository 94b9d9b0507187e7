/**
 * Runbooks and SOPs as knowledge in Odoo (seed 002), linked to the assets they are about. A `document.page` (OCA
 * Knowledge, Community) when installed; otherwise an HTML file attached to the first asset. Either way each linked
 * asset gets a chatter note pointing at it and, when its documentation URL is empty, that URL.
 *
 * Re-running with the same text changes nothing: the page, the file and each note carry a short digest of the
 * runbook, so "did this text reach that asset already?" is answered by Odoo, not by this process.
 */
import { createHash } from 'node:crypto';

import { ensureManualFields } from '../odoo/manual-schema';
import { OdooError } from '../odoo/errors';
import type { OdooClient, OdooFieldInfo } from '../odoo/types';
import { isUrl } from './assets';
import { assertNoSecrets } from './secrets';
import { InventoryInputError, type AssetHome } from './types';
import { escapeHtml } from '../shared/html';

export const DOCUMENT_PAGE = 'document.page';
/** On document.page: the digest of the text the page holds, so an unchanged runbook is not rewritten (no history noise). */
export const RUNBOOK_DIGEST_FIELD = 'x_ops_runbook_digest';
const DIGEST_MARK = 'ops-runbook:';

export interface RunbookInput {
	title: string;
	/** HTML, or plain text with light markdown (# headings, - lists, 1. steps, `code`, **bold**, [text](url), ``` blocks). */
	body: string;
	/** Where the runbook is read; by default the page (or file) in Odoo. */
	url?: string;
	/** `${model},${id}` of each asset the runbook is about. */
	assetRefs: string[];
	/** The asset home, when its docs URL field is not x_docs_url. */
	home?: AssetHome;
}

export interface RunbookLink {
	assetRef: string;
	/** posted: a note now; already: a note for this text was there; no-chatter: the model has no chatter. */
	note: 'posted' | 'already' | 'no-chatter';
	/** The asset's documentation URL was empty and now points at the runbook. */
	docsUrlSet: boolean;
}

export interface RunbookResult {
	kind: 'page' | 'attachment';
	model: typeof DOCUMENT_PAGE | 'ir.attachment';
	id: number;
	url: string;
	action: 'created' | 'updated' | 'unchanged';
	/** Short digest of title, text and URL: the runbook's revision. */
	revision: string;
	links: RunbookLink[];
	warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Text → HTML (pure)


function inline(text: string): string {
	return escapeHtml(text)
		.replace(/`([^`]+)`/g, '<code>$1</code>')
		.replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
		.replace(/\[([^\]]+)\]\(((?:https?|ftp):\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>');
}

/** Whether `body` already is HTML (then it is kept as written; Odoo sanitises it). */
export function isHtml(body: string): boolean {
	return /<\/?(p|div|h[1-6]|ul|ol|li|br|pre|code|table|a|b|strong|em|i|span|section|article)\b[^>]*>/i.test(body);
}

/** Runbook text as HTML: HTML stays; markdown-ish text (headings, lists, steps, code blocks) is converted. */
export function runbookHtml(body: string): string {
	if (isHtml(body)) return body.trim();
	const out: string[] = [];
	const lines = body.replace(/\r\n?/g, '\n').split('\n');
	let paragraph: string[] = [];
	let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
	const flush = () => {
		if (paragraph.length > 0) out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
		paragraph = [];
		if (list) out.push(`<${list.tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.tag}>`);
		list = null;
	};
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index];
		if (/^\s*```/.test(line)) {
			flush();
			const code: string[] = [];
			for (index++; index < lines.length && !/^\s*```/.test(lines[index]); index++) code.push(lines[index]);
			out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
			continue;
		}
		const heading = /^(#{1,6})\s+(.*)$/.exec(line);
		const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
		const step = /^\s*\d+[.)]\s+(.*)$/.exec(line);
		if (heading) {
			flush();
			out.push(`<h${heading[1].length}>${inline(heading[2].trim())}</h${heading[1].length}>`);
		} else if (bullet || step) {
			const tag = bullet ? 'ul' : 'ol';
			if (paragraph.length > 0 || (list && list.tag !== tag)) flush();
			list = list ?? { tag, items: [] };
			list.items.push((bullet ?? step)![1]);
		} else if (line.trim() === '') flush();
		else {
			if (list) flush();
			paragraph.push(line.trim());
		}
	}
	flush();
	return out.join('\n');
}

export function runbookRevision(title: string, html: string, url: string | undefined): string {
	return createHash('sha256').update(JSON.stringify([title, html, url ?? ''])).digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (pure)

interface AssetLink {
	ref: string;
	model: string;
	id: number;
}

export function checkRunbookInput(input: RunbookInput): { title: string; body: string; url?: string; assets: AssetLink[] } {
	const title = typeof input?.title === 'string' ? input.title.trim() : '';
	if (!title) throw new InventoryInputError({ field: 'title', message: "Runbook: 'title' is missing", hint: "Give the runbook a title, e.g. 'Restore pfSense from backup'" });
	const label = `Runbook '${title}'`;
	if (typeof input.body !== 'string' || input.body.trim() === '') {
		throw new InventoryInputError({ field: 'body', message: `${label}: 'body' is empty`, hint: 'Write the steps of the runbook (HTML or plain text with - lists and # headings)' });
	}
	const url = typeof input.url === 'string' && input.url.trim() !== '' ? input.url.trim() : undefined;
	if (url !== undefined && !isUrl(url)) throw new InventoryInputError({ field: 'url', message: `${label}: 'url' is not a URL`, hint: 'Give the full address, e.g. https://wiki.lab.example.com/runbooks/pfsense-restore, or leave it empty' });
	if (!Array.isArray(input.assetRefs)) throw new InventoryInputError({ field: 'assetRefs', message: `${label}: 'assetRefs' must be a list`, hint: "List the assets as model,id, e.g. ['maintenance.equipment,12']" });
	const assets: AssetLink[] = [];
	for (const raw of input.assetRefs) {
		const ref = typeof raw === 'string' ? raw.trim() : '';
		const match = /^([a-z_][a-z0-9_.]*),([1-9]\d*)$/.exec(ref);
		if (!match) throw new InventoryInputError({ field: 'assetRefs', message: `${label}: asset ${JSON.stringify(raw)} is not an asset reference`, hint: "Write each asset as model,id, e.g. 'maintenance.equipment,12' (the ref the asset list gives)" });
		if (!assets.some((asset) => asset.ref === ref)) assets.push({ ref, model: match[1], id: Number(match[2]) });
	}
	assertNoSecrets({ title, body: input.body, ...(url ? { url } : {}) }, label);
	return { title, body: input.body, url, assets };
}

// ---------------------------------------------------------------------------------------------------------------
// Odoo

async function installed(client: OdooClient, model: string): Promise<Record<string, OdooFieldInfo> | null> {
	try {
		return await client.fieldsGet(model);
	} catch (error) {
		if (error instanceof OdooError && error.kind === 'unknown-model') return null;
		throw error;
	}
}

function docsFieldOf(model: string, fields: Record<string, OdooFieldInfo>, home: AssetHome | undefined): string | undefined {
	const field = home && home.model === model ? home.fields.docsUrl : 'x_docs_url';
	return field && fields[field] ? field : undefined;
}

async function recordUrl(client: OdooClient, model: string, id: number, action: string): Promise<string> {
	const base = client.config.url.replace(/\/+$/, '');
	const serie = Number.parseFloat((await client.version()).server_serie);
	// Odoo 18 has readable /odoo URLs; older versions only the /web# form.
	return serie >= 18 ? `${base}/odoo/action-${action}/${id}` : `${base}/web#model=${model}&id=${id}&view_type=form`;
}

function fileHtml(title: string, html: string): string {
	return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${html}\n</body></html>\n`;
}

/**
 * Creates or updates the runbook and links it to its assets. Input is validated and secret-guarded, and every linked
 * asset checked to exist, before anything is written. Idempotent: an unchanged runbook writes nothing.
 */
export async function upsertRunbook(client: OdooClient, input: RunbookInput): Promise<RunbookResult> {
	const { title, body, url: givenUrl, assets } = checkRunbookInput(input);
	const html = runbookHtml(body);
	const revision = runbookRevision(title, html, givenUrl);
	const warnings: string[] = [];

	const fieldsOf = new Map<string, Record<string, OdooFieldInfo>>();
	const docsValue = new Map<string, unknown>();
	for (const model of new Set(assets.map((asset) => asset.model))) {
		const fields = await installed(client, model);
		if (!fields) throw new InventoryInputError({ field: 'assetRefs', message: `Runbook '${title}': asset model '${model}' is not installed`, hint: 'Link assets by the ref the asset list gives, e.g. maintenance.equipment,12' });
		fieldsOf.set(model, fields);
		const ids = assets.filter((asset) => asset.model === model).map((asset) => asset.id);
		const docsField = docsFieldOf(model, fields, input.home);
		const records = await client.read(model, ids, docsField ? [docsField] : ['id']);
		for (const asset of assets.filter((entry) => entry.model === model)) {
			const record = records.find((row) => row.id === asset.id);
			if (!record) throw new InventoryInputError({ field: 'assetRefs', message: `Runbook '${title}': asset ${asset.ref} does not exist`, hint: 'Link only existing assets (list them with the asset list); nothing was written' });
			if (docsField) docsValue.set(asset.ref, record[docsField]);
		}
	}

	const pageFields = await installed(client, DOCUMENT_PAGE);
	let kind: RunbookResult['kind'];
	let id: number;
	let action: RunbookResult['action'];
	let url: string;
	if (pageFields) {
		kind = 'page';
		await ensureManualFields(client, DOCUMENT_PAGE, [{ name: RUNBOOK_DIGEST_FIELD, ttype: 'char', description: 'Runbook revision' }]);
		const [page] = await client.searchRead(DOCUMENT_PAGE, [['name', '=', title], ...(pageFields.type ? [['type', '=', 'content'] as [string, string, unknown]] : [])], {
			fields: ['name', RUNBOOK_DIGEST_FIELD],
			order: 'id asc',
			limit: 1,
		});
		// document_page keeps each content change as a revision; name it so the page history says where it came from.
		const revisionNote = pageFields.draft_summary ? { draft_name: `rev ${revision}`, draft_summary: 'Runbook updated by n8n' } : {};
		if (!page) {
			[id] = await client.create(DOCUMENT_PAGE, [{ name: title, content: html, [RUNBOOK_DIGEST_FIELD]: revision, ...(pageFields.type ? { type: 'content' } : {}), ...revisionNote }]);
			action = 'created';
		} else {
			id = page.id;
			action = page[RUNBOOK_DIGEST_FIELD] === revision ? 'unchanged' : 'updated';
			if (action === 'updated') await client.write(DOCUMENT_PAGE, [id], { content: html, [RUNBOOK_DIGEST_FIELD]: revision, ...revisionNote });
		}
		url = givenUrl ?? (await recordUrl(client, DOCUMENT_PAGE, id, 'document_page.action_page'));
	} else {
		kind = 'attachment';
		const [first] = assets;
		if (!first) {
			throw new InventoryInputError({
				field: 'assetRefs',
				message: `Runbook '${title}': without the Knowledge app (document.page) a runbook is kept as a file on its first asset, and no asset is linked`,
				hint: 'Link at least one asset, or install the OCA document_page module',
			});
		}
		const name = `${title}.html`;
		const mark = `${DIGEST_MARK}${revision}`;
		const [file] = await client.searchRead('ir.attachment', [['name', '=', name], ['res_model', '=', first.model], ['res_id', '=', first.id]], { fields: ['description'], order: 'id asc', limit: 1 });
		const values = { datas: Buffer.from(fileHtml(title, html), 'utf8').toString('base64'), mimetype: 'text/html', description: `Runbook (${mark})` };
		if (!file) {
			[id] = await client.create('ir.attachment', [{ name, res_model: first.model, res_id: first.id, ...values }]);
			action = 'created';
		} else {
			id = file.id;
			action = String(file.description ?? '').includes(mark) ? 'unchanged' : 'updated';
			if (action === 'updated') await client.write('ir.attachment', [id], values);
		}
		url = givenUrl ?? `${client.config.url.replace(/\/+$/, '')}/web/content/${id}`;
	}

	const links: RunbookLink[] = [];
	for (const asset of assets) {
		const fields = fieldsOf.get(asset.model)!;
		let note: RunbookLink['note'] = 'no-chatter';
		if (fields.message_ids) {
			const marker = `(rev ${revision})`;
			const already = await client.searchCount('mail.message', [['model', '=', asset.model], ['res_id', '=', asset.id], ['body', 'ilike', marker]]);
			if (already > 0) note = 'already';
			else {
				const verb = action === 'updated' ? 'updated' : 'linked';
				await client.messagePost(asset.model, asset.id, {
					kind: 'note',
					isHtml: true,
					body: `<p>Runbook <a href="${escapeHtml(url)}">${escapeHtml(title)}</a> ${verb} ${marker}.</p>`,
				});
				note = 'posted';
			}
		} else {
			warnings.push(`${asset.model} has no chatter: no note on ${asset.ref}`);
		}
		let docsUrlSet = false;
		const docsField = docsFieldOf(asset.model, fields, input.home);
		const current = docsValue.get(asset.ref);
		if (docsField && (current === false || current === null || current === undefined || current === '')) {
			await client.write(asset.model, [asset.id], { [docsField]: url });
			docsUrlSet = true;
		} else if (!docsField) {
			warnings.push(`${asset.model} has no documentation URL field: run 'Ensure Fields' to add x_docs_url`);
		}
		links.push({ assetRef: asset.ref, note, docsUrlSet });
	}
	return { kind, model: kind === 'page' ? DOCUMENT_PAGE : 'ir.attachment', id, url, action, revision, links, warnings: [...new Set(warnings)] };
}
