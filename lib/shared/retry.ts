export interface RetryPolicy {
	/** Attempts after the first one. */
	retries: number;
	baseMs: number;
	maxMs?: number;
	/** Decides per failure whether another attempt is safe and useful. */
	shouldRetry(error: unknown, attempt: number): boolean;
	/** For tests and benchmarks: where the waiting happens. */
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff: spreads retries of concurrent executions so they do not stampede the server. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
	const wait = policy.sleep ?? sleep;
	for (let attempt = 0; ; attempt++) {
		try {
			return await operation(attempt);
		} catch (error) {
			if (attempt >= policy.retries || !policy.shouldRetry(error, attempt)) throw error;
			await wait(backoffDelay(attempt, policy.baseMs, policy.maxMs ?? 5000, policy.random));
		}
	}
}
