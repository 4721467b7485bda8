import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { awsLimits } from '@fanout/config';
import { writeWorkerStart, type WorkerStart } from '@fanout/message-schema';

export interface StartWorkersResult {
  published: number;
  failed: number;
  publishCalls: number;
}

/** Raised when not one worker start could be published: the tick did nothing, and says so. */
export class WorkerStartError extends Error {
  constructor(readonly workers: number, readonly failures: string[]) {
    super(`None of ${workers} worker starts could be published: ${failures.slice(0, 3).join('; ')}`);
    this.name = 'WorkerStartError';
  }
}

/** Publishes one SNS message per worker, 10 per PublishBatch call, each asking for the same run. */
export async function startWorkers(
  client: SNSClient,
  topicArn: string,
  workers: number,
  tickId: string,
  run: Pick<WorkerStart, 'loops' | 'expectedMessages'>,
): Promise<StartWorkersResult> {
  const result: StartWorkersResult = { published: 0, failed: 0, publishCalls: 0 };
  const failures: string[] = [];
  for (let first = 0; first < workers; first += awsLimits.snsPublishBatchSize) {
    const entries = [];
    for (let worker = first; worker < Math.min(workers, first + awsLimits.snsPublishBatchSize); worker++) {
      entries.push({ Id: String(worker), Message: writeWorkerStart({ tickId, worker: worker + 1, workers, ...run }) });
    }
    result.publishCalls++;
    try {
      const response = await client.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
      result.published += response.Successful?.length ?? 0;
      result.failed += response.Failed?.length ?? 0;
      for (const failure of response.Failed ?? []) failures.push(`${failure.Code}: ${failure.Message ?? ''}`);
    } catch (error) {
      result.failed += entries.length;
      failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }
  if (workers > 0 && result.published === 0) throw new WorkerStartError(workers, failures);
  return result;
}
