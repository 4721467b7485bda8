import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { emulatorClients, provisionResources, startEmulators, type RunningEmulators } from '@fanout/emulators';
import { localRuntimeConfig } from '@fanout/runtime';
import { limitLoopCounts, loopCountsUpTo, measureLocalLimit, startLocalLimit } from './local-limit.js';
import { benchMessage, seedQueue } from './seed-queue.js';
import { quickMeasuring } from './bench-conditions.js';

// Real emulators: the limit is what this machine's SDK drain does against them.
jest.setTimeout(30_000);

describe('seedQueue', () => {
  let emulators: RunningEmulators | undefined;
  afterEach(async () => emulators?.stop());

  it('puts exactly the run’s messages on the queue, each once', async () => {
    // Prepare
    emulators = await startEmulators();
    const clients = emulatorClients(emulators);
    const { queueUrl } = await provisionResources(clients);
    // Act: 25 messages over 8 senders: batches of 10, 10 and 5.
    await seedQueue(clients.sqs, queueUrl, 'seeded', 25);
    // Assess
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      if (Messages.length === 0) break;
      bodies.push(...Messages.map((message) => message.Body ?? ''));
    }
    const expected = Array.from({ length: 25 }, (_, i) => JSON.stringify(benchMessage('seeded', i)));
    expect(bodies.sort()).toEqual(expected.sort());
    for (const client of Object.values(clients)) client.destroy();
  });
});

describe('the limit loop counts', () => {
  it('are powers of four up to twice the loops the local worker runs share', () => {
    expect(loopCountsUpTo(64)).toEqual([1, 4, 16, 64]);
    expect(loopCountsUpTo(65)).toEqual([1, 4, 16, 64, 256]);
    expect(limitLoopCounts).toEqual(loopCountsUpTo(2 * localRuntimeConfig.sharedDrainLoops));
    expect(limitLoopCounts[limitLoopCounts.length - 1]).toBeGreaterThanOrEqual(2 * localRuntimeConfig.sharedDrainLoops);
  });
});

describe('measureLocalLimit', () => {
  it('drains N messages with each loop count over the wire, keeps the fastest median, and measures it again straight', async () => {
    // Act: it throws unless every drain wrote all N messages.
    const limit = await measureLocalLimit(100, { workerCounts: [1, 4], warmUp: 50, measuring: { ...quickMeasuring, repeats: 2, maxRepeats: 2 } });

    // Assess
    expect(limit.messages).toBe(100);
    expect(limit.samples.map((sample) => sample.workers)).toEqual([1, 4]);
    for (const sample of limit.samples) {
      expect(sample.drainMsSamples).toHaveLength(2);
      // The median of two is the lower one.
      expect(sample.drainMs).toBe(Math.min(...sample.drainMsSamples));
      expect(sample.drainMs).toBeGreaterThan(0);
      expect(sample.messagesPerSecond).toBeCloseTo((100 * 1000) / sample.drainMs, 6);
      // The first write is sent after a receive, and no later than the last.
      expect(sample.firstWriteMs).toBeGreaterThan(0);
      expect(sample.firstWriteMs).toBeLessThanOrEqual(sample.drainMs);
    }
    expect(limit.best.drainMs).toBe(Math.min(...limit.samples.map((sample) => sample.drainMs)));
    expect(limit.samples).toContain(limit.best);
    expect(limit.direct.workers).toBe(limit.best.workers);
    expect(limit.direct.drainMsSamples).toHaveLength(2);
    // And once more writing as a worker run does; it too throws unless all N were written.
    expect(limit.batched.workers).toBe(limit.best.workers);
    expect(limit.batched.drainMsSamples).toHaveLength(2);
    // Counted on the wire: at least one receive, write and delete per 10 messages, and nothing else.
    expect(Object.keys(limit.requestsPerMessage).sort()).toEqual(['BatchWriteItem', 'DeleteMessageBatch', 'ReceiveMessage']);
    expect(limit.requestsPerMessage['BatchWriteItem']).toBeGreaterThanOrEqual(0.1);
    expect(limit.requestsPerMessage['DeleteMessageBatch']).toBeGreaterThanOrEqual(0.1);
    expect(limit.requestsPerMessage['ReceiveMessage']).toBeGreaterThanOrEqual(0.1);
    // A dozen drains, each ending on an empty 1 s long poll: 16 s on an idle machine, more on a busy one.
  }, 90_000);
});

describe('startLocalLimit', () => {
  it('drains N once before each of a paired run’s drains, and keeps the times of those before its measured ones', async () => {
    // Prepare
    const bench = await startLocalLimit(100, { warmUp: 0 });
    try {
      const order: string[] = [];

      // Act: a paired run with one warm-up and two measured drains of its own
      const { result, limitDrainMs } = await bench.pairedWith(4, async (beforeEach) => {
        for (const measured of [false, true, true]) {
          await beforeEach(measured);
          order.push(measured ? 'measured' : 'warm-up');
        }
        return 'the paired run';
      });

      // Assess: every limit drain wrote all 100 (drainOnce throws otherwise); two were kept
      expect(result).toBe('the paired run');
      expect(order).toEqual(['warm-up', 'measured', 'measured']);
      expect(limitDrainMs).toHaveLength(2);
      expect(limitDrainMs.every((ms) => ms > 0)).toBe(true);
    } finally {
      await bench.stop();
    }
  });
});
