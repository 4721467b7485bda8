import { parseQueuedMessage, type Item } from '@fanout/message-schema';
import type { DrainPorts, ReceivedMessage } from './drain-ports.js';
import { RunWriter, type HeldMessage, type RunWriterOptions } from './run-writer.js';
import { InMemoryQueue, InMemoryTable, messages, sentAt } from './testing/in-memory-ports.js';

/** Valid messages m<from>…m<from + count − 1>, as a loop holds them once they passed validation. */
function held(from: number, count: number): HeldMessage[] {
  return messages(from + count - 1)
    .slice(from - 1)
    .map((message) => {
      const parsed = parseQueuedMessage(message.body);
      if (!parsed.ok) throw new Error(parsed.reason);
      return { message, body: parsed.message };
    });
}

/** A queue of m1…m<count> that has handed them all out, so that their receipt handles delete them. */
async function receivedQueue(count: number): Promise<InMemoryQueue> {
  const queue = new InMemoryQueue(messages(count));
  while ((await queue.receive(10)).length > 0);
  return queue;
}

/**
 * The writer's ports on an in-memory table and queue, recording the size of every write and delete
 * call. Its write does not tell as it goes, as a port that cannot: the writer deletes after it.
 */
function recordingPorts(table: InMemoryTable, queue: InMemoryQueue) {
  const calls = { writes: [] as number[], removes: [] as number[] };
  const ports: Pick<DrainPorts, 'write' | 'remove'> = {
    write: (items: Item[]) => {
      calls.writes.push(items.length);
      return table.write(items);
    },
    remove: (toDelete: ReceivedMessage[]) => {
      calls.removes.push(toDelete.length);
      return queue.remove(toDelete);
    },
  };
  return { ports, calls };
}

async function setUp(options: Partial<RunWriterOptions> & { othersMayJoin: () => boolean }) {
  const table = new InMemoryTable();
  const queue = await receivedQueue(60);
  const { ports, calls } = recordingPorts(table, queue);
  // A join wait past the test timeout: a flush that should go out at once but waits fails the test.
  const writer = new RunWriter(ports, { now: () => sentAt, flushAt: 50, maxJoinWaitMs: 60_000, ...options });
  return { table, queue, calls, writer };
}

const aTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('RunWriter', () => {
  it('sends a flush at once when no other loop may join it', async () => {
    // Prepare
    const { table, calls, writer } = await setUp({ othersMayJoin: () => false });

    // Act
    const flushed = writer.flush(held(1, 10));
    const sentAtOnce = [...calls.writes];
    const outcome = await flushed;

    // Assess
    expect(sentAtOnce).toEqual([10]);
    expect(calls).toEqual({ writes: [10], removes: [10] });
    expect(table.items.size).toBe(10);
    expect(outcome).toEqual({ written: 10, unwritten: 0, deleted: 10, deleteFailed: 0, writeCalls: 1, deleteCalls: 1, retries: 0, released: 0 });
  });

  it('sends the flushes of loops that come together as one group: full BatchWriteItem and DeleteMessageBatch calls', async () => {
    // Prepare: two more loops may join until the third flush comes
    let mayJoin = true;
    const { table, queue, calls, writer } = await setUp({ othersMayJoin: () => mayJoin });

    // Act
    const first = writer.flush(held(1, 10));
    const second = writer.flush(held(11, 10));
    await aTurn();
    const writtenWhileWaiting = table.items.size;
    mayJoin = false;
    const third = writer.flush(held(21, 10));
    const sentByTheThird = [...calls.writes];
    const outcomes = await Promise.all([first, second, third]);

    // Assess: one write of 30 (25 + 5 puts) and three deletes of 10, counted once
    expect(writtenWhileWaiting).toBe(0);
    expect(sentByTheThird).toEqual([30]);
    expect(calls).toEqual({ writes: [30], removes: [10, 10, 10] });
    expect(queue.left()).toEqual(messages(60).slice(30).map((m) => m.messageId));
    expect(outcomes.map((outcome) => outcome.written)).toEqual([10, 10, 10]);
    expect(outcomes.map((outcome) => [outcome.writeCalls, outcome.deleteCalls])).toEqual([
      [2, 3],
      [0, 0],
      [0, 0],
    ]);
  });

  it('sends a group as soon as it holds flushAt messages, however many may still join', async () => {
    // Prepare
    const { calls, writer } = await setUp({ othersMayJoin: () => true, flushAt: 20 });

    // Act
    const first = writer.flush(held(1, 10));
    const sentByTheFirst = [...calls.writes];
    const second = writer.flush(held(11, 10));
    const sentByTheSecond = [...calls.writes];
    await Promise.all([first, second]);

    // Assess
    expect(sentByTheFirst).toEqual([]);
    expect(sentByTheSecond).toEqual([20]);
  });

  it('sends the open group when a recheck finds that nobody may join any more', async () => {
    // Prepare
    let mayJoin = true;
    const { calls, writer } = await setUp({ othersMayJoin: () => mayJoin });
    const flushed = writer.flush(held(1, 10));
    writer.recheck();
    await aTurn();
    const sentBefore = calls.writes.length;

    // Act: the other loop's receive came back empty
    mayJoin = false;
    writer.recheck();
    const sentByTheRecheck = [...calls.writes];
    await flushed;

    // Assess
    expect(sentBefore).toBe(0);
    expect(sentByTheRecheck).toEqual([10]);
  });

  it('never holds a flush longer than maxJoinWaitMs, even if another loop may still join', async () => {
    // Prepare
    const { calls, writer } = await setUp({ othersMayJoin: () => true, maxJoinWaitMs: 20 });
    const started = performance.now();

    // Act
    await writer.flush(held(1, 10));

    // Assess: sent by the timer, not later than a generous bound on a busy machine
    const waited = performance.now() - started;
    expect(calls.writes).toEqual([10]);
    expect(waited).toBeGreaterThanOrEqual(15);
    expect(waited).toBeLessThan(1_000);
  });

  it('sends a group once: nothing more goes out after it, not when its wait runs out nor on a recheck', async () => {
    // Prepare
    let mayJoin = true;
    const { calls, writer } = await setUp({ othersMayJoin: () => mayJoin, maxJoinWaitMs: 30 });
    const flushed = writer.flush(held(1, 10));
    mayJoin = false;
    writer.recheck();
    await flushed;

    // Act: past the join wait, and rechecked again
    await new Promise((resolve) => setTimeout(resolve, 60));
    writer.recheck();
    await aTurn();

    // Assess
    expect(calls).toEqual({ writes: [10], removes: [10] });
  });

  it('stamps writtenAt when the group is sent, not when a loop flushed', async () => {
    // Prepare
    let clock = sentAt;
    let mayJoin = true;
    const { table, writer } = await setUp({ othersMayJoin: () => mayJoin, now: () => clock });

    // Act: a flush at +100 ms waits for one at +130 ms
    clock += 100;
    const first = writer.flush(held(1, 10));
    clock += 30;
    mayJoin = false;
    await Promise.all([first, writer.flush(held(11, 10))]);

    // Assess
    expect(table.flushSizes()).toEqual({ [sentAt + 130]: 20 });
  });

  it('reports to each loop what became of its own messages', async () => {
    // Prepare: m3 (first loop's) is never written; m14 (second loop's) cannot be deleted
    let mayJoin = true;
    const { table, queue, writer } = await setUp({ othersMayJoin: () => mayJoin });
    table.refused.add('m3');
    queue.undeletable.add('m14');

    // Act
    const first = writer.flush(held(1, 10));
    mayJoin = false;
    const [mine, theirs] = await Promise.all([first, writer.flush(held(11, 10))]);

    // Assess
    expect(mine).toMatchObject({ written: 9, unwritten: 1, deleted: 9, deleteFailed: 0 });
    expect(theirs).toMatchObject({ written: 10, unwritten: 0, deleted: 9, deleteFailed: 1 });
    expect(queue.left().filter((id) => Number(id.slice(1)) <= 20)).toEqual(['m3', 'm14']);
  });

  it('deletes the messages whose items are written while the others are still being retried, in full batches', async () => {
    // Prepare: the write takes the first 25 items at once and the last 5 only when `retried` is called
    const queue = await receivedQueue(30);
    const table = new InMemoryTable();
    const removed: number[] = [];
    let retried: () => void = () => undefined;
    const writer = new RunWriter(
      {
        write: async (items, onWritten) => {
          await table.write(items.slice(0, 25), onWritten);
          await new Promise<void>((resolve) => (retried = resolve));
          await table.write(items.slice(25), onWritten);
          return { unwritten: [], calls: 3, retries: 1 };
        },
        remove: async (toDelete) => {
          removed.push(toDelete.length);
          return queue.remove(toDelete);
        },
      },
      { now: () => sentAt, flushAt: 50, maxJoinWaitMs: 60_000, othersMayJoin: () => false },
    );

    // Act
    const flushed = writer.flush(held(1, 30));
    await aTurn();
    const removedWhileRetrying = [...removed];
    const leftWhileRetrying = queue.left();
    retried();
    const outcome = await flushed;

    // Assess: 20 deleted while 5 written wait for 5 more to fill a batch of 10
    expect(removedWhileRetrying).toEqual([10, 10]);
    expect(leftWhileRetrying).toEqual(messages(30).slice(20).map((m) => m.messageId));
    expect(removed).toEqual([10, 10, 10]);
    expect(queue.left()).toEqual([]);
    expect(outcome).toMatchObject({ written: 30, deleted: 30, deleteCalls: 3 });
  });

  it('deletes what a failing write did write, then fails the loops', async () => {
    // Prepare: 10 items go through, then the write fails for good
    const queue = await receivedQueue(20);
    const table = new InMemoryTable();
    const writer = new RunWriter(
      {
        write: async (items, onWritten) => {
          await table.write(items.slice(0, 10), onWritten);
          throw new Error('AccessDeniedException');
        },
        remove: queue.remove,
      },
      { now: () => sentAt, flushAt: 50, maxJoinWaitMs: 60_000, othersMayJoin: () => false },
    );

    // Act
    const flushed = writer.flush(held(1, 20));

    // Assess: the 10 written are off the queue, the 10 others stay for a redelivery
    await expect(flushed).rejects.toThrow('AccessDeniedException');
    expect(table.messageIds()).toEqual(messages(10).map((m) => m.messageId));
    expect(queue.left()).toEqual(messages(20).slice(10).map((m) => m.messageId));
  });

  it('fails every loop of a group whose write fails, and deletes nothing', async () => {
    // Prepare
    let mayJoin = true;
    const queue = await receivedQueue(20);
    const removed: number[] = [];
    const writer = new RunWriter(
      {
        write: async () => {
          throw new Error('AccessDeniedException');
        },
        remove: async (toDelete) => {
          removed.push(toDelete.length);
          return queue.remove(toDelete);
        },
      },
      { now: () => sentAt, flushAt: 50, maxJoinWaitMs: 60_000, othersMayJoin: () => mayJoin },
    );

    // Act
    const first = writer.flush(held(1, 10));
    mayJoin = false;
    const second = writer.flush(held(11, 10));

    // Assess
    await expect(first).rejects.toThrow('AccessDeniedException');
    await expect(second).rejects.toThrow('AccessDeniedException');
    expect(removed).toEqual([]);
    expect(queue.left()).toHaveLength(20);
  });

  it('gives what the table would not take back to the queue at once, and tells the run how its writes went', async () => {
    // Prepare: the table refuses m3 and m7 (each after two retries)
    const table = new InMemoryTable();
    table.refused.add('m3');
    table.refused.add('m7');
    const queue = await receivedQueue(10);
    const { ports } = recordingPorts(table, queue);
    const released: string[][] = [];
    const rounds: { calls: number; retries: number; unwritten: number }[] = [];
    const writer = new RunWriter(
      { ...ports, release: async (messages) => (released.push(messages.map((m) => m.messageId)), { released: messages.length, calls: 1 }) },
      { now: () => sentAt, flushAt: 50, maxJoinWaitMs: 0, othersMayJoin: () => false, onWrites: (round) => rounds.push(round) },
    );

    // Act
    const outcome = await writer.flush(held(1, 10));

    // Assess
    expect(released).toEqual([['m3', 'm7']]);
    expect(outcome).toMatchObject({ written: 8, unwritten: 2, deleted: 8, released: 2 });
    expect(rounds).toEqual([{ calls: 1, retries: 4, unwritten: 2 }]);
    expect(queue.left().sort()).toEqual(['m3', 'm7']);
  });

  it('leaves unwritten messages to their visibility timeout when giving them back fails', async () => {
    // Prepare
    const table = new InMemoryTable();
    table.refused.add('m2');
    const queue = await receivedQueue(5);
    const { ports } = recordingPorts(table, queue);
    const writer = new RunWriter(
      { ...ports, release: () => Promise.reject(new Error('AccessDenied')) },
      { now: () => sentAt, flushAt: 50, maxJoinWaitMs: 0, othersMayJoin: () => false },
    );

    // Act
    const outcome = await writer.flush(held(1, 5));

    // Assess: the flush itself does not fail for it
    expect(outcome).toMatchObject({ written: 4, unwritten: 1, released: 0 });
  });
});
