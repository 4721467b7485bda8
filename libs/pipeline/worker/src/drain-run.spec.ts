import { defaultWorkerSettings, type WorkerSettings } from '@fanout/config';
import type { DrainPorts } from './drain-ports.js';
import { drainRun, splitEvenly } from './drain-run.js';
import { InMemoryQueue, InMemoryTable, message, messages, portsOf, receiveFailingAt, signallingWrite } from './testing/in-memory-ports.js';

/** The deployed settings, with budgets to spare. */
const plenty: WorkerSettings = { ...defaultWorkerSettings, messageBudget: 1_000, safetyMarginMs: 10_000 };
const remainingTimeMs = () => 60_000;

/** The ports, recording how many receives were waiting for an answer at once, at most. */
function countingConcurrency(ports: DrainPorts) {
  let inFlight = 0;
  const seen = { maxConcurrentReceives: 0, receiveSizes: [] as number[] };
  return {
    seen,
    ports: {
      ...ports,
      receive: async (maxMessages: number, waitMs: number) => {
        seen.receiveSizes.push(maxMessages);
        inFlight++;
        seen.maxConcurrentReceives = Math.max(seen.maxConcurrentReceives, inFlight);
        try {
          return await ports.receive(maxMessages, waitMs);
        } finally {
          inFlight--;
        }
      },
    } satisfies DrainPorts,
  };
}

describe('splitEvenly', () => {
  it('splits a whole number into shares that differ by at most one and add up to it', () => {
    expect(splitEvenly(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitEvenly(5_000, 4)).toEqual([1_250, 1_250, 1_250, 1_250]);
    expect(splitEvenly(3, 1)).toEqual([3]);
  });

  it('gives every share all of an unlimited budget', () => {
    expect(splitEvenly(Infinity, 3)).toEqual([Infinity, Infinity, Infinity]);
  });
});

describe('drainRun', () => {
  it('keeps `loops` receives waiting at once, and writes and deletes every message once', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(95));
    const table = new InMemoryTable();
    const { ports, seen } = countingConcurrency(portsOf(queue, table));

    // Act
    const result = await drainRun(ports, plenty, { loops: 4, remainingTimeMs });

    // Assess
    expect(seen.maxConcurrentReceives).toBe(4);
    expect(result).toMatchObject({ received: 95, written: 95, deleted: 95, stoppedBecause: 'queue-empty' });
    expect(table.messageIds()).toEqual(messages(95).map((m) => m.messageId));
    expect(queue.left()).toEqual([]);
  });

  it('runs no more loops than the settings allow, whatever its start asks for', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(100));
    const { ports, seen } = countingConcurrency(portsOf(queue, new InMemoryTable()));

    // Act
    const result = await drainRun(ports, { ...plenty, receiveLoops: 3 }, { loops: 9, remainingTimeMs });

    // Assess
    expect(seen.maxConcurrentReceives).toBe(3);
    expect(result).toMatchObject({ received: 100, written: 100, deleted: 100 });
    expect(queue.left()).toEqual([]);
  });

  it('keeps the run as a whole to its message budget, shared between the loops', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(100));
    const table = new InMemoryTable();
    const { ports, seen } = countingConcurrency(portsOf(queue, table));

    // Act
    const result = await drainRun(ports, { ...plenty, messageBudget: 10 }, { loops: 4, remainingTimeMs });

    // Assess
    expect(seen.receiveSizes.sort()).toEqual([2, 2, 3, 3]);
    expect(result).toMatchObject({ received: 10, written: 10, stoppedBecause: 'message-budget' });
    expect(queue.left()).toHaveLength(90);
  });

  it('runs a single loop for a receive budget of 1, the original design’s one receive', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(30));
    const table = new InMemoryTable();
    const { ports, seen } = countingConcurrency(portsOf(queue, table));

    // Act
    const result = await drainRun(ports, { ...plenty, maxReceives: 1 }, { loops: 4, remainingTimeMs });

    // Assess
    expect(seen.receiveSizes).toEqual([10]);
    expect(result).toMatchObject({ received: 10, written: 10, receiveCalls: 1, stoppedBecause: 'receive-budget' });
  });

  it('shares a receive budget between the loops', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(100));
    const { ports, seen } = countingConcurrency(portsOf(queue, new InMemoryTable()));

    // Act
    const result = await drainRun(ports, { ...plenty, maxReceives: 6 }, { loops: 4, remainingTimeMs });

    // Assess: 2 + 2 + 1 + 1 receives.
    expect(seen.maxConcurrentReceives).toBe(4);
    expect(result).toMatchObject({ receiveCalls: 6, received: 60, stoppedBecause: 'receive-budget' });
  });

  it('shares what the run can expect between its loops, each writing its share without asking for more', async () => {
    // Prepare: two runs of 2 loops over 20 messages each, one told to expect 20.
    const expecting = new InMemoryQueue(messages(20));
    const unsaid = new InMemoryQueue(messages(20));

    // Act
    const told = await drainRun(portsOf(expecting, new InMemoryTable()), plenty, { loops: 2, expectedMessages: 20, remainingTimeMs });
    const untold = await drainRun(portsOf(unsaid, new InMemoryTable()), plenty, { loops: 2, remainingTimeMs });

    // Assess: each loop expects 10, so it writes its receive of 10 and then finds the queue empty
    // (2 receives a loop); untold, each loop first asks for more while it holds them (3 a loop).
    expect(told).toMatchObject({ received: 20, written: 20, deleted: 20, receiveCalls: 4 });
    expect(untold).toMatchObject({ received: 20, written: 20, deleted: 20, receiveCalls: 6 });
  });

  it('starts no more loops than there are messages in the budget', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(10));
    const { ports, seen } = countingConcurrency(portsOf(queue, new InMemoryTable()));

    // Act
    const result = await drainRun(ports, { ...plenty, messageBudget: 2 }, { loops: 4, remainingTimeMs });

    // Assess
    expect(seen.receiveSizes).toEqual([1, 1]);
    expect(result.received).toBe(2);
  });

  it('leaves an invalid message for the dead-letter queue whichever loop received it', async () => {
    // Prepare
    const batch = messages(40);
    batch[22] = message(23, 'not json');
    const queue = new InMemoryQueue(batch);
    const table = new InMemoryTable();
    const invalid: string[] = [];

    // Act
    const result = await drainRun(portsOf(queue, table), plenty, { loops: 3, onInvalid: (m) => invalid.push(m.messageId), remainingTimeMs });

    // Assess
    expect(invalid).toEqual(['m23']);
    expect(result).toMatchObject({ received: 40, written: 39, invalid: 1 });
    expect(queue.left()).toEqual(['m23']);
  });

  /** The ports, recording the size of every write and delete call. */
  function recordingPorts(queue: InMemoryQueue, table: InMemoryTable) {
    const calls = { writes: [] as number[], removes: [] as number[] };
    const ports: DrainPorts = {
      ...portsOf(queue, table),
      write: (items) => {
        calls.writes.push(items.length);
        return table.write(items);
      },
      remove: (toDelete) => {
        calls.removes.push(toDelete.length);
        return queue.remove(toDelete);
      },
    };
    return { ports, calls };
  }

  it('writes what the run expected in full batches: its loops’ receives of 10 go out together, without waiting out the join wait', async () => {
    // Prepare: a run told to expect 40, four loops, one receive of 10 each (fewer than flushAt, so
    // only the loops' own progress sends the group); a join wait past the test timeout, so a run that
    // waited for it instead of for its loops would fail
    const queue = new InMemoryQueue(messages(40));
    const table = new InMemoryTable();
    const { ports, calls } = recordingPorts(queue, table);

    // Act
    const result = await drainRun(ports, { ...plenty, flushJoinWaitMs: 60_000 }, { loops: 4, expectedMessages: 40, remainingTimeMs });

    // Assess: one group of 40, i.e. two BatchWriteItem calls (25 + 15) and four DeleteMessageBatch calls of 10
    expect(calls).toEqual({ writes: [40], removes: [10, 10, 10, 10] });
    expect(result).toMatchObject({ received: 40, written: 40, deleted: 40, writeCalls: 2, deleteCalls: 4 });
    expect(queue.left()).toEqual([]);
  });

  it('lets each loop write alone when the join wait is 0', async () => {
    // Prepare
    const queue = new InMemoryQueue(messages(50));
    const { ports, calls } = recordingPorts(queue, new InMemoryTable());

    // Act
    const result = await drainRun(ports, { ...plenty, receiveLoops: 5, flushJoinWaitMs: 0 }, { loops: 5, expectedMessages: 50, remainingTimeMs });

    // Assess
    expect(calls.writes).toEqual([10, 10, 10, 10, 10]);
    expect(result).toMatchObject({ written: 50, deleted: 50, writeCalls: 5 });
  });

  it('does not keep a loop’s write waiting for another loop whose receive finds nothing', async () => {
    // Prepare: told to expect 20, but only 10 are there; the other loop's long poll finds nothing
    // and answers only once the write is out (or after 10 s, which fails the test)
    const queue = new InMemoryQueue(messages(10));
    const table = new InMemoryTable();
    const { write, untilWritten } = signallingWrite(table);
    const ports: DrainPorts = {
      ...portsOf(queue, table),
      receive: async (maxMessages) => {
        const received = await queue.receive(maxMessages);
        if (received.length === 0) await untilWritten();
        return received;
      },
      write,
    };

    // Act
    const result = await drainRun(ports, { ...plenty, flushJoinWaitMs: 20 }, { loops: 2, expectedMessages: 20, remainingTimeMs });

    // Assess: written after the join wait, while the empty long poll was still out
    expect(result).toMatchObject({ received: 10, written: 10, deleted: 10 });
  });

  it('waits only for the first receives: a later one of another loop does not hold a write back', async () => {
    // Prepare: both loops get 10 first; the next receive comes back short (3); the one after it
    // waits until a write is out (or 10 s, which fails the test). Told to expect 100, so the run
    // never has what it expects, and a join wait past the test timeout.
    const queue = new InMemoryQueue(messages(23));
    const table = new InMemoryTable();
    const { write, untilWritten } = signallingWrite(table);
    let receives = 0;
    const ports: DrainPorts = {
      ...portsOf(queue, table),
      receive: async (maxMessages) => {
        receives++;
        if (receives === 3) return queue.receive(3);
        if (receives === 4) {
          await untilWritten();
          return [];
        }
        return queue.receive(maxMessages);
      },
      write,
    };

    // Act
    const result = await drainRun(ports, { ...plenty, flushJoinWaitMs: 60_000 }, { loops: 2, expectedMessages: 100, remainingTimeMs });

    // Assess
    expect(result).toMatchObject({ received: 23, written: 23, deleted: 23 });
    expect(queue.left()).toEqual([]);
  });

  it('fails only once every other loop has written and deleted what it held', async () => {
    // Prepare: the third receive of the run fails for good; the other loops hold messages then.
    const queue = new InMemoryQueue(messages(60));
    const table = new InMemoryTable();
    const ports: DrainPorts = {
      ...portsOf(queue, table),
      // Writes take a while, so the failure comes while the other loops still hold messages.
      write: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return table.write(items);
      },
      receive: receiveFailingAt(queue, 3, new Error('AccessDenied')),
    };

    // Act
    const run = drainRun(ports, plenty, { loops: 3, remainingTimeMs });

    // Assess: the run fails, and nothing a surviving loop received is left in flight.
    await expect(run).rejects.toThrow('AccessDenied');
    expect(table.messageIds()).toHaveLength(60);
    expect(queue.left()).toEqual([]);
  });

  it('sheds loops while the table throttles hard, down to one, and still writes every message', async () => {
    // Prepare: a table that takes everything, but only after three retries a batch
    const queue = new InMemoryQueue(messages(400));
    const table = new InMemoryTable();
    const throttled: DrainPorts['write'] = async (items, onWritten) => {
      const result = await table.write(items, onWritten);
      return { ...result, retries: result.retries + 3 * result.calls, calls: 4 * result.calls };
    };
    const { ports, seen } = countingConcurrency({ ...portsOf(queue, table), write: throttled });
    const settings = { ...plenty, receiveLoops: 4, shedIntervalMs: 0 };

    // Act
    const summary = await drainRun(ports, settings, { loops: 4, remainingTimeMs });

    // Assess
    expect(summary).toMatchObject({ written: 400, deleted: 400, loops: 4, sheds: 3 });
    expect(summary.throttledWrites).toBeGreaterThanOrEqual(3);
    expect(queue.left()).toEqual([]);
    expect(seen.maxConcurrentReceives).toBe(4);
  });

  it('keeps every loop while the table only throttles lightly', async () => {
    // Prepare: every batch needs one retry
    const queue = new InMemoryQueue(messages(200));
    const table = new InMemoryTable();
    const throttled: DrainPorts['write'] = async (items, onWritten) => {
      const result = await table.write(items, onWritten);
      return { ...result, retries: result.calls, calls: 2 * result.calls };
    };

    // Act
    const summary = await drainRun({ ...portsOf(queue, table), write: throttled }, { ...plenty, shedIntervalMs: 0 }, { loops: 4, remainingTimeMs });

    // Assess
    expect(summary).toMatchObject({ written: 200, sheds: 0 });
    expect(summary.throttledWrites).toBeGreaterThan(0);
  });
});
