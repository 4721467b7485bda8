import { SQSClient } from '@aws-sdk/client-sqs';
import { baseConfig, messagingClientOptions, type ClientOptions, type Env } from './client-config.js';

export function createSqsClient(env: Env = process.env, options: ClientOptions = {}): SQSClient {
  return new SQSClient({ ...baseConfig('SQS', env, options), ...messagingClientOptions });
}
