import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduleConfig, cloudConfig } from '@fanout/config';
import { onlyResource } from './only-resource.js';

export interface PipelineAlarmsProps {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly deliveryDeadLetterQueue: IQueue;
  readonly worker: IFunction;
}

const { alarms } = cloudConfig;
const period = Duration.minutes(alarms.periodMinutes);

/** Seconds the oldest message may wait: this many cron ticks, since every tick should start workers. */
export const oldestMessageAgeLimitSeconds = alarms.oldestMessageAgeTicks * scheduleConfig.rateMinutes * 60;

/** What needs a person: messages that will never be written, a queue nobody drains, a failing worker. */
export class PipelineAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true, displayName: 'Fanout pipeline alarms' });
    Validations.of(onlyResource(this.topic)).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The alarm topic carries only CloudWatch alarm state changes (no message data), and CloudWatch can publish to an encrypted topic only with a customer-managed KMS key, which this pipeline does not otherwise need.',
    });
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string, operator: ComparisonOperator) =>
      new Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator: operator,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);

    alarm(
      'DeadLetterMessages',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      alarms.deadLetterMessages,
      'Messages failed processing repeatedly and moved to the dead-letter queue; they are not in the table.',
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
    alarm(
      'DeliveryDeadLetterMessages',
      props.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      alarms.deadLetterMessages,
      'SNS could not deliver worker notifications to test-sqs2ddb; those workers never started.',
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
    alarm(
      'OldestMessageAge',
      props.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      oldestMessageAgeLimitSeconds,
      `A message has waited more than ${alarms.oldestMessageAgeTicks} cron ticks (${oldestMessageAgeLimitSeconds} s): the queue is not being drained.`,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
    );
    alarm(
      'WorkerErrors',
      props.worker.metricErrors({ period, statistic: 'Sum' }),
      alarms.workerErrors,
      'test-sqs2ddb invocations failed; their messages return to the queue and may reach the dead-letter queue.',
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
  }
}
