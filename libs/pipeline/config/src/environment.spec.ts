import {
  defaultWorkerSettings,
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
    const env = readWorkerEnvironment({ QUEUE_URL: 'http://q', TABLE_NAME: 'T', WORKER_MESSAGE_BUDGET: '50' });
    expect(env).toEqual({
      queueUrl: 'http://q',
      tableName: 'T',
      settings: {
        messageBudget: 50,
        receiveLoops: workerConfig.receiveLoops,
        safetyMarginMs: workerConfig.safetyMarginMs,
        visibilityTimeoutMs: queueConfig.visibilityTimeoutSeconds * 1000,
        receiveWaitMs: workerConfig.receiveWaitSeconds * 1000,
        maxReceives: 0,
        flushJoinWaitMs: workerConfig.flushJoinWaitMs,
        flushAt: workerConfig.flushAt,
        shedIntervalMs: workerConfig.shedIntervalMs,
        shedAtRetriesPerBatch: workerConfig.shedAtRetriesPerBatch,
      },
    });
  });

  it('gives the worker every duration in ms, where the environment counts whole seconds as SQS does', () => {
    // Act
    const { settings } = readWorkerEnvironment({
      QUEUE_URL: 'q',
      TABLE_NAME: 'T',
      WORKER_RECEIVE_WAIT_SECONDS: '1',
      QUEUE_VISIBILITY_TIMEOUT_SECONDS: '30',
      WORKER_SAFETY_MARGIN_MS: '2500',
      WORKER_FLUSH_JOIN_WAIT_MS: '0',
    });
    // Assess
    expect(settings).toMatchObject({ receiveWaitMs: 1_000, visibilityTimeoutMs: 30_000, safetyMarginMs: 2_500, flushJoinWaitMs: 0 });
  });

  it('names the missing variable', () => {
    expect(() => readCronEnvironment({ QUEUE_URL: 'http://q' })).toThrow(MissingEnvironmentVariableError);
    expect(() => readCronEnvironment({ QUEUE_URL: 'http://q' })).toThrow(/TOPIC_ARN/);
  });

  it('rejects a number that is not a non-negative integer', () => {
    expect(() =>
      readCronEnvironment({ QUEUE_URL: 'q', TOPIC_ARN: 'arn', FAN_OUT_MAX_WORKERS: '-3' }),
    ).toThrow(InvalidEnvironmentVariableError);
    expect(readCronEnvironment({ QUEUE_URL: 'q', TOPIC_ARN: 'arn' }).maxWorkers).toBe(fanOutConfig.maxWorkers);
  });

  it('asks for at least one receive loop', () => {
    const worker = { QUEUE_URL: 'q', TABLE_NAME: 'T' };
    expect(() => readWorkerEnvironment({ ...worker, WORKER_RECEIVE_LOOPS: '0' })).toThrow(
      'Environment variable WORKER_RECEIVE_LOOPS="0" is not a positive integer.',
    );
    expect(() => readWorkerEnvironment({ ...worker, WORKER_RECEIVE_LOOPS: 'two' })).toThrow(InvalidEnvironmentVariableError);
    expect(readWorkerEnvironment({ ...worker, WORKER_RECEIVE_LOOPS: '2' }).settings.receiveLoops).toBe(2);
  });
});

describe('pipeline config', () => {
  it('keeps the visibility timeout at least 6 × the worker timeout, as AWS advises', () => {
    expect(queueConfig.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * workerConfig.timeoutSeconds);
  });

  it('leaves the worker time to finish a batch before its timeout', () => {
    expect(workerConfig.safetyMarginMs).toBeLessThan(workerConfig.timeoutSeconds * 1000);
    expect(workerConfig.receiveWaitSeconds * 1000).toBeLessThan(workerConfig.safetyMarginMs);
  });
});

describe('functionEnvironments', () => {
  it('gives each function exactly what its reader needs', () => {
    // Prepare
    const refs = { queueUrl: 'http://q', topicArn: 'arn:t', tableName: 'T', runIndexName: 'I' };
    // Act
    const environments = functionEnvironments(refs, { visibilityTimeoutSeconds: 5, receiveLoops: 3 });
    // Assess: every reader succeeds on its own environment, and no function sees another's resources
    expect(readApiEnvironment(environments['test-api'])).toEqual({ queueUrl: 'http://q' });
    expect(readCronEnvironment(environments['test-cron'])).toEqual({
      queueUrl: 'http://q',
      topicArn: 'arn:t',
      maxWorkers: fanOutConfig.maxWorkers,
      maxLoops: 3,
      tableWriteUnitsPerSecond: fanOutConfig.tableWriteUnitsPerSecond,
    });
    expect(readWorkerEnvironment(environments['test-sqs2ddb'])).toMatchObject({ topicArn: 'arn:t', settings: { visibilityTimeoutMs: 5_000, receiveLoops: 3 } });
    expect(readRunStatusEnvironment(environments['run-status-api'])).toEqual({ tableName: 'T', runIndexName: 'I' });
    expect(Object.keys(environments['test-api'])).not.toContain('TABLE_NAME');
    expect(Object.keys(environments['run-status-api'])).not.toContain('QUEUE_URL');
  });

  it('tells the cron the table\'s expected write capacity, 0 for none', () => {
    // Prepare
    const refs = { queueUrl: 'q', topicArn: 't', tableName: 'T', runIndexName: 'I' };
    // Act
    const unlimited = readCronEnvironment(functionEnvironments(refs, { tableWriteUnits: 0 })['test-cron']);
    const warmed = readCronEnvironment({ QUEUE_URL: 'q', TOPIC_ARN: 't', FAN_OUT_TABLE_WRITE_UNITS: '12000' });
    // Assess
    expect(unlimited.tableWriteUnitsPerSecond).toBe(0);
    expect(warmed.tableWriteUnitsPerSecond).toBe(12_000);
    expect(() => readCronEnvironment({ QUEUE_URL: 'q', TOPIC_ARN: 't', FAN_OUT_TABLE_WRITE_UNITS: 'lots' })).toThrow(InvalidEnvironmentVariableError);
  });

  it('gives the worker no topic where there is none (the event source mapping starts it)', () => {
    // Act
    const worker = readWorkerEnvironment(functionEnvironments({ queueUrl: 'q', topicArn: '', tableName: 'T', runIndexName: 'I' })['test-sqs2ddb']);
    // Assess
    expect(worker.topicArn).toBeUndefined();
  });

  it('deploys the worker with its default settings unless told otherwise', () => {
    // Act
    const environment = functionEnvironments({ queueUrl: 'q', topicArn: 't', tableName: 'T', runIndexName: 'I' })['test-sqs2ddb'];
    // Assess
    expect(readWorkerEnvironment(environment).settings).toEqual(defaultWorkerSettings);
  });
});
