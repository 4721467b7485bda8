import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import {
  apiConfig,
  cronConfig,
  fanOutConfig,
  functionEnvironments,
  runStatusConfig,
  scheduleConfig,
  tableDesign,
  workerConfig,
  type FunctionName,
} from '@fanout/config';
import { MessageQueue } from './constructs/message-queue.js';
import { MessageTable } from './constructs/message-table.js';
import { PipelineAlarms } from './constructs/pipeline-alarms.js';
import { PipelineApi } from './constructs/pipeline-api.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { WorkerTrigger } from './constructs/worker-trigger.js';

export interface PipelineStackProps extends StackProps {
  readonly stage: string;
  /** Where the Nx build output of a function is (`dist/apps/<name>`). */
  readonly buildOutputOf: (name: FunctionName) => string;
}

/**
 * The whole pipeline, one stack per stage: API → queue ← workers started by the cron through the
 * topic → table, read back by the run status API. No physical names are set: CloudFormation derives
 * them from the stack name, so stages never collide.
 */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { buildOutputOf } = props;

    const tableResources = new MessageTable(this, 'MessageTable');
    const { table } = tableResources;
    const { queue, deadLetterQueue } = new MessageQueue(this, 'MessageQueue');
    const trigger = new WorkerTrigger(this, 'WorkerTrigger');
    // The same builder the local runtime uses, fed CloudFormation references instead of local URLs.
    const environments = functionEnvironments({
      queueUrl: queue.queueUrl,
      topicArn: trigger.topic.topicArn,
      tableName: table.tableName,
      runIndexName: tableDesign.runIndex.name,
    });

    const worker = new PipelineFunction(this, 'Worker', {
      project: 'test-sqs2ddb',
      buildOutput: buildOutputOf('test-sqs2ddb'),
      description: 'Drains the queue into the table, started by one SNS notification',
      memoryMb: workerConfig.memoryMb,
      timeoutSeconds: workerConfig.timeoutSeconds,
      environment: environments['test-sqs2ddb'],
      // Never more workers at once than one cron tick starts.
      reservedConcurrency: fanOutConfig.maxWorkers,
    });
    worker.allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage'], [queue.queueArn]);
    worker.allow(['dynamodb:BatchWriteItem'], [table.tableArn]);
    trigger.subscribe(worker.function);

    const cron = new PipelineFunction(this, 'Cron', {
      project: 'test-cron',
      buildOutput: buildOutputOf('test-cron'),
      description: 'Each tick: reads the queue depth and starts one worker per full receive',
      memoryMb: cronConfig.memoryMb,
      timeoutSeconds: cronConfig.timeoutSeconds,
      environment: environments['test-cron'],
    });
    cron.allow(['sqs:GetQueueAttributes'], [queue.queueArn]);
    cron.allow(['sns:Publish'], [trigger.topic.topicArn]);
    new Rule(this, 'CronSchedule', {
      description: `Starts test-cron every ${scheduleConfig.rateMinutes} minutes`,
      schedule: Schedule.rate(Duration.minutes(scheduleConfig.rateMinutes)),
      targets: [new LambdaFunction(cron.function)],
    });

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
      deliveryDeadLetterQueue: trigger.deliveryDeadLetterQueue,
      worker: worker.function,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the API (POST messages here)' });
    new CfnOutput(this, 'ApiKeyId', {
      value: apiKey.keyId,
      description: 'Id of the API key; read its value with aws apigateway get-api-key --include-value',
    });
    new CfnOutput(this, 'QueueUrl', { value: queue.queueUrl });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Subscribe to it to receive the alarms (for example by email)',
    });
  }
}
