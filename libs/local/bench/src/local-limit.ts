import { performance } from 'node:perf_hooks';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { defaultWorkerSettings } from '@fanout/config';
import { localRuntimeConfig } from '@fanout/runtime';
import { awsDrainPorts, drainRun, type DrainPorts } from '@fanout/worker';
import { emptyTable, emulatorClients, type ProvisionedResources } from '@fanout/emulators';
import { benchConditions, measureAgain, warmUpAgain, type MeasuringPlan } from './bench-conditions.js';
import { startEmulatorsOverWire } from './emulators-over-wire.js';
import { medianOf } from './median.js';
import { seedQueue } from './seed-queue.js';

export interface LimitSample {
  workers: number;
  /** The median of the repeats: start → the last write sent. */
  drainMs: number;
  /** In that median drain: start → the first write sent. */
  firstWriteMs: number;
  messagesPerSecond: number;
  /** Every repeat's drain time, in the order they ran. */
  drainMsSamples: number[];
}

export interface LocalLimit {
  messages: number;
  /** The best of the worker counts tried, over the benchmark's wire. */
  best: LimitSample;
  samples: LimitSample[];
  /** The best worker count again, straight to the emulators: what the wire itself costs. */
  direct: LimitSample;
  /**
   * The best worker count again, over the wire, with the worker's own batching: its loops share one
   * writer, hold up to workerConfig.flushAt and are told to expect N, as a worker run is. Not the
   * limit (the raw drain writes each receive), but the same drain logic as the pipeline's
   * without the tick, SNS and the execution environments.
   */
  batched: LimitSample;
  /** Requests per message by API of the best worker count's drains, counted on the wire. */
  requestsPerMessage: Record<string, number>;
}

/**
 * The loop counts the limit tries: powers of four from one loop to at least twice the most the local
 * worker runs share (localRuntimeConfig.sharedDrainLoops), so that its best is the machine's, not a
 * count left untried.
 */
export const limitLoopCounts = loopCountsUpTo(2 * localRuntimeConfig.sharedDrainLoops);

/** 1, 4, 16, … up to the first power of four that reaches `most`. */
export function loopCountsUpTo(most: number): number[] {
  const counts = [1];
  while (counts[counts.length - 1] < most) counts.push(4 * counts[counts.length - 1]);
  return counts;
}

export interface LocalLimitOptions {
  /** Concurrent drain loops to try (default limitLoopCounts). */
  workerCounts?: number[];
  /** Messages of the unmeasured warm-up burst (default benchConditions.warmUpMessages). */
  warmUp?: number;
  /** Warm-up and measured drains of N per worker count; each count's figure is the measured ones' median (default benchConditions.measuring). */
  measuring?: MeasuringPlan;
}

type Clients = ReturnType<typeof emulatorClients>;

/**
 * The drain ports with the time the last write was sent: the same moment a pipeline item's
 * `writtenAt` records (the worker stamps its items as it sends them), so both sides stop the clock alike.
 */
function timedPorts(ports: DrainPorts): { ports: DrainPorts; writesSent: () => { first: number; last: number } } {
  let first = Infinity;
  let last = 0;
  return {
    ports: {
      ...ports,
      write: async (items) => {
        const sentAt = performance.now();
        first = Math.min(first, sentAt);
        const result = await ports.write(items);
        last = Math.max(last, sentAt);
        return result;
      },
    },
    writesSent: () => ({ first, last }),
  };
}

/** The local limit's emulators and wire, kept open so that its drains can be paired with a pipeline's bursts. */
export interface LocalLimitBench {
  /** The limit itself: each loop count, then the best once more straight to the emulators and batched. */
  measure(): Promise<LocalLimit>;
  /**
   * Runs `pair`'s drains alternately with plain drains of N by `workers` loops on an empty table:
   * `pair` calls the function it is given before each of its drains, saying whether that one is
   * measured, so that both sides warm up and are measured in the same state of the machine. Returns
   * what `pair` returns, and the limit's drain times before the measured ones, in order.
   */
  pairedWith<T>(workers: number, pair: (beforeEach: (measured: boolean) => Promise<void>) => Promise<T>): Promise<{ result: T; limitDrainMs: number[] }>;
  stop(): Promise<void>;
}

/**
 * Starts the local limit's own emulators and wire, and drains the unmeasured warm-up burst: the
 * same warm-up as every pipeline run gets.
 */
export async function startLocalLimit(messages: number, options: LocalLimitOptions = {}): Promise<LocalLimitBench> {
  const workerCounts = options.workerCounts ?? limitLoopCounts;
  const plan = options.measuring ?? benchConditions.measuring;
  const { resources, direct, overWire, wire, stop } = await startEmulatorsOverWire();
  try {

    // Each configuration starts on an empty table, as each pipeline run starts on fresh emulators.
    const sample = async (
      clients: Clients,
      label: string,
      workers: number,
      { beforeMeasuring = () => undefined, drain = 'plain' }: { beforeMeasuring?: () => void; drain?: DrainLogic } = {},
    ): Promise<LimitSample> => {
      await emptyTable(direct.dynamodb);
      const measure = (drainLabel: string) => drainOnce(clients, resources, direct.sqs, drainLabel, messages, workers, drain);
      const warmUpStarted = performance.now();
      for (let done = 0; warmUpAgain(done, performance.now() - warmUpStarted, plan); done++) await measure(`${label}-warm-up-${done + 1}`);
      beforeMeasuring();
      const drains: Drain[] = [];
      const started = performance.now();
      while (measureAgain(drains.length, performance.now() - started, plan)) {
        drains.push(await measure(`${label}-${drains.length + 1}`));
      }
      const { drainMs, firstWriteMs } = medianOf(drains, (drain) => drain.drainMs);
      return { workers, drainMs, firstWriteMs, messagesPerSecond: (messages * 1000) / drainMs, drainMsSamples: drains.map((drain) => drain.drainMs) };
    };

    const warmUp = options.warmUp ?? benchConditions.warmUpMessages;
    if (warmUp > 0) await drainOnce(overWire, resources, direct.sqs, 'limit-warm-up', warmUp, Math.max(...workerCounts), 'plain');
    let pairs = 0;
    return {
      measure: async () => {
        const samples: LimitSample[] = [];
        const requestsPerMessageOf = new Map<number, Record<string, number>>();
        for (const workers of workerCounts) {
          const measured = await sample(overWire, `limit-${workers}`, workers, {
            beforeMeasuring: () => {
              wire.sqs.resetCounts();
              wire.dynamodb.resetCounts();
            },
          });
          samples.push(measured);
          const perMessage: Record<string, number> = {};
          for (const proxy of [wire.sqs, wire.dynamodb]) {
            for (const [api, count] of Object.entries(proxy.counts().requests)) perMessage[api] = count / (messages * measured.drainMsSamples.length);
          }
          requestsPerMessageOf.set(workers, perMessage);
        }
        const best = samples.reduce((a, b) => (b.drainMs < a.drainMs ? b : a));
        return {
          messages,
          best,
          samples,
          direct: await sample(direct, 'limit-direct', best.workers),
          batched: await sample(overWire, 'limit-batched', best.workers, { drain: 'batched' }),
          requestsPerMessage: requestsPerMessageOf.get(best.workers) ?? {},
        };
      },
      pairedWith: async (workers, pair) => {
        await emptyTable(direct.dynamodb);
        const limitDrainMs: number[] = [];
        const label = `limit-paired-${++pairs}`;
        let drains = 0;
        const result = await pair(async (measured) => {
          const { drainMs } = await drainOnce(overWire, resources, direct.sqs, `${label}-${++drains}`, messages, workers, 'plain');
          if (measured) limitDrainMs.push(drainMs);
        });
        return { result, limitDrainMs };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The local limit: the raw SDK drain of N messages (receive 10 → BatchWriteItem → DeleteMessageBatch,
 * no functions, no schedule) with each of limitLoopCounts concurrent loops, each on an empty table,
 * over the same wire and after the same warm-up as the pipeline runs (a burst, then unmeasured drains
 * of N). The best of them is what this machine can do. The best worker count is measured twice more:
 * straight to the emulators, to show what the wire costs, and with the worker's batching.
 */
export async function measureLocalLimit(messages: number, options: LocalLimitOptions = {}): Promise<LocalLimit> {
  const bench = await startLocalLimit(messages, options);
  try {
    return await bench.measure();
  } finally {
    await bench.stop();
  }
}

/** One drain of the limit, in ms from its start. */
interface Drain {
  /** To the last write sent. */
  drainMs: number;
  /** To the first write sent. */
  firstWriteMs: number;
}

/**
 * How the limit's loops write: `plain`, each receive as it comes (the limit); `batched`, as a worker
 * run's loops do (one shared writer, up to workerConfig.flushAt held, told to expect the whole N).
 */
type DrainLogic = 'plain' | 'batched';

/**
 * Seeds `count` messages, then drains them with `workers` loops, each receiving 10 with a long poll
 * (a short poll over the wire may come back empty while messages remain, as on AWS) and, plain,
 * writing and deleting each receive as it comes: the plainest drain there is.
 */
async function drainOnce(
  clients: Clients,
  resources: ProvisionedResources,
  seeder: SQSClient,
  label: string,
  count: number,
  workers: number,
  drain: DrainLogic,
): Promise<Drain> {
  await seedQueue(seeder, resources.queueUrl, label, count);
  const { ports, writesSent } = timedPorts(
    awsDrainPorts({ sqs: clients.sqs, dynamo: clients.documents, queueUrl: resources.queueUrl, tableName: resources.tableName }),
  );
  const started = performance.now();
  const unlimited = { ...defaultWorkerSettings, messageBudget: Infinity, safetyMarginMs: 0, receiveWaitMs: 1_000, receiveLoops: workers };
  const remainingTimeMs = () => Infinity;
  const runs =
    drain === 'plain'
      ? await Promise.all(
          Array.from({ length: workers }, () => drainRun(ports, { ...unlimited, flushAt: 10, flushJoinWaitMs: 0 }, { loops: 1, remainingTimeMs })),
        )
      : [await drainRun(ports, unlimited, { loops: workers, expectedMessages: count, remainingTimeMs })];
  const written = runs.reduce((sum, run) => sum + run.written, 0);
  if (written !== count) throw new Error(`The ${label} drain with ${workers} loops wrote ${written} of ${count}.`);
  const { first, last } = writesSent();
  return { drainMs: last - started, firstWriteMs: first - started };
}
