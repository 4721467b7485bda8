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
