import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SNSEvent } from 'aws-lambda';
import type { WorkerSettings } from '@fanout/config';
import { readRunShape } from '@fanout/message-schema';
import { drainRun, type DrainPorts, type RunSummary } from '@fanout/worker';

export interface WorkerDependencies {
  ports: DrainPorts;
  settings: WorkerSettings;
  log: Pick<Logger, 'info' | 'warn'>;
}

type Totalled = 'received' | 'written' | 'invalid' | 'deleted' | 'receiveCalls' | 'retries';

/** Each run's summary, and their counts added up. */
export type WorkerResult = { runs: RunSummary[] } & Pick<RunSummary, Totalled>;

/** SNS event in → one drain run per record (each record is one worker start) → summaries out. */
export function createWorkerHandler({ ports, settings, log }: WorkerDependencies) {
  return async (event: SNSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<WorkerResult> => {
    const runs: RunSummary[] = [];
    for (const record of event.Records ?? []) {
      const summary = await drainRun(ports, settings, {
        ...readRunShape(record.Sns?.Message, settings.receiveLoops),
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
        onInvalid: (message, reason) =>
          log.warn('invalid message left for the dead-letter queue', { messageId: message.messageId, receiveCount: message.receiveCount, reason }),
      });
      log.info('drain run finished', { notificationId: record.Sns?.MessageId, ...summary });
      runs.push(summary);
    }
    const total = (key: Totalled) => runs.reduce((sum, run) => sum + run[key], 0);
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
