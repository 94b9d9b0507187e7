// The floor: raw batched JSON-RPC with nothing in between, run in its own process so its peak memory is its own.
// Usage: node floor.js <url> <db> <login> <password> <n> <batch> <tag> <pageSize>
// A password of '-' is read from ODOO_BENCH_PASSWORD, so a real server's secret never shows in a process listing.
const [url, db, login, passwordArg, nText, batchText, tag, pageText] = process.argv.slice(2);
const password = passwordArg === '-' ? (process.env.ODOO_BENCH_PASSWORD ?? '') : passwordArg;
const n = Number(nText);
const batch = Number(batchText);
const pageSize = Number(pageText);
let id = 0;
async function call(service, method, args) {
	const response = await fetch(`${url}/jsonrpc`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: ++id, params: { service, method, args } }),
	});
	const body = await response.json();
	if (body.error) throw new Error(body.error.data?.message ?? body.error.message);
	return body.result;
}
(async () => {
	const started = performance.now();
	const uid = await call('common', 'authenticate', [db, login, password, {}]);
	const kw = (model, method, args, kwargs = {}) => call('object', 'execute_kw', [db, uid, password, model, method, args, kwargs]);
	for (let start = 0; start < n; start += batch) {
		const rows = [];
		for (let index = start; index < Math.min(n, start + batch); index++) rows.push({ name: `${tag} ${index}` });
		await kw('res.partner', 'create', [rows]);
	}
	const created = performance.now();
	let lastId = 0;
	let read = 0;
	for (;;) {
		const page = await kw('res.partner', 'search_read', [[['name', '=like', `${tag} %`], ['id', '>', lastId]]], { fields: ['name'], order: 'id', limit: pageSize });
		read += page.length;
		if (page.length < pageSize) break;
		lastId = page[page.length - 1].id;
	}
	const done = performance.now();
	process.stdout.write(JSON.stringify({ createSeconds: (created - started) / 1000, readSeconds: (done - created) / 1000, read, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
