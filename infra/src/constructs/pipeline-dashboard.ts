import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Dashboard, GraphWidget, Metric, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricDimensions, pipelineMetrics } from '@fanout/config';

export interface PipelineDashboardProps {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly worker: IFunction;
  readonly api: RestApi;
}

const minute = Duration.minutes(1);

function workerMetric(metricName: string, label: string): IMetric {
  return new Metric({
    namespace: pipelineMetrics.namespace,
    metricName,
    dimensionsMap: metricDimensions('test-sqs2ddb'),
    statistic: 'Sum',
    period: minute,
    label,
  });
}

/** One CloudWatch dashboard that shows a burst draining: the queue, the workers, the writes and the API. */
export class PipelineDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 8, height: 6 });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          graph('Queue depth', [
            props.queue.metricApproximateNumberOfMessagesVisible({
              period: minute,
              statistic: 'Maximum',
              label: 'visible',
            }),
            props.queue.metricApproximateNumberOfMessagesNotVisible({
              period: minute,
              statistic: 'Maximum',
              label: 'in flight',
            }),
          ]),
          graph('Age of the oldest message (s)', [
            props.queue.metricApproximateAgeOfOldestMessage({
              period: minute,
              statistic: 'Maximum',
            }),
          ]),
          graph('Dead-letter queue depth', [
            props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              period: minute,
              statistic: 'Maximum',
              label: 'dead-lettered',
            }),
          ]),
        ],
        [
          graph('Items written a minute', [
            workerMetric(pipelineMetrics.messagesWritten, 'written'),
            workerMetric(pipelineMetrics.messagesUnwritten, 'left unwritten'),
            workerMetric(pipelineMetrics.messagesInvalid, 'invalid'),
          ]),
          graph('Worker concurrency and throttles', [
            props.worker.metric('ConcurrentExecutions', {
              period: minute,
              statistic: 'Maximum',
              label: 'concurrent',
            }),
            props.worker.metricThrottles({
              period: minute,
              statistic: 'Sum',
              label: 'throttled',
            }),
          ]),
          graph('API answers', [
            props.api.metricClientError({
              period: minute,
              statistic: 'Sum',
              label: '4XX',
            }),
            props.api.metricServerError({
              period: minute,
              statistic: 'Sum',
              label: '5XX',
            }),
          ]),
        ],
      ],
    });
  }
}
