import type { Logger } from '@aws-lambda-powertools/logger';
import {
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createApiHandler } from './handler.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

type LogLine = { level: 'info' | 'error'; message: string } & Record<string, unknown>;

/** A logger that keeps each line as the message plus its attributes, the way Powertools prints it. */
function recordingLogger() {
  const lines: LogLine[] = [];
  const record =
    (level: LogLine['level']) =>
    (...[input, ...extra]: Parameters<Logger['info']>) => {
      const message = typeof input === 'string' ? input : String(input.message);
      lines.push(Object.assign({ level, message }, ...extra.map((e) => (typeof e === 'object' ? e : { extra: e }))));
    };
  const log: Pick<Logger, 'info' | 'error'> = { info: record('info'), error: record('error') };
  return { log, lines };
}

/** A queue behind a mocked client; `down` makes every call fail as an unreachable SQS would. */
function fakeQueue(options: { down?: Error; failKey1?: string[] } = {}) {
  const sqs = new SQSClient({ region: 'us-east-1' });
  const bodies: string[] = [];
  const mock = mockClient(sqs);
  mock.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
    if (options.down) throw options.down;
    bodies.push(input.MessageBody ?? '');
    return { MessageId: `sqs-${bodies.length}` };
  });
  mock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    if (options.down) throw options.down;
    const Successful: { Id: string; MessageId: string; MD5OfMessageBody: string }[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string }[] = [];
    for (const entry of input.Entries ?? []) {
      const body = entry.MessageBody ?? '';
      if (options.failKey1?.includes((JSON.parse(body) as { key1: string }).key1)) {
        Failed.push({ Id: entry.Id ?? '', SenderFault: false, Code: 'InternalError' });
      } else {
        bodies.push(body);
        Successful.push({ Id: entry.Id ?? '', MessageId: `sqs-${bodies.length}`, MD5OfMessageBody: 'x' });
      }
    }
    return { Successful, Failed };
  });
  return { sqs, bodies };
}

function post(body: string): APIGatewayProxyEvent {
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

const secretBody = '{"key1":"card-4111-1111","key2":"alice@example.com","key3":"c"}';

describe('test-api handler', () => {
  it('answers 503 when SQS is down and logs one error line without the request body', async () => {
    // Prepare
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { name: 'TimeoutError', code: 'ECONNREFUSED' });
    const { sqs } = fakeQueue({ down });
    const { log, lines } = recordingLogger();
    const handler = createApiHandler({ sqs, queueUrl, log });

    // Act
    const response = await handler(post(secretBody));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(response.body)).toEqual({
      error: 'The queue is unavailable right now; nothing was enqueued, retry the request.',
      details: [],
    });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'SQS refused the request',
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
  });

  it('enqueues a message with 202 and logs one info line without the body', async () => {
    // Prepare
    const queue = fakeQueue();
    const { log, lines } = recordingLogger();
    const handler = createApiHandler({ sqs: queue.sqs, queueUrl, log });

    // Act
    const response = await handler(post(secretBody));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ messageId: 'sqs-1' });
    expect(queue.bodies).toEqual([secretBody]);
    expect(lines).toEqual([
      { level: 'info', message: 'request handled', method: 'POST', path: '/messages', statusCode: 202, enqueued: 1, failed: 0 },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/card-4111|alice@example\.com/);
  });

  it('answers 400 to an invalid request without touching the queue, logging it as handled', async () => {
    // Prepare
    const queue = fakeQueue();
    const { log, lines } = recordingLogger();
    const handler = createApiHandler({ sqs: queue.sqs, queueUrl, log });

    // Act
    const response = await handler(post('{"key1":"a","key2":"b","key3":""}'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).details).toEqual([{ path: 'key3', message: 'must not be empty' }]);
    expect(queue.bodies).toEqual([]);
    expect(lines.map((line) => [line.level, line.statusCode])).toEqual([['info', 400]]);
  });

  it('answers a partly enqueued batch with 207 and logs how many failed', async () => {
    // Prepare
    const queue = fakeQueue({ failKey1: ['b'] });
    const { log, lines } = recordingLogger();
    const handler = createApiHandler({ sqs: queue.sqs, queueUrl, log });
    const body = JSON.stringify(['a', 'b', 'c'].map((key1) => ({ key1, key2: 'x', key3: 'y' })));

    // Act
    const response = await handler(post(body));

    // Assess
    expect(response.statusCode).toBe(207);
    expect(queue.bodies).toHaveLength(2);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', statusCode: 207, enqueued: 2, failed: 1 })]);
  });
});
