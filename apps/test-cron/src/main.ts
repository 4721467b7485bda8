import { Logger } from '@aws-lambda-powertools/logger';
import { createSnsClient, createSqsClient } from '@fanout/aws-clients';
import { readCronEnvironment } from '@fanout/config';
import { createCronHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
export const handler = createCronHandler({
  sqs: createSqsClient(),
  sns: createSnsClient(),
  ...readCronEnvironment(),
  log: new Logger({ serviceName: 'test-cron' }),
});
