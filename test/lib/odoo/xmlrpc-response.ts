/** Reads the fault out of a recorded XML-RPC response body (Odoo's own serialisation: faultCode then faultString). */
export function faultOfXmlRpcResponse(body: string): { faultCode: number; faultString: string } {
	const code = /<name>faultCode<\/name>\s*<value><int>(\d+)<\/int>/.exec(body);
	const text = /<name>faultString<\/name>\s*<value><string>([\s\S]*?)<\/string>/.exec(body);
	if (!code || !text) throw new Error('not a fault response');
	const unescape = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
	return { faultCode: Number(code[1]), faultString: unescape(text[1]) };
}
