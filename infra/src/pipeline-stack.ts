import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  apiConfig,
  cronConfig,
  esmConfig,
  functionEnvironments,
  runStatusConfig,
  scheduleConfig,
  tableDesign,
  workerConfig,
  type FunctionName,
  type TriggerSettings,
} from '@fanout/config';
import type { DeploymentOptions } from './deployment-options.js';
import { MessageQueue } from './constructs/message-queue.js';
import { MessageTable } from './constructs/message-table.js';
import { PipelineAlarms } from './constructs/pipeline-alarms.js';
import { PipelineApi } from './constructs/pipeline-api.js';
import { PipelineDashboard } from './constructs/pipeline-dashboard.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { WorkerTrigger } from './constructs/worker-trigger.js';

export interface PipelineStackProps extends StackProps, DeploymentOptions {
  /** Where the Nx build output of a function is (`dist/apps/<name>`). */
  readonly buildOutputOf: (name: FunctionName) => string;
}

/**
 * The whole pipeline, one stack per stage: API → queue → workers → table, read back by the run status
 * API. The workers are started either by the cron through the topic (`-c trigger=fanout`, the
 * default) or by Lambda's SQS event source mapping (`-c trigger=esm`). No physical names are set:
 * CloudFormation derives them from the stack name, so stages never collide.
 */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { buildOutputOf } = props;

    const tableResources = new MessageTable(this, 'MessageTable');
    const { table } = tableResources;
    const { queue, deadLetterQueue } = new MessageQueue(this, 'MessageQueue');
    const fanOutTrigger = props.trigger.trigger === 'fanout' ? new WorkerTrigger(this, 'WorkerTrigger') : undefined;
    // The same builder the local runtime uses, fed CloudFormation references instead of local URLs.
    const environments = functionEnvironments({
      queueUrl: queue.queueUrl,
      // test-cron starts the workers through it, and a worker run its successor; only the fan-out trigger has one.
      topicArn: fanOutTrigger?.topic.topicArn ?? '',
      tableName: table.tableName,
      runIndexName: tableDesign.runIndex.name,
    });

    const worker = new PipelineFunction(this, 'Worker', {
      project: 'test-sqs2ddb',
      buildOutput: buildOutputOf('test-sqs2ddb'),
      description:
        props.trigger.trigger === 'esm'
          ? 'Writes each batch of queue messages into the table, invoked by the SQS event source mapping'
          : 'Drains the queue into the table, started by one SNS notification',
      memoryMb: workerConfig.memoryMb,
      timeoutSeconds: workerConfig.timeoutSeconds,
      environment: environments['test-sqs2ddb'],
      reservedConcurrency: props.workerReservedConcurrency,
    });
    worker.allow(['dynamodb:BatchWriteItem'], [table.tableArn]);

    let fanOut: { cron: PipelineFunction; trigger: WorkerTrigger } | undefined;
    if (fanOutTrigger) {
      // ChangeMessageVisibility gives back what the table would not take; Publish starts a run's successor.
      worker.allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], [queue.queueArn]);
      worker.allow(['sns:Publish'], [fanOutTrigger.topic.topicArn]);
      fanOutTrigger.subscribe(worker.function);
      fanOut = {
        cron: this.addCron(queue, fanOutTrigger, buildOutputOf('test-cron'), environments['test-cron']),
        trigger: fanOutTrigger,
      };
    } else {
      this.mapQueueToWorker(queue, worker, props.trigger);
    }

    const enqueue = new PipelineFunction(this, 'Enqueue', {
      project: 'test-api',
      buildOutput: buildOutputOf('test-api'),
      description: 'POST /messages and POST /: checks messages and sends them to the queue',
      memoryMb: apiConfig.memoryMb,
      timeoutSeconds: apiConfig.timeoutSeconds,
      environment: environments['test-api'],
    });
    enqueue.allow(['sqs:SendMessage'], [queue.queueArn]);

    const runStatus = new PipelineFunction(this, 'RunStatus', {
      project: 'run-status-api',
      buildOutput: buildOutputOf('run-status-api'),
      description: 'GET /runs/{runId}: reports how far a run has drained, from the run index',
      memoryMb: runStatusConfig.memoryMb,
      timeoutSeconds: runStatusConfig.timeoutSeconds,
      environment: environments['run-status-api'],
    });
    runStatus.allow(['dynamodb:Query'], [tableResources.runIndexArn]);

    const { api, apiKey } = new PipelineApi(this, 'PipelineApi', {
      enqueue: enqueue.function,
      runStatus: runStatus.function,
    });

    const alarms = new PipelineAlarms(this, 'Alarms', {
      queue,
      deadLetterQueue,
      worker: worker.function,
      api,
      fanOut: fanOut && {
        cron: fanOut.cron.function,
        deliveryDeadLetterQueue: fanOut.trigger.deliveryDeadLetterQueue,
      },
    });
    const { dashboard } = new PipelineDashboard(this, 'Dashboard', {
      queue,
      deadLetterQueue,
      worker: worker.function,
      api,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: api.url,
      description: 'Base URL of the API (POST messages here)',
    });
    new CfnOutput(this, 'ApiKeyId', {
      value: apiKey.keyId,
      description: 'Id of the API key; read its value with aws apigateway get-api-key --include-value',
    });
    new CfnOutput(this, 'QueueUrl', { value: queue.queueUrl });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'WorkerTriggerKind', {
      value: props.trigger.trigger,
      description: 'How the worker is started: fanout or esm',
    });
    new CfnOutput(this, 'DashboardName', {
      value: dashboard.dashboardName,
      description: 'The CloudWatch dashboard of this stage',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Subscribe to it to receive the alarms (for example by email)',
    });
  }

  /** test-cron and its schedule: each tick reads the queue depth and starts workers through the topic. */
  private addCron(
    queue: Queue,
    trigger: WorkerTrigger,
    buildOutput: string,
    environment: Record<string, string>,
  ): PipelineFunction {
    const cron = new PipelineFunction(this, 'Cron', {
      project: 'test-cron',
      buildOutput,
      description: 'Each tick: reads the queue depth and starts one worker per full receive',
      memoryMb: cronConfig.memoryMb,
      timeoutSeconds: cronConfig.timeoutSeconds,
      environment,
    });
    cron.allow(['sqs:GetQueueAttributes'], [queue.queueArn]);
    cron.allow(['sns:Publish'], [trigger.topic.topicArn]);
    new Rule(this, 'CronSchedule', {
      description: `Starts test-cron every ${scheduleConfig.rateMinutes} minutes`,
      schedule: Schedule.rate(Duration.minutes(scheduleConfig.rateMinutes)),
      targets: [new LambdaFunction(cron.function)],
    });
    return cron;
  }

  /**
   * Lambda's SQS event source mapping: it polls the queue with the worker's role and invokes the
   * worker with batches, deleting what the worker's answer does not name as failed. In standard mode
   * at most as many workers at once as the fan-out cap, so both triggers are held to the same
   * concurrency; provisioned mode is bounded by its pollers instead (AWS takes one or the other).
   */
  private mapQueueToWorker(queue: Queue, worker: PipelineFunction, trigger: TriggerSettings): void {
    // Exactly what the mapping's poller does with the function's role (AWS: "Using Lambda with Amazon SQS").
    worker.allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], [queue.queueArn]);
    worker.function.addEventSourceMapping('QueueMapping', {
      eventSourceArn: queue.queueArn,
      batchSize: trigger.batchSize,
      maxBatchingWindow: trigger.batchingWindowSeconds > 0 ? Duration.seconds(trigger.batchingWindowSeconds) : undefined,
      reportBatchItemFailures: true,
      maxConcurrency: trigger.provisionedPollers ? undefined : esmConfig.maxConcurrency,
      provisionedPollerConfig: trigger.provisionedPollers && {
        minimumPollers: trigger.provisionedPollers.minimum,
        maximumPollers: trigger.provisionedPollers.maximum,
      },
    });
  }
}
