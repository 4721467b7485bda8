import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pipelineMetrics, type WorkerSettings } from '@fanout/config';
import { readRunShape, successorStart, type WorkerStart } from '@fanout/message-schema';
import { batchMessageOf, drainRun, isRetryableError, successorRun, writeBatch, type DrainPorts, type RunSummary } from '@fanout/worker';

export interface WorkerDependencies {
  ports: DrainPorts;
  settings: WorkerSettings;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'addContext'>;
  metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  /** Publishes the start of a run's successor (through the workers' topic); absent, a run hands over to nothing. */
  startSuccessor?: (start: WorkerStart) => Promise<void>;
}

type Totalled = 'received' | 'written' | 'invalid' | 'deleted' | 'receiveCalls' | 'retries';

/** Each run's summary, and their counts added up. */
export type WorkerResult = { runs: RunSummary[] } & Pick<RunSummary, Totalled>;

/** What starts the worker: SNS notifications from test-cron (one run each), or a batch from the SQS event source mapping. */
export type WorkerEvent = SNSEvent | SQSEvent;

function isMappedBatch(event: WorkerEvent): event is SQSEvent {
  const first = event.Records?.[0];
  return first !== undefined && 'eventSource' in first && first.eventSource === 'aws:sqs';
}

/** An error's name and message, for a log line: its cause, never a stack trace. */
function causeOf(error: unknown): { errorName: string; errorMessage: string } {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return { errorName: name, errorMessage: message };
}

type WorkerMetrics = WorkerDependencies['metrics'];

/** One run's or one batch's metrics, published as one line in the embedded metric format. */
function publishRunMetrics(metrics: WorkerMetrics, summary: RunSummary, durationMs: number): void {
  metrics.addMetric(pipelineMetrics.messagesWritten, 'Count', summary.written);
  metrics.addMetric(pipelineMetrics.messagesInvalid, 'Count', summary.invalid);
  metrics.addMetric(pipelineMetrics.messagesRetried, 'Count', summary.retries);
  metrics.addMetric(pipelineMetrics.messagesUnwritten, 'Count', summary.unwritten);
  metrics.addMetric(pipelineMetrics.runDuration, 'Milliseconds', durationMs);
  metrics.publishStoredMetrics();
}

function publishUnfixableError(metrics: WorkerMetrics): void {
  metrics.addMetric(pipelineMetrics.unfixableErrors, 'Count', 1);
  metrics.publishStoredMetrics();
}

/**
 * Both starts of the worker. SNS event in → one drain run per record (each record is one worker
 * start) → summaries out. SQS event in (the event source mapping) → one batch written → the
 * messages whose items were not written, as a partial batch response, so the mapping deletes the rest.
 */
export function createWorkerHandler({ ports, settings, log, metrics, startSuccessor }: WorkerDependencies) {
  const warnInvalid = (message: { messageId: string; receiveCount: number }, reason: string) =>
    log.warn('invalid message left for the dead-letter queue', { messageId: message.messageId, receiveCount: message.receiveCount, reason });

  const drainStarts = async (event: SNSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<WorkerResult> => {
    const runs: RunSummary[] = [];
    for (const record of event.Records ?? []) {
      const shape = readRunShape(record.Sns?.Message, settings.receiveLoops);
      const started = Date.now();
      const summary = await drainRun(ports, settings, {
        ...shape,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
        onInvalid: warnInvalid,
      }).catch((error: unknown) => {
        // The invocation fails, so Lambda retries it and the errors alarm sees it; what the run held stays on the queue.
        log.error('drain run failed', { notificationId: record.Sns?.MessageId, ...causeOf(error) });
        if (!isRetryableError(error)) publishUnfixableError(metrics);
        throw error;
      });
      log.info('drain run finished', { notificationId: record.Sns?.MessageId, ...summary });
      publishRunMetrics(metrics, summary, Date.now() - started);
      runs.push(summary);
      // A run that stopped with messages still waiting hands over at once rather than leaving them to the next tick.
      const successor = successorRun(summary, shape, settings.receiveLoops);
      if (successor && startSuccessor) {
        await startSuccessor(successorStart(record.Sns?.Message, successor.loops)).catch((error: unknown) =>
          log.warn('could not start the successor run: the next tick drains on', { notificationId: record.Sns?.MessageId, ...causeOf(error) }),
        );
      }
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

  const writeMappedBatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const started = Date.now();
    const { failedMessageIds, summary, writeError } = await writeBatch(ports.write, event.Records.map(batchMessageOf), { onInvalid: warnInvalid });
    if (writeError) {
      log.error('batch write gave up: its unwritten messages return to the queue', { ...causeOf(writeError), unwritten: summary.unwritten });
      publishUnfixableError(metrics);
    }
    log.info('batch finished', { ...summary });
    publishRunMetrics(metrics, summary, Date.now() - started);
    return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  };

  function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse>;
  function handler(event: SNSEvent, context: Context): Promise<WorkerResult>;
  function handler(event: WorkerEvent, context: Context): Promise<WorkerResult | SQSBatchResponse>;
  function handler(event: WorkerEvent, context: Context): Promise<WorkerResult | SQSBatchResponse> {
    log.addContext(context);
    return isMappedBatch(event) ? writeMappedBatch(event) : drainStarts(event, context);
  }
  return handler;
}
