import type { SQSEvent } from 'aws-lambda';
import { functionEnvironments, readCronEnvironment, readWorkerEnvironment, resourceNames, type EnvironmentOverrides } from '@fanout/config';
import type { RunSummary } from '@fanout/worker';
import { startArrivals, type Arrival } from './arrivals.js';
import { DrainMetrics, type DepthPoint } from './drain-metrics.js';
import { DynamoTable } from './dynamodb-table.js';
import type { EventSourceMapping } from './event-source-mapping.js';
import { LambdaService, type SimulatedFunction } from './lambda-service.js';
import type { SimulationParameters } from './parameters.js';
import { cronFunction, workerFunction, type WorkerEvent } from './pipeline-functions.js';
import { createRandom } from './random.js';
import { figuresOf, type StrategyFigures } from './run-figures.js';
import { SharedCpu } from './shared-cpu.js';
import { SimulatedAws } from './simulated-aws.js';
import { simulationStrategy, type SimulationStrategyName } from './simulation-strategies.js';
import { SnsDelivery } from './sns-delivery.js';
import { messageIndexOf, SqsQueue } from './sqs-queue.js';
import { VirtualClock, realNow } from './virtual-clock.js';
import { mappingTrigger, scheduleTrigger, type RunningTrigger } from './worker-triggers.js';
import { growthRuleOf } from './write-limit.js';

export type { StrategyFigures } from './run-figures.js';

/** The virtual epoch every simulation starts at: fixed, so that a seed gives byte-identical results. */
export const simulationEpochMs = Date.UTC(2026, 11, 1);

export interface SimulationRun {
  strategy: SimulationStrategyName;
  messages: number;
  arrival: Arrival;
  seed: number;
  parameters: SimulationParameters;
  /** Settings applied under the strategy's: the local runtime's, when predicting the local bench. */
  baseOverrides?: EnvironmentOverrides;
  /** Told of the progress now and then (every simulated event: keep it cheap). */
  onProgress?: (progress: { virtualMs: number; written: number; messages: number }) => void;
}

/** What else a run shows: the chart, and the counts behind the figures. */
export interface SimulationResult {
  figures: StrategyFigures;
  depthSeries: DepthPoint[];
  details: {
    stoppedBecause: 'done' | 'idle' | 'time-limit';
    virtualMs: number;
    realMs: number;
    sdkRetries: number;
    throttledItems: number;
    throttledCalls: number;
    workerTimeouts: number;
    workerErrors: number;
    failedRuns: number;
    /** Why runs failed: error name → runs. */
    runFailures: Record<string, number>;
    /** Finished runs by their loops at the start → at the end, and why they stopped. */
    runShapes: Record<string, number>;
    droppedEvents: number;
    workerRuns: number;
    esmReachedCeilingMs: number | null;
    tickTimesMs: number[];
  };
}

/** Message bodies: one per run id (the item key comes from the MessageId, so bodies may repeat). */
function messageBodies(p: SimulationParameters, messages: number): { bodyOf: (index: number) => string; good: (index: number) => boolean } {
  const runIds = p['workload.runIds'];
  const poison = Math.min(messages, p['workload.poisonMessages']);
  const bodies = Array.from({ length: Math.max(1, runIds) }, (_, run) =>
    JSON.stringify({ key1: 'value1', key2: 'value2', key3: 'value3', ...(runIds > 0 ? { runId: `run-${run}` } : {}) }),
  );
  // Poison messages spread evenly through the N.
  const isPoison = (index: number) => poison > 0 && (index * poison) % messages < poison;
  return {
    bodyOf: (index) => (isPoison(index) ? '{"key1": not json' : (bodies[index % bodies.length] as string)),
    good: (index) => !isPoison(index),
  };
}

/**
 * Simulates one strategy draining `messages` messages on AWS, in virtual time: the real test-cron
 * tick and worker runs (or the worker's event source mapping entry) against simulated SQS, SNS,
 * DynamoDB, Lambda and EventBridge, every random choice from one generator seeded with `seed`.
 */
export function runSimulation(run: SimulationRun): Promise<SimulationResult> {
  // The virtual clock is the process's: simulations run one after another, never side by side.
  const result = running.then(() => simulate(run));
  running = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

let running: Promise<void> = Promise.resolve();

async function simulate(run: SimulationRun): Promise<SimulationResult> {
  const realStart = realNow();
  const p = run.parameters;
  const strategy = simulationStrategy(run.strategy, p);
  const clock = VirtualClock.install(simulationEpochMs);
  try {
    const now = () => clock.now();
    const random = createRandom(run.seed);
    const messages = run.messages;
    const metrics = new DrainMetrics(messages, simulationEpochMs);
    const { bodyOf, good } = messageBodies(p, messages);
    const queue = new SqsQueue({
      capacity: messages,
      visibilityTimeoutMs: p['sqs.visibilityTimeoutMs'],
      maxReceiveCount: p['sqs.maxReceiveCount'],
      inFlightLimit: p['sqs.inFlightLimit'],
      retentionMs: p['sqs.retentionMs'],
      shortPollSampleShare: p['sqs.shortPollSampleShare'],
      random,
      now,
      bodyOf,
    });
    const table = new DynamoTable({
      growth: growthRuleOf(p),
      burstMs: p['dynamodb.burstMs'],
      partitionWriteUnits: p['dynamodb.partitionWriteUnits'],
      indexSharesTableCapacity: p['dynamodb.indexSharesTableCapacity'] === 1,
      writeUnitsPerItem: p['dynamodb.writeUnitsPerItem'],
      startMs: simulationEpochMs,
      now,
      onWritten: (messageId) => metrics.recordWrite(messageIndexOf(messageId), now()),
    });
    const cpu = p['local.cores'] > 0 ? new SharedCpu(p['local.cores'], now) : undefined;
    // SNS delivers to the worker, which needs the clients SNS belongs to: bound below.
    let worker: SimulatedFunction<WorkerEvent, unknown> | undefined = undefined;
    const sns = new SnsDelivery({ latency: p['sns.deliveryLatencyMs'], bridge: p['sns.localBridge'] === 1, random, topicArn: refs.topicArn, invoke: (event) => worker?.invokeAsync(event) });
    const aws = new SimulatedAws({ parameters: p, queue, queueUrl: refs.queueUrl, table, tableName: refs.tableName, random, now, cpu, deliver: (message) => sns.deliver(message) });
    const lambda = new LambdaService(lambdaLimitsOf(p), random, now);
    const environments = functionEnvironments(refs, {
      ...run.baseOverrides,
      ...strategy.overrides,
      visibilityTimeoutSeconds: Math.round(p['sqs.visibilityTimeoutMs'] / 1000),
    });
    const runs = new RunTally();
    const workerEnvironment = readWorkerEnvironment(environments['test-sqs2ddb']);
    const functionOptions = {
      aws,
      parameters: p,
      random,
      queueUrl: refs.queueUrl,
      tableName: refs.tableName,
      topicArn: strategy.trigger === 'schedule' ? workerEnvironment.topicArn : undefined,
      workerSettings: workerEnvironment.settings,
      cpu,
      onRun: (outcome: { summary?: RunSummary; error?: unknown }) => runs.record(outcome),
    };
    const workerFn = lambda.define(workerFunction(functionOptions));
    worker = workerFn;

    let arrivalsDone = false;
    let lastStarted = 0;
    let cron: SimulatedFunction<{ tickId: string }, unknown> | undefined;
    let mapping: EventSourceMapping | undefined;
    let trigger: RunningTrigger;
    if (strategy.trigger === 'schedule') {
      const cronFn = lambda.define(cronFunction({ ...functionOptions, cron: readCronEnvironment(environments['test-cron']), onTick: (decision) => (lastStarted = decision.published) }));
      cron = cronFn;
      trigger = scheduleTrigger({
        parameters: p,
        random,
        now,
        lambda,
        cron: cronFn,
        worker: workerFn as unknown as SimulatedFunction<never, unknown>,
        deliveries: sns,
        onTick: (at) => metrics.recordTick(at),
        lastStarted: () => lastStarted,
      });
    } else {
      const mapped = mappingTrigger({ parameters: p, trigger: strategy.trigger, aws, queue, worker: workerFn as unknown as SimulatedFunction<SQSEvent, unknown>, now });
      mapping = mapped.mapping;
      trigger = mapped;
    }

    startArrivals(
      run.arrival,
      messages,
      (first, count) => {
        queue.send(first, count);
        aws.countSends(Math.ceil(count / 10));
      },
      () => (arrivalsDone = true),
    );
    trigger.start();

    const done = () => arrivalsDone && sns.pending === 0 && queue.counts.visible === 0 && queue.counts.inFlight === 0 && !lambda.busy();
    const depth = () => {
      const { visible, inFlight } = queue.depth();
      return visible + inFlight;
    };
    metrics.sampleDepth(now(), depth);
    const stoppedBecause = await clock.run(done, simulationEpochMs + p['simulation.maxHours'] * 3_600_000, (virtualNow) => {
      metrics.sampleDepth(virtualNow, depth);
      run.onProgress?.({ virtualMs: virtualNow - simulationEpochMs, written: metrics.written, messages });
    });
    trigger.stop();
    metrics.depthSeries.push({ t: now() - simulationEpochMs, depth: depth() });

    const figures = figuresOf({
      strategy: run.strategy,
      scheduled: strategy.trigger === 'schedule',
      startedAt: simulationEpochMs,
      parameters: p,
      queue,
      table,
      aws,
      metrics,
      good,
      worker: { stats: workerFn.stats, memoryMb: p['lambda.workerMemoryMb'] },
      cron: cron && { stats: cron.stats, memoryMb: p['lambda.cronMemoryMb'] },
    });
    return {
      figures,
      depthSeries: metrics.depthSeries,
      details: {
        stoppedBecause,
        virtualMs: now() - simulationEpochMs,
        realMs: Math.round(realNow() - realStart),
        sdkRetries: aws.sdkRetries,
        throttledItems: table.counts.throttledItems,
        throttledCalls: table.counts.throttledCalls,
        workerTimeouts: workerFn.stats.timeouts,
        workerErrors: workerFn.stats.errors,
        failedRuns: runs.failed,
        runFailures: runs.failures,
        runShapes: runs.shapes,
        droppedEvents: workerFn.stats.droppedEvents,
        workerRuns: runs.finished,
        esmReachedCeilingMs: mapping?.stats.reachedCeilingAt === undefined ? null : mapping.stats.reachedCeilingAt - simulationEpochMs,
        tickTimesMs: metrics.ticks.map((at) => at - simulationEpochMs),
      },
    };
  } finally {
    clock.uninstall();
  }
}

/** Lambda's limits from the parameters. */
function lambdaLimitsOf(p: SimulationParameters) {
  return {
    accountConcurrency: p['lambda.accountConcurrency'],
    scaleUpPer10Seconds: p['lambda.scaleUpPer10Seconds'],
    asyncRetries: p['lambda.asyncRetries'],
    asyncRetryDelayMs: p['lambda.asyncRetryDelayMs'],
    throttleRetryMinMs: p['lambda.throttleRetryMinMs'],
    throttleRetryMaxMs: p['lambda.throttleRetryMaxMs'],
    maxEventAgeMs: p['lambda.maxEventAgeMs'],
    queueWhenBusy: p['lambda.queueWhenBusy'] === 1,
  };
}

/** Worker runs as they end: finished or failed, why, and their loops. */
class RunTally {
  finished = 0;
  failed = 0;
  readonly failures: Record<string, number> = {};
  readonly shapes: Record<string, number> = {};

  record(outcome: { summary?: RunSummary; error?: unknown }): void {
    if (outcome.error !== undefined) {
      this.failed++;
      const name = (outcome.error as Error).name ?? 'Error';
      this.failures[name] = (this.failures[name] ?? 0) + 1;
      return;
    }
    this.finished++;
    const summary = outcome.summary;
    if (!summary) return;
    const shape = `${summary.loops}→${summary.loops - summary.sheds} loops, ${summary.stoppedBecause}`;
    this.shapes[shape] = (this.shapes[shape] ?? 0) + 1;
  }
}

/** Where the simulated resources are: the names the functions' environment gives them. */
const refs = {
  queueUrl: `https://sqs.us-east-1.amazonaws.com/000000000000/${resourceNames.queue}`,
  topicArn: `arn:aws:sns:us-east-1:000000000000:${resourceNames.topic}`,
  tableName: resourceNames.table,
  runIndexName: resourceNames.runIndex,
};
