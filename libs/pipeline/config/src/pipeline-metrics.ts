import type { FunctionName } from './environment.js';

/**
 * The pipeline's own CloudWatch metrics, which the functions emit in the embedded metric format
 * (Powertools Metrics) and the stack's dashboard and alarms read: one namespace, one name each.
 * Powertools adds a `service` dimension holding the function's name.
 */
export const pipelineMetrics = {
  namespace: 'Fanout',
  /** test-api: messages sent to the queue, and messages a request was refused for. */
  messagesEnqueued: 'MessagesEnqueued',
  messagesRejected: 'MessagesRejected',
  /** test-cron, per tick: visible messages it saw and workers it started. */
  visibleMessages: 'VisibleMessages',
  workersStarted: 'WorkersStarted',
  /** test-sqs2ddb, per run or batch: items written, messages invalid, retried and left unwritten, duration. */
  messagesWritten: 'MessagesWritten',
  messagesInvalid: 'MessagesInvalid',
  messagesRetried: 'MessagesRetried',
  messagesUnwritten: 'MessagesUnwritten',
  runDuration: 'RunDuration',
  /** test-sqs2ddb: runs and batches ended by an error no retry fixes (access denied, a missing table or queue). */
  unfixableErrors: 'UnfixableErrors',
} as const;

/** The dimensions Powertools Metrics gives a function's metrics. */
export function metricDimensions(functionName: FunctionName): {
  service: FunctionName;
} {
  return { service: functionName };
}
