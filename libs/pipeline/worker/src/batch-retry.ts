import { isRetryableError } from '@fanout/aws-clients/errors';
import { waitBeforeRetry, type RetryPolicy } from './retry-policy.js';

/** What one call made of its entries: done, worth another attempt, or failed for good. */
export interface BatchOutcome<T> {
  done: T[];
  retry: T[];
  failed: T[];
}

export interface BatchRetryResult<T> {
  done: T[];
  /** Failed for good, or still failing after the last attempt. */
  failed: T[];
  calls: number;
  retries: number;
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

/**
 * Sends `entries` in batches of `size`, all batches at once (they are independent, and a worker's
 * time is mostly round trips). Each batch is sent again with only the entries worth another attempt,
 * after an exponential backoff with full jitter, at most `policy.attempts` times. A call that throws
 * a retryable error (throttling, 5xx, a dropped connection) is retried whole. Any other error (access
 * denied, a validation error, a queue that does not exist) stops its batch at once and, once the
 * other batches are done, is thrown: no retry fixes it, so the caller must fail loudly rather than
 * count its entries as merely unwritten. `onDone` hears of each call's done entries as its answer
 * comes, before the retries of the others, so that what did get through is known either way.
 */
export async function sendInBatchesWithRetry<T>(
  entries: readonly T[],
  size: number,
  send: (batch: T[]) => Promise<BatchOutcome<T>>,
  policy: RetryPolicy,
  onDone?: (done: T[]) => void,
): Promise<BatchRetryResult<T>> {
  const result: BatchRetryResult<T> = { done: [], failed: [], calls: 0, retries: 0 };
  let unfixable: { error: unknown } | undefined;
  const sendBatch = async (batch: T[]) => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > policy.attempts) {
        result.failed.push(...pending);
        return;
      }
      if (attempt > 1) {
        result.retries++;
        await waitBeforeRetry(attempt - 1, policy);
      }
      result.calls++;
      try {
        const outcome = await send(pending);
        result.done.push(...outcome.done);
        if (outcome.done.length > 0) onDone?.(outcome.done);
        result.failed.push(...outcome.failed);
        pending = outcome.retry;
      } catch (error) {
        if (!isRetryableError(error)) {
          unfixable ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(chunk(entries, size).map(sendBatch));
  if (unfixable) throw unfixable.error;
  return result;
}
