import { fromHttpStatus, fromNetworkError, type CallSite } from '../error-mapping';
import type { WireStats } from '../types';

export interface JsonResponse {
	status: number;
	body: unknown;
	text: string;
}

/** One HTTP POST of a JSON body, counted in `stats`; socket failures and non-JSON answers become OdooErrors. */
export async function postJson(
	stats: WireStats,
	url: string,
	payload: unknown,
	options: { timeoutMs: number; headers?: Record<string, string>; site?: CallSite; acceptStatus?: (status: number) => boolean },
): Promise<JsonResponse> {
	stats.requests++;
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
			body: JSON.stringify(payload),
			signal: AbortSignal.timeout(options.timeoutMs),
		});
	} catch (error) {
		throw fromNetworkError(error, originOf(url), options.site);
	}
	let text: string;
	try {
		text = await response.text();
	} catch (error) {
		throw fromNetworkError(error, originOf(url), options.site);
	}
	const accepted = options.acceptStatus ? options.acceptStatus(response.status) : response.status === 200;
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		throw fromHttpStatus(response.status === 200 ? 502 : response.status, originOf(url), text, options.site);
	}
	if (!accepted && (body === undefined || typeof body !== 'object')) {
		throw fromHttpStatus(response.status, originOf(url), text, options.site);
	}
	return { status: response.status, body, text };
}

export function originOf(url: string): string {
	try {
		const parsed = new URL(url);
		return parsed.origin;
	} catch {
		return url;
	}
}

export function joinUrl(base: string, path: string): string {
	return base.replace(/\/+$/, '') + path;
}
