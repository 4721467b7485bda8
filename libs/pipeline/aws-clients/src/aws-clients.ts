import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkClientConfig } from '@fanout/config';

type Env = Record<string, string | undefined>;

/**
 * The endpoint for one service: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, as the SDK
 * reads them. Passed explicitly because fauxqs builds queue URLs whose host does not resolve.
 */
export function endpointFor(service: 'SQS' | 'SNS' | 'DYNAMODB', env: Env = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env['AWS_ENDPOINT_URL'] || undefined;
}

/**
 * Connection and request timeouts of every function's clients (sdkClientConfig): a call that hangs
 * throws a TimeoutError, which the SDK retries, instead of holding the invocation to its end.
 */
export const functionRequestHandler = {
  connectionTimeout: sdkClientConfig.connectionTimeoutMs,
  requestTimeout: sdkClientConfig.requestTimeoutMs,
  throwOnRequestTimeout: true,
} as const;

function baseConfig(service: 'SQS' | 'SNS' | 'DYNAMODB', env: Env) {
  const endpoint = endpointFor(service, env);
  return {
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    requestHandler: functionRequestHandler,
  };
}

/**
 * What the SQS and SNS clients are given besides region and endpoint, here and wherever the local
 * runtime or the benchmark drains with the SDK. The handler stack of a command is resolved once and
 * reused (the SDK's cacheMiddleware): nothing adds middleware after a client is made, and a cold
 * send costs about 8 % less CPU. DynamoDB's document client refuses the option.
 */
export const messagingClientOptions = { cacheMiddleware: true } as const;

export function createSqsClient(env: Env = process.env): SQSClient {
  return new SQSClient({ ...baseConfig('SQS', env), ...messagingClientOptions });
}

export function createSnsClient(env: Env = process.env): SNSClient {
  return new SNSClient({ ...baseConfig('SNS', env), ...messagingClientOptions });
}

export function createDynamoDocumentClient(env: Env = process.env): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(baseConfig('DYNAMODB', env)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
