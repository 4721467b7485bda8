import {
  functionEnvironments,
  InvalidEnvironmentVariableError,
  readApiEnvironment,
  readRunStatusEnvironment,
  MissingEnvironmentVariableError,
  readCronEnvironment,
  readWorkerEnvironment,
} from './environment.js';
import { fanOutConfig, queueConfig, workerConfig } from './pipeline-config.js';

describe('environment contract', () => {
  it('reads the worker settings, falling back to the shared config', () => {
    const env = readWorkerEnvironment({
      QUEUE_URL: 'http://q',
      TABLE_NAME: 'T',
      WORKER_MESSAGE_BUDGET: '50',
    });
    expect(env).toEqual({
      queueUrl: 'http://q',
      tableName: 'T',
      receiveWaitSeconds: workerConfig.receiveWaitSeconds,
      messageBudget: 50,
      receiveLoops: workerConfig.receiveLoops,
      safetyMarginMs: workerConfig.safetyMarginMs,
      visibilityTimeoutSeconds: queueConfig.visibilityTimeoutSeconds,
      maxReceives: 0,
      flushJoinWaitMs: workerConfig.flushJoinWaitMs,
    });
  });

  it('names the missing variable', () => {
    expect(() => readCronEnvironment({ QUEUE_URL: 'http://q' })).toThrow(
      MissingEnvironmentVariableError,
    );
    expect(() => readCronEnvironment({ QUEUE_URL: 'http://q' })).toThrow(
      /TOPIC_ARN/,
    );
  });

  it('rejects a number that is not a non-negative integer', () => {
    expect(() =>
      readCronEnvironment({
        QUEUE_URL: 'q',
        TOPIC_ARN: 'arn',
        FAN_OUT_MAX_WORKERS: '-3',
      }),
    ).toThrow(InvalidEnvironmentVariableError);
    expect(
      readCronEnvironment({ QUEUE_URL: 'q', TOPIC_ARN: 'arn' }).maxWorkers,
    ).toBe(fanOutConfig.maxWorkers);
  });

  it('asks for at least one receive loop', () => {
    const worker = { QUEUE_URL: 'q', TABLE_NAME: 'T' };
    expect(() =>
      readWorkerEnvironment({ ...worker, WORKER_RECEIVE_LOOPS: '0' }),
    ).toThrow(
      'Environment variable WORKER_RECEIVE_LOOPS="0" is not a positive integer.',
    );
    expect(() =>
      readWorkerEnvironment({ ...worker, WORKER_RECEIVE_LOOPS: 'two' }),
    ).toThrow(InvalidEnvironmentVariableError);
    expect(
      readWorkerEnvironment({ ...worker, WORKER_RECEIVE_LOOPS: '2' })
        .receiveLoops,
    ).toBe(2);
  });
});

describe('pipeline config', () => {
  it('keeps the visibility timeout at least 6 × the worker timeout, as AWS advises', () => {
    expect(queueConfig.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * workerConfig.timeoutSeconds,
    );
  });

  it('leaves the worker time to finish a batch before its timeout', () => {
    expect(workerConfig.safetyMarginMs).toBeLessThan(
      workerConfig.timeoutSeconds * 1000,
    );
    expect(workerConfig.receiveWaitSeconds * 1000).toBeLessThan(
      workerConfig.safetyMarginMs,
    );
  });
});

describe('functionEnvironments', () => {
  it('gives each function exactly what its reader needs', () => {
    // Prepare
    const refs = {
      queueUrl: 'http://q',
      topicArn: 'arn:t',
      tableName: 'T',
      runIndexName: 'I',
    };
    // Act
    const environments = functionEnvironments(refs, {
      visibilityTimeoutSeconds: 5,
      receiveLoops: 3,
    });
    // Assess: every reader succeeds on its own environment, and no function sees another's resources
    expect(readApiEnvironment(environments['test-api'])).toEqual({
      queueUrl: 'http://q',
    });
    expect(readCronEnvironment(environments['test-cron'])).toEqual({
      queueUrl: 'http://q',
      topicArn: 'arn:t',
      maxWorkers: fanOutConfig.maxWorkers,
      maxLoops: 3,
    });
    expect(readWorkerEnvironment(environments['test-sqs2ddb'])).toMatchObject({
      visibilityTimeoutSeconds: 5,
      receiveLoops: 3,
    });
    expect(readRunStatusEnvironment(environments['run-status-api'])).toEqual({
      tableName: 'T',
      runIndexName: 'I',
    });
    expect(Object.keys(environments['test-api'])).not.toContain('TABLE_NAME');
    expect(Object.keys(environments['run-status-api'])).not.toContain(
      'QUEUE_URL',
    );
  });
});
