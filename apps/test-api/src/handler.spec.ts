import { fakeSqsQueue, lambdaContext, postMessagesEvent, recordingLogger, recordingMetrics, responseBody, type ErrorBody } from '@fanout/testing';
import { createApiHandler } from './handler.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

const secretBody = '{"key1":"card-4111-1111","key2":"alice@example.com","key3":"c"}';

describe('test-api handler', () => {
  it('answers 503 when SQS is down and logs one error line without the request body', async () => {
    // Prepare
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { name: 'TimeoutError', code: 'ECONNREFUSED' });
    const queue = fakeSqsQueue({ down });
    const { log, lines } = recordingLogger();
    const { metrics, published } = recordingMetrics();
    const handler = createApiHandler({ sqs: queue.client, queueUrl, log, metrics });

    // Act
    const response = await handler(postMessagesEvent(secretBody), lambdaContext(10_000, 'req-api-1'));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(responseBody(response)).toEqual({
      error: 'The queue is unavailable right now; nothing was enqueued, retry the request.',
      details: [],
    });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'SQS refused the request',
        function_request_id: 'req-api-1',
        method: 'POST',
        path: '/messages',
        statusCode: 503,
        enqueued: 0,
        failed: 1,
        errorName: 'TimeoutError',
        errorMessage: 'connect ECONNREFUSED 10.0.0.1:443',
      },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/card-4111|alice@example\.com/);
    expect(published).toEqual([{ MessagesEnqueued: { value: 0, unit: 'Count' }, MessagesRejected: { value: 1, unit: 'Count' } }]);
  });

  it('enqueues a message with 202 and logs one info line without the body', async () => {
    // Prepare
    const queue = fakeSqsQueue();
    const { log, lines } = recordingLogger();
    const { metrics, published } = recordingMetrics();
    const handler = createApiHandler({ sqs: queue.client, queueUrl, log, metrics });

    // Act
    const response = await handler(postMessagesEvent(secretBody), lambdaContext(10_000, 'req-api-1'));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(responseBody(response)).toEqual({ messageId: 'sqs-1' });
    expect(queue.bodies).toEqual([secretBody]);
    expect(published).toEqual([{ MessagesEnqueued: { value: 1, unit: 'Count' }, MessagesRejected: { value: 0, unit: 'Count' } }]);
    expect(lines).toEqual([
      { level: 'info', message: 'request handled', function_request_id: 'req-api-1', method: 'POST', path: '/messages', statusCode: 202, enqueued: 1, failed: 0 },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/card-4111|alice@example\.com/);
  });

  it('answers 400 to an invalid request without touching the queue, logging it as handled', async () => {
    // Prepare
    const queue = fakeSqsQueue();
    const { log, lines } = recordingLogger();
    const { metrics, published } = recordingMetrics();
    const handler = createApiHandler({ sqs: queue.client, queueUrl, log, metrics });

    // Act
    const response = await handler(postMessagesEvent('{"key1":"a","key2":"b","key3":""}'), lambdaContext(10_000, 'req-api-1'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseBody<ErrorBody>(response).details).toEqual([{ path: 'key3', message: 'must not be empty' }]);
    expect(queue.bodies).toEqual([]);
    expect(lines.map((line) => [line.level, line.statusCode])).toEqual([['info', 400]]);
    expect(published).toEqual([{ MessagesEnqueued: { value: 0, unit: 'Count' }, MessagesRejected: { value: 1, unit: 'Count' } }]);
  });

  it('answers a partly enqueued batch with 207 and logs how many failed', async () => {
    // Prepare
    const queue = fakeSqsQueue({ fail: { b: { senderFault: false, code: 'InternalError' } } });
    const { log, lines } = recordingLogger();
    const { metrics, published } = recordingMetrics();
    const handler = createApiHandler({ sqs: queue.client, queueUrl, log, metrics });
    const body = JSON.stringify(['a', 'b', 'c'].map((key1) => ({ key1, key2: 'x', key3: 'y' })));

    // Act
    const response = await handler(postMessagesEvent(body), lambdaContext(10_000, 'req-api-1'));

    // Assess
    expect(response.statusCode).toBe(207);
    expect(queue.bodies).toHaveLength(2);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', statusCode: 207, enqueued: 2, failed: 1 })]);
    expect(published).toEqual([{ MessagesEnqueued: { value: 2, unit: 'Count' }, MessagesRejected: { value: 1, unit: 'Count' } }]);
  });
});
