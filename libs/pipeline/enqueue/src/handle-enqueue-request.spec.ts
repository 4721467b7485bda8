import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handleEnqueueRequest } from './handle-enqueue-request.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

function request(body: string): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    body,
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

/** A queue that keeps every body it is sent. */
function recordingQueue() {
  const client = new SQSClient({ region: 'us-east-1' });
  const bodies: string[] = [];
  const mock = mockClient(client);
  mock.on(SendMessageCommand).callsFake((input: { MessageBody?: string }) => {
    bodies.push(input.MessageBody ?? '');
    return { MessageId: `sqs-${bodies.length}` };
  });
  mock.on(SendMessageBatchCommand).callsFake((input: { Entries?: { Id?: string; MessageBody?: string }[] }) => {
    const Successful = (input.Entries ?? []).map((entry) => {
      bodies.push(entry.MessageBody ?? '');
      return { Id: entry.Id, MessageId: `sqs-${bodies.length}`, MD5OfMessageBody: 'x' };
    });
    return { Successful, Failed: [] };
  });
  return { client, bodies };
}

describe('handleEnqueueRequest', () => {
  it('puts a valid message on the queue with 202', async () => {
    // Prepare
    const queue = recordingQueue();

    // Act
    const outcome = await handleEnqueueRequest(request('{"key3":"c","key2":"b","key1":"a"}'), queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(queue.bodies).toEqual(['{"key1":"a","key2":"b","key3":"c"}']);
  });

  it('puts nothing on the queue when one entry of a batch is invalid', async () => {
    // Prepare
    const queue = recordingQueue();
    const body = JSON.stringify([{ key1: 'a', key2: 'b', key3: 'c' }, { key1: 'a', key2: 'b', key3: '' }]);

    // Act
    const outcome = await handleEnqueueRequest(request(body), queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(400);
    expect(queue.bodies).toEqual([]);
    expect(outcome).toMatchObject({ enqueued: 0, failed: 0 });
  });

  it('puts every entry of a valid batch on the queue', async () => {
    // Prepare
    const queue = recordingQueue();
    const body = JSON.stringify([
      { key1: 'a', key2: 'b', key3: 'c' },
      { key1: 'd', key2: 'e', key3: 'f', runId: 'r1' },
    ]);

    // Act
    const outcome = await handleEnqueueRequest(request(body), queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(queue.bodies).toEqual(['{"key1":"a","key2":"b","key3":"c"}', '{"key1":"d","key2":"e","key3":"f","runId":"r1"}']);
  });
});
