import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  RequestThrottled,
  SQSClient,
  TooManyEntriesInBatchRequest,
  BatchEntryIdsNotDistinct,
  type BatchResultErrorEntry,
  type ChangeMessageVisibilityBatchCommandInput,
  type DeleteMessageBatchCommandInput,
  type Message,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { ReceivedMessage } from './drain-ports.js';
import { deleteMessages, receiveMessages, releaseMessages } from './queue-messages.js';
import type { RetryPolicy } from './retry-policy.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

interface StoredMessage {
  id: string;
  body: string;
  sentTimestamp: number;
  receiveCount: number;
  visible: boolean;
  receiptHandle?: string;
}

interface QueueBehaviour {
  /** Message ids whose delete fails on SQS's side once, then succeeds. */
  serverFaultOnce?: string[];
  /** Message ids whose delete always fails on SQS's side. */
  serverFaultAlways?: string[];
  /** Message ids whose delete SQS refuses as the sender's fault (e.g. an expired receipt handle). */
  senderFault?: string[];
  /** Thrown by the next DeleteMessageBatch calls, one a call. */
  deleteErrors?: Error[];
}

/**
 * An SQS queue behind a mocked client, keeping the rules the code must respect: at most 10 a
 * receive or delete batch, distinct entry ids, system attributes only when asked for, and a short
 * poll (WaitTimeSeconds 0) that samples a few servers and so returns one message at most.
 */
function fakeQueue(count: number, behaviour: QueueBehaviour = {}) {
  const client = new SQSClient({ region: 'us-east-1' });
  const stored: StoredMessage[] = Array.from({ length: count }, (_, index) => ({
    id: `m${index + 1}`,
    body: `{"n":${index + 1}}`,
    sentTimestamp: 1_700_000_000_000 + index,
    receiveCount: 0,
    visible: true,
  }));
  let handles = 0;
  const deleteErrors = [...(behaviour.deleteErrors ?? [])];
  const failedOnce = new Set<string>();
  const mock = mockClient(client);

  mock.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => {
    const max = input.MaxNumberOfMessages ?? 1;
    if (max < 1 || max > 10) throw new Error(`InvalidParameterValue: MaxNumberOfMessages ${max}`);
    const take = (input.WaitTimeSeconds ?? 0) >= 1 ? max : Math.min(1, max);
    const wanted = new Set(input.MessageSystemAttributeNames ?? []);
    const delivered: Message[] = stored
      .filter((m) => m.visible)
      .slice(0, take)
      .map((m) => {
        m.visible = false;
        m.receiveCount++;
        m.receiptHandle = `rh-${m.id}-${++handles}`;
        const attributes: Record<string, string> = {};
        if (wanted.has('All') || wanted.has('SentTimestamp')) attributes['SentTimestamp'] = String(m.sentTimestamp);
        if (wanted.has('All') || wanted.has('ApproximateReceiveCount')) {
          attributes['ApproximateReceiveCount'] = String(m.receiveCount);
        }
        return { MessageId: m.id, ReceiptHandle: m.receiptHandle, Body: m.body, Attributes: attributes };
      });
    return { Messages: delivered };
  });

  mock.on(DeleteMessageBatchCommand).callsFake((input: DeleteMessageBatchCommandInput) => {
    const error = deleteErrors.shift();
    if (error) throw error;
    const entries = input.Entries ?? [];
    if (entries.length > 10) throw new TooManyEntriesInBatchRequest({ message: `${entries.length} entries`, $metadata: {} });
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) {
      throw new BatchEntryIdsNotDistinct({ message: 'ids repeat', $metadata: {} });
    }
    const Successful: { Id: string }[] = [];
    const Failed: BatchResultErrorEntry[] = [];
    for (const entry of entries) {
      const index = stored.findIndex((m) => m.receiptHandle === entry.ReceiptHandle);
      const id = stored[index]?.id ?? '';
      if (behaviour.senderFault?.includes(id)) {
        Failed.push({ Id: entry.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'expired' });
      } else if (behaviour.serverFaultAlways?.includes(id) || (behaviour.serverFaultOnce?.includes(id) && !failedOnce.has(id))) {
        failedOnce.add(id);
        Failed.push({ Id: entry.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' });
      } else {
        if (index >= 0) stored.splice(index, 1);
        Successful.push({ Id: entry.Id as string });
      }
    }
    return { Successful, Failed };
  });

  return {
    client,
    /** Message ids still on the queue, visible or in flight. */
    left: () => stored.map((m) => m.id),
    /** The visibility timeout runs out for every in-flight message. */
    expireVisibility: () => stored.forEach((m) => (m.visible = true)),
  };
}

function instantPolicy(attempts = 4): RetryPolicy {
  return { attempts, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0, sleep: async () => undefined };
}

const ids = (messages: readonly ReceivedMessage[]) => messages.map((m) => m.messageId);

describe('receiveMessages', () => {
  it('long-polls, so a receive from a small queue returns every waiting message', async () => {
    // Prepare
    const queue = fakeQueue(7);

    // Act
    const received = await receiveMessages(queue.client, queueUrl, { maxMessages: 10, waitMs: 2_000 });

    // Assess
    expect(ids(received)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  });

  it('asks SQS to wait whole seconds, rounding a fraction up so that a long poll stays one', async () => {
    // Prepare
    const client = new SQSClient({ region: 'us-east-1' });
    const waits: (number | undefined)[] = [];
    mockClient(client)
      .on(ReceiveMessageCommand)
      .callsFake((input: ReceiveMessageCommandInput) => {
        waits.push(input.WaitTimeSeconds);
        return { Messages: [] };
      });

    // Act
    for (const waitMs of [2_000, 0, 1_500, 20_000]) await receiveMessages(client, queueUrl, { maxMessages: 10, waitMs });

    // Assess
    expect(waits).toEqual([2, 0, 2, 20]);
  });

  it('maps SentTimestamp and ApproximateReceiveCount to numbers', async () => {
    // Prepare: the third message is handed out a second time
    const queue = fakeQueue(3);
    await receiveMessages(queue.client, queueUrl, { maxMessages: 10, waitMs: 1_000 });
    queue.expireVisibility();

    // Act
    const [, , third] = await receiveMessages(queue.client, queueUrl, { maxMessages: 10, waitMs: 1_000 });

    // Assess
    expect(third).toEqual({
      messageId: 'm3',
      receiptHandle: expect.stringMatching(/^rh-m3-/),
      body: '{"n":3}',
      sentTimestamp: 1_700_000_000_002,
      receiveCount: 2,
    });
  });

  it('asks for no more than SQS allows in one receive', async () => {
    // Prepare
    const queue = fakeQueue(15);

    // Act
    const received = await receiveMessages(queue.client, queueUrl, { maxMessages: 25, waitMs: 2_000 });

    // Assess
    expect(received).toHaveLength(10);
  });

  it('returns nothing from an empty queue', async () => {
    // Prepare
    const queue = fakeQueue(0);

    // Act
    const received = await receiveMessages(queue.client, queueUrl, { maxMessages: 10, waitMs: 2_000 });

    // Assess
    expect(received).toEqual([]);
  });

  it('skips an entry without a receipt handle, which could never be deleted', async () => {
    // Prepare
    const client = new SQSClient({ region: 'us-east-1' });
    mockClient(client)
      .on(ReceiveMessageCommand)
      .resolves({
        Messages: [
          { MessageId: 'a', Body: '{}' },
          { MessageId: 'b', ReceiptHandle: 'rh-b', Body: '{}', Attributes: { SentTimestamp: '5', ApproximateReceiveCount: '1' } },
        ],
      });

    // Act
    const received = await receiveMessages(client, queueUrl, { maxMessages: 10, waitMs: 2_000 });

    // Assess
    expect(ids(received)).toEqual(['b']);
  });
});

describe('deleteMessages', () => {
  async function receiveAll(queue: ReturnType<typeof fakeQueue>): Promise<ReceivedMessage[]> {
    const all: ReceivedMessage[] = [];
    for (;;) {
      const batch = await receiveMessages(queue.client, queueUrl, { maxMessages: 10, waitMs: 1_000 });
      if (batch.length === 0) return all;
      all.push(...batch);
    }
  }

  it('deletes every message, 10 a call', async () => {
    // Prepare
    const queue = fakeQueue(23);
    const received = await receiveAll(queue);

    // Act
    const result = await deleteMessages(queue.client, queueUrl, received, instantPolicy());

    // Assess
    expect(queue.left()).toEqual([]);
    expect(result.deleted).toHaveLength(23);
    expect(result.failed).toEqual([]);
    expect(result.calls).toBe(3);
  });

  it('retries an entry that failed on SQS\'s side (SenderFault false), then deletes it', async () => {
    // Prepare
    const queue = fakeQueue(5, { serverFaultOnce: ['m2'] });
    const received = await receiveAll(queue);

    // Act
    const result = await deleteMessages(queue.client, queueUrl, received, instantPolicy());

    // Assess
    expect(queue.left()).toEqual([]);
    expect(ids(result.deleted).sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(result.failed).toEqual([]);
    expect(result.retries).toBe(1);
  });

  it('does not retry an entry the sender got wrong (SenderFault true) and reports it failed', async () => {
    // Prepare
    const queue = fakeQueue(5, { senderFault: ['m4'] });
    const received = await receiveAll(queue);

    // Act
    const result = await deleteMessages(queue.client, queueUrl, received, instantPolicy());

    // Assess
    expect(ids(result.failed)).toEqual(['m4']);
    expect(queue.left()).toEqual(['m4']);
    expect(result.calls).toBe(1);
    expect(result.retries).toBe(0);
  });

  it('reports an entry failed after the policy\'s attempts when SQS keeps failing it', async () => {
    // Prepare
    const queue = fakeQueue(3, { serverFaultAlways: ['m1'] });
    const received = await receiveAll(queue);

    // Act
    const result = await deleteMessages(queue.client, queueUrl, received, instantPolicy(3));

    // Assess
    expect(ids(result.failed)).toEqual(['m1']);
    expect(queue.left()).toEqual(['m1']);
    expect(result.calls).toBe(3);
  });

  it('leaves a call that failed whole to the SDK\'s retries: its messages stay undeleted, not sent again by the policy', async () => {
    // Prepare: the call throws as it would after the SDK's own attempts
    const queue = fakeQueue(4, { deleteErrors: [new RequestThrottled({ message: 'slow down', $metadata: {} })] });
    const received = await receiveAll(queue);

    // Act
    const result = await deleteMessages(queue.client, queueUrl, received, instantPolicy());

    // Assess
    expect(queue.left()).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(result.failed).toHaveLength(4);
    expect(result.calls).toBe(1);
    expect(result.retries).toBe(0);
  });

  it('gives up at once when the queue does not exist, and throws it so the caller fails loudly', async () => {
    // Prepare
    const gone = new QueueDoesNotExist({ message: 'gone', $metadata: { httpStatusCode: 400 } });
    const queue = fakeQueue(4, { deleteErrors: [gone] });
    const received = await receiveAll(queue);

    // Act
    const deleting = deleteMessages(queue.client, queueUrl, received, instantPolicy());

    // Assess
    await expect(deleting).rejects.toBe(gone);
    expect(queue.left()).toHaveLength(4);
  });
});

describe('releaseMessages', () => {
  it('gives messages back 10 a call, at once after a first receive and later after more', async () => {
    // Prepare
    const client = new SQSClient({ region: 'us-east-1' });
    const calls: ChangeMessageVisibilityBatchCommandInput[] = [];
    mockClient(client)
      .on(ChangeMessageVisibilityBatchCommand)
      .callsFake((input: ChangeMessageVisibilityBatchCommandInput) => {
        calls.push(input);
        return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
      });
    const messages: ReceivedMessage[] = Array.from({ length: 12 }, (_, i) => ({
      messageId: `m${i + 1}`,
      receiptHandle: `rh-${i + 1}`,
      body: '{}',
      sentTimestamp: 1,
      receiveCount: i < 11 ? 1 : 3,
    }));

    // Act
    const result = await releaseMessages(client, queueUrl, messages, 360);

    // Assess
    expect(result).toEqual({ released: 12, calls: 2 });
    expect(calls.map((call) => call.Entries?.length)).toEqual([10, 2]);
    expect(calls[1]?.Entries?.map((entry) => [entry.ReceiptHandle, entry.VisibilityTimeout])).toEqual([
      ['rh-11', 0],
      ['rh-12', 60],
    ]);
    expect(calls.every((call) => call.QueueUrl === queueUrl)).toBe(true);
  });
});
