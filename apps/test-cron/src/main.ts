import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createSnsClient } from '@fanout/aws-clients/sns';
import { createSqsClient } from '@fanout/aws-clients/sqs';
import { pipelineMetrics, readCronEnvironment } from '@fanout/config';
import { createCronHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
export const handler = createCronHandler({
  sqs: createSqsClient(),
  sns: createSnsClient(),
  ...readCronEnvironment(),
  log: new Logger({ serviceName: 'test-cron' }),
  metrics: new Metrics({ namespace: pipelineMetrics.namespace, serviceName: 'test-cron' }),
});
