import { Logger } from '@aws-lambda-powertools/logger';
import { createSqsClient } from '@fanout/aws-clients';
import { readApiEnvironment } from '@fanout/config';
import { createApiHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
const { queueUrl } = readApiEnvironment();

export const handler = createApiHandler({
  sqs: createSqsClient(),
  queueUrl,
  log: new Logger({ serviceName: 'test-api' }),
});
