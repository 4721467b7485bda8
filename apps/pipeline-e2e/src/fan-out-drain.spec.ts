import { ChangeMessageVisibilityCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { defaultWorkerSettings } from '@fanout/config';
import { awsDrainPorts, drainRun } from '@fanout/worker';
import { allItems, itemsOfRun, lambdaContext, postEvent, queueCounts, startPipeline, takeWorkerStarts, type Pipeline } from './pipeline-harness.js';

describe('the three functions on the real SQS, SNS and DynamoDB wire protocols', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
  });
  afterAll(async () => pipeline?.stop());

  it('drains 95 posted messages: test-cron starts 10 workers, they write 95 items and empty the queue', async () => {
    // Prepare: 9 array requests of 10 and 5 single requests through the test-api bundle
    const runId = 'integration-95';
    const posted = Array.from({ length: 95 }, (_, i) => ({ key1: `k1-${i}`, key2: `k2-${i}`, key3: `データ-${i}`, runId }));
    const responses = [];
    for (let i = 0; i < 90; i += 10) responses.push(await pipeline.api(postEvent(posted.slice(i, i + 10)), lambdaContext()));
    for (let i = 90; i < 95; i++) responses.push(await pipeline.api(postEvent(posted[i], '/'), lambdaContext()));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(14).fill(202));
    expect(await queueCounts(pipeline)).toEqual({ visible: 95, inFlight: 0 });

    // Act: one tick, then one worker run per published notification, all at once
    const decision = await pipeline.cron({ id: 'tick-1' }, lambdaContext());
    const starts = await takeWorkerStarts(pipeline);
    const results = await Promise.all(starts.map((event) => pipeline.worker(event, lambdaContext())));

    // Assess
    expect(decision).toMatchObject({ visible: 95, workers: 10, published: 10 });
    expect(starts).toHaveLength(10);
    expect(results.reduce((sum, result) => sum + result.written, 0)).toBe(95);
    expect(results.reduce((sum, result) => sum + result.deleted, 0)).toBe(95);
    const items = await itemsOfRun(pipeline, runId);
    expect(items).toHaveLength(95);
    const stored = (await allItems(pipeline)).filter((item) => item['runId'] === runId);
    expect(stored.map((item) => `${item['key1']}|${item['key2']}|${item['key3']}`).sort()).toEqual(
      posted.map((message) => `${message.key1}|${message.key2}|${message.key3}`).sort(),
    );
    expect(new Set(stored.map((item) => item['uuid'])).size).toBe(95);
    expect(await queueCounts(pipeline)).toEqual({ visible: 0, inFlight: 0 });
    expect(await queueCounts(pipeline, pipeline.resources.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('publishes nothing when the queue is empty', async () => {
    const decision = await pipeline.cron({ id: 'tick-empty' }, lambdaContext());
    expect(decision).toMatchObject({ visible: 0, workers: 0, published: 0 });
    expect(await takeWorkerStarts(pipeline)).toHaveLength(0);
  });

  it('writes one item for a message delivered twice (a worker died between its write and its delete)', async () => {
    // Prepare
    const runId = 'integration-redelivery';
    await pipeline.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: pipeline.resources.queueUrl,
        MessageBody: JSON.stringify({ key1: 'a', key2: 'b', key3: 'c', runId }),
      }),
    );
    const { sqs, documents } = pipeline.clients;
    const ports = awsDrainPorts({ sqs, dynamo: documents, queueUrl: pipeline.resources.queueUrl, tableName: pipeline.resources.tableName });
    // Act: a first run writes the item, then "dies": instead of deleting, its messages become
    // visible again at once, as they would after the visibility timeout.
    const dying = await drainRun(
      {
        ...ports,
        remove: async (messages) => {
          for (const message of messages) {
            await sqs.send(
              new ChangeMessageVisibilityCommand({
                QueueUrl: pipeline.resources.queueUrl,
                ReceiptHandle: message.receiptHandle,
                VisibilityTimeout: 0,
              }),
            );
          }
          return { failed: messages, calls: messages.length, retries: 0 };
        },
      },
      { ...defaultWorkerSettings, messageBudget: 1, safetyMarginMs: 0, receiveWaitMs: 0 },
      { loops: 1, remainingTimeMs: () => 60_000 },
    );
    const firstItems = await itemsOfRun(pipeline, runId);
    // The same SNS notification delivered twice starts two runs of the real worker.
    const [event] = [{ Records: [{ Sns: { MessageId: 'same-notification' } }] }] as never[];
    const second = await pipeline.worker(event, lambdaContext());
    const third = await pipeline.worker(event, lambdaContext());

    // Assess
    expect(dying).toMatchObject({ received: 1, written: 1, deleted: 0, deleteFailed: 1 });
    expect(firstItems).toHaveLength(1);
    expect(second).toMatchObject({ received: 1, written: 1, deleted: 1 });
    expect(third).toMatchObject({ received: 0, written: 0 });
    const items = await itemsOfRun(pipeline, runId);
    expect(items).toHaveLength(1);
    expect(items[0]['writtenAt']).toBeGreaterThan(firstItems[0]['writtenAt'] as number);
    expect(await queueCounts(pipeline)).toEqual({ visible: 0, inFlight: 0 });
  });
});
