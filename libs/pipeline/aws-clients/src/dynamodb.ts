import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { baseConfig, type ClientOptions, type Env } from './client-config.js';

/** The document client; `maxAttempts` for a caller whose own policy retries (the worker's writes: workerConfig.writeSdkAttempts). */
export function createDynamoDocumentClient(env: Env = process.env, options: ClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(baseConfig('DYNAMODB', env, options)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
