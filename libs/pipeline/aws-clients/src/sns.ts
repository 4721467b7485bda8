import { SNSClient } from '@aws-sdk/client-sns';
import { baseConfig, messagingClientOptions, type ClientOptions, type Env } from './client-config.js';

export function createSnsClient(env: Env = process.env, options: ClientOptions = {}): SNSClient {
  return new SNSClient({ ...baseConfig('SNS', env, options), ...messagingClientOptions });
}
