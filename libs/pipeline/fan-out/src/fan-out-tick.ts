import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CronEnvironment } from '@fanout/config';
import { busyLoops, expectedMessagesPerWorker, fanOutCount, loopsForTable, loopsPerWorker } from './fan-out-count.js';
import { readQueueDepth, type QueueDepth } from './queue-depth.js';
import { startWorkers } from './start-workers.js';

/** The queue to size the fan-out by and the topic that starts the workers, as the cron's environment names them. */
export interface FanOutTarget extends CronEnvironment {
  sqs: SQSClient;
  sns: SNSClient;
}

export interface FanOutDecision {
  tickId: string;
  visible: number;
  inFlight: number;
  workers: number;
  /** Drain loops each started worker was asked to use. */
  loops: number;
  /** Messages each started worker's run was told to expect. */
  expectedMessages: number;
  published: number;
  failed: number;
  publishCalls: number;
}

/**
 * The workers a tick starts and how each runs, for a queue depth: one worker per full receive, at
 * most the cap, each with one loop per full receive it can expect; and in all no more loops than the
 * table can keep busy, less those already draining (a fleet past the table's write capacity only
 * throttles, and a drain in progress carries on by itself: its runs hand over to their successors).
 */
export function fanOutPlan(depth: QueueDepth, target: Pick<FanOutTarget, 'maxWorkers' | 'maxLoops' | 'tableWriteUnitsPerSecond'>) {
  const loopsLeft = Math.max(0, loopsForTable(target.tableWriteUnitsPerSecond) - busyLoops(depth.inFlight));
  const cap = Math.min(target.maxWorkers, Math.ceil(loopsLeft / target.maxLoops));
  const workers = fanOutCount(depth.visible, cap);
  const loops = Math.max(1, Math.min(loopsPerWorker(depth.visible, workers, target.maxLoops), Math.ceil(loopsLeft / Math.max(1, workers))));
  return { workers, loops, expectedMessages: expectedMessagesPerWorker(depth.visible, workers) };
}

/** One cron tick: read the depth, decide the workers, their loops and what each can expect, start them. */
export async function fanOutTick(target: FanOutTarget, tickId: string): Promise<FanOutDecision> {
  const depth = await readQueueDepth(target.sqs, target.queueUrl);
  const { workers, ...run } = fanOutPlan(depth, target);
  const started = await startWorkers(target.sns, target.topicArn, workers, tickId, run);
  return { tickId, ...depth, workers, ...run, ...started };
}
