import { esmConfig, parseTriggerSettings, TriggerSettingError, type TriggerSettingNames } from './worker-trigger.js';

const flags: TriggerSettingNames = {
  trigger: '--trigger',
  batchSize: '--batch-size',
  batchingWindowSeconds: '--batching-window',
  minimumPollers: '--minimum-pollers',
  maximumPollers: '--maximum-pollers',
};

describe('parseTriggerSettings', () => {
  it('defaults to the fan-out trigger with batches of 10 and no window', () => {
    expect(parseTriggerSettings({}, flags)).toEqual({
      trigger: 'fanout',
      batchSize: esmConfig.batchSize,
      batchingWindowSeconds: 0,
      provisionedPollers: undefined,
    });
  });

  it('takes strings and numbers alike, and a batch above 10 once a window is set', () => {
    expect(parseTriggerSettings({ trigger: 'esm', batchSize: '500', batchingWindowSeconds: 2 }, flags)).toMatchObject({
      trigger: 'esm',
      batchSize: 500,
      batchingWindowSeconds: 2,
    });
    expect(parseTriggerSettings({ trigger: 'esm', minimumPollers: '2', maximumPollers: 2 }, flags).provisionedPollers).toEqual({
      minimum: 2,
      maximum: 2,
    });
  });

  it.each([
    [{ trigger: 'cron' }, '--trigger must be fanout or esm, got "cron".'],
    [
      { batchSize: '11' },
      '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "11".',
    ],
    [
      { batchSize: '10001', batchingWindowSeconds: '1' },
      '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "10001".',
    ],
    [
      { batchSize: '2.5' },
      '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "2.5".',
    ],
    [{ batchingWindowSeconds: '-1' }, '--batching-window must be a whole number of seconds from 0 to 300, got "-1".'],
    [{ batchingWindowSeconds: 'soon' }, '--batching-window must be a whole number of seconds from 0 to 300, got "soon".'],
    [{ maximumPollers: '20' }, '--minimum-pollers must be a whole number from 2 to 200 (with --maximum-pollers), got undefined.'],
  ])('refuses %j with one sentence naming the setting as its caller spelled it', (values, sentence) => {
    // Act
    const parse = () => parseTriggerSettings(values, flags);
    // Assess
    expect(parse).toThrow(TriggerSettingError);
    expect(parse).toThrow(sentence);
  });
});
