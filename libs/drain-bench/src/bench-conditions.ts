import { noFaults, type FaultSpec } from '@fanout/wire-proxy';

/**
 * What every measured drain of the benchmark shares, the local limit's and the pipeline's alike, so
 * that their ratio shows what the pipeline adds and nothing else.
 */
export const benchConditions = {
  /**
   * Messages of the unmeasured burst drained before anything is measured. A fresh process drains
   * its first few thousand messages at about half speed (its JIT, the emulators' JIT, the sockets
   * warm up); worker threads warm up each on its own.
   */
  warmUpMessages: 5_000,
  /**
   * test-cron invocations on the empty queue before anything is measured (each reads the depth and
   * starts nothing). The warm-up burst runs thousands of requests through the limit's loops and the
   * workers, but test-cron makes two a tick: without these, its code still ran cold in the measured
   * ticks, and its part of the start (tick → worker start) took about 6 ms instead of 3.5.
   */
  cronWarmUpTicks: 500,
  /**
   * The wire between the SDK clients and the emulators: the counting proxy, sampling short polls as
   * real SQS does. The limit's loops talk through it as the functions do: it is part of the local
   * stand-in for AWS, and its cost is not the pipeline's.
   */
  wire: { ...noFaults, shortPollSampling: true } satisfies FaultSpec,
  /** Measured drains of each configuration; the figure is their median. */
  repeats: 5,
  /**
   * A configuration stops repeating once its measured drains have taken this long (at least one
   * is measured): the slowest baseline, serial at N = 10,000, takes a minute a drain.
   */
  measuringBudgetMs: 60_000,
} as const;

/**
 * Whether to measure one more drain of a configuration after `done` of them took `elapsedMs`: at
 * least one, at most `repeats`, and no more once they have taken benchConditions.measuringBudgetMs.
 */
export function measureAgain(done: number, elapsedMs: number, repeats: number = benchConditions.repeats): boolean {
  return done === 0 || (done < repeats && elapsedMs < benchConditions.measuringBudgetMs);
}
