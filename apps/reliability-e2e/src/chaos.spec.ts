import { resolve } from 'node:path';
import type { WorkerTrigger } from '@fanout/config';
import { runChaos } from '@fanout/chaos';

const root = resolve(__dirname, '../../..');

/**
 * Each fault's own retry path, by trigger: a fan-out run sends failed writes and deletes again
 * itself; with esm the worker sends failed writes again, and a failed delete of the mapping's
 * leaves its message to come back after the visibility timeout, to be written again (once, by key).
 */
const resentBy: Record<WorkerTrigger, string[]> = {
  fanout: ['UnprocessedItems', 'DeleteMessageBatch entry failed'],
  esm: ['UnprocessedItems'],
};

// Once per trigger at the quick size: the chaos run takes about a minute, and each trigger has
// retry paths of its own (fan-out runs that delete, the mapping's deletes and returned batches).
describe.each<WorkerTrigger>(['fanout', 'esm'])('the chaos run (quick size) with --trigger %s', (trigger) => {
  it('loses nothing, duplicates nothing, and dead-letters exactly the poison under every fault at once', async () => {
    // Prepare + Act: 2,000 good messages through the API and 6 poison messages straight to the
    // queue, with throttling, UnprocessedItems, failed deletes, resets, latency, killed
    // environments, timeouts, failed sends, duplicate deliveries (and, fan-out, overlapping
    // ticks). 2,000, not fewer: the kill fault fires per write, and a smaller run writes too few
    // times for it to kill environments every time (docs/reliability.md).
    const figures = await runChaos({
      trigger,
      messages: 2_000,
      poison: 6,
      functionsDir: resolve(root, 'dist/apps'),
      environmentScript: resolve(root, 'libs/local/function-host/src/execution-environment.cjs'),
      deadlineMs: 180_000,
    });

    // Assess: counted from the table and the queues themselves
    expect(figures.trigger).toBe(trigger);
    expect(figures.accepted).toBe(2_000);
    expect(figures.written).toBe(2_000);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.unexpectedItems).toBe(0);
    expect(figures.inDeadLetterQueue).toBe(6);
    expect(figures.goodInDeadLetterQueue).toBe(0);
    expect(figures.poisonNotInDeadLetterQueue).toBe(0);
    // The faults really happened, and each retry path ran (counted on the wire, so that an
    // invocation killed after its retries counts: under this kill rate, most that retry die
    // before they can report it).
    for (const fault of ['UnprocessedItems', 'DeleteMessageBatch entry failed', 'environment killed after its write', 'send failed']) {
      expect(figures.faultsInjected[fault] ?? 0).toBeGreaterThan(0);
    }
    for (const fault of resentBy[trigger]) {
      expect(figures.resentByWorkers[fault] ?? 0).toBeGreaterThan(0);
    }
    expect(figures.faultsInjected[trigger === 'fanout' ? 'notification delivered twice' : 'batch delivered twice']).toBeGreaterThan(0);
    expect(figures.clientRetries).toBeGreaterThan(0);
  });
});
