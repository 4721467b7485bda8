import type { SNSEvent } from 'aws-lambda';
import { invokeAsync, type FunctionHost } from '@fanout/function-host';
import { seededRandom, type FaultSpec } from '@fanout/wire-proxy';
import { localRuntimeConfig } from './local-runtime-config.js';
import type { EmitEvent, WorkerSummary } from './pipeline-events.js';
import type { WorkerCounts } from './pipeline-status.js';

/**
 * Hands each worker start to test-sqs2ddb as an asynchronous invoke (retried as Lambda retries it),
 * and counts the runs and what they wrote.
 */
export class WorkerDelivery {
  readonly counts: WorkerCounts = { written: 0, workerRuns: 0, workerRunsInProgress: 0, duplicateDeliveries: 0, failedRuns: 0, retries: 0 };
  private readonly pendingRuns = new Set<Promise<unknown>>();
  private readonly duplicateDice: () => number;

  constructor(
    private readonly worker: Pick<FunctionHost, 'invoke'>,
    private readonly emit: EmitEvent,
    private readonly faults?: Pick<FaultSpec, 'duplicateDeliveries' | 'seed'>,
  ) {
    this.duplicateDice = seededRandom((faults?.seed ?? 1) + 1);
  }

  /** Delivers one notification, and with the duplicate-deliveries fault sometimes twice. */
  deliver(event: SNSEvent): void {
    this.startRun(event);
    // SNS and Lambda's async queue both deliver at least once: sometimes twice.
    if ((this.faults?.duplicateDeliveries ?? 0) > this.duplicateDice()) {
      this.counts.duplicateDeliveries++;
      this.startRun(event);
    }
  }

  /** Waits for the runs in progress, at most `graceMs`. */
  async settle(graceMs: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.pendingRuns]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  private startRun(event: SNSEvent): void {
    const { counts, emit } = this;
    counts.workerRunsInProgress++;
    emit({ type: 'worker-start', notificationId: event.Records[0]?.Sns.MessageId ?? '' });
    const run = invokeAsync<WorkerSummary>(this.worker, event, {
      retries: localRuntimeConfig.asyncRetries,
      retryDelayMs: (retry) => retry * localRuntimeConfig.asyncRetryDelayMs,
      onAttemptFailed: (error, attempt, willRetry) =>
        emit({ type: 'invoke-failed', functionName: 'test-sqs2ddb', attempt, willRetry, error: error.message }),
    }).then((outcome) => {
      counts.workerRunsInProgress--;
      counts.workerRuns++;
      if (!outcome.ok) counts.failedRuns++;
      if (outcome.ok && outcome.result) {
        counts.written += outcome.result.written;
        counts.retries += outcome.result.retries ?? 0;
        emit({ type: 'worker-run', attempts: outcome.attempts, summary: outcome.result });
      }
    });
    this.pendingRuns.add(run);
    void run.finally(() => this.pendingRuns.delete(run));
  }
}
