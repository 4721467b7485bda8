import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { QueueDoesNotExist, RequestThrottled } from '@aws-sdk/client-sqs';
import { isRetryableError } from './errors.js';

describe('isRetryableError', () => {
  it.each([
    ['DynamoDB throttling', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })],
    ['SQS throttling', new RequestThrottled({ message: 'slow down', $metadata: {} })],
    ['a 5xx response', Object.assign(new Error('bad gateway'), { name: 'Unknown', $metadata: { httpStatusCode: 502 } })],
    ['an error the SDK marks retryable', Object.assign(new Error('x'), { name: 'Whatever', $retryable: {} })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    ['a timed-out connection', Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })],
  ])('retries %s', (_, error) => {
    // Prepare / Act
    const retryable = isRetryableError(error);

    // Assess
    expect(retryable).toBe(true);
  });

  it.each([
    ['a missing queue', new QueueDoesNotExist({ message: 'no such queue', $metadata: { httpStatusCode: 400 } })],
    ['a validation error', Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })],
    ['a plain Error', new Error('bug')],
    ['a string', 'ProvisionedThroughputExceededException'],
    ['null', null],
    ['undefined', undefined],
  ])('gives up on %s', (_, error) => {
    // Prepare / Act
    const retryable = isRetryableError(error);

    // Assess
    expect(retryable).toBe(false);
  });
});
