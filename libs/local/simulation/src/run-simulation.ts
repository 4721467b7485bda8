import type { SNSEvent, SQSEvent } from 'aws-lambda';
import { functionEnvironments, readCronEnvironment, readWorkerEnvironment, resourceNames, type EnvironmentOverrides } from '@fanout/config';
import type { RunSummary } from '@fanout/worker';
import { startArrivals, type Arrival } from './arrivals.js';
import { costUsd } from './cost.js';
import { DrainMetrics, type DepthPoint } from './drain-metrics.js';
import { DynamoTable } from './dynamodb-table.js';
import { EventSourceMapping, type MappingScaling } from './event-source-mapping.js';
import { LambdaService, type SimulatedFunction } from './lambda-service.js';
import { sampleLatency } from './latency.js';
import type { SimulationParameters } from './parameters.js';
import { cronFunction, workerFunction, type WorkerEvent } from './pipeline-functions.js';
import { createRandom } from './random.js';
import { CompressedSchedule, RateSchedule } from './rate-schedule.js';
import { SharedCpu } from './shared-cpu.js';
import { SimulatedAws } from './simulated-aws.js';
import { simulationStrategy, type SimulationStrategyName } from './simulation-strategies.js';
import { sleep } from './sleep.js';
import { MessageState, messageIndexOf, SqsQueue } from './sqs-queue.js';
import { VirtualClock, realNow } from './virtual-clock.js';
import { growthRuleOf, writeLimitMs } from './write-limit.js';

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

/** One strategy's figures, as `--json` prints them. */
export interface StrategyFigures {
  strategy: SimulationStrategyName;
  messages: number;
  /** First message sent → last item written; null when not every good message was written. */
  drainMs: number | null;
  /** First message sent → first tick (0 for the event source mapping). */
  tickWaitMs: number;
  firstWriteMs: number | null;
  /** Ticks up to the last item written (0 for the event source mapping). */
  ticks: number;
  /** Share of the messages written before the second tick; null for the event source mapping. */
  firstTickShare: number | null;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  peakConcurrency: number;
  coldStarts: number;
  invocations: number;
  requestsPerMessage: Record<string, number>;
  costPerMillionUsd: number;
  goodInDlq: number;
  duplicates: number;
  /** Good messages gone without an item: dropped by retention. */
  lost: number;
  /** How long writing all N items takes at the table's write capacity: the floor. */
  writeLimitMs: number;
  written: number;
  /** Good messages still on the queue when the simulation ended (past simulation.maxHours). */
  notDrained: number;
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

/** The event SNS hands Lambda for one notification. */
function snsEvent(message: string, topicArn: string): SNSEvent {
  return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: `${topicArn}:worker`, Sns: { Message: message, MessageId: '', TopicArn: topicArn } }] } as unknown as SNSEvent;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

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
    const refs = {
      queueUrl: `https://sqs.us-east-1.amazonaws.com/000000000000/${resourceNames.queue}`,
      topicArn: `arn:aws:sns:us-east-1:000000000000:${resourceNames.topic}`,
      tableName: resourceNames.table,
      runIndexName: resourceNames.runIndex,
    };
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
    let pendingDeliveries = 0;
    // The local runtime's SNS bridge: one loop that takes up to 10 notifications a round and hands them over.
    const bridged: string[] = [];
    let bridging = false;
    const runBridge = async () => {
      if (bridging) return;
      bridging = true;
      while (bridged.length > 0) {
        await sleep(sampleLatency(p['sns.deliveryLatencyMs'], random));
        for (const message of bridged.splice(0, 10)) {
          pendingDeliveries--;
          worker?.invokeAsync(snsEvent(message, refs.topicArn));
        }
      }
      bridging = false;
    };
    // Filled in below: SNS delivers to the worker, which needs the clients SNS belongs to.
    let worker: SimulatedFunction<WorkerEvent, unknown> | undefined = undefined;
    const aws = new SimulatedAws({
      parameters: p,
      queue,
      queueUrl: refs.queueUrl,
      table,
      tableName: refs.tableName,
      random,
      now,
      cpu,
      deliver: (message) => {
        pendingDeliveries++;
        if (p['sns.localBridge'] === 1) {
          bridged.push(message);
          void runBridge();
          return;
        }
        setTimeout(() => {
          pendingDeliveries--;
          worker?.invokeAsync(snsEvent(message, refs.topicArn));
        }, sampleLatency(p['sns.deliveryLatencyMs'], random));
      },
    });
    const lambda = new LambdaService(
      {
        accountConcurrency: p['lambda.accountConcurrency'],
        scaleUpPer10Seconds: p['lambda.scaleUpPer10Seconds'],
        asyncRetries: p['lambda.asyncRetries'],
        asyncRetryDelayMs: p['lambda.asyncRetryDelayMs'],
        throttleRetryMinMs: p['lambda.throttleRetryMinMs'],
        throttleRetryMaxMs: p['lambda.throttleRetryMaxMs'],
        maxEventAgeMs: p['lambda.maxEventAgeMs'],
        queueWhenBusy: p['lambda.queueWhenBusy'] === 1,
      },
      random,
      now,
    );
    const environments = functionEnvironments(refs, {
      ...run.baseOverrides,
      ...strategy.overrides,
      visibilityTimeoutSeconds: Math.round(p['sqs.visibilityTimeoutMs'] / 1000),
    });
    const runs = { finished: 0, failed: 0, failures: {} as Record<string, number>, shapes: {} as Record<string, number> };
    const functionOptions = {
      aws,
      parameters: p,
      random,
      queueUrl: refs.queueUrl,
      tableName: refs.tableName,
      topicArn: strategy.trigger === 'schedule' ? readWorkerEnvironment(environments['test-sqs2ddb']).topicArn : undefined,
      workerSettings: readWorkerEnvironment(environments['test-sqs2ddb']).settings,
      cpu,
      onRun: (outcome: { summary?: RunSummary; error?: unknown }) => {
        if (outcome.error === undefined) {
          runs.finished++;
          const summary = outcome.summary;
          if (summary) {
            const shape = `${summary.loops}→${summary.loops - summary.sheds} loops, ${summary.stoppedBecause}`;
            runs.shapes[shape] = (runs.shapes[shape] ?? 0) + 1;
          }
          return;
        }
        runs.failed++;
        const name = (outcome.error as Error).name ?? 'Error';
        runs.failures[name] = (runs.failures[name] ?? 0) + 1;
      },
    };
    worker = lambda.define(workerFunction(functionOptions));

    let arrivalsDone = false;
    let lastStarted = 0;
    let mapping: EventSourceMapping | undefined;
    let stopSchedule = (): void => undefined;
    let runAfterArrivals = (): void => undefined;
    let cron: SimulatedFunction<{ tickId: string }, unknown> | undefined;
    if (strategy.trigger === 'schedule') {
      const cronFn = lambda.define(
        cronFunction({ ...functionOptions, cron: readCronEnvironment(environments['test-cron']), onTick: (decision) => (lastStarted = decision.published) }),
      );
      const fire = (tick: number) => {
        metrics.recordTick(now());
        pendingDeliveries++;
        setTimeout(() => {
          pendingDeliveries--;
          cronFn.invokeAsync({ tickId: `tick-${tick}` });
        }, sampleLatency(p['schedule.deliveryLatencyMs'], random));
      };
      if (p['schedule.compressed'] === 1) {
        const compressed = new CompressedSchedule({ gapMs: p['schedule.compressedGapMs'], fire, maxIdleTicks: 20 });
        const settle = () => {
          if (compressed.awaitingSettle && pendingDeliveries === 0 && !lambda.busy()) compressed.settled(lastStarted);
        };
        cronFn.onIdle = settle;
        worker.onIdle = settle;
        stopSchedule = () => compressed.stop();
        runAfterArrivals = () => compressed.start();
      } else {
        const schedule = new RateSchedule({ rateMs: p['schedule.rateMinutes'] * 60_000, fireWithinMs: p['schedule.fireWithinMs'], random, now, fire });
        stopSchedule = () => schedule.stop();
        runAfterArrivals = () => schedule.start();
      }
      cron = cronFn;
    } else {
      const provisioned = strategy.trigger === 'esm-provisioned';
      const maxConcurrency = p['esm.maxConcurrency'];
      const scaling: MappingScaling = provisioned
        ? {
            initial: p['esm.minimumPollers'] * p['esm.invokesPerPoller'],
            scaleUpPerMinute: p['esm.provisionedScaleUpPerMinute'],
            ceiling: p['esm.maximumPollers'] * p['esm.invokesPerPoller'],
          }
        : {
            initial: p['esm.initialConcurrency'],
            scaleUpPerMinute: p['esm.scaleUpPerMinute'],
            ceiling: maxConcurrency > 0 ? Math.min(p['esm.standardCeiling'], maxConcurrency) : p['esm.standardCeiling'],
          };
      const esm = new EventSourceMapping(
        aws,
        queue,
        worker as unknown as SimulatedFunction<SQSEvent, unknown>,
        {
          scaling,
          batchSize: p['esm.batchSize'],
          batchingWindowMs: p['esm.batchingWindowMs'],
          pollWaitMs: p['esm.pollWaitMs'],
          queueArn: `arn:aws:sqs:us-east-1:000000000000:${resourceNames.queue}`,
        },
        now,
      );
      mapping = esm;
      stopSchedule = () => esm.stop();
      runAfterArrivals = () => esm.start();
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
    runAfterArrivals();

    const done = () => arrivalsDone && pendingDeliveries === 0 && queue.counts.visible === 0 && queue.counts.inFlight === 0 && !lambda.busy();
    const depth = () => {
      const { visible, inFlight } = queue.depth();
      return visible + inFlight;
    };
    metrics.sampleDepth(now(), depth);
    const stoppedBecause = await clock.run(done, simulationEpochMs + p['simulation.maxHours'] * 3_600_000, (virtualNow) => {
      metrics.sampleDepth(virtualNow, depth);
      run.onProgress?.({ virtualMs: virtualNow - simulationEpochMs, written: metrics.written, messages });
    });
    stopSchedule();
    metrics.depthSeries.push({ t: now() - simulationEpochMs, depth: depth() });

    let goodInDlq = 0;
    let lost = 0;
    let notDrained = 0;
    let goodMessages = 0;
    for (let index = 0; index < messages; index++) {
      if (!good(index)) continue;
      goodMessages++;
      const state = queue.stateOf(index);
      if (state === MessageState.deadLettered) goodInDlq++;
      if ((metrics.writes[index] as number) > 0) continue;
      if (state === MessageState.visible || state === MessageState.inFlight || state === MessageState.notSent) notDrained++;
      else if (state !== MessageState.deadLettered) lost++;
    }
    const allWritten = metrics.written >= goodMessages && goodMessages > 0;
    const ticks = metrics.ticks;
    const lastWrite = metrics.lastFirstWriteAt;
    const workerStats = worker.stats;
    const functions = [workerStats, ...(cron ? [cron.stats] : [])];
    const invocations = functions.reduce((sum, stats) => sum + stats.invocations, 0);
    const requestsPerMessage = Object.fromEntries(
      Object.entries(aws.requests)
        .filter(([, count]) => count > 0)
        .map(([api, count]) => [api, round(count / messages, 4)]),
    );
    const cost = costUsd(
      {
        lambdaInvocations: invocations,
        lambdaMbMs: workerStats.billedMs * p['lambda.workerMemoryMb'] + (cron ? cron.stats.billedMs * p['lambda.cronMemoryMb'] : 0),
        requests: aws.requests,
        snsPublishes: aws.snsPublishes,
        dynamodbWriteUnits: table.counts.writeUnits,
      },
      p,
    );
    const secondTick = ticks[1];
    let beforeSecondTick = 0;
    if (secondTick !== undefined) for (let i = 0; i < messages; i++) if ((metrics.writes[i] as number) > 0 && (metrics.firstWrittenAt[i] as number) < secondTick) beforeSecondTick++;
    const figures: StrategyFigures = {
      strategy: run.strategy,
      messages,
      drainMs: allWritten ? Math.round(lastWrite - simulationEpochMs) : null,
      tickWaitMs: ticks[0] === undefined ? 0 : Math.round(ticks[0] - simulationEpochMs),
      firstWriteMs: metrics.written > 0 ? Math.round(metrics.firstWriteAt - simulationEpochMs) : null,
      ticks: strategy.trigger === 'schedule' ? ticks.filter((at) => at <= (allWritten ? lastWrite : Infinity)).length : 0,
      firstTickShare: strategy.trigger === 'schedule' ? round((secondTick === undefined ? metrics.written : beforeSecondTick) / messages, 4) : null,
      latencyMs: metrics.latencyPercentiles((index) => queue.sentAtOf(index), good),
      peakConcurrency: workerStats.peakConcurrency,
      coldStarts: functions.reduce((sum, stats) => sum + stats.coldStarts, 0),
      invocations,
      requestsPerMessage,
      costPerMillionUsd: round((cost / messages) * 1e6, 2),
      goodInDlq,
      duplicates: metrics.duplicates(),
      lost,
      writeLimitMs: writeLimitMs(goodMessages, p),
      written: metrics.written,
      notDrained,
    };
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
        workerTimeouts: workerStats.timeouts,
        workerErrors: workerStats.errors,
        failedRuns: runs.failed,
        runFailures: runs.failures,
        runShapes: runs.shapes,
        droppedEvents: workerStats.droppedEvents,
        workerRuns: runs.finished,
        esmReachedCeilingMs: mapping?.stats.reachedCeilingAt === undefined ? null : mapping.stats.reachedCeilingAt - simulationEpochMs,
        tickTimesMs: ticks.map((at) => at - simulationEpochMs),
      },
    };
  } finally {
    clock.uninstall();
  }
}
