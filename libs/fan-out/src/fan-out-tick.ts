import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { fanOutCount } from './fan-out-count.js';
import { readQueueDepth } from './queue-depth.js';
import { startWorkers } from './start-workers.js';

export interface FanOutTarget {
  sqs: SQSClient;
  sns: SNSClient;
  queueUrl: string;
  topicArn: string;
  maxWorkers: number;
}

export interface FanOutDecision {
  tickId: string;
  visible: number;
  inFlight: number;
  workers: number;
  published: number;
  failed: number;
  publishCalls: number;
}

/** One cron tick: read the depth, decide the workers, start them. */
export async function fanOutTick(target: FanOutTarget, tickId: string): Promise<FanOutDecision> {
  const depth = await readQueueDepth(target.sqs, target.queueUrl);
  const workers = fanOutCount(depth.visible, target.maxWorkers);
  const started = await startWorkers(target.sns, target.topicArn, workers, tickId);
  return { tickId, ...depth, workers, ...started };
}
