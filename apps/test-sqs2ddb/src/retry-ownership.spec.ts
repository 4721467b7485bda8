import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoDocumentClient } from '@fanout/aws-clients/dynamodb';
import { createSqsClient } from '@fanout/aws-clients/sqs';
import { workerConfig } from '@fanout/config';
import { awsDrainPorts, defaultWritePolicy, longestBackoffMs, sdkThrottlingRetries, type DrainPorts } from '@fanout/worker';

/** An endpoint that refuses every request as throttled, in the JSON protocol both services speak, and counts them. */
async function alwaysThrottling(errorType: string): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      requests++;
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${errorType};Sender` });
      response.end(JSON.stringify({ __type: `com.amazonaws#${errorType}`, message: 'Rate exceeded' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const env = (endpoint: string) => ({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SQS: endpoint, AWS_ENDPOINT_URL_DYNAMODB: endpoint });
const testCredentials = async () => ({ accessKeyId: 'test', secretAccessKey: 'test' });

/** The worker's ports as main.ts wires them (its DynamoDB client makes workerConfig.writeSdkAttempts attempts a call). */
function workerPorts(endpoint: string): DrainPorts {
  const sqs = createSqsClient(env(endpoint));
  const dynamo = createDynamoDocumentClient(env(endpoint), { maxAttempts: workerConfig.writeSdkAttempts });
  sqs.config.credentials = testCredentials;
  dynamo.config.credentials = testCredentials;
  return awsDrainPorts({
    sqs,
    dynamo,
    queueUrl: `${endpoint}/000000000000/test`,
    tableName: 'Test',
  });
}

// Each bound below is the backoffs at their ceilings plus 5 s for the requests themselves, which
// answer in milliseconds even on a busy machine: the jittered waits can only be shorter.
describe('one retry owner per call, against an endpoint that always throttles', () => {
  it('sends a batch write as many times as the worker’s write policy says, not that times the SDK’s attempts', async () => {
    // Prepare
    const server = await alwaysThrottling('ProvisionedThroughputExceededException');
    const ports = workerPorts(server.endpoint);
    const items = [{ uuid: 'urn:uuid:1', runId: 'run-1', writtenAt: 1 }] as unknown as Parameters<DrainPorts['write']>[0];
    const started = Date.now();

    try {
      // Act
      const result = await ports.write(items);

      // Assess
      expect(result.unwritten).toHaveLength(1);
      expect(server.requests()).toBe(defaultWritePolicy.attempts);
      expect(Date.now() - started).toBeLessThanOrEqual(longestBackoffMs(defaultWritePolicy) + 5_000);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('sends a delete as many times as the SDK’s attempts, and leaves its messages undeleted rather than retrying the call again', async () => {
    // Prepare
    const server = await alwaysThrottling('RequestThrottled');
    const ports = workerPorts(server.endpoint);
    const messages = [{ messageId: 'm1', receiptHandle: 'rh-1', body: '{}', sentTimestamp: 1, receiveCount: 1 }];
    const started = Date.now();

    try {
      // Act
      const result = await ports.remove(messages);

      // Assess
      expect(result.failed).toHaveLength(1);
      expect(server.requests()).toBe(sdkThrottlingRetries.attempts);
      expect(Date.now() - started).toBeLessThanOrEqual(longestBackoffMs(sdkThrottlingRetries) + 5_000);
    } finally {
      await server.close();
    }
  }, 30_000);
});
