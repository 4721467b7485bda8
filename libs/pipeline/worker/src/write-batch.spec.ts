import { InMemoryTable, message, messages } from './testing/in-memory-ports.js';
import { batchMessageOf, writeBatch, type BatchMessage } from './write-batch.js';

/** As the mapping hands them over: no receipt handle reaches the worker's code. */
function batchOf(...received: ReturnType<typeof message>[]): BatchMessage[] {
  return received.map(({ messageId, body, sentTimestamp, receiveCount }) => ({ messageId, body, sentTimestamp, receiveCount }));
}

describe('writeBatch: one batch of the SQS event source mapping', () => {
  it('writes a batch of 30 in two BatchWriteItem calls (25 + 5) and names no failure', async () => {
    // Prepare
    const table = new InMemoryTable();
    // Act
    const result = await writeBatch(table.write, batchOf(...messages(30)), { now: () => 42 });
    // Assess
    expect(result.failedMessageIds).toEqual([]);
    expect(table.items.size).toBe(30);
    expect(table.flushSizes()).toEqual({ 42: 30 });
    expect(result.summary).toMatchObject({ received: 30, written: 30, invalid: 0, unwritten: 0, writeCalls: 2, stoppedBecause: 'batch-end' });
  });

  it('names exactly the message whose write failed for good, and writes its batch-mates', async () => {
    // Prepare
    const table = new InMemoryTable();
    table.refused.add('m7');
    // Act
    const result = await writeBatch(table.write, batchOf(...messages(10)));
    // Assess
    expect(result.failedMessageIds).toEqual(['m7']);
    expect(table.messageIds()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'm9', 'm10']);
    expect(result.summary).toMatchObject({ written: 9, unwritten: 1 });
  });

  it('names an invalid message as failed, tells why once, and writes the valid ones', async () => {
    // Prepare
    const table = new InMemoryTable();
    const reasons: [string, string][] = [];
    // Act
    const result = await writeBatch(table.write, batchOf(message(1), message(2, 'not json'), message(3, '{"key1":"a"}')), {
      onInvalid: (invalid, reason) => reasons.push([invalid.messageId, reason]),
    });
    // Assess
    expect(result.failedMessageIds.sort()).toEqual(['m2', 'm3']);
    expect(reasons).toEqual([
      ['m2', 'the body is not valid JSON'],
      ['m3', expect.stringContaining('key2')],
    ]);
    expect(table.messageIds()).toEqual(['m1']);
    expect(result.summary).toMatchObject({ received: 3, invalid: 2, written: 1 });
  });

  it('keeps what a call wrote before an error no retry fixes, names the rest, and hands the error back', async () => {
    // Prepare: the first call of 25 goes through, then the table refuses everything with an error.
    const table = new InMemoryTable();
    const denied = Object.assign(new Error('User is not authorized to perform: dynamodb:BatchWriteItem'), { name: 'AccessDeniedException' });
    const write: typeof table.write = async (items, onWritten) => {
      await table.write(items.slice(0, 25), onWritten);
      throw denied;
    };
    // Act
    const result = await writeBatch(write, batchOf(...messages(30)));
    // Assess
    expect(result.failedMessageIds).toEqual(['m26', 'm27', 'm28', 'm29', 'm30']);
    expect(table.items.size).toBe(25);
    expect(result.writeError).toBe(denied);
    expect(result.summary).toMatchObject({ written: 25, unwritten: 5 });
  });

  it('writes one item for two messages with one idempotency key, and gives both back when that item was not written', async () => {
    // Prepare: a client's retry queued the same message twice (m1, m2); a third message has a key of its own
    const body = (idempotencyKey: string) => JSON.stringify({ key1: 'a', key2: 'b', key3: 'c', runId: 'run-1', idempotencyKey });
    const batch = batchOf(message(1, body('k')), message(2, body('k')), message(3, body('other')));
    const table = new InMemoryTable();
    const refusing = new InMemoryTable();
    refusing.refused.add('m2');

    // Act
    const written = await writeBatch(table.write, batch);
    const refused = await writeBatch(refusing.write, batch);

    // Assess
    expect(written.failedMessageIds).toEqual([]);
    expect([...table.items.values()].map((item) => item.idempotencyKey).sort()).toEqual(['k', 'other']);
    expect(refused.failedMessageIds.sort()).toEqual(['m1', 'm2']);
  });

  it('does not call the table for a batch of nothing but invalid messages', async () => {
    // Prepare
    const calls: number[] = [];
    const write = async () => {
      calls.push(1);
      return { unwritten: [], calls: 1, retries: 0 };
    };
    // Act
    const result = await writeBatch(write, batchOf(message(1, 'null'), message(2, '[]')));
    // Assess
    expect(calls).toEqual([]);
    expect(result.failedMessageIds).toEqual(['m1', 'm2']);
  });
});

describe('batchMessageOf', () => {
  it('reads the MessageId, the body, when SQS took the message and how often it was received', () => {
    // Act
    const read = batchMessageOf({
      messageId: 'm-1',
      body: '{}',
      attributes: { SentTimestamp: '1700000000123', ApproximateReceiveCount: '3', SenderId: 's', ApproximateFirstReceiveTimestamp: '1' },
    });
    // Assess
    expect(read).toEqual({ messageId: 'm-1', body: '{}', sentTimestamp: 1_700_000_000_123, receiveCount: 3 });
  });
});
