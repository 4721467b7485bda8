import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SNSEvent } from 'aws-lambda';
import { drainInLoops, type DrainPorts, type DrainSummary } from '@fanout/worker';
import { readRunShape } from '@fanout/message-schema';

export interface WorkerDependencies {
  ports: DrainPorts;
  messageBudget: number;
  /** Most drain loops side by side in a run; each start says how many it needs. */
  receiveLoops: number;
  safetyMarginMs: number;
  visibilityTimeoutSeconds: number;
  receiveWaitSeconds: number;
  /** Receive calls per run; 0 = until the queue is empty. */
  maxReceives?: number;
  /** Longest a loop's flush waits for the run's other loops to join it. */
  flushJoinWaitMs?: number;
  log: Pick<Logger, 'info' | 'warn'>;
}

export interface WorkerResult {
  runs: DrainSummary[];
  received: number;
  written: number;
  invalid: number;
  deleted: number;
  receiveCalls: number;
  /** Writes and deletes retried after a partial failure or throttling. */
  retries: number;
}

/** SNS event in → one drain run per record (each record is one worker start) → summary out. */
export function createWorkerHandler(deps: WorkerDependencies) {
  return async (event: SNSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<WorkerResult> => {
    const runs: DrainSummary[] = [];
    for (const record of event.Records ?? []) {
      // As many loops as test-cron sized this start for (at most the worker's own most), sharing
      // what test-cron said the run can expect.
      const shape = readRunShape(record.Sns?.Message, deps.receiveLoops);
      const summary = await drainInLoops(deps.ports, {
        loops: shape.loops,
        expectedMessages: shape.expectedMessages,
        messageBudget: deps.messageBudget,
        safetyMarginMs: deps.safetyMarginMs,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
        visibilityTimeoutMs: deps.visibilityTimeoutSeconds * 1000,
        receiveWaitMs: deps.receiveWaitSeconds * 1000,
        maxReceives: deps.maxReceives,
        flushJoinWaitMs: deps.flushJoinWaitMs,
        onInvalid: (message, reason) =>
          deps.log.warn('invalid message left for the dead-letter queue', {
            messageId: message.messageId,
            receiveCount: message.receiveCount,
            reason,
          }),
      });
      deps.log.info('drain run finished', { notificationId: record.Sns?.MessageId, ...summary });
      runs.push(summary);
    }
    const total = (key: 'received' | 'written' | 'invalid' | 'deleted' | 'receiveCalls' | 'retries') =>
      runs.reduce((sum, run) => sum + run[key], 0);
    return {
      runs,
      received: total('received'),
      written: total('written'),
      invalid: total('invalid'),
      deleted: total('deleted'),
      receiveCalls: total('receiveCalls'),
      retries: total('retries'),
    };
  };
}
