import {
  PublishBatchCommand,
  SNSClient,
  TooManyEntriesInBatchRequestException,
  type BatchResultErrorEntry,
  type PublishBatchCommandInput,
  type PublishBatchResultEntry,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { WorkerStart } from '@fanout/message-schema';
import { startWorkers, WorkerStartError } from './start-workers.js';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:test';

interface TopicBehaviour {
  /** Worker numbers (1-based) whose notification SNS fails. */
  failWorkers?: number[];
  /** Thrown by the next PublishBatch calls, one a call; `undefined` lets a call through. */
  errors?: (Error | undefined)[];
}

/** An SNS topic behind a mocked client that keeps PublishBatch's limit of 10 entries a call. */
function fakeTopic(behaviour: TopicBehaviour = {}) {
  const client = new SNSClient({ region: 'us-east-1' });
  const published: WorkerStart[] = [];
  const batchSizes: number[] = [];
  const errors = [...(behaviour.errors ?? [])];
  mockClient(client)
    .on(PublishBatchCommand)
    .callsFake((input: PublishBatchCommandInput) => {
      const error = errors.shift();
      if (error) throw error;
      const entries = input.PublishBatchRequestEntries ?? [];
      if (input.TopicArn !== topicArn) throw new Error(`NotFound: ${input.TopicArn}`);
      if (entries.length > 10) {
        throw new TooManyEntriesInBatchRequestException({ message: `${entries.length} entries`, $metadata: {} });
      }
      batchSizes.push(entries.length);
      const Successful: PublishBatchResultEntry[] = [];
      const Failed: BatchResultErrorEntry[] = [];
      for (const entry of entries) {
        const start = JSON.parse(entry.Message ?? '{}') as WorkerStart;
        if (behaviour.failWorkers?.includes(start.worker)) {
          Failed.push({ Id: entry.Id, Code: 'InternalError', Message: 'try later', SenderFault: false });
        } else {
          published.push(start);
          Successful.push({ Id: entry.Id, MessageId: `sns-${start.worker}` });
        }
      }
      return { Successful, Failed };
    });
  return { client, published, batchSizes };
}

/** The original design's run: one loop, one full receive. */
const originalRun = { loops: 1, expectedMessages: 10 };

describe('startWorkers', () => {
  it('publishes one worker start per worker, 10 a PublishBatch call', async () => {
    // Prepare
    const topic = fakeTopic();

    // Act
    const result = await startWorkers(topic.client, topicArn, 25, 'tick-1', originalRun);

    // Assess
    expect(result).toEqual({ published: 25, failed: 0, publishCalls: 3 });
    expect(topic.batchSizes).toEqual([10, 10, 5]);
    expect(topic.published.map((start) => start.worker)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(topic.published.every((start) => start.tickId === 'tick-1' && start.workers === 25)).toBe(true);
    expect(topic.published.every((start) => start.loops === 1 && start.expectedMessages === 10)).toBe(true);
  });

  it('asks every worker for the run it is given', async () => {
    // Prepare
    const topic = fakeTopic();

    // Act
    await startWorkers(topic.client, topicArn, 3, 'tick-7', { loops: 4, expectedMessages: 250 });

    // Assess
    expect(topic.published.map((start) => [start.worker, start.loops, start.expectedMessages])).toEqual([
      [1, 4, 250],
      [2, 4, 250],
      [3, 4, 250],
    ]);
  });

  it('counts the entries SNS reports failed', async () => {
    // Prepare
    const topic = fakeTopic({ failWorkers: [3, 14, 25] });

    // Act
    const result = await startWorkers(topic.client, topicArn, 25, 'tick-2', originalRun);

    // Assess
    expect(result).toEqual({ published: 22, failed: 3, publishCalls: 3 });
    expect(topic.published).toHaveLength(22);
  });

  it('counts a whole call that threw as failed and goes on with the next', async () => {
    // Prepare
    const topic = fakeTopic({ errors: [new Error('socket hang up')] });

    // Act
    const result = await startWorkers(topic.client, topicArn, 25, 'tick-3', originalRun);

    // Assess
    expect(result).toEqual({ published: 15, failed: 10, publishCalls: 3 });
    expect(topic.published.map((start) => start.worker)).toEqual(Array.from({ length: 15 }, (_, i) => i + 11));
  });

  it('raises WorkerStartError, naming the cause, when not one start was published', async () => {
    // Prepare
    const down = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    const topic = fakeTopic({ errors: [down(), down(), down()] });

    // Act
    const error = await startWorkers(topic.client, topicArn, 25, 'tick-4', originalRun).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(WorkerStartError);
    expect(error).toMatchObject({
      workers: 25,
      message: 'None of 25 worker starts could be published: ThrottledException: Rate exceeded; ThrottledException: Rate exceeded; ThrottledException: Rate exceeded',
    });
    expect(topic.published).toEqual([]);
  });

  it('raises WorkerStartError when SNS fails every entry without throwing', async () => {
    // Prepare
    const topic = fakeTopic({ failWorkers: [1, 2, 3] });

    // Act
    const starting = startWorkers(topic.client, topicArn, 3, 'tick-5', originalRun);

    // Assess
    await expect(starting).rejects.toMatchObject({
      name: 'WorkerStartError',
      failures: ['InternalError: try later', 'InternalError: try later', 'InternalError: try later'],
    });
  });

  it('publishes nothing for zero workers', async () => {
    // Prepare
    const topic = fakeTopic();

    // Act
    const result = await startWorkers(topic.client, topicArn, 0, 'tick-6', originalRun);

    // Assess
    expect(result).toEqual({ published: 0, failed: 0, publishCalls: 0 });
    expect(topic.published).toEqual([]);
  });
});
