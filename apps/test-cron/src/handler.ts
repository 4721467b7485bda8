import type { Logger } from '@aws-lambda-powertools/logger';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { fanOutTick, type FanOutDecision } from '@fanout/fan-out';

export interface CronDependencies {
  sqs: SQSClient;
  sns: SNSClient;
  queueUrl: string;
  topicArn: string;
  maxWorkers: number;
  log: Pick<Logger, 'info'>;
}

/** Scheduled event in → one fan-out tick → its decision, logged as one line. */
export function createCronHandler(deps: CronDependencies) {
  return async (event: Pick<ScheduledEvent, 'id'>, context?: Pick<Context, 'awsRequestId'>): Promise<FanOutDecision> => {
    const tickId = event.id ?? context?.awsRequestId ?? `tick-${Date.now()}`;
    const decision = await fanOutTick(deps, tickId);
    deps.log.info('fan-out decision', { ...decision });
    return decision;
  };
}
