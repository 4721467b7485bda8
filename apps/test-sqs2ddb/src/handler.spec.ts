import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type BatchResultErrorEntry,
  type ChangeMessageVisibilityBatchCommandInput,
  type DeleteMessageBatchCommandInput,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { defaultWorkerSettings } from '@fanout/config';
import { awsDrainPorts, type RetryPolicy } from '@fanout/worker';
import type { SNSEvent, SNSEventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { WorkerStart } from '@fanout/message-schema';
import { lambdaContext, recordingLogger, recordingMetrics } from '@fanout/testing';
import { createWorkerHandler } from './handler.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';
const tableName = 'Test';

interface QueueOptions {
  /** Message ids whose delete SQS refuses as the sender's fault (an expired receipt handle). */
  undeletable?: string[];
  /** Bodies by message id, for messages that are not the default valid one. */
  bodies?: Record<string, string>;
  /** Thrown by every receive: SQS cannot be reached. */
  down?: Error;
}

/** An SQS queue behind a mocked client: receive (≤ 10, long poll) and DeleteMessageBatch (≤ 10). */
function fakeQueue(count: number, options: QueueOptions = {}) {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const stored = Array.from({ length: count }, (_, i) => {
    const id = `m${i + 1}`;
    const body = options.bodies?.[id] ?? JSON.stringify({ key1: `k${i + 1}`, key2: 'b', key3: 'c', runId: 'run-1' });
    return { id, body, sentTimestamp: 1_700_000_000_000 + i, receiveCount: 0, visible: true, receiptHandle: '' };
  });
  let handles = 0;
  const visibilityTimeouts: number[] = [];
  const mock = mockClient(sqs);
  mock.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => {
    if (options.down) throw options.down;
    const max = input.MaxNumberOfMessages ?? 1;
    if (max > 10) throw new Error(`InvalidParameterValue: MaxNumberOfMessages ${max}`);
    return {
      Messages: stored
        .filter((m) => m.visible)
        .slice(0, max)
        .map((m) => {
          m.visible = false;
          m.receiveCount++;
          m.receiptHandle = `rh-${m.id}-${++handles}`;
          return {
            MessageId: m.id,
            ReceiptHandle: m.receiptHandle,
            Body: m.body,
            Attributes: { SentTimestamp: String(m.sentTimestamp), ApproximateReceiveCount: String(m.receiveCount) },
          };
        }),
    };
  });
  mock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: ChangeMessageVisibilityBatchCommandInput) => {
    const entries = input.Entries ?? [];
    const Successful: { Id: string }[] = [];
    for (const entry of entries) {
      const message = stored.find((m) => m.receiptHandle === entry.ReceiptHandle);
      visibilityTimeouts.push(entry.VisibilityTimeout ?? -1);
      if (!message) continue;
      // Visible again at once; any later time outlasts the test.
      message.visible = entry.VisibilityTimeout === 0;
      Successful.push({ Id: entry.Id ?? '' });
    }
    return { Successful, Failed: [] };
  });
  mock.on(DeleteMessageBatchCommand).callsFake((input: DeleteMessageBatchCommandInput) => {
    const entries = input.Entries ?? [];
    if (entries.length > 10) throw new Error('TooManyEntriesInBatchRequest');
    const Successful: { Id: string }[] = [];
    const Failed: BatchResultErrorEntry[] = [];
    for (const entry of entries) {
      const index = stored.findIndex((m) => m.receiptHandle === entry.ReceiptHandle);
      if (index < 0 || options.undeletable?.includes(stored[index].id)) {
        Failed.push({ Id: entry.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'expired' });
      } else {
        stored.splice(index, 1);
        Successful.push({ Id: entry.Id ?? '' });
      }
    }
    return { Successful, Failed };
  });
  return { sqs, mock, left: () => stored.map((m) => m.id), visible: () => stored.filter((m) => m.visible).map((m) => m.id), visibilityTimeouts: () => visibilityTimeouts };
}

interface TableOptions {
  /** On its first call, the table leaves this many puts unprocessed. */
  unprocessedOnFirstCall?: number;
  /** The first calls fail with ProvisionedThroughputExceededException. */
  throttledCalls?: number;
  /** Puts of these messages come back unprocessed on every call. */
  alwaysUnprocessed?: string[];
  /** Every call fails with this error, which no retry fixes. */
  refusal?: Error;
}

/** The `Test` table behind a mocked DocumentClient that keeps BatchWriteItem's 25-put limit. */
function fakeTable(options: TableOptions = {}) {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const rows = new Map<string, Record<string, unknown>>();
  /** Puts per BatchWriteItem call, in call order. */
  const writeSizes: number[] = [];
  let calls = 0;
  mockClient(dynamo)
    .on(BatchWriteCommand)
    .callsFake((input: BatchWriteCommandInput) => {
      calls++;
      if (options.refusal) throw options.refusal;
      if (calls <= (options.throttledCalls ?? 0)) {
        throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
      }
      const requests = input.RequestItems?.[tableName] ?? [];
      if (requests.length > 25) throw new Error('ValidationException: too many items');
      writeSizes.push(requests.length);
      const skip = calls === 1 ? (options.unprocessedOnFirstCall ?? 0) : 0;
      const refused = (request: (typeof requests)[number]) => options.alwaysUnprocessed?.includes(String(request.PutRequest?.Item?.['messageId']));
      const unprocessed = [...requests.slice(0, skip), ...requests.slice(skip).filter(refused)];
      for (const request of requests.slice(skip).filter((request) => !refused(request))) {
        const row = request.PutRequest?.Item ?? {};
        rows.set(String(row['uuid']), row);
      }
      return { UnprocessedItems: unprocessed.length > 0 ? { [tableName]: unprocessed } : {} };
    });
  return { dynamo, rows, writeSizes, messageIds: () => [...rows.values()].map((row) => row['messageId']) };
}

const noWait: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 2_000, sleep: async () => undefined };

function workerOver(queue: ReturnType<typeof fakeQueue>, table: ReturnType<typeof fakeTable>, messageBudget = 1_000, receiveLoops = 1) {
  const { log, lines } = recordingLogger();
  const { metrics, published } = recordingMetrics();
  const ports = awsDrainPorts({ sqs: queue.sqs, dynamo: table.dynamo, queueUrl, tableName, writePolicy: noWait, deletePolicy: noWait });
  const successors: WorkerStart[] = [];
  const handler = createWorkerHandler({
    ports,
    settings: { ...defaultWorkerSettings, messageBudget, receiveLoops, safetyMarginMs: 10_000, visibilityTimeoutMs: 360_000, receiveWaitMs: 2_000 },
    log,
    metrics,
    startSuccessor: async (start) => {
      successors.push(start);
    },
  });
  return { handler, lines, successors, published };
}

function snsEvent(count: number, message = '{}'): SNSEvent {
  const records = Array.from(
    { length: count },
    (_, i) => ({ EventSource: 'aws:sns', Sns: { MessageId: `notification-${i + 1}`, Message: message } }) as SNSEventRecord,
  );
  return { Records: records };
}

const context = lambdaContext(60_000, 'req-worker-1');

describe('test-sqs2ddb handler', () => {
  it('runs one drain per SNS record, each within its own message budget', async () => {
    // Prepare
    const queue = fakeQueue(35);
    const table = fakeTable();
    const { handler, lines, published } = workerOver(queue, table, 10);

    // Act
    const result = await handler(snsEvent(3), context);

    // Assess
    expect(result.runs.map((run) => [run.received, run.stoppedBecause])).toEqual([
      [10, 'message-budget'],
      [10, 'message-budget'],
      [10, 'message-budget'],
    ]);
    expect(result).toMatchObject({ received: 30, written: 30, deleted: 30, invalid: 0 });
    expect(table.rows.size).toBe(30);
    expect(queue.left()).toEqual(['m31', 'm32', 'm33', 'm34', 'm35']);
    expect(lines.filter((line) => line.message === 'drain run finished').map((line) => line.notificationId)).toEqual([
      'notification-1',
      'notification-2',
      'notification-3',
    ]);
    expect(lines.every((line) => line.function_request_id === 'req-worker-1')).toBe(true);
    expect(published.map((run) => [run['MessagesWritten']?.value, run['MessagesInvalid']?.value, run['MessagesUnwritten']?.value])).toEqual([
      [10, 0, 0],
      [10, 0, 0],
      [10, 0, 0],
    ]);
    expect(published.every((run) => run['RunDuration']?.unit === 'Milliseconds' && run['MessagesRetried']?.value === 0)).toBe(true);
  });

  it('drains with its receive loops side by side, sharing the run’s message budget', async () => {
    // Prepare
    const queue = fakeQueue(100);
    const table = fakeTable();
    const { handler } = workerOver(queue, table, 10, 4);

    // Act
    const result = await handler(snsEvent(1), context);

    // Assess: four loops with budgets of 3, 3, 2 and 2 each received once, and the run kept to 10.
    const receiveSizes = queue.mock.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages);
    expect(receiveSizes.sort()).toEqual([2, 2, 3, 3]);
    expect(result).toMatchObject({ received: 10, written: 10, deleted: 10 });
    expect(table.rows.size).toBe(10);
  });

  it('runs as many loops as its start asks for, never more than its own most', async () => {
    // Prepare
    const queue = fakeQueue(100);
    const table = fakeTable();
    const { handler } = workerOver(queue, table, 10, 4);
    const start = (loops: number) => JSON.stringify({ tickId: 'tick-1', worker: 1, workers: 1, loops });

    // Act
    await handler(snsEvent(1, start(2)), context);
    await handler(snsEvent(1, start(9)), context);

    // Assess: 2 loops of 5 for the first run, then 4 loops (the most) of 3, 3, 2 and 2.
    const receiveSizes = queue.mock.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages);
    expect(receiveSizes.slice(0, 2)).toEqual([5, 5]);
    expect(receiveSizes.slice(2).sort()).toEqual([2, 2, 3, 3]);
    expect(table.rows.size).toBe(20);
  });

  it('writes at once the receive that brings a loop to what its start said to expect, then holds up to 50 again', async () => {
    // Prepare: one loop each time, 60 messages.
    const expecting = { queue: fakeQueue(60), table: fakeTable() };
    const unsaid = { queue: fakeQueue(60), table: fakeTable() };
    const start = JSON.stringify({ tickId: 'tick-1', worker: 1, workers: 1, loops: 1, expectedMessages: 10 });

    // Act
    await workerOver(expecting.queue, expecting.table).handler(snsEvent(1, start), context);
    await workerOver(unsaid.queue, unsaid.table).handler(snsEvent(1), context);

    // Assess: told to expect 10, the loop writes its first receive of 10 at once, then holds the
    // rest as usual; told nothing, it holds five receives and writes them as two full
    // BatchWriteItem calls. Both drain everything.
    expect(expecting.table.writeSizes).toEqual([10, 25, 25]);
    expect(unsaid.table.writeSizes).toEqual([25, 25, 10]);
    for (const { queue, table } of [expecting, unsaid]) {
      expect(table.rows.size).toBe(60);
      expect(queue.left()).toEqual([]);
    }
  });

  it('long-polls SQS for its receive wait, in the whole seconds SQS counts', async () => {
    // Prepare
    const queue = fakeQueue(3);
    const { handler } = workerOver(queue, fakeTable());

    // Act
    await handler(snsEvent(1), context);

    // Assess: receiveWaitMs 2,000 for the receive that finds the 3 and for the empty one that ends the run
    const waits = queue.mock.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.WaitTimeSeconds);
    expect(waits).toEqual([2, 2]);
  });

  it('lets a later record find the queue empty once an earlier one drained it', async () => {
    // Prepare
    const queue = fakeQueue(12);
    const table = fakeTable();
    const { handler } = workerOver(queue, table);

    // Act
    const result = await handler(snsEvent(2), context);

    // Assess
    expect(result.runs.map((run) => run.received)).toEqual([12, 0]);
    expect(result.runs.map((run) => run.stoppedBecause)).toEqual(['queue-empty', 'queue-empty']);
    expect(table.rows.size).toBe(12);
    expect(queue.left()).toEqual([]);
  });

  it('retries UnprocessedItems until every item is written, then empties the queue', async () => {
    // Prepare
    const queue = fakeQueue(20);
    const table = fakeTable({ unprocessedOnFirstCall: 7 });
    const { handler } = workerOver(queue, table);

    // Act
    const result = await handler(snsEvent(1), context);

    // Assess
    expect(table.rows.size).toBe(20);
    expect(queue.left()).toEqual([]);
    expect(result.runs[0]).toMatchObject({ written: 20, unwritten: 0, deleted: 20, retries: 1 });
  });

  it('retries a throttled write and loses nothing', async () => {
    // Prepare
    const queue = fakeQueue(8);
    const table = fakeTable({ throttledCalls: 2 });
    const { handler } = workerOver(queue, table);

    // Act
    const result = await handler(snsEvent(1), context);

    // Assess
    expect(table.rows.size).toBe(8);
    expect(queue.left()).toEqual([]);
    expect(result.runs[0]).toMatchObject({ written: 8, deleted: 8, retries: 2 });
  });

  it('keeps messages on the queue when throttling outlasts the attempts, deleting none of them', async () => {
    // Prepare
    const queue = fakeQueue(5);
    const table = fakeTable({ throttledCalls: 100 });
    const { handler } = workerOver(queue, table);

    // Act
    const result = await handler(snsEvent(1), context);

    // Assess: it gives them back at once after their first receive, and receives them again; the
    // second time, they wait 30 s (the mock keeps them hidden) instead of the visibility timeout.
    expect(table.rows.size).toBe(0);
    expect(queue.left()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(queue.visible()).toEqual([]);
    expect(result.runs[0]).toMatchObject({ received: 10, written: 0, unwritten: 10, deleted: 0, released: 10 });
    expect(queue.visibilityTimeouts()).toEqual([0, 0, 0, 0, 0, 30, 30, 30, 30, 30]);
  });

  it('hands a run that spent its budget with messages still waiting over to a successor of the same tick and worker', async () => {
    // Prepare
    const queue = fakeQueue(30);
    const table = fakeTable();
    const { handler, successors } = workerOver(queue, table, 10, 2);
    const start = JSON.stringify({ tickId: 'tick-9', worker: 3, workers: 5, loops: 2, expectedMessages: 6_000 });

    // Act
    const result = await handler(snsEvent(1, start), context);

    // Assess
    expect(result.runs[0]).toMatchObject({ written: 10, stoppedBecause: 'message-budget' });
    expect(successors).toEqual([{ tickId: 'tick-9', worker: 3, workers: 5, loops: 2, expectedMessages: 0 }]);
  });

  it('starts no successor once the queue ran dry', async () => {
    // Prepare
    const queue = fakeQueue(8);
    const table = fakeTable();
    const { handler, successors } = workerOver(queue, table, 1_000, 2);

    // Act
    await handler(snsEvent(1), context);

    // Assess
    expect(queue.left()).toEqual([]);
    expect(successors).toEqual([]);
  });

  it('counts a failed delete entry: the item is written, its message stays on the queue', async () => {
    // Prepare
    const queue = fakeQueue(10, { undeletable: ['m3'] });
    const table = fakeTable();
    const { handler } = workerOver(queue, table);

    // Act
    const result = await handler(snsEvent(1), context);

    // Assess
    expect(table.rows.size).toBe(10);
    expect(queue.left()).toEqual(['m3']);
    expect(result.deleted).toBe(9);
    expect(result.runs[0]).toMatchObject({ deleteFailed: 1 });
  });

  it('logs an invalid message by messageId and reason, never its body, and leaves it on the queue', async () => {
    // Prepare
    const queue = fakeQueue(5, {
      bodies: {
        m2: '{"key1":"card-4111-1111","key2":"alice@example.com","key3":""}',
        m4: 'card-4111-1111 is not JSON',
      },
    });
    const table = fakeTable();
    const { handler, lines } = workerOver(queue, table);

    // Act
    const result = await handler(snsEvent(1), context);

    // Assess
    expect(lines.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'invalid message left for the dead-letter queue', function_request_id: 'req-worker-1', messageId: 'm2', receiveCount: 1, reason: 'key3 must not be empty' },
      { level: 'warn', message: 'invalid message left for the dead-letter queue', function_request_id: 'req-worker-1', messageId: 'm4', receiveCount: 1, reason: 'the body is not valid JSON' },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/card-4111|alice@example\.com/);
    expect(queue.left()).toEqual(['m2', 'm4']);
    expect(table.messageIds()).toEqual(['m1', 'm3', 'm5']);
    expect(result).toMatchObject({ received: 5, invalid: 2, written: 3, deleted: 3 });
  });

  it('fails the invocation on a write error no retry fixes, logging its cause, and deletes nothing it did not write', async () => {
    // Prepare
    const denied = Object.assign(new Error('User is not authorized to perform: dynamodb:BatchWriteItem'), { name: 'AccessDeniedException', $metadata: {} });
    const queue = fakeQueue(5);
    const { handler, lines, published } = workerOver(queue, fakeTable({ refusal: denied }));

    // Act
    const running = handler(snsEvent(1), context);

    // Assess: the errors alarm sees a failed invocation, the log says why, the messages stay on the queue.
    await expect(running).rejects.toBe(denied);
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ message: 'drain run failed', notificationId: 'notification-1', errorName: 'AccessDeniedException', errorMessage: denied.message }),
    ]);
    expect(queue.left()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(published).toEqual([{ UnfixableErrors: { value: 1, unit: 'Count' } }]);
  });

  it('fails the invocation when SQS cannot be reached, so Lambda retries it', async () => {
    // Prepare
    const queue = fakeQueue(3, { down: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const table = fakeTable();
    const { handler, published } = workerOver(queue, table);

    // Act
    const running = handler(snsEvent(1), context);

    // Assess: a retry may fix this one, so it is no unfixable error
    await expect(running).rejects.toThrow('connect ECONNREFUSED');
    expect(table.rows.size).toBe(0);
    expect(published).toEqual([]);
  });

  it('does nothing for an event without records', async () => {
    // Prepare
    const queue = fakeQueue(3);
    const table = fakeTable();
    const { handler } = workerOver(queue, table);

    // Act
    const result = await handler({ Records: [] }, context);

    // Assess
    expect(result).toEqual({ runs: [], received: 0, written: 0, invalid: 0, deleted: 0, receiveCalls: 0, retries: 0 });
    expect(queue.left()).toHaveLength(3);
  });
});

/** What the SQS event source mapping hands the worker: messages m1…mN with their attributes. */
function sqsEvent(count: number, bodies: Record<string, string> = {}): SQSEvent {
  const records = Array.from({ length: count }, (_, i) => {
    const id = `m${i + 1}`;
    return {
      eventSource: 'aws:sqs',
      messageId: id,
      receiptHandle: `rh-${id}`,
      body: bodies[id] ?? JSON.stringify({ key1: `k${i + 1}`, key2: 'b', key3: 'c', runId: 'run-1' }),
      attributes: { SentTimestamp: String(1_700_000_000_000 + i), ApproximateReceiveCount: '1' },
    } as unknown as SQSRecord;
  });
  return { Records: records };
}

describe('test-sqs2ddb handler, started by the SQS event source mapping', () => {
  it('writes a batch of 10 in one BatchWriteItem call and names no failure, so the mapping deletes all 10', async () => {
    // Prepare
    const table = fakeTable();
    const { handler } = workerOver(fakeQueue(0), table);
    // Act
    const response = await handler(sqsEvent(10), context);
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(table.writeSizes).toEqual([10]);
    expect(table.messageIds().sort()).toEqual(['m1', 'm10', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });

  it('returns exactly the message whose write failed for good, after the retries', async () => {
    // Prepare
    const table = fakeTable({ alwaysUnprocessed: ['m4'] });
    const { handler, lines, published } = workerOver(fakeQueue(0), table);
    // Act
    const response = await handler(sqsEvent(10), context);
    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm4' }] });
    expect(table.rows.size).toBe(9);
    expect(table.writeSizes.length).toBeGreaterThan(1);
    expect(lines.find((line) => line.message === 'batch finished')).toMatchObject({ written: 9, unwritten: 1 });
    expect(published).toEqual([
      expect.objectContaining({ MessagesWritten: { value: 9, unit: 'Count' }, MessagesUnwritten: { value: 1, unit: 'Count' }, MessagesRetried: { value: noWait.attempts - 1, unit: 'Count' } }),
    ]);
  });

  it('returns an invalid message as failed, with one warning line that names it and why, never its body', async () => {
    // Prepare
    const table = fakeTable();
    const { handler, lines } = workerOver(fakeQueue(0), table);
    // Act
    const response = await handler(sqsEvent(3, { m2: '{"key1":"card-4111-1111"}' }), context);
    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ message: 'invalid message left for the dead-letter queue', messageId: 'm2', receiveCount: 1, reason: expect.stringContaining('key2') }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('card-4111');
    expect(table.messageIds().sort()).toEqual(['m1', 'm3']);
  });

  it('logs an error no retry fixes with its cause and returns the whole batch, instead of failing silently', async () => {
    // Prepare
    const denied = Object.assign(new Error('User is not authorized to perform: dynamodb:BatchWriteItem'), { name: 'AccessDeniedException', $metadata: {} });
    const { handler, lines, published } = workerOver(fakeQueue(0), fakeTable({ refusal: denied }));
    // Act
    const response = await handler(sqsEvent(3), context);
    // Assess
    expect(response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier)).toEqual(['m1', 'm2', 'm3']);
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ errorName: 'AccessDeniedException', errorMessage: denied.message, unwritten: 3 }),
    ]);
    expect(published).toEqual([{ UnfixableErrors: { value: 1, unit: 'Count' } }, expect.objectContaining({ MessagesUnwritten: { value: 3, unit: 'Count' } })]);
  });
});
