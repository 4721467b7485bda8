import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A valid message of a benchmark run. */
export function benchMessage(runId: string, index: number) {
  return { key1: `k1-${index}`, key2: `k2-${index}`, key3: `k3-${index}`, runId };
}

/** Puts `count` messages straight on the queue, 10 a call, `concurrency` calls at once. */
export async function seedQueue(sqs: SQSClient, queueUrl: string, runId: string, count: number, concurrency = 8): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const first = next;
      next = Math.min(count, next + 10);
      const entries = [];
      for (let i = first; i < next; i++) entries.push({ Id: String(i - first), MessageBody: JSON.stringify(benchMessage(runId, i)) });
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (result.Failed?.length) throw new Error(`SendMessageBatch failed for ${result.Failed.length} entries`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
}
