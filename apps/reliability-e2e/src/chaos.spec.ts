import { resolve } from 'node:path';
import { runChaos } from '@fanout/chaos';

const root = resolve(__dirname, '../../..');

describe('the chaos run (quick size)', () => {
  it('loses nothing, duplicates nothing, and dead-letters exactly the poison under every fault at once', async () => {
    // Prepare + Act: 2,000 good messages through the API and 6 poison messages straight to the
    // queue, with throttling, UnprocessedItems, failed deletes, resets, latency, killed
    // environments, timeouts, failed sends, duplicate notifications and overlapping ticks. 2,000,
    // not fewer: the kill fault fires per write, and a smaller run writes too few times for it to
    // kill environments every time (docs/reliability.md).
    const figures = await runChaos({
      messages: 2_000,
      poison: 6,
      functionsDir: resolve(root, 'dist/apps'),
      environmentScript: resolve(root, 'libs/local/function-host/src/execution-environment.cjs'),
      deadlineMs: 180_000,
    });

    // Assess: counted from the table and the queues themselves
    expect(figures.accepted).toBe(2_000);
    expect(figures.written).toBe(2_000);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.unexpectedItems).toBe(0);
    expect(figures.inDeadLetterQueue).toBe(6);
    expect(figures.goodInDeadLetterQueue).toBe(0);
    expect(figures.poisonNotInDeadLetterQueue).toBe(0);
    // The faults really happened, and each retry path ran: the workers sent failed writes and
    // deletes again themselves (counted on the wire, so that a run killed after its retries counts:
    // under this kill rate, most runs that retry die before they can report it).
    for (const fault of ['UnprocessedItems', 'DeleteMessageBatch entry failed', 'environment killed after its write', 'send failed']) {
      expect(figures.faultsInjected[fault] ?? 0).toBeGreaterThan(0);
    }
    for (const fault of ['UnprocessedItems', 'DeleteMessageBatch entry failed']) {
      expect(figures.resentByWorkers[fault] ?? 0).toBeGreaterThan(0);
    }
    expect(figures.clientRetries).toBeGreaterThan(0);
  });
});
