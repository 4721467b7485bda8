import { Logger } from '@aws-lambda-powertools/logger';
import { createDynamoDocumentClient, createSqsClient } from '@fanout/aws-clients';
import { readWorkerEnvironment } from '@fanout/config';
import { awsDrainPorts } from '@fanout/worker';
import { createWorkerHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
const { queueUrl, tableName, settings } = readWorkerEnvironment();

export const handler = createWorkerHandler({
  ports: awsDrainPorts({ sqs: createSqsClient(), dynamo: createDynamoDocumentClient(), queueUrl, tableName }),
  settings,
  log: new Logger({ serviceName: 'test-sqs2ddb' }),
});
