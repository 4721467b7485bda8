import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { expectedPerLoop, fanOutCount, loopsPerWorker } from './fan-out-count.js';
import { readQueueDepth } from './queue-depth.js';
import { startWorkers } from './start-workers.js';

export interface FanOutTarget {
  sqs: SQSClient;
  sns: SNSClient;
  queueUrl: string;
  topicArn: string;
  maxWorkers: number;
  /** The worker's most drain loops a run. */
  maxLoops: number;
}

export interface FanOutDecision {
  tickId: string;
  visible: number;
  inFlight: number;
  workers: number;
  /** Drain loops each started worker was asked to use. */
  loops: number;
  /** Messages each of those loops was told to expect. */
  expectedPerLoop: number;
  published: number;
  failed: number;
  publishCalls: number;
}

/** One cron tick: read the depth, decide the workers, their loops and what each loop can expect, start them. */
export async function fanOutTick(target: FanOutTarget, tickId: string): Promise<FanOutDecision> {
  const depth = await readQueueDepth(target.sqs, target.queueUrl);
  const workers = fanOutCount(depth.visible, target.maxWorkers);
  const loops = loopsPerWorker(depth.visible, workers, target.maxLoops);
  const run = { loops, expectedPerLoop: expectedPerLoop(depth.visible, workers, loops) };
  const started = await startWorkers(target.sns, target.topicArn, workers, tickId, run);
  return { tickId, ...depth, workers, ...run, ...started };
}
