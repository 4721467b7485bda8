import { quickMeasuring, runStrategy, strategies } from '@fanout/bench';
import { builtRuntimeFiles as files } from './testing/local-runtime-process.js';

/**
 * The benchmark's strategies run for real, as `npm run bench` runs them: the built function bundles
 * in the local runtime, messages posted through the API, compressed ticks, every request counted on
 * the wire proxy, which samples short polls as real SQS does. Small bursts and one drain each: this
 * checks what each strategy does, not how fast (docs/benchmarks.md has the timings).
 */
// Two worker environments whatever the machine, so the fan-out cap (in line with them) is known.
const options = { warmUp: 0, measuring: { ...quickMeasuring, warmUpDrains: 0 }, workerConcurrency: 2 };

describe('the benchmark strategies, run on the local pipeline', () => {
  it('fanout-drain: 100 messages all written in the first tick by two capped workers, every request counted', async () => {
    // Act
    const run = await runStrategy(strategies['fanout-drain'], 100, files, options);

    // Assess
    expect(run).toMatchObject({ ticksToDrain: 1, firstTickShare: 1 });
    expect(run.drainMs).toBeGreaterThan(0);
    expect(run.invocations).toEqual({ api: 10, cron: 1, worker: 2 });
    // Sent 10 a request; written at most 25 a request; one depth read and one publish for the tick.
    expect(run.requestsByApi).toMatchObject({ SendMessageBatch: 10, GetQueueAttributes: 1, PublishBatch: 1 });
    expect(run.requestsByApi['BatchWriteItem']).toBeGreaterThanOrEqual(4);
    expect(run.requestsByApi['ReceiveMessage']).toBeGreaterThanOrEqual(10);
    expect(run.requestsByApi['DeleteMessageBatch']).toBeGreaterThanOrEqual(10);
    expect(run.requests).toBe(Object.values(run.requestsByApi).reduce((sum, count) => sum + count, 0));
  }, 120_000);

  it('fanout: the original fan-out leaves messages behind in its first tick, as short polls on AWS do', async () => {
    // Act
    const run = await runStrategy(strategies.fanout, 100, files, options);

    // Assess: ⌈100/10⌉ workers, one short poll each, some of them sampled short
    expect(run.invocations.worker).toBeGreaterThanOrEqual(10);
    expect(run.firstTickShare).toBeGreaterThan(0.5);
    expect(run.firstTickShare).toBeLessThan(1);
    expect(run.ticksToDrain).toBeGreaterThanOrEqual(2);
    expect(run.notDrained).toBeUndefined();
  }, 120_000);

  it('serial: the original before its fan-out drains at most one receive of 10 a tick', async () => {
    // Act
    const run = await runStrategy(strategies.serial, 30, files, options);

    // Assess
    expect(run.firstTickShare).toBeLessThanOrEqual(10 / 30);
    expect(run.ticksToDrain).toBeGreaterThanOrEqual(3);
    expect(run.invocations.worker).toBe(run.ticksToDrain);
    expect(run.requestsByApi['ReceiveMessage']).toBe(run.ticksToDrain);
  }, 120_000);
});
