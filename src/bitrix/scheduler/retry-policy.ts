export interface RetryPolicy {
  /** Retries of a lookup after a failure that may pass (5xx, reset, timeout); refusals are not counted. */
  readonly retries: number;
  /** Delay before the first retry; doubles each time, with jitter (×1–2). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 5000 };

/** Milliseconds before going again after the `attempt`-th failure: doubling, with jitter (×1–2). */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1) * (1 + random()));
}
