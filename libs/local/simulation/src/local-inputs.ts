import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { benchConditions, seedQueue, startEmulatorsOverWire, strategies, type RuntimeFiles } from '@fanout/bench';
import { defaultWorkerSettings, type EnvironmentOverrides } from '@fanout/config';
import { emulatorClients } from '@fanout/emulators';
import { defaultWorkerConcurrency, localLoopsPerRun, localRuntimeConfig, startLocalPipeline } from '@fanout/runtime';
import { awsDrainPorts, drainRun, type DrainPorts } from '@fanout/worker';
import type { Latency } from './latency.js';
import { applySettings } from './parameter-values.js';
import type { SimulationParameters } from './parameters.js';

/**
 * What the simulation needs to stand for this machine's local pipeline, measured here: each AWS
 * call's time alone over the bench's wire to the emulators (on this machine nearly all of it is CPU,
 * so the simulation runs it on the shared cores), a worker run's own time beyond its calls,
 * test-cron's whole tick, a tick's start (tick → first worker run), the bench's look for a tick's end, and the worker's own
 * CPU per message.
 */
export interface LocalInputs {
  cores: number;
  workerEnvironments: number;
  callMs: { receive: Latency; batchWrite: Latency; delete: Latency; attributes: Latency; publish: Latency };
  /** CPU ms per ms of a call's time alone (CpuScaleProbe). */
  cpuScale: number;
  /** A worker run's own time beyond its calls' times alone (measurePipeline). */
  invokeOverheadMs: number;
  /** Tick → the first worker run it started. */
  tickStartMs: number;
  /** A tick that starts one worker: test-cron's whole invocation, as the bench waits for it. */
  cronTickMs: number;
  /** How long the bench's look for a tick's end (benchConditions.tickPollMs) takes on this machine's timers. */
  tickPollMs: number;
  cpuMsPerMessage: number;
}

/** p10/p50/p90/p99 of measured times. */
export function percentilesOf(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) * 1000) / 1000;
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

async function timeEach(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times;
}

const warmCalls = 300;
const measuredCalls = 300;

/** Each AWS call, one at a time, over the bench's wire (short polls sampled) to fresh emulators. */
async function measureCalls(): Promise<LocalInputs['callMs']> {
  const { resources, direct, overWire: wire, stop } = await startEmulatorsOverWire();
  try {
    const queueUrl = resources.queueUrl;
    await seedQueue(direct.sqs, queueUrl, 'inputs', 10 * (warmCalls + measuredCalls) + 1_000);

    const received: { handles: string[] }[] = [];
    const receive = async () => {
      const { Messages = [] } = await wire.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      received.push({ handles: Messages.map((m) => m.ReceiptHandle as string) });
    };
    await timeEach(warmCalls, receive);
    const receiveTimes = await timeEach(measuredCalls, receive);
    const remove = async () => {
      const batch = received.shift();
      if (!batch || batch.handles.length === 0) return;
      await wire.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })) }));
    };
    await timeEach(warmCalls, remove);
    const deleteTimes = await timeEach(measuredCalls, remove);
    let item = 0;
    const write = () =>
      wire.documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [resources.tableName]: Array.from({ length: 25 }, () => {
              const n = item++;
              return { PutRequest: { Item: { uuid: `urn:uuid:inputs-${n}`, key1: 'k', key2: 'v', key3: 'w', runId: 'inputs', messageId: `m${n}`, enqueuedAt: n, writtenAt: n } } };
            }),
          },
        }),
      );
    await timeEach(warmCalls, write);
    const writeTimes = await timeEach(measuredCalls, write);
    const attributes = () => wire.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    await timeEach(warmCalls, attributes);
    const attributeTimes = await timeEach(measuredCalls, attributes);
    // test-cron publishes through SNS, which fauxqs serves on the SQS endpoint (the wire, as locally).
    const publish = () =>
      wire.sns.send(new PublishBatchCommand({ TopicArn: resources.topicArn, PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), Message: '{"loops":1}' })) }));
    await timeEach(warmCalls / 3, publish);
    const publishTimes = await timeEach(measuredCalls / 3, publish);
    const alone = {
      receive: percentilesOf(receiveTimes),
      delete: percentilesOf(deleteTimes),
      batchWrite: percentilesOf(writeTimes),
      attributes: percentilesOf(attributeTimes),
      publish: percentilesOf(publishTimes),
    };
    return alone;
  } finally {
    await stop();
  }
}

/** Loops of the loaded drain: as many as the local worker runs share (localRuntimeConfig.sharedDrainLoops). */
const loadedLoops = localRuntimeConfig.sharedDrainLoops;

/**
 * CPU ms of the shared cores per ms of a call's time alone, measured by a raw drain that keeps this
 * machine's cores busy: the local limit's plain drain by `loadedLoops` loops at once. Its time × the
 * cores is the CPU its calls and the worker's code took; spread over its calls by their times alone
 * (a poor absolute measure on a shared machine, where one slow call skews it, but a fair relative
 * one), it gives each call's CPU. A shared machine's load drifts over minutes, so the prediction
 * takes it right beside each drain of the bench (as the bench pairs its drains with the limit's).
 */
export interface CpuScaleProbe {
  /** One raw drain of `messages`: the CPU scale it shows. */
  sample(messages?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startCpuScaleProbe(alone: Pick<LocalInputs['callMs'], 'receive' | 'delete' | 'batchWrite'>, cpuMsPerMessage: number): Promise<CpuScaleProbe> {
  const { resources, direct, overWire: wire, stop } = await startEmulatorsOverWire();
  try {
    const counts = { receive: 0, delete: 0, batchWrite: 0 };
    const counted = <T extends { send: (command: never) => Promise<unknown> }>(client: T, kindOf: (command: unknown) => keyof typeof counts | undefined): T =>
      ({
        send: (command: never) => {
          const kind = kindOf(command);
          if (kind) counts[kind]++;
          return client.send(command);
        },
      }) as T;
    const sqs = counted(wire.sqs, (command) => (command instanceof ReceiveMessageCommand ? 'receive' : command instanceof DeleteMessageBatchCommand ? 'delete' : undefined));
    const dynamo = counted(wire.documents, () => 'batchWrite');
    const aws = awsDrainPorts({ sqs, dynamo, queueUrl: resources.queueUrl, tableName: resources.tableName });
    // The clock stops when the last write is sent, as the local limit's does: the loops' closing
    // empty long polls are not work.
    let lastWriteAt = 0;
    const ports: DrainPorts = {
      ...aws,
      write: (items, onWritten) => {
        lastWriteAt = performance.now();
        return aws.write(items, onWritten);
      },
    };
    // The local limit's plain drain: each loop writes and deletes each receive of 10 as it comes.
    const settings = { ...defaultWorkerSettings, messageBudget: Infinity, receiveLoops: 1, receiveWaitMs: 1_000, flushAt: 10, flushJoinWaitMs: 0 };
    let drains = 0;
    const sample = async (messages = 1_000) => {
      await seedQueue(direct.sqs, resources.queueUrl, `inputs-loaded-${++drains}`, messages);
      for (const kind of Object.keys(counts) as (keyof typeof counts)[]) counts[kind] = 0;
      const started = performance.now();
      await Promise.all(Array.from({ length: loadedLoops }, () => drainRun(ports, settings, { loops: 1, remainingTimeMs: () => Infinity })));
      const cpuMs = (lastWriteAt - started) * availableParallelism() - messages * cpuMsPerMessage;
      const aloneMs = (Object.keys(counts) as (keyof typeof counts)[]).reduce((sum, kind) => sum + counts[kind] * alone[kind].p50, 0);
      return cpuMs / aloneMs;
    };
    // Warm, as the bench's drains are.
    await sample(5_000);
    return { sample, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/** Receives and deletes whatever the queue holds, straight from the emulator (no sampling, uncounted). */
async function drainDirectly(sqs: SQSClient, queueUrl: string): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return;
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })) }));
  }
}

/**
 * What a tick that starts one worker run costs, measured on such ticks over a queue of 10 (as the
 * bench's last ticks are): test-cron's whole invocation, the tick → the run's start, and the run's
 * own time beyond its calls' times alone (the function host's, the handler's logs and metrics, the
 * wire's depth read for a short poll): the simulation's lambda.invokeOverheadMs.
 */
async function measurePipeline(files: RuntimeFiles, callMs: LocalInputs['callMs']): Promise<Pick<LocalInputs, 'invokeOverheadMs' | 'tickStartMs' | 'cronTickMs' | 'tickPollMs'>> {
  const workerStarts: number[] = [];
  const runEnds: { at: number; written: number }[] = [];
  const pipeline = await startLocalPipeline({
    onEvent: (event) => {
      if (event.type === 'worker-start') workerStarts.push(performance.now());
      if (event.type === 'worker-run') runEnds.push({ at: performance.now(), written: event.summary.written });
    },
    port: 0,
    sqsPort: 0,
    dynamodbPort: 0,
    tickEveryMs: 0,
    faults: benchConditions.wire,
    environmentOverrides: strategies.fanout.overrides,
    ...files,
  });
  try {
    for (let tick = 0; tick < 200; tick++) await pipeline.hosts['test-cron'].invoke({ id: `inputs-${tick}` });
    const direct = emulatorClients(pipeline.emulators);
    const startTimes: number[] = [];
    const cronTickTimes: number[] = [];
    const overheads: number[] = [];
    // Warm (the bench has ticked thousands of times before it measures), then measured.
    const warmTicks = 100;
    for (let tick = 0; tick < warmTicks + 31; tick++) {
      await seedQueue(direct.sqs, pipeline.resources.queueUrl, 'inputs-start', 10);
      const runsBefore = pipeline.activity().workerRuns;
      const startsBefore = workerStarts.length;
      const endsBefore = runEnds.length;
      const tickedAt = performance.now();
      const { published } = (await pipeline.tick('manual')) as { published: number };
      const cronTickMs = performance.now() - tickedAt;
      while (pipeline.activity().workerRuns < runsBefore + published || pipeline.activity().workerRunsInProgress > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // What the sampled short poll left is drained straight away, outside the measure.
      await drainDirectly(direct.sqs, pipeline.resources.queueUrl);
      const startedAt = workerStarts[startsBefore];
      const ended = runEnds[endsBefore];
      if (tick < warmTicks || startedAt === undefined || ended === undefined) continue;
      cronTickTimes.push(cronTickMs);
      startTimes.push(startedAt - tickedAt);
      const callsMs = callMs.receive.p50 + (ended.written > 0 ? callMs.batchWrite.p50 + callMs.delete.p50 : 0);
      overheads.push(ended.at - startedAt - callsMs);
    }
    // The bench's look for a tick's end waits benchConditions.tickPollMs, as this machine's timers keep it.
    const tickPollMs = median(await timeEach(31, () => new Promise((resolve) => setTimeout(resolve, benchConditions.tickPollMs))));
    return { invokeOverheadMs: Math.max(0, median(overheads)), tickStartMs: median(startTimes), cronTickMs: median(cronTickTimes), tickPollMs };
  } finally {
    await pipeline.stop();
  }
}

/** The worker's own CPU per message: drainRun with ports that answer at once, no I/O. */
export async function measureWorkerCpuPerMessage(messages = 20_000): Promise<number> {
  const body = JSON.stringify({ key1: 'k1', key2: 'k2', key3: 'k3', runId: 'inputs' });
  let next = 0;
  const ports: DrainPorts = {
    receive: async (max) => {
      const count = Math.min(max, messages - next);
      return Array.from({ length: count }, () => {
        const n = next++;
        return { messageId: `m-${n}`, receiptHandle: `rh-${n}`, body, sentTimestamp: n, receiveCount: 1 };
      });
    },
    write: async (items, onWritten) => {
      onWritten?.(items);
      return { unwritten: [], calls: Math.ceil(items.length / 25), retries: 0 };
    },
    remove: async (removed) => ({ failed: [], calls: Math.ceil(removed.length / 10), retries: 0 }),
  };
  const run = () => drainRun(ports, { ...defaultWorkerSettings, messageBudget: Infinity, receiveLoops: 8 }, { loops: 8, remainingTimeMs: () => Infinity });
  await run();
  next = 0;
  const started = process.cpuUsage();
  await run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / messages;
}

/** Measures what the simulation needs to stand for the local pipeline on this machine. */
export async function measureLocalInputs(files: RuntimeFiles): Promise<LocalInputs> {
  const cpuMsPerMessage = await measureWorkerCpuPerMessage();
  const callMs = await measureCalls();
  const pipeline = await measurePipeline(files, callMs);
  const probe = await startCpuScaleProbe(callMs, cpuMsPerMessage);
  const scales: number[] = [];
  try {
    for (let drain = 0; drain < 5; drain++) scales.push(await probe.sample());
  } finally {
    await probe.stop();
  }
  return { cores: availableParallelism(), workerEnvironments: defaultWorkerConcurrency(), callMs, cpuScale: median(scales), ...pipeline, cpuMsPerMessage };
}

/** The local runtime's worker and cron settings, as it sets the functions' environment (libs/local/runtime). */
export function localRuntimeOverrides(workerEnvironments: number): EnvironmentOverrides {
  return {
    receiveWaitSeconds: localRuntimeConfig.receiveWaitSeconds,
    maxWorkers: workerEnvironments,
    receiveLoops: localLoopsPerRun(workerEnvironments),
    tableWriteUnits: 0,
  };
}

const latencyText = (latency: Latency) => `${latency.p10}/${latency.p50}/${latency.p90}/${latency.p99}`;

/**
 * The simulation's parameters for this machine, from its measured inputs: the calls' times run as
 * CPU on its cores (local.cores), its worker environments stand for Lambda's fleet (warm, queueing
 * what they cannot take yet), no write capacity limit (the emulator has none), and compressed ticks,
 * as the bench runs them: it looks for a tick's runs to end every tickPollMs, then counts the run's
 * items, which takes `benchCountMs` (the bench's own bookkeeping, taken from its drains).
 */
export function localParameters(inputs: LocalInputs, benchCountMs: number): SimulationParameters {
  const { callMs } = inputs;
  const cronCallsMs = callMs.attributes.p50 + callMs.publish.p50 + inputs.invokeOverheadMs;
  return applySettings([
    `local.cores=${inputs.cores}`,
    `local.cpuPerCallMs=${inputs.cpuScale.toFixed(3)}`,
    `local.cpuMsPerMessage=${inputs.cpuMsPerMessage.toFixed(4)}`,
    `sqs.receiveLatencyMs=${latencyText(callMs.receive)}`,
    `sqs.deleteLatencyMs=${latencyText(callMs.delete)}`,
    `sqs.changeVisibilityLatencyMs=${latencyText(callMs.delete)}`,
    `sqs.attributesLatencyMs=${latencyText(callMs.attributes)}`,
    `sns.publishLatencyMs=${latencyText(callMs.publish)}`,
    `dynamodb.batchWriteLatencyMs=${latencyText(callMs.batchWrite)}`,
    `sns.deliveryLatencyMs=${Math.max(0, inputs.tickStartMs - cronCallsMs).toFixed(3)}`,
    'sns.localBridge=1',
    `lambda.invokeOverheadMs=${inputs.invokeOverheadMs.toFixed(3)}`,
    `lambda.cronAnswerMs=${Math.max(0, inputs.cronTickMs - cronCallsMs).toFixed(3)}`,
    'lambda.coldStartMs=0',
    `lambda.workerReservedConcurrency=${inputs.workerEnvironments}`,
    // The local runtime caps the fan-out at its worker environments.
    `fanout.maxWorkers=${inputs.workerEnvironments}`,
    'lambda.queueWhenBusy=1',
    'schedule.compressed=1',
    'schedule.deliveryLatencyMs=0',
    `schedule.compressedCountMs=${benchCountMs.toFixed(3)}`,
    `schedule.compressedPollMs=${inputs.tickPollMs.toFixed(3)}`,
    'dynamodb.initialWriteUnits=1000000000',
    'dynamodb.tableMaxWriteUnits=1000000000',
    'dynamodb.partitionWriteUnits=1000000000',
  ]);
}
