import { sdkClientConfig, workerConfig } from '@fanout/config';

/** How often and how patiently to retry a partial failure. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected in tests so that retries run without waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

export const defaultWritePolicy: RetryPolicy = {
  attempts: workerConfig.writeAttempts,
  baseDelayMs: workerConfig.retryBaseDelayMs,
  maxDelayMs: workerConfig.retryMaxDelayMs,
};

export const defaultDeletePolicy: RetryPolicy = {
  attempts: workerConfig.deleteAttempts,
  baseDelayMs: workerConfig.retryBaseDelayMs,
  maxDelayMs: workerConfig.retryMaxDelayMs,
};

/** Exponential backoff with full jitter: a random delay in [0, min(max, base × 2^(attempt-1))]. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/** The longest the waits between a call's attempts add up to: every backoff at its ceiling. */
export function longestBackoffMs(policy: Pick<RetryPolicy, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>): number {
  let total = 0;
  for (let retry = 1; retry < policy.attempts; retry++) total += Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return total;
}

/** The longest one attempt of a function's call can take: connecting, then a request that never answers. */
export const longestAttemptMs = sdkClientConfig.connectionTimeoutMs + sdkClientConfig.requestTimeoutMs;

/** The SDK's own retries of a call it owns, reckoned with its throttling backoff (the longer one). */
export const sdkThrottlingRetries = {
  attempts: sdkClientConfig.maxAttempts,
  baseDelayMs: sdkClientConfig.throttlingBackoffBaseMs,
  maxDelayMs: sdkClientConfig.maxBackoffMs,
} as const;

/**
 * The longest one call can take when every attempt fails (docs/reliability.md, "Who retries what"):
 * `throttled`, each attempt answered at once and refused; `stalled`, each attempt timed out.
 */
export function longestCallMs(policy: Pick<RetryPolicy, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>): { throttled: number; stalled: number } {
  const backoff = longestBackoffMs(policy);
  return { throttled: backoff, stalled: policy.attempts * longestAttemptMs + backoff };
}

export function waitBeforeRetry(attempt: number, policy: RetryPolicy): Promise<void> {
  const ms = backoffDelayMs(attempt, policy);
  return policy.sleep ? policy.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
}
