import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createDynamoDocumentClient } from '@fanout/aws-clients/dynamodb';
import { createSnsClient } from '@fanout/aws-clients/sns';
import { createSqsClient } from '@fanout/aws-clients/sqs';
import { pipelineMetrics, readWorkerEnvironment, workerConfig } from '@fanout/config';
import { publishWorkerStart } from '@fanout/fan-out';
import { awsDrainPorts } from '@fanout/worker';
import { createWorkerHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
const { queueUrl, tableName, topicArn, settings } = readWorkerEnvironment();
const sns = topicArn ? createSnsClient() : undefined;

export const handler = createWorkerHandler({
  ports: awsDrainPorts({
    sqs: createSqsClient(),
    // The worker's write policy retries throttling itself: the SDK's own retries would multiply it.
    dynamo: createDynamoDocumentClient(process.env, { maxAttempts: workerConfig.writeSdkAttempts }),
    queueUrl,
    tableName,
    visibilityTimeoutSeconds: settings.visibilityTimeoutMs / 1000,
  }),
  settings,
  log: new Logger({ serviceName: 'test-sqs2ddb' }),
  metrics: new Metrics({ namespace: pipelineMetrics.namespace, serviceName: 'test-sqs2ddb' }),
  startSuccessor: sns && topicArn ? (start) => publishWorkerStart(sns, topicArn, start) : undefined,
});
