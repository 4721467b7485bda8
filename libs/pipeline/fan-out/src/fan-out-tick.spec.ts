import { PublishBatchCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { fanOutTick, type FanOutTarget } from './fan-out-tick.js';
import type { WorkerStart } from '@fanout/message-schema';

function targetWith(visible: number, inFlight: number, maxWorkers = 100, tableWriteUnitsPerSecond = 0) {
  const sqs = new SQSClient({ region: 'us-east-1' });
  mockClient(sqs)
    .on(GetQueueAttributesCommand)
    .resolves({
      Attributes: { ApproximateNumberOfMessages: String(visible), ApproximateNumberOfMessagesNotVisible: String(inFlight) },
    });
  const sns = new SNSClient({ region: 'us-east-1' });
  const started: WorkerStart[] = [];
  mockClient(sns)
    .on(PublishBatchCommand)
    .callsFake((input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries ?? [];
      started.push(...entries.map((entry) => JSON.parse(entry.Message ?? '{}') as WorkerStart));
      return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: `sns-${entry.Id}` })), Failed: [] };
    });
  const target: FanOutTarget = {
    sqs,
    sns,
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/test',
    topicArn: 'arn:aws:sns:us-east-1:123456789012:test',
    maxWorkers,
    maxLoops: 4,
    tableWriteUnitsPerSecond,
  };
  return { target, started };
}

describe('fanOutTick', () => {
  it('starts one worker per 10 visible messages and reports its decision', async () => {
    // Prepare
    const { target, started } = targetWith(95, 7);

    // Act
    const decision = await fanOutTick(target, 'tick-1');

    // Assess
    expect(decision).toEqual({ tickId: 'tick-1', visible: 95, inFlight: 7, workers: 10, loops: 1, expectedMessages: 10, published: 10, failed: 0, publishCalls: 1 });
    expect(started).toHaveLength(10);
    expect(started.every((start) => start.tickId === 'tick-1' && start.loops === 1 && start.expectedMessages === 10)).toBe(true);
  });

  it('starts no more workers than the cap', async () => {
    // Prepare
    const { target, started } = targetWith(5_000, 0, 4);

    // Act
    const decision = await fanOutTick(target, 'tick-2');

    // Assess: 1,250 messages each, far past 4 loops' worth.
    expect(decision).toMatchObject({ workers: 4, loops: 4, expectedMessages: 1_250 });
    expect(started.map((start) => [start.worker, start.loops, start.expectedMessages])).toEqual([
      [1, 4, 1_250],
      [2, 4, 1_250],
      [3, 4, 1_250],
      [4, 4, 1_250],
    ]);
  });

  it('asks each capped worker for one loop per full receive it can expect', async () => {
    // Prepare: 4 workers at most, 25 messages each.
    const { target, started } = targetWith(100, 0, 4);

    // Act
    const decision = await fanOutTick(target, 'tick-4');

    // Assess
    expect(decision).toMatchObject({ workers: 4, loops: 3, expectedMessages: 25 });
    expect(new Set(started.map((start) => `${start.loops} loops, ${start.expectedMessages} messages`))).toEqual(new Set(['3 loops, 25 messages']));
  });

  it('starts nothing when no message is visible, however many are in flight', async () => {
    // Prepare
    const { target, started } = targetWith(0, 250);

    // Act
    const decision = await fanOutTick(target, 'tick-3');

    // Assess
    expect(decision).toEqual({ tickId: 'tick-3', visible: 0, inFlight: 250, workers: 0, loops: 1, expectedMessages: 0, published: 0, failed: 0, publishCalls: 0 });
    expect(started).toEqual([]);
  });

  it('starts no more loops than the table can keep busy: a new on-demand table takes 4,000 write units a second', async () => {
    // Prepare: 1,000,000 visible; 4,000 units a second at 2 an item is 2,000 items, 4 loops of 500 a second.
    const { target, started } = targetWith(1_000_000, 0, 100, 4_000);
    // Act
    const decision = await fanOutTick(target, 'tick-5');
    // Assess: one worker of 4 loops, where the depth alone would have started 100.
    expect(decision).toMatchObject({ workers: 1, loops: 4, expectedMessages: 1_000_000 });
    expect(started).toHaveLength(1);
  });

  it('leaves a drain in progress to its runs: the loops its in-flight messages show count against the table', async () => {
    // Prepare: 4 loops' worth of table, 30 messages in flight (3 loops draining).
    const { target, started } = targetWith(500_000, 30, 100, 4_000);
    // Act
    const decision = await fanOutTick(target, 'tick-6');
    // Assess
    expect(decision).toMatchObject({ workers: 1, loops: 1 });
    expect(started.map((start) => start.loops)).toEqual([1]);
  });

  it('starts nothing while the runs in progress already keep the table busy', async () => {
    // Prepare
    const { target, started } = targetWith(500_000, 400, 100, 4_000);
    // Act
    const decision = await fanOutTick(target, 'tick-7');
    // Assess
    expect(decision.workers).toBe(0);
    expect(started).toEqual([]);
  });
});
