import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsLimits } from '@fanout/config';
import type { Item } from '@fanout/message-schema';
import { defaultWritePolicy, isRetryableError, waitBeforeRetry, type RetryPolicy } from './retry-policy.js';

export interface WriteResult {
  written: Item[];
  /** Items still not written after every attempt: their messages must not be deleted. */
  unwritten: Item[];
  /** BatchWriteItem calls made, retries included. */
  calls: number;
  retries: number;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
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
): Promise<WriteResult> {
  // DynamoDB rejects a batch that names one key twice; the last write of a key wins anyway.
  const byKey = new Map(items.map((item) => [item.uuid, item]));
  const result: WriteResult = { written: [], unwritten: [], calls: 0, retries: 0 };

  // The batches go out at once: they are independent, and a worker's time is mostly round trips.
  const writeBatch = async (batch: Item[]) => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > policy.attempts) {
        result.unwritten.push(...pending);
        break;
      }
      if (attempt > 1) {
        result.retries++;
        await waitBeforeRetry(attempt - 1, policy);
      }
      result.calls++;
      try {
        const response = await client.send(
          new BatchWriteCommand({
            RequestItems: { [tableName]: pending.map((item) => ({ PutRequest: { Item: item } })) },
          }),
        );
        const unprocessedKeys = new Set(
          (response.UnprocessedItems?.[tableName] ?? []).map((request) => request.PutRequest?.Item?.['uuid'] as string),
        );
        result.written.push(...pending.filter((item) => !unprocessedKeys.has(item.uuid)));
        pending = pending.filter((item) => unprocessedKeys.has(item.uuid));
      } catch (error) {
        if (!isRetryableError(error)) {
          result.unwritten.push(...pending);
          break;
        }
      }
    }
  };
  await Promise.all(chunk([...byKey.values()], awsLimits.dynamoBatchWriteSize).map(writeBatch));
  return result;
}
