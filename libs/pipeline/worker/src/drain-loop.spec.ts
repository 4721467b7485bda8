import { defaultWorkerSettings } from '@fanout/config';
import { itemKeyFor } from '@fanout/message-schema';
import { drainLoop, type LoopOptions } from './drain-loop.js';
import type { DrainPorts } from './drain-ports.js';
import { InMemoryQueue, InMemoryTable, message, messages, portsOf, receiveFailingAt, sentAt } from './testing/in-memory-ports.js';

/** A loop alone (no other loop to wait for) with the deployed settings, budgets and time to spare. */
const plenty: LoopOptions = {
  ...defaultWorkerSettings,
  messageBudget: 1_000,
  safetyMarginMs: 10_000,
  flushJoinWaitMs: 0,
  remainingTimeMs: () => 60_000,
};

describe('drainLoop', () => {
  describe('stops', () => {
    it('when a receive comes back empty, having written and deleted everything', async () => {
      // Prepare
      const queue = new InMemoryQueue(messages(37));
      const table = new InMemoryTable();

      // Act
      const summary = await drainLoop(portsOf(queue, table), plenty);

      // Assess
      expect(summary.stoppedBecause).toBe('queue-empty');
      expect(table.items.size).toBe(37);
      expect(queue.left()).toEqual([]);
      expect(summary.receiveCalls).toBe(5);
    });

    it('only after a long poll: while it holds unwritten messages it short-polls, and writes them before waiting', async () => {
      // Prepare: 20 messages, two full receives; record each poll and what the table held then
      const queue = new InMemoryQueue(messages(20));
      const table = new InMemoryTable();
      const polls: { waitMs: number; written: number }[] = [];
      const ports: DrainPorts = {
        ...portsOf(queue, table),
        receive: (maxMessages, waitMs) => {
          polls.push({ waitMs, written: table.items.size });
          return queue.receive(maxMessages);
        },
      };

      // Act
      const summary = await drainLoop(ports, { ...plenty, receiveWaitMs: 2_000 });

      // Assess: the empty short poll triggers the write; the long poll that ends the run comes after it
      expect(polls).toEqual([
        { waitMs: 2_000, written: 0 },
        { waitMs: 0, written: 0 },
        { waitMs: 0, written: 0 },
        { waitMs: 2_000, written: 20 },
      ]);
      expect(summary.stoppedBecause).toBe('queue-empty');
      expect(queue.left()).toEqual([]);
    });

    it('when the message budget is used up, leaving the rest on the queue', async () => {
      // Prepare
      const queue = new InMemoryQueue(messages(40));
      const table = new InMemoryTable();

      // Act
      const summary = await drainLoop(portsOf(queue, table), { ...plenty, messageBudget: 25 });

      // Assess: 10 + 10 + 5, never more than the budget
      expect(summary.stoppedBecause).toBe('message-budget');
      expect(summary.received).toBe(25);
      expect(table.messageIds()).toEqual(messages(25).map((m) => m.messageId));
      expect(queue.left()).toHaveLength(15);
    });

    it('when less time is left than the safety margin, writing what it received', async () => {
      // Prepare: every receive takes a second of a 60 s invocation
      let elapsedMs = 0;
      const queue = new InMemoryQueue(messages(100), [], () => {
        elapsedMs += 1_000;
      });
      const table = new InMemoryTable();

      // Act
      const summary = await drainLoop(portsOf(queue, table), {
        ...plenty,
        safetyMarginMs: 57_500,
        remainingTimeMs: () => 60_000 - elapsedMs,
      });

      // Assess: 60 s, 59 s and 58 s left allow a receive; 57 s does not
      expect(summary.stoppedBecause).toBe('time-margin');
      expect(summary.received).toBe(30);
      expect(table.items.size).toBe(30);
      expect(queue.left()).toHaveLength(70);
    });

    it('before the first receive when the invocation is already short of time', async () => {
      // Prepare
      const queue = new InMemoryQueue(messages(5));
      const table = new InMemoryTable();

      // Act
      const summary = await drainLoop(portsOf(queue, table), { ...plenty, remainingTimeMs: () => 9_999 });

      // Assess
      expect(summary.stoppedBecause).toBe('time-margin');
      expect(summary.receiveCalls).toBe(0);
      expect(table.items.size).toBe(0);
      expect(queue.left()).toHaveLength(5);
    });
  });

  describe('invalid messages', () => {
    it('are neither written nor deleted, and do not hold back their batch-mates', async () => {
      // Prepare
      const batch = messages(10);
      batch[2] = message(3, 'not json');
      batch[6] = message(7, JSON.stringify({ key1: 'a', key2: 'b', key3: '' }));
      const queue = new InMemoryQueue(batch);
      const table = new InMemoryTable();
      const reported: { messageId: string; reason: string }[] = [];

      // Act
      const summary = await drainLoop(portsOf(queue, table), {
        ...plenty,
        onInvalid: (m, reason) => reported.push({ messageId: m.messageId, reason }),
      });

      // Assess
      expect(table.messageIds()).toEqual(['m1', 'm2', 'm4', 'm5', 'm6', 'm8', 'm9', 'm10']);
      expect(queue.left()).toEqual(['m3', 'm7']);
      expect(reported).toEqual([
        { messageId: 'm3', reason: 'the body is not valid JSON' },
        { messageId: 'm7', reason: 'key3 must not be empty' },
      ]);
      expect(summary).toMatchObject({ received: 10, invalid: 2, written: 8, deleted: 8 });
    });

    it('write nothing when a whole receive is invalid', async () => {
      // Prepare
      const queue = new InMemoryQueue([{ ...message(1), body: undefined }, message(2, '[]'), message(3, '{"key1":1}')]);
      const table = new InMemoryTable();

      // Act
      const summary = await drainLoop(portsOf(queue, table), plenty);

      // Assess
      expect(table.items.size).toBe(0);
      expect(queue.left()).toEqual(['m1', 'm2', 'm3']);
      expect(summary).toMatchObject({ received: 3, invalid: 3, written: 0, writeCalls: 0, deleteCalls: 0 });
    });
  });

  describe('deletes', () => {
    it('only the messages whose items were written; unwritten items keep their messages', async () => {
      // Prepare
      const queue = new InMemoryQueue(messages(10));
      const table = new InMemoryTable();
      table.refused.add('m2');
      table.refused.add('m5');

      // Act
      const summary = await drainLoop(portsOf(queue, table), plenty);

      // Assess
      expect(queue.left()).toEqual(['m2', 'm5']);
      expect(table.messageIds()).toEqual(['m1', 'm3', 'm4', 'm6', 'm7', 'm8', 'm9', 'm10']);
      expect(summary).toMatchObject({ written: 8, unwritten: 2, deleted: 8 });
    });

    it('nothing when no item of the flush was written', async () => {
      // Prepare
      const queue = new InMemoryQueue(messages(3));
      const table = new InMemoryTable();
      for (const id of ['m1', 'm2', 'm3']) table.refused.add(id);

      // Act
      const summary = await drainLoop(portsOf(queue, table), plenty);

      // Assess
      expect(queue.left()).toEqual(['m1', 'm2', 'm3']);
      expect(summary).toMatchObject({ written: 0, unwritten: 3, deleted: 0, deleteCalls: 0 });
    });

    it('counts a written message whose delete failed; it stays on the queue', async () => {
      // Prepare
      const queue = new InMemoryQueue(messages(10));
      queue.undeletable.add('m4');
      const table = new InMemoryTable();

      // Act
      const summary = await drainLoop(portsOf(queue, table), plenty);

      // Assess
      expect(table.items.size).toBe(10);
      expect(queue.left()).toEqual(['m4']);
      expect(summary).toMatchObject({ written: 10, deleted: 9, deleteFailed: 1 });
    });
  });

  describe('flushes', () => {
    it('once 50 valid messages are pending, stamping writtenAt at the flush', async () => {
      // Prepare: the clock moves 100 ms a receive
      let clock = sentAt;
      const queue = new InMemoryQueue(messages(60), [], () => {
        clock += 100;
      });
      const table = new InMemoryTable();

      // Act
      await drainLoop(portsOf(queue, table), { ...plenty, now: () => clock });

      // Assess: written after the 5th receive, then after the 7th (empty) one
      expect(table.flushSizes()).toEqual({ [sentAt + 500]: 50, [sentAt + 700]: 10 });
    });

    it('as soon as a receive comes back short', async () => {
      // Prepare
      let clock = sentAt;
      const queue = new InMemoryQueue(messages(23), [10, 3, 10], () => {
        clock += 100;
      });
      const table = new InMemoryTable();

      // Act
      await drainLoop(portsOf(queue, table), { ...plenty, now: () => clock });

      // Assess: the short 2nd receive flushes 13; the last 10 go after the empty 4th
      expect(table.flushSizes()).toEqual({ [sentAt + 200]: 13, [sentAt + 400]: 10 });
    });

    it('at the flushAt it is given', async () => {
      // Prepare
      let clock = sentAt;
      const queue = new InMemoryQueue(messages(60), [], () => {
        clock += 100;
      });
      const table = new InMemoryTable();

      // Act
      await drainLoop(portsOf(queue, table), { ...plenty, flushAt: 20, now: () => clock });

      // Assess
      expect(table.flushSizes()).toEqual({ [sentAt + 200]: 20, [sentAt + 400]: 20, [sentAt + 600]: 20 });
    });
  });

  describe('with what its start said to expect', () => {
    const drainExpecting = async (expectedMessages: number) => {
      let clock = sentAt;
      const queue = new InMemoryQueue(messages(60), [], () => {
        clock += 100;
      });
      const table = new InMemoryTable();
      const summary = await drainLoop(portsOf(queue, table), { ...plenty, expectedMessages, now: () => clock });
      return { summary, flushes: table.flushSizes() };
    };

    it('writes the receive that brings it to what it expected at once, then goes on at flushAt', async () => {
      // Act: 60 on the queue, 10 expected.
      const { summary, flushes } = await drainExpecting(10);

      // Assess: the first receive is written as it comes; the five after it make one flush of 50.
      expect(flushes).toEqual({ [sentAt + 100]: 10, [sentAt + 600]: 50 });
      expect(summary).toMatchObject({ received: 60, written: 60, deleted: 60 });
    });

    it('holds receives until it has what it expected', async () => {
      // Act: 60 on the queue, 25 expected.
      const { summary, flushes } = await drainExpecting(25);

      // Assess: three receives (30) reach 25; the other 30 are held until an empty receive.
      expect(flushes).toEqual({ [sentAt + 300]: 30, [sentAt + 700]: 30 });
      expect(summary).toMatchObject({ received: 60, written: 60, deleted: 60 });
    });
  });

  it('flushes before it has held a message for half the visibility timeout', async () => {
    // Prepare: a receive takes 2 s (1 s of it the long-poll wait); visibility timeout 10 s
    let clock = 0;
    const queue = new InMemoryQueue(messages(60), [], () => (clock += 2_000));
    const table = new InMemoryTable();

    // Act
    await drainLoop(portsOf(queue, table), {
      ...plenty,
      now: () => clock,
      visibilityTimeoutMs: 10_000,
      receiveWaitMs: 1_000,
    });

    // Assess: no message waits for its write longer than 5 s, so none reappears for another worker
    const held = [...table.items.values()].map((item) => item.writtenAt - (queue.receivedAt.get(item.messageId) ?? 0));
    expect(Math.max(...held)).toBeLessThanOrEqual(5_000);
    expect(table.flushSizes()).toEqual({ 6_000: 30, 12_000: 30 });
    expect(queue.left()).toEqual([]);
  });

  it('writes and deletes what it holds before it fails on a receive', async () => {
    // Prepare: two full receives are held (no flush yet), then the third receive fails for good
    const queue = new InMemoryQueue(messages(40));
    const table = new InMemoryTable();
    const ports: DrainPorts = { ...portsOf(queue, table), receive: receiveFailingAt(queue, 3, new Error('AccessDenied')) };

    // Act
    const run = drainLoop(ports, plenty);

    // Assess: the loop fails, and the 20 it held are written and off the queue
    await expect(run).rejects.toThrow('AccessDenied');
    expect(table.messageIds()).toEqual(messages(20).map((m) => m.messageId));
    expect(queue.left()).toEqual(messages(40).slice(20).map((m) => m.messageId));
  });

  it('writes and deletes a message received twice in one run once, with its latest receipt handle', async () => {
    // Prepare: m3 comes back (a visibility timeout ran out) in the second receive
    const redelivered = { ...message(3), receiptHandle: 'rh-3-again', receiveCount: 2 };
    const queue = new InMemoryQueue([...messages(10), redelivered, ...messages(19).slice(10)]);
    const table = new InMemoryTable();

    // Act
    const summary = await drainLoop(portsOf(queue, table), plenty);

    // Assess
    expect(table.items.size).toBe(19);
    expect(queue.left()).toEqual([]);
    expect(summary).toMatchObject({ received: 20, written: 19, deleted: 19 });
  });

  it('writes each message as its item: key from the MessageId, enqueuedAt from SentTimestamp', async () => {
    // Prepare
    const queue = new InMemoryQueue([message(7)]);
    const table = new InMemoryTable();

    // Act
    await drainLoop(portsOf(queue, table), { ...plenty, now: () => 1_700_000_009_999 });

    // Assess
    expect([...table.items.values()]).toEqual([
      {
        uuid: itemKeyFor('m7'),
        key1: 'k1-7',
        key2: 'k2-7',
        key3: 'k3-7',
        runId: 'run-1',
        messageId: 'm7',
        enqueuedAt: sentAt + 7,
        writtenAt: 1_700_000_009_999,
      },
    ]);
  });

  it('adds up a run in its summary', async () => {
    // Prepare: 23 messages in receives of 10, 10, 3; one invalid, one unwritten, one undeletable
    const batch = messages(23);
    batch[4] = message(5, '{}');
    const queue = new InMemoryQueue(batch);
    queue.undeletable.add('m12');
    const table = new InMemoryTable();
    table.refused.add('m20');

    // Act
    const summary = await drainLoop(portsOf(queue, table), plenty);

    // Assess
    expect(summary).toEqual({
      received: 23,
      written: 21,
      invalid: 1,
      deleted: 20,
      deleteFailed: 1,
      unwritten: 1,
      receiveCalls: 4,
      writeCalls: 1,
      deleteCalls: 3,
      retries: 3,
      throttledWrites: 0,
      released: 0,
      loops: 1,
      sheds: 0,
      stoppedBecause: 'queue-empty',
    });
    expect(queue.left()).toEqual(['m5', 'm12', 'm20']);
  });
});
