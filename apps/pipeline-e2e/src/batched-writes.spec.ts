import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { itemsOfRun, lambdaContext, queueCounts, startPipeline, takeWorkerStarts, type Pipeline } from './pipeline-harness.js';

describe('a worker run’s loops on the real wire protocols', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    // One worker a tick with up to five loops: test-cron sizes the run of 50 as five loops expecting 50.
    // The loops' flushes may wait up to 2 s for one another (5 ms in the stack), so that a busy
    // machine cannot split the group; they wait only until the last loop joins.
    pipeline = await startPipeline({ visibilityTimeoutSeconds: 30 }, { maxWorkers: 1, receiveLoops: 5, flushJoinWaitMs: 2_000 });
  });
  afterAll(async () => pipeline?.stop());

  it('write their receives of 10 together: 50 messages in two BatchWriteItem calls and five DeleteMessageBatch calls', async () => {
    // Prepare
    const runId = 'integration-batched';
    for (let first = 0; first < 50; first += 10) {
      await pipeline.clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: pipeline.resources.queueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify({ key1: `k${first + i}`, key2: 'b', key3: 'c', runId }) })),
        }),
      );
    }

    // Act
    const decision = await pipeline.cron({ id: 'tick-batched' }, lambdaContext());
    const [start, ...more] = await takeWorkerStarts(pipeline);
    const result = (await pipeline.worker(start, lambdaContext())) as unknown as { runs: { writeCalls: number; deleteCalls: number; receiveCalls: number }[]; written: number; deleted: number };

    // Assess: five loops' receives written as one group, all its items stamped at the same moment
    expect(decision).toMatchObject({ visible: 50, workers: 1, loops: 5, expectedMessages: 50 });
    expect(more).toHaveLength(0);
    expect(result).toMatchObject({ written: 50, deleted: 50 });
    expect(result.runs[0]).toMatchObject({ writeCalls: 2, deleteCalls: 5 });
    const items = await itemsOfRun(pipeline, runId);
    expect(items).toHaveLength(50);
    expect(new Set(items.map((item) => item['writtenAt'])).size).toBe(1);
    expect(await queueCounts(pipeline)).toEqual({ visible: 0, inFlight: 0 });
  });
});
