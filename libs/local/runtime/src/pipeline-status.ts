import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WorkerTrigger } from '@fanout/config';
import type { ProvisionedResources } from '@fanout/emulators';
import { readQueueDepth } from '@fanout/fan-out';
import type { MetricTotals } from './emf-metrics.js';

export interface PipelineStatus {
  /** What starts the worker: test-cron's fan-out, or the event source mapping's poller. */
  trigger: WorkerTrigger;
  visible: number;
  inFlight: number;
  deadLetter: number;
  /** Items in the table: those it held at start (kept in a `--data-dir`), plus what the workers wrote since. */
  written: number;
  /** Worker invocations that ended: fan-out runs, or the mapping's batches. */
  workerRuns: number;
  /** Worker invocations in progress now. */
  workerRunsInProgress: number;
  /** `esm`: the concurrency the mapping allows itself now (it scales as AWS's standard mode does); null for `fanout`. */
  mappingConcurrency: number | null;
  ticks: number;
  /** Notifications the bridge, or batches the mapping, delivered twice (the duplicate-deliveries fault). */
  duplicateDeliveries: number;
  /** Worker runs that failed on every attempt of the async invoke. */
  failedRuns: number;
  /** Writes and deletes the workers retried. */
  retries: number;
  /**
   * The functions' own metrics, as they print them in CloudWatch's embedded metric format (the names
   * of pipelineMetrics), each added up since the runtime started: what the stack's dashboard shows.
   */
  metrics: MetricTotals;
}

/** The runtime's own counters, without asking the emulators. */
export type PipelineActivity = Pick<
  PipelineStatus,
  'trigger' | 'written' | 'workerRuns' | 'workerRunsInProgress' | 'mappingConcurrency' | 'ticks' | 'duplicateDeliveries' | 'failedRuns' | 'retries'
>;

/** What the worker's invocations did, as WorkerDelivery (fan-out) or MappedBatchDelivery (esm) counts it. */
export type WorkerCounts = Omit<PipelineActivity, 'trigger' | 'mappingConcurrency' | 'ticks'>;

/** How the worker is started, as the activity reports it. */
export interface WorkerStarts {
  trigger: WorkerTrigger;
  /** `esm`: the mapping's concurrency now. */
  mappingConcurrency?: () => number;
}

/** The queues' depths: what a stop would leave behind. */
export type QueueDepths = Pick<PipelineStatus, 'visible' | 'inFlight' | 'deadLetter'>;

/** `writtenBefore`: the items the table held when the runtime started. */
export function pipelineActivity(starts: WorkerStarts, worker: WorkerCounts, ticks: number, writtenBefore = 0): PipelineActivity {
  return {
    trigger: starts.trigger,
    written: writtenBefore + worker.written,
    workerRuns: worker.workerRuns,
    workerRunsInProgress: worker.workerRunsInProgress,
    mappingConcurrency: starts.mappingConcurrency?.() ?? null,
    ticks,
    duplicateDeliveries: worker.duplicateDeliveries,
    failedRuns: worker.failedRuns,
    retries: worker.retries,
  };
}

/** The queue's and the dead-letter queue's depths, as test-cron reads them. */
export async function readQueueDepths(sqs: SQSClient, resources: Pick<ProvisionedResources, 'queueUrl' | 'deadLetterQueueUrl'>): Promise<QueueDepths> {
  const [main, dead] = await Promise.all([readQueueDepth(sqs, resources.queueUrl), readQueueDepth(sqs, resources.deadLetterQueueUrl)]);
  return { visible: main.visible, inFlight: main.inFlight, deadLetter: dead.visible + dead.inFlight };
}

/** The queues' depths, with the runtime's counters as they are once the depths are in. */
export async function readPipelineStatus(
  sqs: SQSClient,
  resources: Pick<ProvisionedResources, 'queueUrl' | 'deadLetterQueueUrl'>,
  activity: () => PipelineActivity,
  metrics: () => MetricTotals,
): Promise<PipelineStatus> {
  return { ...(await readQueueDepths(sqs, resources)), ...activity(), metrics: metrics() };
}

/** How many items the table holds, counted page by page (the emulator keeps no ItemCount). */
export async function countTableItems(dynamodb: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: ExclusiveStartKey as never }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}
