import { performance } from 'node:perf_hooks';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { emulatorClients } from '@fanout/emulators';
import type { WorkerTrigger } from '@fanout/config';
import { parseTriggerFlags, startLocalPipeline } from '@fanout/runtime';
import { parseFaultSpec, type FaultSpec } from '@fanout/wire-proxy';
import { countOutcome, type ChaosFigures } from './chaos-figures.js';
import { poisonBodies } from './poison-bodies.js';

/** Every fault at once, at rates that keep a run short but exercise each retry path many times. */
export const chaosFaults =
  'throttle=0.1,unprocessed=0.3,delete-failures=0.1,latency=0-5,resets=0.01,kill-after-write=0.1,' +
  'stall=0.003,stall-ms=8000,send-failures=0.1,duplicate-deliveries=0.1,seed=7';

export interface ChaosOptions {
  messages: number;
  /** What starts the worker (default fanout): test-cron's ticks, or the event source mapping's poller. */
  trigger?: WorkerTrigger;
  poison: number;
  faults?: FaultSpec;
  functionsDir: string;
  environmentScript: string;
  /** Give up after this long (the figures then show what is missing). */
  deadlineMs?: number;
  log?: (line: string) => void;
}

// Short enough to see redrive and redelivery in seconds. maxReceiveCount tolerates the receives this
// mix forces on good messages (killed environments, timeouts, failed deletes), so that none reaches
// the DLQ after being written, while the poison still lands there within the run.
const visibilityTimeoutSeconds = 3;
const maxReceiveCount = 10;
const workerTimeoutMs = 6_000;

async function postAll(apiUrl: string, messages: number, log: (line: string) => void) {
  const accepted = new Set<string>();
  let clientRetries = 0;
  let next = 0;
  const poster = async () => {
    while (next < messages) {
      const first = next;
      next = Math.min(messages, next + 10);
      let pending = Array.from({ length: next - first }, (_, i) => ({ key1: `m-${first + i}`, key2: 'b', key3: 'c', runId: 'chaos' }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 20) throw new Error(`Could not enqueue ${pending.length} messages after 20 attempts.`);
        let status = 0;
        let body: { messages?: { index: number; status: string }[] } = {};
        try {
          const response = await fetch(`${apiUrl}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(pending),
          });
          status = response.status;
          body = (await response.json()) as typeof body;
        } catch {
          status = 0;
        }
        if (status === 202 || status === 207) {
          const failed = new Set((body.messages ?? []).filter((entry) => entry.status !== 'enqueued').map((entry) => entry.index));
          for (const [index, message] of pending.entries()) if (!failed.has(index)) accepted.add(message.key1);
          pending = pending.filter((_, index) => failed.has(index));
        } else if (status !== 503 && status !== 0) {
          throw new Error(`The API answered ${status}: ${JSON.stringify(body)}`);
        }
        if (pending.length > 0) {
          clientRetries++;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, poster));
  log(`posted ${messages} messages, ${accepted.size} accepted after ${clientRetries} client retries`);
  return { accepted, clientRetries };
}

/**
 * The chaos run: N good messages through the API and P poison messages straight to the queue, under
 * every fault at once (wire faults, killed environments, timeouts, duplicate deliveries, and with the
 * fan-out trigger ticks that overlap; with esm the mapping's own receives and deletes go over the
 * faulty wire too), until the queue is empty. Then it counts, from the table and the queues: lost and
 * duplicated must be 0, and every DLQ entry must be a poison message.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const log = options.log ?? (() => undefined);
  const faults = options.faults ?? parseFaultSpec(chaosFaults);
  const trigger = options.trigger ?? 'fanout';
  const pipeline = await startLocalPipeline({
    trigger: parseTriggerFlags({ trigger }),
    port: 0,
    sqsPort: 0,
    dynamodbPort: 0,
    tickEveryMs: 0,
    visibilityTimeoutSeconds,
    maxReceiveCount,
    faults,
    timeoutsMs: { 'test-sqs2ddb': workerTimeoutMs },
    environmentOverrides: { safetyMarginMs: 2_000 },
    functionsDir: options.functionsDir,
    environmentScript: options.environmentScript,
  });
  const started = performance.now();
  try {
    const direct = emulatorClients(pipeline.emulators);
    const poison = poisonBodies(options.poison);
    for (const body of poison) {
      await direct.sqs.send(new SendMessageCommand({ QueueUrl: pipeline.resources.queueUrl, MessageBody: body }));
    }
    const { accepted, clientRetries } = await postAll(pipeline.apiUrl, options.messages, log);

    const deadline = Date.now() + (options.deadlineMs ?? 300_000);
    let round = 0;
    for (;;) {
      round++;
      // Every third tick comes twice at once, as a doubled EventBridge delivery would. The event
      // source mapping needs no tick: it polls the queue by itself.
      if (trigger === 'fanout') {
        await Promise.all(Array.from({ length: round % 3 === 0 ? 2 : 1 }, () => pipeline.tick('schedule').catch(() => undefined)));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const activity = pipeline.activity();
      const { visible, inFlight } = await pipeline.status();
      const left = visible + inFlight;
      if (round % 5 === 0) log(`${trigger === 'fanout' ? 'tick' : 'second'} ${round}: ${left} on the queue, ${activity.workerRunsInProgress} invocations in progress`);
      if (left === 0 && activity.workerRunsInProgress === 0) break;
      if (Date.now() > deadline) {
        log(`deadline reached with ${left} messages on the queue`);
        break;
      }
    }
    const drainMs = performance.now() - started;

    const itemKeys: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await direct.documents.send(
        new ScanCommand({ TableName: pipeline.resources.tableName, ProjectionExpression: 'key1', ExclusiveStartKey }),
      );
      itemKeys.push(...(page.Items ?? []).map((item) => String(item['key1'])));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const deadLetterBodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await direct.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: pipeline.resources.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
      );
      if (Messages.length === 0) break;
      deadLetterBodies.push(...Messages.map((message) => message.Body ?? ''));
      await direct.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: pipeline.resources.deadLetterQueueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }

    const faultsInjected: Record<string, number> = {};
    const resentByWorkers: Record<string, number> = {};
    for (const proxy of [pipeline.wire?.sqs, pipeline.wire?.dynamodb]) {
      const counts = proxy?.counts();
      for (const [name, count] of Object.entries(counts?.faults ?? {})) faultsInjected[name] = (faultsInjected[name] ?? 0) + count;
      for (const [name, count] of Object.entries(counts?.resent ?? {})) resentByWorkers[name] = (resentByWorkers[name] ?? 0) + count;
    }
    const activity = pipeline.activity();
    faultsInjected[trigger === 'fanout' ? 'notification delivered twice' : 'batch delivered twice'] = activity.duplicateDeliveries;
    faultsInjected['invocation timed out'] = Object.values(pipeline.hosts).reduce((sum, host) => sum + host.stats.timeouts, 0);
    if (trigger === 'fanout') faultsInjected['overlapping ticks'] = Math.floor(round / 3);

    return {
      trigger,
      messages: options.messages,
      accepted: accepted.size,
      poison: poison.length,
      ...countOutcome({ accepted, poisonBodies: poison, itemKeys, deadLetterBodies }),
      clientRetries,
      faultsInjected,
      resentByWorkers,
      workerRetries: activity.retries,
      workerRuns: activity.workerRuns,
      ticks: activity.ticks,
      drainMs: Math.round(drainMs),
    };
  } finally {
    await pipeline.stop();
  }
}
