/**
 * XML-RPC wire format, written by hand so the sandbox accepts exactly what real clients send
 * (Python's xmlrpc.client, the `xmlrpc` npm package, hand-rolled strings) and answers byte-for-byte
 * like Odoo 18 does in the recorded transcripts.
 */

export class XmlRpcParseError extends Error {}

/**
 * A Python float. JavaScript cannot tell 0 from 0.0, but Odoo's answers can: float fields go out as
 * <double>0.0</double> over XML-RPC and 0.0 over JSON-RPC, integer fields as <int>0</int> and 0.
 */
export class PyFloat {
	constructor(readonly value: number) {}
	toJSON(): number {
		return this.value;
	}
}

interface Node {
	tag: string;
	children: Node[];
	text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, ent: string) => {
		if (ent[0] === '#') {
			const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
			return String.fromCodePoint(code);
		}
		return ENTITIES[ent] ?? m;
	});
}

/** A deliberately small XML reader: elements, text, CDATA, comments, PI. No attributes are needed by XML-RPC. */
function parseXml(xml: string): Node {
	let i = 0;
	const root: Node = { tag: '#root', children: [], text: '' };
	const stack: Node[] = [root];
	while (i < xml.length) {
		const lt = xml.indexOf('<', i);
		if (lt < 0) {
			stack[stack.length - 1].text += decodeEntities(xml.slice(i));
			break;
		}
		if (lt > i) stack[stack.length - 1].text += decodeEntities(xml.slice(i, lt));
		if (xml.startsWith('<?', lt)) {
			const end = xml.indexOf('?>', lt);
			if (end < 0) throw new XmlRpcParseError('unclosed processing instruction');
			i = end + 2;
		} else if (xml.startsWith('<!--', lt)) {
			const end = xml.indexOf('-->', lt);
			if (end < 0) throw new XmlRpcParseError('unclosed comment');
			i = end + 3;
		} else if (xml.startsWith('<![CDATA[', lt)) {
			const end = xml.indexOf(']]>', lt);
			if (end < 0) throw new XmlRpcParseError('unclosed CDATA');
			stack[stack.length - 1].text += xml.slice(lt + 9, end);
			i = end + 3;
		} else if (xml.startsWith('<!', lt)) {
			const end = xml.indexOf('>', lt);
			i = end + 1;
		} else if (xml[lt + 1] === '/') {
			const end = xml.indexOf('>', lt);
			if (end < 0) throw new XmlRpcParseError('unclosed end tag');
			const tag = xml.slice(lt + 2, end).trim();
			const top = stack.pop();
			if (!top || top.tag !== tag) throw new XmlRpcParseError(`mismatched tag: ${tag}`);
			i = end + 1;
		} else {
			const end = xml.indexOf('>', lt);
			if (end < 0) throw new XmlRpcParseError('unclosed tag');
			let inner = xml.slice(lt + 1, end);
			const selfClosing = inner.endsWith('/');
			if (selfClosing) inner = inner.slice(0, -1);
			const tag = inner.trim().split(/\s+/)[0];
			const node: Node = { tag, children: [], text: '' };
			stack[stack.length - 1].children.push(node);
			if (!selfClosing) stack.push(node);
			i = end + 1;
		}
	}
	if (stack.length !== 1) throw new XmlRpcParseError('unclosed element');
	return root;
}

export interface Base64Value {
	__base64: string;
	/** Set when the value arrived as <base64> (an xmlrpc.client.Binary on the Python side). */
	__binary?: boolean;
}

/** An xmlrpc.client.DateTime as Odoo's server receives it; `value` is the raw ISO 8601 text. */
export class XmlRpcDateTime {
	constructor(readonly value: string) {}
	toString(): string {
		return this.value;
	}
}

function decodeValue(node: Node): unknown {
	if (node.tag !== 'value') throw new XmlRpcParseError(`expected <value>, got <${node.tag}>`);
	// A <value> with no type element is a string, whitespace included (XML-RPC spec).
	if (node.children.length === 0) return node.text;
	const t = node.children[0];
	// Apache's extension namespace (<ex:nil/>, <ex:i8>) as some Java/JS clients send it.
	switch (t.tag.replace(/^ex:/, '')) {
		case 'int':
		case 'i4':
		case 'i8':
		case 'i2':
		case 'i1': {
			const n = Number(t.text.trim());
			if (!Number.isInteger(n)) throw new XmlRpcParseError(`bad int: ${t.text}`);
			return n;
		}
		case 'double':
		case 'float':
			return Number(t.text.trim());
		case 'boolean':
			return t.text.trim() === '1' || t.text.trim().toLowerCase() === 'true';
		case 'string':
			return t.text;
		case 'nil':
			return null;
		case 'dateTime.iso8601':
			// Odoo calls xmlrpc.client.loads() without use_datetime: the ORM gets a DateTime object, not a string.
			return new XmlRpcDateTime(t.text.trim());
		case 'base64':
			// ... and an xmlrpc.client.Binary, not the base64 text Odoo's binary fields expect.
			return { __base64: t.text.replace(/\s+/g, ''), __binary: true } satisfies Base64Value;
		case 'array': {
			const data = t.children.find((c) => c.tag === 'data');
			if (!data) return [];
			return data.children.map(decodeValue);
		}
		case 'struct': {
			const out: Record<string, unknown> = {};
			for (const m of t.children) {
				if (m.tag !== 'member') continue;
				const name = m.children.find((c) => c.tag === 'name');
				const value = m.children.find((c) => c.tag === 'value');
				if (!name || !value) throw new XmlRpcParseError('bad struct member');
				out[name.text] = decodeValue(value);
			}
			return out;
		}
		default:
			throw new XmlRpcParseError(`unknown type <${t.tag}>`);
	}
}

export function parseMethodCall(xml: string): { methodName: string; params: unknown[] } {
	const root = parseXml(xml);
	const call = root.children.find((c) => c.tag === 'methodCall');
	if (!call) throw new XmlRpcParseError('no methodCall');
	const nameNode = call.children.find((c) => c.tag === 'methodName');
	if (!nameNode) throw new XmlRpcParseError('no methodName');
	const paramsNode = call.children.find((c) => c.tag === 'params');
	const params = (paramsNode?.children ?? [])
		.filter((p) => p.tag === 'param')
		.map((p) => {
			const v = p.children.find((c) => c.tag === 'value');
			if (!v) throw new XmlRpcParseError('param without value');
			return decodeValue(v);
		});
	return { methodName: nameNode.text.trim(), params };
}

/** Python's xml.sax.saxutils.escape as used by xmlrpc.client: only &, < and >. */
function esc(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function pyFloatRepr(n: number): string {
	if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
	const a = Math.abs(n);
	// Python's repr switches to exponent notation outside [1e-4, 1e16), with at least two exponent digits.
	if (a !== 0 && (a >= 1e16 || a < 1e-4)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
	return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** Mirrors xmlrpc.client.Marshaller: every <value> is followed by a newline. */
function dump(v: unknown, out: string[]): void {
	if (v instanceof PyFloat) {
		out.push(`<value><double>${pyFloatRepr(v.value)}</double></value>\n`);
	} else if (v === null || v === undefined) {
		out.push('<value><nil/></value>\n');
	} else if (typeof v === 'boolean') {
		out.push(`<value><boolean>${v ? 1 : 0}</boolean></value>\n`);
	} else if (typeof v === 'number') {
		if (Number.isInteger(v) && Math.abs(v) <= 2147483647) out.push(`<value><int>${v}</int></value>\n`);
		else out.push(`<value><double>${pyFloatRepr(v)}</double></value>\n`);
	} else if (typeof v === 'string') {
		// OdooMarshaller.dump_unicode drops control characters XML 1.0 cannot carry.
		out.push(`<value><string>${esc(v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''))}</string></value>\n`);
	} else if (Array.isArray(v)) {
		out.push('<value><array><data>\n');
		for (const x of v) dump(x, out);
		out.push('</data></array></value>\n');
	} else if (v instanceof XmlRpcDateTime) {
		out.push(`<value><dateTime.iso8601>${v.value}</dateTime.iso8601></value>\n`);
	} else if (typeof v === 'object' && '__base64' in (v as object)) {
		out.push(`<value><base64>\n${(v as Base64Value).__base64}\n</base64></value>\n`);
	} else if (typeof v === 'object') {
		out.push('<value><struct>\n');
		for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
			out.push('<member>\n');
			out.push(`<name>${esc(k)}</name>\n`);
			dump(x, out);
			out.push('</member>\n');
		}
		out.push('</struct></value>\n');
	} else {
		out.push(`<value><string>${esc(String(v))}</string></value>\n`);
	}
}

const HEADER = '<?xml version="1.0"?>\n';

export function serializeResponse(result: unknown): string {
	const out: string[] = [HEADER, '<methodResponse>\n', '<params>\n', '<param>\n'];
	dump(result, out);
	out.push('</param>\n', '</params>\n', '\n</methodResponse>\n');
	return out.join('');
}

export function serializeFault(faultCode: number | string, faultString: string): string {
	const out: string[] = [HEADER, '<methodResponse>\n', '<fault>\n'];
	dump({ faultCode, faultString }, out);
	out.push('</fault>\n', '\n</methodResponse>\n');
	return out.join('');
}

/** For tests and tools: decode a methodResponse into {result} or {fault}. */
export function parseMethodResponse(
	xml: string,
): { result: unknown } | { fault: { faultCode: number | string; faultString: string } } {
	const root = parseXml(xml);
	const resp = root.children.find((c) => c.tag === 'methodResponse');
	if (!resp) throw new XmlRpcParseError('no methodResponse');
	const fault = resp.children.find((c) => c.tag === 'fault');
	if (fault) {
		const v = fault.children.find((c) => c.tag === 'value');
		if (!v) throw new XmlRpcParseError('fault without value');
		return { fault: decodeValue(v) as { faultCode: number | string; faultString: string } };
	}
	const params = resp.children.find((c) => c.tag === 'params');
	const param = params?.children.find((c) => c.tag === 'param');
	const v = param?.children.find((c) => c.tag === 'value');
	if (!v) throw new XmlRpcParseError('response without value');
	return { result: decodeValue(v) };
}

export function serializeMethodCall(methodName: string, params: unknown[]): string {
	const out: string[] = [HEADER, '<methodCall>\n', `<methodName>${esc(methodName)}</methodName>\n`, '<params>\n'];
	for (const p of params) {
		out.push('<param>\n');
		dump(p, out);
		out.push('</param>\n');
	}
	out.push('</params>\n', '</methodCall>\n');
	return out.join('');
}
