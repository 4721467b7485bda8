import type { SQSEvent } from 'aws-lambda';
import { resourceNames } from '@fanout/config';
import { EventSourceMapping, type MappingScaling } from './event-source-mapping.js';
import type { LambdaService, SimulatedFunction } from './lambda-service.js';
import { sampleLatency } from './latency.js';
import type { SimulationParameters } from './parameters.js';
import type { Random } from './random.js';
import { CompressedSchedule, RateSchedule } from './rate-schedule.js';
import type { SimulatedAws } from './simulated-aws.js';
import type { WorkerTrigger } from './simulation-strategies.js';
import type { SqsQueue } from './sqs-queue.js';

/** What starts the worker, once the messages have begun to arrive. */
export interface RunningTrigger {
  start(): void;
  stop(): void;
}

/**
 * test-cron on its EventBridge rate schedule (or the bench's compressed ticks): each tick is
 * recorded, then delivered to test-cron as an asynchronous invoke after EventBridge's latency.
 */
export function scheduleTrigger(options: {
  parameters: SimulationParameters;
  random: Random;
  now: () => number;
  lambda: LambdaService;
  cron: SimulatedFunction<{ tickId: string }, unknown>;
  worker: SimulatedFunction<never, unknown>;
  /** Deliveries in progress: a tick counts as one until test-cron is invoked. */
  deliveries: { pending: number };
  onTick: (at: number) => void;
  /** Workers the last tick started (compressed ticks give up after 20 that start none). */
  lastStarted: () => number;
}): RunningTrigger {
  const { parameters: p, random, now, cron, deliveries } = options;
  const fire = (tick: number) => {
    options.onTick(now());
    deliveries.pending++;
    setTimeout(() => {
      deliveries.pending--;
      cron.invokeAsync({ tickId: `tick-${tick}` });
    }, sampleLatency(p['schedule.deliveryLatencyMs'], random));
  };
  if (p['schedule.compressed'] === 1) {
    const compressed = new CompressedSchedule({ pollMs: p['schedule.compressedPollMs'], countMs: p['schedule.compressedCountMs'], now, fire, maxIdleTicks: 20 });
    const settle = () => {
      if (compressed.awaitingSettle && deliveries.pending === 0 && !options.lambda.busy()) compressed.settled(options.lastStarted());
    };
    cron.onIdle = () => {
      compressed.cronReturned();
      settle();
    };
    options.worker.onIdle = settle;
    return { start: () => compressed.start(), stop: () => compressed.stop() };
  }
  const schedule = new RateSchedule({ rateMs: p['schedule.rateMinutes'] * 60_000, fireWithinMs: p['schedule.fireWithinMs'], random, now, fire });
  return { start: () => schedule.start(), stop: () => schedule.stop() };
}

/** How the mapping scales in its mode: standard (5, +300 a minute, up to 1,250 or MaximumConcurrency) or provisioned. */
export function mappingScaling(p: SimulationParameters, trigger: Exclude<WorkerTrigger, 'schedule'>): MappingScaling {
  if (trigger === 'esm-provisioned') {
    return {
      initial: p['esm.minimumPollers'] * p['esm.invokesPerPoller'],
      scaleUpPerMinute: p['esm.provisionedScaleUpPerMinute'],
      ceiling: p['esm.maximumPollers'] * p['esm.invokesPerPoller'],
    };
  }
  const maxConcurrency = p['esm.maxConcurrency'];
  return {
    initial: p['esm.initialConcurrency'],
    scaleUpPerMinute: p['esm.scaleUpPerMinute'],
    ceiling: maxConcurrency > 0 ? Math.min(p['esm.standardCeiling'], maxConcurrency) : p['esm.standardCeiling'],
  };
}

/** Lambda's SQS event source mapping on the queue, invoking the worker. */
export function mappingTrigger(options: {
  parameters: SimulationParameters;
  trigger: Exclude<WorkerTrigger, 'schedule'>;
  aws: SimulatedAws;
  queue: SqsQueue;
  worker: SimulatedFunction<SQSEvent, unknown>;
  now: () => number;
}): RunningTrigger & { mapping: EventSourceMapping } {
  const p = options.parameters;
  const mapping = new EventSourceMapping(
    options.aws,
    options.queue,
    options.worker,
    {
      scaling: mappingScaling(p, options.trigger),
      batchSize: p['esm.batchSize'],
      batchingWindowMs: p['esm.batchingWindowMs'],
      pollWaitMs: p['esm.pollWaitMs'],
      queueArn: `arn:aws:sqs:us-east-1:000000000000:${resourceNames.queue}`,
    },
    options.now,
  );
  return { mapping, start: () => mapping.start(), stop: () => mapping.stop() };
}
