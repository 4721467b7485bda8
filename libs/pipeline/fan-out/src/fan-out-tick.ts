import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CronEnvironment } from '@fanout/config';
import { expectedMessagesPerWorker, fanOutCount, loopsPerWorker } from './fan-out-count.js';
import { readQueueDepth } from './queue-depth.js';
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

/** One cron tick: read the depth, decide the workers, their loops and what each can expect, start them. */
export async function fanOutTick(target: FanOutTarget, tickId: string): Promise<FanOutDecision> {
  const depth = await readQueueDepth(target.sqs, target.queueUrl);
  const workers = fanOutCount(depth.visible, target.maxWorkers);
  const run = { loops: loopsPerWorker(depth.visible, workers, target.maxLoops), expectedMessages: expectedMessagesPerWorker(depth.visible, workers) };
  const started = await startWorkers(target.sns, target.topicArn, workers, tickId, run);
  return { tickId, ...depth, workers, ...run, ...started };
}
