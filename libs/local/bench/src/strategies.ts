import type { EnvironmentOverrides, WorkerTrigger } from '@fanout/config';

export type StrategyName = 'serial' | 'fanout' | 'fanout-drain' | 'fanout-drain-alone' | 'esm';

export interface Strategy {
  name: StrategyName;
  /** What it stands for, in one line. */
  description: string;
  /** The functions' settings that make them behave this way: the same bundles, configured. */
  overrides: EnvironmentOverrides;
  /** What starts the worker: test-cron's ticks (`fanout`), or the event source mapping's poller (`esm`). */
  trigger: WorkerTrigger;
}

/** One receive per worker and no long polling: the original design's worker, started by a cron that knows nothing of the table's capacity. */
const originalWorker: EnvironmentOverrides = { maxReceives: 1, receiveWaitSeconds: 0, tableWriteUnits: 0 };

export const strategies: Record<StrategyName, Strategy> = {
  serial: {
    name: 'serial',
    description: 'the original before fan-out: one worker a tick, one short-poll receive of up to 10',
    overrides: { ...originalWorker, maxWorkers: 1 },
    trigger: 'fanout',
  },
  fanout: {
    name: 'fanout',
    description: 'the original fan-out: ⌈n/10⌉ workers a tick (no cap), one short-poll receive each',
    overrides: { ...originalWorker, maxWorkers: 1_000_000 },
    trigger: 'fanout',
  },
  'fanout-drain': {
    name: 'fanout-drain',
    description: "ours: ⌈n/10⌉ workers capped at 100, each long-polling in a loop until the queue is empty",
    overrides: {},
    trigger: 'fanout',
  },
  'fanout-drain-alone': {
    name: 'fanout-drain-alone',
    description: "ours, but each of a run's drain loops writes its own receives: what the run's shared writer gains",
    overrides: { flushJoinWaitMs: 0 },
    trigger: 'fanout',
  },
  esm: {
    name: 'esm',
    description: "Lambda's SQS event source mapping: batches of 10 invoked as they arrive, scaling from 5 as AWS's standard mode",
    overrides: {},
    trigger: 'esm',
  },
};
