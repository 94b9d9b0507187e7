import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { faultOfXmlRpcResponse } from './xmlrpc-response';
import { fromJsonRpcError, fromXmlRpcFault, parseTraceback } from '../../../lib/odoo/error-mapping';
import type { OdooErrorKind } from '../../../lib/odoo/errors';

const dir = join(__dirname, '../../fixtures/odoo-18-transcripts');
const transcript = (prefix: string) => {
	const file = readdirSync(dir).find((name) => name.startsWith(prefix + '-'))!;
	return JSON.parse(readFileSync(join(dir, file), 'utf8')) as { kind: string; response: { body: string } };
};

/** What a user must be told for each error the real server produced (XML-RPC and JSON-RPC twins). */
const expectations: Array<[string, string, OdooErrorKind, RegExp, string | undefined]> = [
	['005', '008', 'database', /Database 'no_such_db' does not exist/, undefined],
	['033', '034', 'validation', /Required field 'description' is missing/, 'description'],
	['035', '036', 'unknown-field', /Field 'no_such_field' does not exist on model 'res.partner'/, 'no_such_field'],
	['039', '040', 'validation', /Wrong value 'nonsense' for field 'type'/, 'type'],
	['041', '042', 'unknown-model', /Model 'no.such.model' does not exist/, undefined],
	['043', '044', 'bad-domain', /Invalid domain: not enough values to unpack/, undefined],
	['045', '046', 'bad-domain', /Invalid leaf \('name', 'frobnicate', 'x'\)/, undefined],
	['047', '048', 'unknown-method', /Method 'res.partner.no_such_method' does not exist/, undefined],
	['049', '050', 'access', /Private methods \(such as 'res.partner._compute_display_name'\) cannot be called remotely/, undefined],
	['062', '063', 'missing', /Record does not exist or has been deleted/, undefined],
	['070', '071', 'access', /You are not allowed to access 'Models' \(ir.model\) records/, undefined],
	['037', '038', 'validation', /invalid input syntax for type integer: "France"/, undefined],
];

describe('error mapping over the recorded Odoo 18 errors', () => {
	it.each(expectations)('XML-RPC %s / JSON-RPC %s → %s', (xmlId, jsonId, kind, message, field) => {
		const fault = faultOfXmlRpcResponse(transcript(xmlId).response.body);
		const fromXml = fromXmlRpcFault(fault.faultCode, fault.faultString);
		const fromJson = fromJsonRpcError(JSON.parse(transcript(jsonId).response.body).error);
		for (const error of [fromXml, fromJson]) {
			expect(error.kind).toBe(kind);
			expect(error.message).toMatch(message);
			expect(error.message).not.toMatch(/Traceback|File "/);
			if (field) expect(error.field).toBe(field);
		}
		// The traceback is kept for the description, not lost.
		expect(fromJson.debug ?? '').toMatch(/Traceback|^$/);
	});

	it('reads the exception of a chained traceback from its last block', () => {
		const parsed = parseTraceback("Traceback (most recent call last):\n  File \"x\", line 1\nKeyError: 'a'\n\nDuring handling...\n\nTraceback (most recent call last):\n  File \"y\"\nValueError: Invalid field 'a' on model 'b'\n");
		expect(parsed).toEqual({ exceptionName: 'ValueError', message: "Invalid field 'a' on model 'b'" });
	});
});
