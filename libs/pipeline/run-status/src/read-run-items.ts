import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runStatusConfig, tableDesign } from '@fanout/config';
import type { RunItemTimes } from './run-report.js';

const { partitionKey, sortKey } = tableDesign.runIndex;

/** Whole-millisecond slices of `[from, to]`, at most `count`, that together hold every value exactly once. */
export function sliceRange(from: number, to: number, count: number): [number, number][] {
  const width = Math.max(1, Math.ceil((to - from + 1) / count));
  const slices: [number, number][] = [];
  for (let start = from; start <= to; start += width) slices.push([start, Math.min(to, start + width - 1)]);
  return slices;
}

/**
 * Every item of a run, from the run index. A run of a million items is a hundred and more pages of
 * the index, too many to read one after the other within the function's timeout, so the run is read
 * as slices of its `writtenAt` range side by side: the first and last items give the range, each
 * slice is paged on its own, and together they hold every item exactly once.
 */
export async function readRunItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  indexName: string,
  runId: string,
  slices: number = runStatusConfig.parallelReads,
): Promise<RunItemTimes[]> {
  const query = (range: { from: number; to: number } | undefined, extra: { Limit?: number; ScanIndexForward?: boolean; ExclusiveStartKey?: Record<string, unknown> }) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: range ? '#runId = :runId AND #writtenAt BETWEEN :from AND :to' : '#runId = :runId',
        ExpressionAttributeNames: { '#runId': partitionKey, ...(range ? { '#writtenAt': sortKey } : {}) },
        ExpressionAttributeValues: { ':runId': runId, ...(range ? { ':from': range.from, ':to': range.to } : {}) },
        ProjectionExpression: 'enqueuedAt, writtenAt',
        ...extra,
      }),
    );
  const edge = async (ScanIndexForward: boolean) => (await query(undefined, { Limit: 1, ScanIndexForward })).Items?.[0];
  const [first, last] = await Promise.all([edge(true), edge(false)]);
  if (!first || !last) return [];

  const readSlice = async ([from, to]: [number, number]) => {
    const items: RunItemTimes[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await query({ from, to }, { ExclusiveStartKey: startKey });
      for (const item of page.Items ?? []) items.push({ enqueuedAt: Number(item['enqueuedAt']), writtenAt: Number(item['writtenAt']) });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };
  const parts = await Promise.all(sliceRange(Number(first['writtenAt']), Number(last['writtenAt']), slices).map(readSlice));
  return parts.flat();
}
