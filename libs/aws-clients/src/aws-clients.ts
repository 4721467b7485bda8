import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Env = Record<string, string | undefined>;

/**
 * The endpoint for one service: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, as the SDK
 * reads them. Passed explicitly because fauxqs builds queue URLs whose host does not resolve.
 */
export function endpointFor(service: 'SQS' | 'SNS' | 'DYNAMODB', env: Env = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env['AWS_ENDPOINT_URL'] || undefined;
}

function baseConfig(service: 'SQS' | 'SNS' | 'DYNAMODB', env: Env) {
  const endpoint = endpointFor(service, env);
  return {
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
  };
}

export function createSqsClient(env: Env = process.env): SQSClient {
  return new SQSClient(baseConfig('SQS', env));
}

export function createSnsClient(env: Env = process.env): SNSClient {
  return new SNSClient(baseConfig('SNS', env));
}

export function createDynamoDocumentClient(env: Env = process.env): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(baseConfig('DYNAMODB', env)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
