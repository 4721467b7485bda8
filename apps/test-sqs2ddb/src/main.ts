import { Logger } from '@aws-lambda-powertools/logger';
import { createDynamoDocumentClient, createSqsClient } from '@fanout/aws-clients';
import { readWorkerEnvironment } from '@fanout/config';
import { awsDrainPorts } from '@fanout/worker';
import { createWorkerHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
const environment = readWorkerEnvironment();

export const handler = createWorkerHandler({
  ports: awsDrainPorts({
    sqs: createSqsClient(),
    dynamo: createDynamoDocumentClient(),
    queueUrl: environment.queueUrl,
    tableName: environment.tableName,
    receiveWaitSeconds: environment.receiveWaitSeconds,
  }),
  messageBudget: environment.messageBudget,
  receiveLoops: environment.receiveLoops,
  safetyMarginMs: environment.safetyMarginMs,
  visibilityTimeoutSeconds: environment.visibilityTimeoutSeconds,
  receiveWaitSeconds: environment.receiveWaitSeconds,
  maxReceives: environment.maxReceives,
  flushJoinWaitMs: environment.flushJoinWaitMs,
  log: new Logger({ serviceName: 'test-sqs2ddb' }),
});
