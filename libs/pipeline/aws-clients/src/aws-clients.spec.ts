import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { sdkClientConfig } from '@fanout/config';
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
});

describe('the functions’ client timeouts', () => {
  it('give every client the connection and request timeouts of sdkClientConfig, and make a late answer an error', async () => {
    // Prepare
    const clients = [createSqsClient({}), createSnsClient({}), createDynamoDocumentClient({})];

    // Act
    const configs = await Promise.all(
      clients.map(async (client) => (client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider),
    );

    // Assess
    for (const config of configs) {
      expect(config).toMatchObject({
        connectionTimeout: sdkClientConfig.connectionTimeoutMs,
        requestTimeout: sdkClientConfig.requestTimeoutMs,
        throwOnRequestTimeout: true,
      });
    }
  });

  it('fails a call whose answer never comes after the request timeout, instead of waiting for the function to time out', async () => {
    // Prepare: a server that accepts the request and never answers
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sqs = createSqsClient({ AWS_ENDPOINT_URL_SQS: endpoint });
    sqs.config.credentials = async () => ({ accessKeyId: 'test', secretAccessKey: 'test' });
    const started = Date.now();

    try {
      // Act
      const sending = sqs.send(new GetQueueUrlCommand({ QueueName: 'test' }), { requestTimeout: 200 });

      // Assess
      await expect(sending).rejects.toMatchObject({ name: 'TimeoutError' });
      // Three attempts of 200 ms with the SDK's backoff: far below a stalled request's minutes.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      sqs.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
