import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FunctionHost } from '@fanout/function-host';
import { seededRandom, type FaultSpec } from '@fanout/wire-proxy';
import type { EsmBatchOutcome } from './esm-poller.js';
import type { EmitEvent } from './pipeline-events.js';
import type { WorkerCounts } from './pipeline-status.js';

/**
 * Hands the event source mapping's batches to test-sqs2ddb as synchronous invokes, and counts them:
 * the status line's and the dashboard's figures for `--trigger esm`. The handler answers a batch with
 * `batchItemFailures` alone, so what it wrote is counted from the mapping's outcome: every message
 * its answer did not name.
 */
export class MappedBatchDelivery {
  readonly counts: WorkerCounts = { written: 0, workerRuns: 0, workerRunsInProgress: 0, duplicateDeliveries: 0, failedRuns: 0, retries: 0 };
  private readonly duplicates = new Set<Promise<unknown>>();
  private readonly duplicateDice: () => number;

  constructor(
    private readonly worker: Pick<FunctionHost, 'invoke'>,
    private readonly emit: EmitEvent,
    private readonly faults?: Pick<FaultSpec, 'duplicateDeliveries' | 'seed'>,
  ) {
    this.duplicateDice = seededRandom((faults?.seed ?? 1) + 1);
  }

  /** One synchronous invoke of the worker with a batch; rejects when the invocation fails. */
  async invoke(event: SQSEvent): Promise<SQSBatchResponse | undefined> {
    // SQS delivers at least once: with the duplicate-deliveries fault, the same batch sometimes
    // reaches a second invocation too, as a second receive of the same messages would.
    if ((this.faults?.duplicateDeliveries ?? 0) > this.duplicateDice()) {
      this.counts.duplicateDeliveries++;
      const duplicate = this.invokeCounted(event).catch(() => undefined);
      this.duplicates.add(duplicate);
      void duplicate.finally(() => this.duplicates.delete(duplicate));
    }
    return this.invokeCounted(event);
  }

  /** What the mapping did with a batch once the worker answered: the messages not named were written. */
  record(outcome: EsmBatchOutcome): void {
    this.counts.written += outcome.deleted;
    if (outcome.invocationFailed) {
      this.counts.failedRuns++;
      this.emit({ type: 'batch-returned', messages: outcome.messages, error: outcome.error ?? 'the invocation failed' });
    }
  }

  /** Waits for the duplicate invocations still running, at most `graceMs` (the mapping's own ones end with the poller). */
  async settle(graceMs: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.duplicates]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  private async invokeCounted(event: SQSEvent): Promise<SQSBatchResponse | undefined> {
    this.counts.workerRunsInProgress++;
    try {
      return await this.worker.invoke<SQSBatchResponse | undefined>(event);
    } finally {
      this.counts.workerRunsInProgress--;
      this.counts.workerRuns++;
    }
  }
}
