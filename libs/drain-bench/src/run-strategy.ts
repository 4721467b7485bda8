import { performance } from 'node:perf_hooks';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { emulatorClients } from '@fanout/local-emulators';
import { startLocalPipeline, type LocalPipeline } from '@fanout/local-pipeline';
import { readRunItems, summarizeRun } from '@fanout/run-status';
import { noFaults } from '@fanout/wire-proxy';
import { benchMessage } from './seed-queue.js';
import type { Strategy } from './strategies.js';

export interface RuntimeFiles {
  functionsDir: string;
  environmentScript: string;
}

export interface DepthPoint {
  /** ms since the first tick. */
  t: number;
  /** Messages on the queue, visible or in flight. */
  depth: number;
}

export interface StrategyRun {
  strategy: string;
  messages: number;
  /** Messages per API request when enqueueing. */
  enqueueBatch: number;
  ticksToDrain: number | null;
  firstTickShare: number;
  /** First tick → last item written. */
  drainMs: number | null;
  requestsByApi: Record<string, number>;
  requests: number;
  invocations: { api: number; cron: number; worker: number };
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  depthSeries: DepthPoint[];
  wallMs: number;
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

/** One invocation per execution environment of each function, on an empty queue. */
async function warmUp(pipeline: LocalPipeline): Promise<void> {
  const idle = { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'warm-up', Message: '{}' } }] };
  const api = { httpMethod: 'GET', path: '/messages', resource: '/messages', headers: {}, body: null, isBase64Encoded: false };
  const { concurrency: workers } = pipeline.hosts['test-sqs2ddb'].definition;
  const { concurrency: apis } = pipeline.hosts['test-api'].definition;
  await Promise.all([
    ...Array.from({ length: workers }, () => pipeline.hosts['test-sqs2ddb'].invoke(idle)),
    ...Array.from({ length: apis }, () => pipeline.hosts['test-api'].invoke(api)),
    pipeline.hosts['test-cron'].invoke({ id: 'warm-up' }),
  ]);
}

/** Resolves once every worker run that the ticks so far started has ended. */
async function tickSettled(pipeline: LocalPipeline, expectedRuns: number): Promise<void> {
  for (;;) {
    const activity = pipeline.activity();
    if (activity.workerRuns >= expectedRuns && activity.workerRunsInProgress === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * One real run of the pipeline with a strategy's settings: N messages posted through the API, then
 * compressed ticks, each fired as soon as the runs the previous one started have ended (on AWS the
 * 5-minute tick is far longer than a run), until every message is in the table. The wire proxy
 * counts every request the functions make and samples short polls as real SQS does.
 */
export async function runStrategy(
  strategy: Strategy,
  messages: number,
  files: RuntimeFiles,
  options: { enqueueBatch?: number; sampleDepth?: boolean; maxTicks?: number; wire?: boolean; workerConcurrency?: number } = {},
): Promise<StrategyRun> {
  const enqueueBatch = options.enqueueBatch ?? 10;
  const wallStarted = performance.now();
  const pipeline = await startLocalPipeline({
    port: 0,
    sqsPort: 0,
    dynamodbPort: 0,
    tickEveryMs: 0,
    faults: options.wire === false ? undefined : { ...noFaults, shortPollSampling: true },
    workerConcurrency: options.workerConcurrency,
    environmentOverrides: strategy.overrides,
    ...files,
  });
  try {
    const direct = emulatorClients(pipeline.emulators);
    // Warm every execution environment first: drain time is about the steady state, and cold
    // starts have a table of their own. The warm-up's requests and invocations are not counted.
    await warmUp(pipeline);
    const invocationsBefore = invocationCounts(pipeline);
    pipeline.wire?.sqs.resetCounts();
    pipeline.wire?.dynamodb.resetCounts();
    const runId = `bench-${strategy.name}-${messages}-${enqueueBatch}`;
    await enqueueOverHttp(pipeline.apiUrl, runId, messages, enqueueBatch);
    const countWritten = async () =>
      (await readRunItems(direct.documents, pipeline.resources.tableName, pipeline.resources.runIndexName, runId)).length;

    const depthSeries: DepthPoint[] = [];
    const firstTickAt = Date.now();
    let sampling = options.sampleDepth ?? false;
    const sampler = (async () => {
      while (sampling) {
        const { Attributes = {} } = await direct.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: pipeline.resources.queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        depthSeries.push({
          t: Date.now() - firstTickAt,
          depth: Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible),
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const maxTicks = options.maxTicks ?? Math.ceil(messages / 10) * 3 + 10;
    let expectedRuns = 0;
    let ticks = 0;
    let written = 0;
    let firstTickShare = 0;
    while (written < messages && ticks < maxTicks) {
      const decision = (await pipeline.tick('manual')) as { published: number };
      ticks++;
      expectedRuns += decision.published;
      await tickSettled(pipeline, expectedRuns);
      written = await countWritten();
      if (ticks === 1) firstTickShare = written / messages;
    }
    sampling = false;
    await sampler;

    const items = await readRunItems(direct.documents, pipeline.resources.tableName, pipeline.resources.runIndexName, runId);
    const report = summarizeRun(runId, items);
    const requestsByApi: Record<string, number> = {};
    for (const proxy of [pipeline.wire?.sqs, pipeline.wire?.dynamodb]) {
      for (const [api, count] of Object.entries(proxy?.counts().requests ?? {})) requestsByApi[api] = (requestsByApi[api] ?? 0) + count;
    }
    return {
      strategy: strategy.name,
      messages,
      enqueueBatch,
      ticksToDrain: written >= messages ? ticks : null,
      firstTickShare,
      drainMs: report.lastWrittenAt === null ? null : report.lastWrittenAt - firstTickAt,
      requestsByApi,
      requests: Object.values(requestsByApi).reduce((a, b) => a + b, 0),
      invocations: subtract(invocationCounts(pipeline), invocationsBefore),
      latencyMs: { p50: report.latencyMs.p50, p95: report.latencyMs.p95, p99: report.latencyMs.p99 },
      depthSeries,
      wallMs: performance.now() - wallStarted,
    };
  } finally {
    await pipeline.stop();
  }
}
