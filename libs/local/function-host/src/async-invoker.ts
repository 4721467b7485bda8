import type { FunctionHost } from './function-host.js';
import { HostClosedError } from './function-host.js';

export interface AsyncInvokeOptions {
  /** Lambda retries a failed asynchronous invocation twice by default. */
  retries?: number;
  /** Delay before retry n (1-based); Lambda waits about 1 then 2 minutes, compressed here. */
  retryDelayMs?: (retry: number) => number;
  onAttemptFailed?: (error: Error, attempt: number, willRetry: boolean) => void;
}

export interface AsyncInvokeOutcome<T> {
  ok: boolean;
  attempts: number;
  result?: T;
  error?: Error;
}

/** An asynchronous invoke (as SNS invokes Lambda): the caller does not wait; failures are retried. */
export async function invokeAsync<T>(host: Pick<FunctionHost, 'invoke'>, event: unknown, options: AsyncInvokeOptions = {}): Promise<AsyncInvokeOutcome<T>> {
  const retries = options.retries ?? 2;
  const delay = options.retryDelayMs ?? ((retry: number) => retry * 1_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, attempts: attempt, result: await host.invoke<T>(event) };
    } catch (error) {
      const willRetry = attempt <= retries && !(error instanceof HostClosedError);
      options.onAttemptFailed?.(error as Error, attempt, willRetry);
      if (!willRetry) return { ok: false, attempts: attempt, error: error as Error };
      await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
    }
  }
}
