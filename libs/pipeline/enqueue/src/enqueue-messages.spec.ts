import type { Message } from '@fanout/message-schema';
import { fakeSqsQueue, responseBody } from '@fanout/testing';
import { enqueueMessages } from './enqueue-messages.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

function msg(key1: string, runId?: string): Message {
  return runId === undefined ? { key1, key2: 'b', key3: 'c' } : { key1, key2: 'b', key3: 'c', runId };
}

describe('enqueueMessages', () => {
  it('enqueues one message with 202 and its messageId', async () => {
    // Prepare
    const queue = fakeSqsQueue();

    // Act
    const outcome = await enqueueMessages(queue.client, queueUrl, { kind: 'single', message: msg('a', 'run-1') });

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(responseBody(outcome.response)).toEqual({ messageId: 'sqs-1' });
    expect(queue.bodies).toEqual(['{"key1":"a","key2":"b","key3":"c","runId":"run-1"}']);
    expect(outcome).toMatchObject({ enqueued: 1, failed: 0 });
  });

  it('enqueues a batch with 202 and one result per entry', async () => {
    // Prepare
    const queue = fakeSqsQueue();

    // Act
    const outcome = await enqueueMessages(queue.client, queueUrl, { kind: 'batch', messages: [msg('a'), msg('b'), msg('c')] });

    // Assess
    expect(outcome.response.statusCode).toBe(202);
    expect(responseBody(outcome.response)).toEqual({
      messages: [
        { index: 0, status: 'enqueued', messageId: 'sqs-1' },
        { index: 1, status: 'enqueued', messageId: 'sqs-2' },
        { index: 2, status: 'enqueued', messageId: 'sqs-3' },
      ],
    });
    expect(queue.bodies).toHaveLength(3);
    expect(outcome).toMatchObject({ enqueued: 3, failed: 0 });
  });

  it('answers a partial failure with 207, naming exactly the failed entries and whether to retry them', async () => {
    // Prepare
    const queue = fakeSqsQueue({
      fail: {
        b: { senderFault: false, code: 'InternalError', message: 'try again' },
        d: { senderFault: true, code: 'InvalidMessageContents' },
      },
    });
    const messages = ['a', 'b', 'c', 'd', 'e'].map((key1) => msg(key1));

    // Act
    const outcome = await enqueueMessages(queue.client, queueUrl, { kind: 'batch', messages });

    // Assess
    expect(outcome.response.statusCode).toBe(207);
    const body = responseBody<{ error: string; messages: { index: number; status: string }[] }>(outcome.response);
    expect(body.error).toBe('2 of 5 messages were not enqueued; retry exactly those (status "failed").');
    expect(body.messages.filter((m) => m.status === 'failed')).toEqual([
      { index: 1, status: 'failed', error: 'try again', retryable: true },
      { index: 3, status: 'failed', error: 'InvalidMessageContents', retryable: false },
    ]);
    expect(body.messages.filter((m) => m.status === 'enqueued').map((m) => m.index)).toEqual([0, 2, 4]);
    expect(queue.bodies.map((b) => (JSON.parse(b) as Message).key1)).toEqual(['a', 'c', 'e']);
    expect(outcome).toMatchObject({ enqueued: 3, failed: 2 });
  });

  it('counts an entry SQS did not confirm as failed and retryable', async () => {
    // Prepare
    const queue = fakeSqsQueue({ unconfirmed: ['b'] });

    // Act
    const outcome = await enqueueMessages(queue.client, queueUrl, { kind: 'batch', messages: [msg('a'), msg('b')] });

    // Assess
    expect(outcome.response.statusCode).toBe(207);
    expect(responseBody<{ messages: unknown[] }>(outcome.response).messages[1]).toEqual({
      index: 1,
      status: 'failed',
      error: 'SQS did not confirm this message',
      retryable: true,
    });
  });

  it('answers 503 with retry-after when no entry of a batch was enqueued', async () => {
    // Prepare
    const queue = fakeSqsQueue({
      fail: { a: { senderFault: false, code: 'InternalError' }, b: { senderFault: false, code: 'InternalError' } },
    });

    // Act
    const outcome = await enqueueMessages(queue.client, queueUrl, { kind: 'batch', messages: [msg('a'), msg('b')] });

    // Assess
    expect(outcome.response.statusCode).toBe(503);
    expect(outcome.response.headers?.['retry-after']).toBe('1');
    expect(responseBody(outcome.response)).toEqual({ error: 'No message in the array could be enqueued; retry the request.', details: [] });
    expect(queue.bodies).toEqual([]);
    expect(outcome).toMatchObject({ enqueued: 0, failed: 2 });
  });

  it.each([
    ['one message', { kind: 'single' as const, message: msg('a') }, 1],
    ['a batch', { kind: 'batch' as const, messages: [msg('a'), msg('b'), msg('c')] }, 3],
  ])('answers 503 with retry-after and no stack trace when SQS cannot be reached (%s)', async (_, request, count) => {
    // Prepare
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const queue = fakeSqsQueue({ down });

    // Act
    const outcome = await enqueueMessages(queue.client, queueUrl, request);

    // Assess
    expect(outcome.response.statusCode).toBe(503);
    expect(outcome.response.headers?.['retry-after']).toBe('1');
    expect(responseBody(outcome.response)).toEqual({
      error: 'The queue is unavailable right now; nothing was enqueued, retry the request.',
      details: [],
    });
    expect(outcome.response.body).not.toContain('ECONNREFUSED');
    expect(outcome.response.body).not.toMatch(/\bat .+:\d+:\d+/);
    expect(outcome).toMatchObject({ enqueued: 0, failed: count, queueError: down });
  });
});
