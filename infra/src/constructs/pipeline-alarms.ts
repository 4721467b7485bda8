import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cloudConfig, metricDimensions, pipelineMetrics, queueConfig, scheduleConfig } from '@fanout/config';
import { onlyResource } from './only-resource.js';

export interface PipelineAlarmsProps {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly worker: IFunction;
  readonly api: RestApi;
  /** The fan-out trigger's parts; absent when the event source mapping starts the worker. */
  readonly fanOut?: {
    readonly cron: IFunction;
    readonly deliveryDeadLetterQueue: IQueue;
  };
}

const { alarms } = cloudConfig;
const period = Duration.minutes(alarms.periodMinutes);

/**
 * Seconds the oldest message may wait: a poison message is received maxReceiveCount times, each
 * time hidden for the visibility timeout, before the redrive policy moves it; past that by this many
 * cron ticks, the queue is not being drained.
 */
export const oldestMessageAgeLimitSeconds =
  queueConfig.maxReceiveCount * queueConfig.visibilityTimeoutSeconds +
  alarms.oldestMessageAgeTicks * scheduleConfig.rateMinutes * 60;

/** The worker's count of valid messages it could not write (Powertools Metrics, embedded metric format). */
export function unwrittenMessagesMetric(): Metric {
  return new Metric({
    namespace: pipelineMetrics.namespace,
    metricName: pipelineMetrics.messagesUnwritten,
    dimensionsMap: metricDimensions('test-sqs2ddb'),
    statistic: 'Sum',
    period,
  });
}

/**
 * What needs a person: messages that will never be written, a queue nobody drains, a failing or
 * throttled function, an API that answers 5XX. Every alarm notifies one topic.
 */
export class PipelineAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.topic = this.alarmTopic();
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1) =>
      new Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);

    alarm(
      'DeadLetterMessages',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: 'Maximum',
      }),
      alarms.deadLetterMessages,
      'Messages failed processing repeatedly and moved to the dead-letter queue; they are not in the table.',
    );
    alarm(
      'UnwrittenMessages',
      unwrittenMessagesMetric(),
      alarms.unwrittenMessages,
      'test-sqs2ddb could not write valid messages after every retry (throttling or an error no retry fixes; its log says which). They return to the queue and may reach the dead-letter queue.',
    );
    alarm(
      'StalledDrain',
      new MathExpression({
        expression: 'IF(visible >= 1 AND deleted == 0, 1, 0)',
        usingMetrics: {
          visible: props.queue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Minimum',
          }),
          deleted: props.queue.metricNumberOfMessagesDeleted({
            period,
            statistic: 'Sum',
          }),
        },
        label: 'Messages waiting while none is deleted',
        period,
      }),
      1,
      `Messages stayed visible and none was deleted for ${alarms.stalledDrainPeriods} periods of ${alarms.periodMinutes} minutes: nothing is draining the queue.`,
      alarms.stalledDrainPeriods,
    );
    alarm(
      'OldestMessageAge',
      props.queue.metricApproximateAgeOfOldestMessage({
        period,
        statistic: 'Maximum',
      }),
      oldestMessageAgeLimitSeconds,
      `A message has waited ${oldestMessageAgeLimitSeconds} s or more, longer than a poison message waits out its redrives: the queue is not being drained.`,
    );
    alarm(
      'WorkerErrors',
      props.worker.metricErrors({ period, statistic: 'Sum' }),
      alarms.functionErrors,
      'test-sqs2ddb invocations failed; their messages return to the queue and may reach the dead-letter queue.',
    );
    alarm(
      'WorkerThrottles',
      props.worker.metricThrottles({ period, statistic: 'Sum' }),
      alarms.workerThrottles,
      'test-sqs2ddb invocations were throttled: its reserved concurrency or the account’s concurrency is below what the trigger asks for.',
    );
    alarm(
      'Api5xxErrors',
      props.api.metricServerError({ period, statistic: 'Sum' }),
      alarms.api5xxErrors,
      'The API answered 5XX: test-api or run-status-api failed or timed out, or SQS refused messages.',
    );
    if (props.fanOut) {
      alarm(
        'CronErrors',
        props.fanOut.cron.metricErrors({ period, statistic: 'Sum' }),
        alarms.functionErrors,
        'test-cron failed: that tick started no workers, so the queue waits for the next tick.',
      );
      alarm(
        'DeliveryDeadLetterMessages',
        props.fanOut.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        alarms.deadLetterMessages,
        'SNS could not deliver worker notifications to test-sqs2ddb; those workers never started.',
      );
    }
  }

  /**
   * The topic CloudWatch publishes alarm state changes to. Its policy refuses plain HTTP and, since
   * a topic policy replaces the default one, lets CloudWatch publish, for this account's alarms only.
   */
  private alarmTopic(): Topic {
    const topic = new Topic(this, 'Topic', {
      enforceSSL: true,
      displayName: 'Fanout pipeline alarms',
    });
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    Validations.of(onlyResource(topic)).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The alarm topic carries only CloudWatch alarm state changes (no message data), and CloudWatch can publish to an encrypted topic only with a customer-managed KMS key, which this pipeline does not otherwise need.',
    });
    return topic;
  }
}
