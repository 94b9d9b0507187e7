import type { ExistingCredential, ExistingWorkflow, WorkflowJson } from './plan';

/** The few calls of n8n's public API (v1) the installer needs, with errors that say what to fix. */
export class N8nPublicApi {
	private readonly base: string;

	constructor(
		url: string,
		private readonly apiKey: string,
		private readonly timeoutMs = 30_000,
	) {
		this.base = url.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1';
	}

	private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		let response: Response;
		try {
			response = await fetch(this.base + path, {
				method,
				headers: { 'X-N8N-API-KEY': this.apiKey, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
				body: body ? JSON.stringify(body) : undefined,
				signal: AbortSignal.timeout(this.timeoutMs),
			});
		} catch (error: any) {
			throw new Error(`Cannot reach n8n at ${this.base} (${error?.cause?.code ?? error?.message}). Check --url: it is the address of your n8n, e.g. http://localhost:5678`);
		}
		const text = await response.text();
		if (response.status === 401 || response.status === 403) {
			throw new Error(`n8n refused the API key (HTTP ${response.status}). Create one in n8n under Settings → n8n API and pass it with --api-key`);
		}
		if (response.status === 404 && path === '/workflows?limit=250') {
			throw new Error(`${this.base} does not serve n8n's public API (HTTP 404). Check --url, and that the public API is not disabled`);
		}
		if (!response.ok) throw new Error(`n8n answered HTTP ${response.status} to ${method} ${path}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	private async all<T>(path: string): Promise<T[]> {
		const items: T[] = [];
		let cursor: string | undefined;
		do {
			const page = await this.request<{ data: T[]; nextCursor?: string | null }>('GET', `${path}?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			items.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return items;
	}

	workflows(): Promise<ExistingWorkflow[]> {
		return this.all<ExistingWorkflow>('/workflows');
	}

	credentials(): Promise<ExistingCredential[]> {
		return this.all<ExistingCredential>('/credentials');
	}

	createWorkflow(body: WorkflowJson): Promise<ExistingWorkflow> {
		return this.request('POST', '/workflows', body);
	}

	updateWorkflow(id: string, body: WorkflowJson): Promise<ExistingWorkflow> {
		return this.request('PUT', `/workflows/${encodeURIComponent(id)}`, body);
	}

	/** n8n 2.x calls activation "publish"; older 1.x servers only know "activate". */
	async publish(id: string): Promise<void> {
		try {
			await this.request('POST', `/workflows/${encodeURIComponent(id)}/publish`);
		} catch (error) {
			if (!/HTTP 404/.test((error as Error).message)) throw error;
			await this.request('POST', `/workflows/${encodeURIComponent(id)}/activate`);
		}
	}
}
