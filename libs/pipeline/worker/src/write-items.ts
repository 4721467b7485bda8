import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsLimits } from '@fanout/config';
import type { Item } from '@fanout/message-schema';
import { sendInBatchesWithRetry } from './batch-retry.js';
import { defaultWritePolicy, type RetryPolicy } from './retry-policy.js';

export interface WriteResult {
  written: Item[];
  /** Items still not written after every attempt: their messages must not be deleted. */
  unwritten: Item[];
  /** BatchWriteItem calls made, retries included. */
  calls: number;
  retries: number;
}

/**
 * Writes items with BatchWriteItem, 25 a call. What DynamoDB leaves in `UnprocessedItems`, or
 * refuses with a throttling error, is retried with exponential backoff and jitter, a bounded number
 * of times; the rest comes back as `unwritten`. Puts overwrite: writing an item twice is harmless.
 */
export async function writeItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  policy: RetryPolicy = defaultWritePolicy,
  onWritten?: (items: Item[]) => void,
): Promise<WriteResult> {
  // DynamoDB rejects a batch that names one key twice; the last write of a key wins anyway.
  const byKey = new Map(items.map((item) => [item.uuid, item]));
  const result = await sendInBatchesWithRetry(
    [...byKey.values()],
    awsLimits.dynamoBatchWriteSize,
    async (batch) => {
      const response = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: batch.map((item) => ({ PutRequest: { Item: item } })) } }),
      );
      const unprocessed = new Set(
        (response.UnprocessedItems?.[tableName] ?? []).map((request) => request.PutRequest?.Item?.['uuid'] as string),
      );
      return {
        done: batch.filter((item) => !unprocessed.has(item.uuid)),
        retry: batch.filter((item) => unprocessed.has(item.uuid)),
        failed: [],
      };
    },
    policy,
    onWritten,
  );
  return { written: result.done, unwritten: result.failed, calls: result.calls, retries: result.retries };
}
