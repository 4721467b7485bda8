import { performance } from 'node:perf_hooks';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { readQueueDepth } from '@fanout/fan-out';
import { emulatorClients } from '@fanout/emulators';
import { queueConfig, type WorkerTrigger } from '@fanout/config';
import { parseTriggerFlags, startLocalPipeline, type LocalPipeline } from '@fanout/runtime';
import { readRunItems, summarizeRun } from '@fanout/run-status';
import { benchMessage, seedQueue } from './seed-queue.js';
import type { Strategy } from './strategies.js';
import { medianOf } from './median.js';
import { benchConditions, measureAgain, warmUpAgain, type MeasuringPlan } from './bench-conditions.js';

export interface RuntimeFiles {
  functionsDir: string;
  environmentScript: string;
}

export interface DepthPoint {
  /** ms since the first tick (`esm`: since the burst's first message was posted). */
  t: number;
  /** Messages on the queue, visible or in flight. */
  depth: number;
}

export interface StrategyRun {
  strategy: string;
  /** What started the worker: `fanout` rows drain from the first tick, `esm` rows from the burst's first enqueue. */
  trigger: WorkerTrigger;
  messages: number;
  /** Messages per API request when enqueueing. */
  enqueueBatch: number;
  /** 0 with `esm`, which has no tick. */
  ticksToDrain: number | null;
  /** null with `esm`, which has no tick. */
  firstTickShare: number | null;
  /**
   * First tick → last item written; `esm`: the burst's first enqueue → last item written, since the
   * mapping starts as messages arrive. null when not every message was written.
   */
  drainMs: number | null;
  /** First tick → first item written; null when nothing was written. */
  firstWriteMs: number | null;
  /**
   * First tick → the first worker run it started: what every drain of the pipeline pays before a
   * worker can receive (test-cron's run, the SNS → worker start); null when no worker started.
   */
  firstStartMs: number | null;
  requestsByApi: Record<string, number>;
  requests: number;
  invocations: { api: number; cron: number; worker: number };
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  depthSeries: DepthPoint[];
  /** This burst's wall time, enqueueing included. */
  wallMs: number;
  /** Posting the burst through the API: before the first tick with fan-out; with `esm`, part of the drain. */
  enqueueMs: number;
  /** With repeats: every burst's drain time, in the order they ran. */
  drainMsSamples?: (number | null)[];
  /** With repeats: every burst's ticks to drain, in the same order. */
  ticksSamples?: (number | null)[];
  /**
   * With repeats: how long the bench's own count of the run's items took after each tick of the
   * measured bursts (the next tick waits for it: the bench's bookkeeping, not the pipeline's).
   */
  countMsSamples?: number[];
  /** When the burst was not all written: how far it got, and what the queue still held. */
  notDrained?: { written: number; queue: { visible: number; inFlight: number } };
}

async function enqueueOverHttp(apiUrl: string, runId: string, messages: number, batch: number, concurrency = 8): Promise<void> {
  let next = 0;
  const poster = async () => {
    while (next < messages) {
      const first = next;
      next = Math.min(messages, next + batch);
      const body = [];
      for (let i = first; i < next; i++) body.push(benchMessage(runId, i));
      const response = await fetch(`${apiUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch === 1 ? body[0] : body),
      });
      if (response.status !== 202) throw new Error(`The API answered ${response.status} while enqueueing: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, poster));
}

function invocationCounts(pipeline: LocalPipeline) {
  return {
    api: pipeline.hosts['test-api'].stats.invocations,
    cron: pipeline.hosts['test-cron'].stats.invocations,
    worker: pipeline.hosts['test-sqs2ddb'].stats.invocations,
  };
}

function subtract(after: ReturnType<typeof invocationCounts>, before: ReturnType<typeof invocationCounts>) {
  return { api: after.api - before.api, cron: after.cron - before.cron, worker: after.worker - before.worker };
}

/**
 * A warm-up invocation that fails or times out (a cold environment on a machine busy with other
 * work) has warmed what it could; the measured drains are the ones that must succeed.
 */
async function warmUpInvoke(invocation: Promise<unknown>): Promise<void> {
  await invocation.catch(() => undefined);
}

/**
 * Warms the pipeline up, uncounted: one invocation per execution environment of each function on
 * an empty queue (benchConditions.cronWarmUpTicks of them for test-cron), then a burst of `messages`
 * put on the queue (as the local limit's are), one real tick over it (test-cron's publish, the SNS
 * bridge, worker starts), and what that tick left drained by invoking every worker environment at
 * once, round after round (no more ticks, so it takes seconds whatever the strategy), until the
 * queue is empty.
 */
async function warmUp(pipeline: LocalPipeline, messages: number): Promise<void> {
  if (pipeline.trigger.trigger === 'esm') return warmUpMapping(pipeline, messages);
  const idle = { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'warm-up', Message: '{}' } }] };
  const api = { httpMethod: 'GET', path: '/messages', resource: '/messages', headers: {}, body: null, isBase64Encoded: false };
  const { concurrency: workers } = pipeline.hosts['test-sqs2ddb'].definition;
  const { concurrency: apis } = pipeline.hosts['test-api'].definition;
  const everyWorker = () => Promise.all(Array.from({ length: workers }, () => warmUpInvoke(pipeline.hosts['test-sqs2ddb'].invoke(idle))));
  await Promise.all([everyWorker(), ...Array.from({ length: apis }, () => warmUpInvoke(pipeline.hosts['test-api'].invoke(api)))]);
  for (let tick = 0; tick < benchConditions.cronWarmUpTicks; tick++) await pipeline.hosts['test-cron'].invoke({ id: `warm-up-${tick}` });
  if (messages === 0) return;
  const { sqs } = emulatorClients(pipeline.emulators);
  await seedQueue(sqs, pipeline.resources.queueUrl, 'warm-up', messages);
  // One real tick, so test-cron's publish, the SNS bridge and the workers' SNS starts are warm too.
  const runsBefore = pipeline.activity().workerRuns;
  const { published } = (await pipeline.tick('manual')) as { published: number };
  await tickSettled(pipeline, runsBefore + published);
  for (let round = 0; (await queueDepth(sqs, pipeline.resources.queueUrl)) > 0; round++) {
    if (round >= messages) throw new Error('The warm-up burst did not drain.');
    await everyWorker();
  }
}

/**
 * The warm-up with `--trigger esm`: one invocation per execution environment of the worker (with a
 * batch of no records) and of test-api, then a burst of `messages` put on the queue, which the
 * mapping drains by itself, warming its receives, invokes and deletes.
 */
async function warmUpMapping(pipeline: LocalPipeline, messages: number): Promise<void> {
  const api = { httpMethod: 'GET', path: '/messages', resource: '/messages', headers: {}, body: null, isBase64Encoded: false };
  const { concurrency: workers } = pipeline.hosts['test-sqs2ddb'].definition;
  const { concurrency: apis } = pipeline.hosts['test-api'].definition;
  await Promise.all([
    ...Array.from({ length: workers }, () => warmUpInvoke(pipeline.hosts['test-sqs2ddb'].invoke({ Records: [] }))),
    ...Array.from({ length: apis }, () => warmUpInvoke(pipeline.hosts['test-api'].invoke(api))),
  ]);
  if (messages === 0) return;
  const { sqs } = emulatorClients(pipeline.emulators);
  await seedQueue(sqs, pipeline.resources.queueUrl, 'warm-up', messages);
  const deadline = Date.now() + mappingStallMs;
  while ((await queueDepth(sqs, pipeline.resources.queueUrl)) > 0 || pipeline.activity().workerRunsInProgress > 0) {
    if (Date.now() > deadline) throw new Error('The warm-up burst did not drain.');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How long an `esm` burst may go without a message written before it is given up as not drained:
 * longer than the queue's visibility timeout, so that a batch an invocation returned comes back first.
 */
const mappingStallMs = 2 * queueConfig.visibilityTimeoutSeconds * 1_000;

/** Messages on the queue, visible or in flight. */
async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { visible, inFlight } = await readQueueDepth(sqs, queueUrl);
  return visible + inFlight;
}

/** Resolves once every worker run that the ticks so far started has ended, looking every benchConditions.tickPollMs. */
async function tickSettled(pipeline: LocalPipeline, expectedRuns: number): Promise<void> {
  for (;;) {
    const activity = pipeline.activity();
    if (activity.workerRuns >= expectedRuns && activity.workerRunsInProgress === 0) return;
    await new Promise((resolve) => setTimeout(resolve, benchConditions.tickPollMs));
  }
}

/**
 * Ticks in a row that start no worker before a burst is given up as not drained: its missing
 * messages are neither visible nor being drained (held in flight until the visibility timeout, or
 * gone), and more ticks will not find them.
 */
const maxIdleTicks = 20;

/** What posting one burst and ticking until it is written took. */
interface BurstDrain {
  ticks: number;
  /** Posting the burst through the API. */
  enqueueMs: number;
  written: number;
  firstTickShare: number | null;
  /** Epoch ms of the first tick (`esm`: of the first enqueue). */
  firstTickAt: number;
  /** Epoch ms of the first worker start after it, if any. */
  firstStartAt: number | null;
  /** Each tick's count of the run's items, in ms. */
  countsMs: number[];
}

interface DrainOptions {
  enqueueBatch: number;
  maxTicks: number;
  /** When the drain's clock starts (epoch ms): the first tick, or with `esm` the first enqueue. */
  onFirstTick?: (at: number) => void;
  workerStarts: readonly number[];
}

/**
 * Posts `messages` messages tagged `runId` through the API and waits until they are all in the table.
 * With the fan-out trigger, it fires compressed ticks after the posting, each as soon as the runs
 * the previous one started have ended; with `esm` the mapping drains as the messages arrive.
 */
async function drainBurst(pipeline: LocalPipeline, runId: string, messages: number, options: DrainOptions): Promise<BurstDrain> {
  return pipeline.trigger.trigger === 'esm' ? drainByMapping(pipeline, runId, messages, options) : drainByTicks(pipeline, runId, messages, options);
}

/**
 * `esm`: the clock starts at the burst's first enqueue, since the mapping receives as soon as a
 * message is on the queue. Done once the mapping's outcomes count the burst written and the table
 * holds it all.
 */
async function drainByMapping(pipeline: LocalPipeline, runId: string, messages: number, options: DrainOptions): Promise<BurstDrain> {
  const direct = emulatorClients(pipeline.emulators);
  const countWritten = async () =>
    (await readRunItems(direct.documents, pipeline.resources.tableName, pipeline.resources.runIndexName, runId)).length;
  // The mapping's own count is cheap to read every few ms; the table is read once it says done.
  const writtenBefore = pipeline.activity().written;
  const firstEnqueueAt = Date.now();
  options.onFirstTick?.(firstEnqueueAt);
  await enqueueOverHttp(pipeline.apiUrl, runId, messages, options.enqueueBatch);
  const enqueueMs = Date.now() - firstEnqueueAt;
  let counted = 0;
  let progressAt = Date.now();
  let written = 0;
  while (Date.now() - progressAt < mappingStallMs) {
    const now = pipeline.activity().written - writtenBefore;
    if (now > counted) [counted, progressAt] = [now, Date.now()];
    if (counted >= messages) {
      written = await countWritten();
      if (written >= messages) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (written < messages) written = await countWritten();
  return { ticks: 0, enqueueMs, written, firstTickShare: null, firstTickAt: firstEnqueueAt, firstStartAt: null, countsMs: [] };
}

async function drainByTicks(pipeline: LocalPipeline, runId: string, messages: number, options: DrainOptions): Promise<BurstDrain> {
  const direct = emulatorClients(pipeline.emulators);
  const enqueueStartedAt = Date.now();
  await enqueueOverHttp(pipeline.apiUrl, runId, messages, options.enqueueBatch);
  const enqueueMs = Date.now() - enqueueStartedAt;
  const countWritten = async () =>
    (await readRunItems(direct.documents, pipeline.resources.tableName, pipeline.resources.runIndexName, runId)).length;
  const firstTickAt = Date.now();
  options.onFirstTick?.(firstTickAt);
  let expectedRuns = pipeline.activity().workerRuns;
  let ticks = 0;
  let written = 0;
  let firstTickShare = 0;
  let idleTicks = 0;
  const countsMs: number[] = [];
  while (written < messages && ticks < options.maxTicks && idleTicks < maxIdleTicks) {
    const decision = (await pipeline.tick('manual')) as { published: number };
    ticks++;
    idleTicks = decision.published === 0 ? idleTicks + 1 : 0;
    expectedRuns += decision.published;
    await tickSettled(pipeline, expectedRuns);
    const countStartedAt = performance.now();
    written = await countWritten();
    countsMs.push(performance.now() - countStartedAt);
    if (ticks === 1) firstTickShare = written / messages;
  }
  return { ticks, enqueueMs, written, firstTickShare, firstTickAt, firstStartAt: options.workerStarts.find((at) => at >= firstTickAt) ?? null, countsMs };
}

export interface RunStrategyOptions {
  /** Messages per API request when enqueueing (default 10). */
  enqueueBatch?: number;
  /** Record the queue depth every 50 ms for the chart. */
  sampleDepth?: boolean;
  maxTicks?: number;
  /** false: no wire proxy (nothing counted, no short-poll sampling). */
  wire?: boolean;
  workerConcurrency?: number;
  /** Messages of the unmeasured warm-up burst (default benchConditions.warmUpMessages). */
  warmUp?: number;
  /**
   * Unmeasured, then measured bursts of N on the same warm pipeline; the row is the measured one with
   * the median drain time (default benchConditions.measuring).
   */
  measuring?: MeasuringPlan;
  /** Runs before each burst, warm-up or measured, outside its clock: the local limit's paired drain. */
  beforeEachBurst?: (measured: boolean) => Promise<void>;
}

/**
 * Real runs of the pipeline with a strategy's settings: a warm-up burst and unmeasured bursts of N,
 * then the measured bursts of N, each posted through the API and drained by compressed ticks until
 * every message is in the table. The wire proxy counts every request the functions make and samples short polls as
 * real SQS does. Returns the burst with the median drain time.
 */
export async function runStrategy(strategy: Strategy, messages: number, files: RuntimeFiles, options: RunStrategyOptions = {}): Promise<StrategyRun> {
  const enqueueBatch = options.enqueueBatch ?? 10;
  // Room for the baselines' slowest bursts: serial takes one receive a tick, and its short polls find
  // the last few messages only one tick in several.
  const maxTicks = options.maxTicks ?? Math.ceil(messages / 10) * 5 + 10;
  // When the bridge handed each worker start over (epoch ms), for the start that every drain pays.
  const workerStarts: number[] = [];
  const pipeline = await startLocalPipeline({
    trigger: parseTriggerFlags({ trigger: strategy.trigger }),
    onEvent: (event) => {
      if (event.type === 'worker-start') workerStarts.push(Date.now());
    },
    port: 0,
    sqsPort: 0,
    dynamodbPort: 0,
    tickEveryMs: 0,
    faults: options.wire === false ? undefined : benchConditions.wire,
    workerConcurrency: options.workerConcurrency,
    environmentOverrides: strategy.overrides,
    ...files,
  });
  try {
    const direct = emulatorClients(pipeline.emulators);
    // Warm up first: drain time is about the steady state, and cold starts have a table of their own.
    await warmUp(pipeline, options.warmUp ?? benchConditions.warmUpMessages);

    const plan = options.measuring ?? benchConditions.measuring;
    // The warm-up's time counts the bursts alone, as the measured ones' does.
    let warmUpMs = 0;
    for (let done = 0; warmUpAgain(done, warmUpMs, plan); done++) {
      await options.beforeEachBurst?.(false);
      const burstStarted = performance.now();
      await drainBurst(pipeline, `bench-${strategy.name}-${messages}-${enqueueBatch}-warm-up-${done + 1}`, messages, { enqueueBatch, maxTicks, workerStarts });
      warmUpMs += performance.now() - burstStarted;
    }

    const runs: StrategyRun[] = [];
    const countMsSamples: number[] = [];
    let measuredMs = 0;
    while (measureAgain(runs.length, measuredMs, plan)) {
      await options.beforeEachBurst?.(true);
      const repeat = runs.length + 1;
      const wallStarted = performance.now();
      const invocationsBefore = invocationCounts(pipeline);
      pipeline.wire?.sqs.resetCounts();
      pipeline.wire?.dynamodb.resetCounts();
      const runId = `bench-${strategy.name}-${messages}-${enqueueBatch}-${repeat}`;

      const depthSeries: DepthPoint[] = [];
      let sampling = options.sampleDepth ?? false;
      let sampler: Promise<void> = Promise.resolve();
      const sampleDepth = (firstTickAt: number) => {
        sampler = (async () => {
          while (sampling) {
            const depth = await queueDepth(direct.sqs, pipeline.resources.queueUrl);
            depthSeries.push({ t: Date.now() - firstTickAt, depth });
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        })();
      };
      const { ticks, enqueueMs, written, firstTickShare, firstTickAt, firstStartAt, countsMs } = await drainBurst(pipeline, runId, messages, {
        enqueueBatch,
        maxTicks,
        onFirstTick: sampleDepth,
        workerStarts,
      });
      sampling = false;
      await sampler;
      countMsSamples.push(...countsMs);

      const items = await readRunItems(direct.documents, pipeline.resources.tableName, pipeline.resources.runIndexName, runId);
      const report = summarizeRun(runId, items);
      const requestsByApi: Record<string, number> = {};
      for (const proxy of [pipeline.wire?.sqs, pipeline.wire?.dynamodb]) {
        for (const [api, count] of Object.entries(proxy?.counts().requests ?? {})) requestsByApi[api] = (requestsByApi[api] ?? 0) + count;
      }
      const wallMs = performance.now() - wallStarted;
      measuredMs += wallMs;
      runs.push({
        strategy: strategy.name,
        trigger: strategy.trigger,
        messages,
        enqueueBatch,
        ticksToDrain: written >= messages ? ticks : null,
        firstTickShare,
        drainMs: written < messages || report.lastWrittenAt === null ? null : report.lastWrittenAt - firstTickAt,
        firstWriteMs: items.length === 0 ? null : Math.min(...items.map((item) => item.writtenAt)) - firstTickAt,
        firstStartMs: firstStartAt === null ? null : firstStartAt - firstTickAt,
        requestsByApi,
        requests: Object.values(requestsByApi).reduce((a, b) => a + b, 0),
        invocations: subtract(invocationCounts(pipeline), invocationsBefore),
        latencyMs: { p50: report.latencyMs.p50, p95: report.latencyMs.p95, p99: report.latencyMs.p99 },
        depthSeries,
        wallMs,
        enqueueMs,
        ...(written < messages ? { notDrained: { written, queue: await readQueueDepth(direct.sqs, pipeline.resources.queueUrl) } } : {}),
      });
    }
    const median = medianOf(runs, (run) => run.drainMs ?? Infinity);
    return { ...median, drainMsSamples: runs.map((run) => run.drainMs), ticksSamples: runs.map((run) => run.ticksToDrain), countMsSamples };
  } finally {
    await pipeline.stop();
  }
}
