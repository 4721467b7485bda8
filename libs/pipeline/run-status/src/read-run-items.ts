import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableDesign } from '@fanout/config';
import type { RunItemTimes } from './run-report.js';

/** Every item of a run, from the run index, page by page. */
export async function readRunItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  indexName: string,
  runId: string,
): Promise<RunItemTimes[]> {
  const items: RunItemTimes[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: '#runId = :runId',
        ExpressionAttributeNames: { '#runId': tableDesign.runIndex.partitionKey },
        ExpressionAttributeValues: { ':runId': runId },
        ProjectionExpression: 'enqueuedAt, writtenAt',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      items.push({ enqueuedAt: Number(item['enqueuedAt']), writtenAt: Number(item['writtenAt']) });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
