import { PublishBatchCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { WorkerStartError } from '@fanout/fan-out';
import type { WorkerStart } from '@fanout/message-schema';
import { lambdaContext, recordingLogger, recordingMetrics } from '@fanout/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { createCronHandler } from './handler.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';
const topicArn = 'arn:aws:sns:us-east-1:123456789012:test';

interface World {
  visible: number;
  inFlight: number;
  maxWorkers?: number;
  sqsDown?: Error;
  snsDown?: Error;
}

/** The queue's depth and the topic behind mocked clients; `started` holds the worker starts published. */
function world({ visible, inFlight, maxWorkers = 100, sqsDown, snsDown }: World) {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const sqsMock = mockClient(sqs);
  if (sqsDown) sqsMock.on(GetQueueAttributesCommand).rejects(sqsDown);
  else {
    sqsMock.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: String(visible), ApproximateNumberOfMessagesNotVisible: String(inFlight) },
    });
  }
  const sns = new SNSClient({ region: 'us-east-1' });
  const started: WorkerStart[] = [];
  mockClient(sns)
    .on(PublishBatchCommand)
    .callsFake((input: PublishBatchCommandInput) => {
      if (snsDown) throw snsDown;
      const entries = input.PublishBatchRequestEntries ?? [];
      if (entries.length > 10) throw new Error('TooManyEntriesInBatchRequest');
      started.push(...entries.map((entry) => JSON.parse(entry.Message ?? '{}') as WorkerStart));
      return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: `sns-${entry.Id}` })), Failed: [] };
    });
  const { log, lines } = recordingLogger();
  const { metrics, published } = recordingMetrics();
  const handler = createCronHandler({ sqs, sns, queueUrl, topicArn, maxWorkers, maxLoops: 4, tableWriteUnitsPerSecond: 0, log, metrics });
  return { handler, started, lines, published };
}

describe('test-cron handler', () => {
  it('publishes nothing when no message is visible and logs one decision line', async () => {
    // Prepare
    const { handler, started, lines } = world({ visible: 0, inFlight: 42 });

    // Act
    const decision = await handler({ id: 'evt-1' }, lambdaContext(30_000, 'req-evt-1'));

    // Assess
    expect(started).toEqual([]);
    expect(decision.workers).toBe(0);
    expect(lines).toEqual([
      { level: 'info', message: 'fan-out decision', function_request_id: 'req-evt-1', tickId: 'evt-1', visible: 0, inFlight: 42, workers: 0, loops: 1, expectedMessages: 0, published: 0, failed: 0, publishCalls: 0 },
    ]);
  });

  it('starts one worker per 10 visible messages and logs the decision', async () => {
    // Prepare
    const { handler, started, lines, published } = world({ visible: 95, inFlight: 3 });

    // Act
    await handler({ id: 'evt-2' }, lambdaContext(30_000, 'req-evt-2'));

    // Assess
    expect(started.map((start) => start.worker)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(started.every((start) => start.tickId === 'evt-2' && start.workers === 10)).toBe(true);
    expect(lines).toEqual([expect.objectContaining({ message: 'fan-out decision', visible: 95, inFlight: 3, workers: 10, published: 10 })]);
    expect(published).toEqual([{ VisibleMessages: { value: 95, unit: 'Count' }, WorkersStarted: { value: 10, unit: 'Count' } }]);
  });

  it('starts no more workers than its cap', async () => {
    // Prepare
    const { handler, started } = world({ visible: 10_000, inFlight: 0, maxWorkers: 25 });

    // Act
    const decision = await handler({ id: 'evt-3' }, lambdaContext(30_000, 'req-evt-3'));

    // Assess
    expect(started).toHaveLength(25);
    expect(decision).toMatchObject({ workers: 25, published: 25, publishCalls: 3 });
    // 400 messages for each of the 25: as many loops as a worker may run.
    expect(decision).toMatchObject({ loops: 4, expectedMessages: 400 });
    expect(started.every((start) => start.loops === 4 && start.expectedMessages === 400)).toBe(true);
  });

  it('names the tick after the request when the event has no id', async () => {
    // Prepare
    const { handler, started } = world({ visible: 1, inFlight: 0 });

    // Act
    const decision = await handler({} as { id: string }, lambdaContext(30_000, 'req-9'));

    // Assess
    expect(decision.tickId).toBe('req-9');
    expect(started[0]?.tickId).toBe('req-9');
  });

  it('fails the invocation and logs one error line, claiming no decision, when SQS is down', async () => {
    // Prepare
    const down = Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    const { handler, started, lines } = world({ visible: 0, inFlight: 0, sqsDown: down });

    // Act
    const ticking = handler({ id: 'evt-4' }, lambdaContext(30_000, 'req-evt-4'));

    // Assess
    await expect(ticking).rejects.toThrow('connect ETIMEDOUT');
    expect(started).toEqual([]);
    expect(lines).toEqual([
      { level: 'error', message: 'fan-out tick failed', function_request_id: 'req-evt-4', tickId: 'evt-4', errorName: 'Error', errorMessage: 'connect ETIMEDOUT' },
    ]);
  });

  it('fails the invocation with WorkerStartError when SNS takes no start', async () => {
    // Prepare
    const { handler, lines } = world({ visible: 30, inFlight: 0, snsDown: new Error('AuthorizationError') });

    // Act
    const ticking = handler({ id: 'evt-5' }, lambdaContext(30_000, 'req-evt-5'));

    // Assess
    await expect(ticking).rejects.toBeInstanceOf(WorkerStartError);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', message: 'fan-out tick failed', errorName: 'WorkerStartError' })]);
  });
});
