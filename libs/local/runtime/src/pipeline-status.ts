import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ProvisionedResources } from '@fanout/emulators';
import { readQueueDepth } from '@fanout/fan-out';

export interface PipelineStatus {
  visible: number;
  inFlight: number;
  deadLetter: number;
  written: number;
  workerRuns: number;
  workerRunsInProgress: number;
  ticks: number;
  /** Notifications the bridge delivered twice (the duplicate-deliveries fault). */
  duplicateDeliveries: number;
  /** Worker runs that failed on every attempt of the async invoke. */
  failedRuns: number;
  /** Writes and deletes the workers retried. */
  retries: number;
}

/** The runtime's own counters, without asking the emulators. */
export type PipelineActivity = Pick<
  PipelineStatus,
  'written' | 'workerRuns' | 'workerRunsInProgress' | 'ticks' | 'duplicateDeliveries' | 'failedRuns' | 'retries'
>;

/** What the worker runs did, as WorkerDelivery counts it. */
export type WorkerCounts = Omit<PipelineActivity, 'ticks'>;

export function pipelineActivity(worker: WorkerCounts, ticks: number): PipelineActivity {
  return {
    written: worker.written,
    workerRuns: worker.workerRuns,
    workerRunsInProgress: worker.workerRunsInProgress,
    ticks,
    duplicateDeliveries: worker.duplicateDeliveries,
    failedRuns: worker.failedRuns,
    retries: worker.retries,
  };
}

/** The queues' depths, as test-cron reads them, with the runtime's counters as they are once the depths are in. */
export async function readPipelineStatus(
  sqs: SQSClient,
  resources: Pick<ProvisionedResources, 'queueUrl' | 'deadLetterQueueUrl'>,
  activity: () => PipelineActivity,
): Promise<PipelineStatus> {
  const [main, dead] = await Promise.all([readQueueDepth(sqs, resources.queueUrl), readQueueDepth(sqs, resources.deadLetterQueueUrl)]);
  return { ...main, deadLetter: dead.visible + dead.inFlight, ...activity() };
}
