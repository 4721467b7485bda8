import { fakeSqsQueue, postMessagesEvent } from '@fanout/testing';
import { handleEnqueueRequest } from './handle-enqueue-request.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

describe('handleEnqueueRequest', () => {
  it('puts a valid message on the queue with 202', async () => {
    // Prepare
    const queue = fakeSqsQueue();

    // Act
    const outcome = await handleEnqueueRequest(postMessagesEvent('{"key3":"c","key2":"b","key1":"a"}'), queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(queue.bodies).toEqual(['{"key1":"a","key2":"b","key3":"c"}']);
  });

  it('puts nothing on the queue when one entry of a batch is invalid', async () => {
    // Prepare
    const queue = fakeSqsQueue();
    const body = JSON.stringify([{ key1: 'a', key2: 'b', key3: 'c' }, { key1: 'a', key2: 'b', key3: '' }]);

    // Act
    const outcome = await handleEnqueueRequest(postMessagesEvent(body), queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(400);
    expect(queue.bodies).toEqual([]);
    expect(outcome).toMatchObject({ enqueued: 0, failed: 0 });
  });

  it('puts every entry of a valid batch on the queue', async () => {
    // Prepare
    const queue = fakeSqsQueue();
    const body = JSON.stringify([
      { key1: 'a', key2: 'b', key3: 'c' },
      { key1: 'd', key2: 'e', key3: 'f', runId: 'r1' },
    ]);

    // Act
    const outcome = await handleEnqueueRequest(postMessagesEvent(body), queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(queue.bodies).toEqual(['{"key1":"a","key2":"b","key3":"c"}', '{"key1":"d","key2":"e","key3":"f","runId":"r1"}']);
  });

  it('carries the Idempotency-Key header to the queue in the message, where the worker derives the item key from it', async () => {
    // Prepare
    const queue = fakeSqsQueue();
    const event = postMessagesEvent('{"key1":"a","key2":"b","key3":"c"}');
    event.headers['Idempotency-Key'] = 'retry-me-7';

    // Act
    const outcome = await handleEnqueueRequest(event, queue.client, queueUrl);

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(queue.bodies).toEqual(['{"key1":"a","key2":"b","key3":"c","idempotencyKey":"retry-me-7"}']);
  });
});
