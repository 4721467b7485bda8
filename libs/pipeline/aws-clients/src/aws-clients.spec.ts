import { createDynamoDocumentClient, createSnsClient, createSqsClient, endpointFor } from './aws-clients.js';

describe('AWS client factories', () => {
  it('prefers the service endpoint over the global one', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:2' };
    expect(endpointFor('SQS', env)).toBe('http://127.0.0.1:2');
    expect(endpointFor('DYNAMODB', env)).toBe('http://127.0.0.1:1');
    expect(endpointFor('SNS', {})).toBeUndefined();
  });

  it('points the clients at the configured region and endpoint', async () => {
    const sqs = createSqsClient({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566' });
    expect(await sqs.config.region()).toBe('eu-west-1');
    const endpoint = await sqs.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4566);
    const dynamo = createDynamoDocumentClient({});
    expect(await dynamo.config.region()).toBe('us-east-1');
  });

  it('resolves the SQS and SNS handler stacks once per command, and leaves the document client as the SDK requires', () => {
    expect(createSqsClient({}).config.cacheMiddleware).toBe(true);
    expect(createSnsClient({}).config.cacheMiddleware).toBe(true);
    // lib-dynamodb throws at construction when its client caches middleware.
    expect(createDynamoDocumentClient({}).config.cacheMiddleware).toBeFalsy();
  });

  it('leaves the SDK its standard attempts (4 for DynamoDB) unless a caller that retries on its own asks for fewer', async () => {
    expect(await createDynamoDocumentClient({}).config.maxAttempts()).toBe(4);
    expect(await createDynamoDocumentClient({}, { maxAttempts: 1 }).config.maxAttempts()).toBe(1);
  });
});
