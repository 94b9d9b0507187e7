/** The XML-RPC codec against arbitrary values and against hand-written documents real clients produce. */
import fc from 'fast-check';
import { parseMethodCall, parseMethodResponse, serializeMethodCall, serializeResponse } from '../sandboxes/odoo';

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	v: fc.oneof(
		{ depthSize: 'small' },
		fc.integer({ min: -2147483648, max: 2147483647 }),
		fc.boolean(),
		// XML 1.0 cannot carry most control characters (Odoo strips them); \r is normalised by XML parsers.
		fc.string().map((s) => s.replace(/[\u0000-\u001f\ud800-\udfff\ufffe\uffff]/g, '')),
		fc.array(tie('v'), { maxLength: 4 }),
		fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !/[\u0000-\u001f\ud800-\udfff\ufffe\uffff]/.test(k)), tie('v'), { maxKeys: 4 }),
	),
})).v;

test('methodCall and methodResponse round-trip', () => {
	fc.assert(
		fc.property(fc.array(value, { maxLength: 5 }), (params) => {
			expect(parseMethodCall(serializeMethodCall('execute_kw', params))).toEqual({ methodName: 'execute_kw', params });
			expect(parseMethodResponse(serializeResponse(params))).toEqual({ result: params });
		}),
		{ numRuns: 200 },
	);
});

test('accepts bare <value> text, i4/i8, double, nil, entities, CDATA and whitespace', () => {
	const xml = `<?xml version='1.0'?>
<methodCall>
  <methodName>execute_kw</methodName>
  <params>
    <param><value>bare &amp; text</value></param>
    <param><value><i4>7</i4></value></param>
    <param><value><i8>-9</i8></value></param>
    <param><value><double>1.5</double></value></param>
    <param><value><nil/></value></param>
    <param><value><string><![CDATA[<raw>]]></string></value></param>
    <param><value><array><data></data></array></value></param>
    <param><value><struct>
      <member><name>a</name><value><boolean>1</boolean></value></member>
      <member><name>b&#233;</name><value><string>&#x263A;</string></value></member>
    </struct></value></param>
  </params>
</methodCall>`;
	expect(parseMethodCall(xml)).toEqual({ methodName: 'execute_kw', params: ['bare & text', 7, -9, 1.5, null, '<raw>', [], { a: true, 'bé': '☺' }] });
});
