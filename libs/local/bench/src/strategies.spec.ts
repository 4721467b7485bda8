import { fanOutConfig, functionEnvironments, readCronEnvironment, readWorkerEnvironment, type EnvironmentOverrides } from '@fanout/config';
import { strategies } from './strategies.js';

const refs = { queueUrl: 'http://127.0.0.1:4566/000000000000/test', topicArn: 'arn:aws:sns:us-east-1:000000000000:test', tableName: 'Test', runIndexName: 'runId-index' };

/** What the cron and the worker read from the environment a strategy gives them. */
function settingsOf(overrides: EnvironmentOverrides) {
  const environments = functionEnvironments(refs, overrides);
  const cron = readCronEnvironment(environments['test-cron']);
  const worker = readWorkerEnvironment(environments['test-sqs2ddb']).settings;
  return { maxWorkers: cron.maxWorkers, maxReceives: worker.maxReceives, receiveWaitSeconds: worker.receiveWaitMs / 1000 };
}

describe('strategies', () => {
  it('serial: one worker a tick, one short-poll receive', () => {
    expect(settingsOf(strategies.serial.overrides)).toEqual({ maxWorkers: 1, maxReceives: 1, receiveWaitSeconds: 0 });
  });

  it('fanout: as many workers as the queue asks for, far past our cap, one short-poll receive each', () => {
    // Act
    const settings = settingsOf(strategies.fanout.overrides);
    // Assess
    expect(settings).toMatchObject({ maxReceives: 1, receiveWaitSeconds: 0 });
    // ⌈n/10⌉ workers for the largest bursts measured (100,000 messages) are never capped.
    expect(settings.maxWorkers).toBeGreaterThanOrEqual(100_000 / fanOutConfig.messagesPerWorker);
    expect(settings.maxWorkers).toBeGreaterThan(fanOutConfig.maxWorkers);
  });

  it('fanout-drain: the functions exactly as deployed, long-polling in a loop', () => {
    // Act
    const environments = functionEnvironments(refs, strategies['fanout-drain'].overrides);
    const settings = settingsOf(strategies['fanout-drain'].overrides);
    // Assess
    expect(environments).toEqual(functionEnvironments(refs));
    expect(settings.maxWorkers).toBe(fanOutConfig.maxWorkers);
    expect(settings.maxReceives).toBe(0);
    expect(settings.receiveWaitSeconds).toBeGreaterThan(0);
  });

  it('fanout-drain-alone: the functions as deployed, but a run’s loops never wait for one another’s writes', () => {
    const worker = readWorkerEnvironment(functionEnvironments(refs, strategies['fanout-drain-alone'].overrides)['test-sqs2ddb']);
    expect(worker.settings.flushJoinWaitMs).toBe(0);
    expect(functionEnvironments(refs, strategies['fanout-drain-alone'].overrides)['test-cron']).toEqual(functionEnvironments(refs)['test-cron']);
  });

  it('esm: the functions exactly as deployed, started by the event source mapping instead of the ticks', () => {
    expect(functionEnvironments(refs, strategies.esm.overrides)).toEqual(functionEnvironments(refs));
    expect(strategies.esm.trigger).toBe('esm');
    expect(Object.values(strategies).filter((strategy) => strategy.name !== 'esm').every((strategy) => strategy.trigger === 'fanout')).toBe(true);
  });

  it('is keyed by each strategy’s own name, with a description', () => {
    for (const [key, strategy] of Object.entries(strategies)) {
      expect(strategy.name).toBe(key);
      expect(strategy.description.length).toBeGreaterThan(0);
    }
  });
});
