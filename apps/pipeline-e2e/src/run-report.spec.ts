import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { itemKeyFor } from '@fanout/message-schema';
import { readRunItems, summarizeRun } from '@fanout/run-status';
import { startPipeline, type Pipeline } from './pipeline-harness.js';

describe('a run’s report, read from the run index in slices side by side', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({});
  });
  afterAll(async () => pipeline?.stop());

  /** Writes `count` items of `runId`, `sameMoment` of them stamped at each writtenAt (a flush stamps its group at once). */
  async function writeRun(runId: string, count: number, sameMoment: number, startAt: number): Promise<void> {
    const items = Array.from({ length: count }, (_, i) => ({
      uuid: itemKeyFor(`${runId}-${i}`),
      key1: `k${i}`,
      key2: 'b',
      key3: 'c',
      runId,
      messageId: `${runId}-${i}`,
      enqueuedAt: startAt,
      writtenAt: startAt + 1 + Math.floor(i / sameMoment),
    }));
    const { documents } = pipeline.clients;
    const { tableName } = pipeline.resources;
    for (let first = 0; first < items.length; first += 25) {
      const batch = items.slice(first, first + 25).map((Item) => ({ PutRequest: { Item } }));
      await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
    }
  }

  it('finds every item of a run exactly once, whatever the slicing, and none of another run', async () => {
    // Prepare: 1,013 items in groups of 7 sharing a writtenAt (so slice edges fall inside groups), and a neighbour run.
    await writeRun('sliced', 1_013, 7, 1_700_000_000_000);
    await writeRun('neighbour', 40, 3, 1_700_000_000_050);
    const { documents } = pipeline.clients;
    const { tableName, runIndexName } = pipeline.resources;

    // Act
    const readings = await Promise.all([1, 5, 16, 64, 1_000].map((slices) => readRunItems(documents, tableName, runIndexName, 'sliced', slices)));

    // Assess: the same 1,013 items each time; the report sees the first enqueue and the last write.
    for (const items of readings) {
      expect(items).toHaveLength(1_013);
      expect(new Set(items.map((item) => item.writtenAt)).size).toBe(Math.ceil(1_013 / 7));
    }
    expect(summarizeRun('sliced', readings[2])).toMatchObject({
      written: 1_013,
      firstEnqueuedAt: 1_700_000_000_000,
      lastWrittenAt: 1_700_000_000_000 + 1 + Math.floor(1_012 / 7),
    });
    expect(await readRunItems(documents, tableName, runIndexName, 'no-such-run')).toEqual([]);
  });
});
