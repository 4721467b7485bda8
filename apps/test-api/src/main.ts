import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createSqsClient } from '@fanout/aws-clients/sqs';
import { pipelineMetrics, readApiEnvironment } from '@fanout/config';
import { createApiHandler } from './handler.js';

// Initialised once per execution environment and reused across invocations.
const { queueUrl } = readApiEnvironment();

export const handler = createApiHandler({
  sqs: createSqsClient(),
  queueUrl,
  log: new Logger({ serviceName: 'test-api' }),
  metrics: new Metrics({ namespace: pipelineMetrics.namespace, serviceName: 'test-api' }),
});
