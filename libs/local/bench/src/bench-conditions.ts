import { noFaults, type FaultSpec } from '@fanout/wire-proxy';

/**
 * What every measured drain of the benchmark shares, the local limit's and the pipeline's alike, so
 * that their ratio compares the two drains and not the conditions they ran in.
 */
export const benchConditions = {
  /**
   * Messages of the unmeasured burst drained before anything is measured: a fresh process drains
   * its first few thousand messages slowly while its JIT, the emulators' JIT and the sockets warm up,
   * and worker threads warm up each on its own.
   */
  warmUpMessages: 5_000,
  /**
   * test-cron invocations on the empty queue before anything is measured (each reads the depth and
   * starts nothing): the warm-up burst makes thousands of requests through the workers but only two
   * a tick through test-cron, whose code would otherwise run cold in the measured ticks.
   */
  cronWarmUpTicks: 500,
  /**
   * The wire between the SDK clients and the emulators: the counting proxy, sampling short polls as
   * real SQS does. The limit's loops talk through it as the functions do: it is part of the local
   * stand-in for AWS, and its cost is not the pipeline's.
   */
  wire: { ...noFaults, shortPollSampling: true } satisfies FaultSpec,
  /**
   * How often the bench looks, once test-cron's tick has returned, whether every run it started has
   * ended: the next tick waits for the look that sees it.
   */
  tickPollMs: 10,
  /** How many drains each configuration runs: see MeasuringPlan. */
  measuring: {
    warmUpDrains: 10,
    warmUpForMs: 10_000,
    repeats: 5,
    maxRepeats: 25,
    measureForMs: 15_000,
    measuringBudgetMs: 60_000,
  } satisfies MeasuringPlan,
} as const;

/**
 * How many drains of N one configuration runs. First unmeasured ones of the same shape: the warm-up
 * burst leaves the JIT and the caches warm for draining, but each configuration's own path (a small
 * burst's tick, start and end, a loop count's interleaving) gets faster over its first drains.
 * Then the measured ones, whose median is the figure: at least `repeats`, and more while they have
 * taken less than `measureForMs`, since a short drain varies a lot from one to the next.
 */
export interface MeasuringPlan {
  /** Unmeasured drains of N before the measured ones, at most. */
  warmUpDrains: number;
  /** No further warm-up drain once they have taken this long (the first always runs). */
  warmUpForMs: number;
  /** Measured drains at least, unless they pass `measuringBudgetMs` first. */
  repeats: number;
  /** Measured drains at most. */
  maxRepeats: number;
  /** More measured drains, up to `maxRepeats`, while they have taken less than this. */
  measureForMs: number;
  /** No more measured drains once they have taken this long: the slowest baseline, serial at N = 10,000, takes a minute a drain. */
  measuringBudgetMs: number;
}

/** A quick look: one warm-up drain and one measured drain of each configuration. */
export const quickMeasuring: MeasuringPlan = { ...benchConditions.measuring, warmUpDrains: 1, repeats: 1, maxRepeats: 1 };

/** Whether to run another unmeasured drain after `done` of them took `elapsedMs`. */
export function warmUpAgain(done: number, elapsedMs: number, plan: MeasuringPlan = benchConditions.measuring): boolean {
  return done < plan.warmUpDrains && (done === 0 || elapsedMs < plan.warmUpForMs);
}

/** Whether to measure one more drain of a configuration after `done` of them took `elapsedMs`: always a first one. */
export function measureAgain(done: number, elapsedMs: number, plan: MeasuringPlan = benchConditions.measuring): boolean {
  if (done === 0) return true;
  if (done < plan.repeats) return elapsedMs < plan.measuringBudgetMs;
  return done < plan.maxRepeats && elapsedMs < plan.measureForMs;
}
