import { awsLimits, fanOutConfig } from './pipeline-config.js';

/**
 * How the worker is started: `fanout`, test-cron's schedule publishing one SNS notification per
 * worker (the design this project is the reference of), or `esm`, Lambda's own SQS event source
 * mapping invoking it with batches of messages (what AWS offers out of the box).
 */
export const workerTriggers = ['fanout', 'esm'] as const;
export type WorkerTrigger = (typeof workerTriggers)[number];

/**
 * The event source mapping's settings and AWS's limits on them (AWS Lambda developer guide, "Using
 * Lambda with Amazon SQS" and CreateEventSourceMapping, checked 2026-12).
 */
export const esmConfig = {
  defaultTrigger: 'fanout' as WorkerTrigger,
  /** Messages per invocation: one full receive, as a fan-out worker's receive. */
  batchSize: awsLimits.sqsBatchSize,
  maxBatchSize: 10_000,
  /** AWS refuses a batch size above 10 without a batching window. */
  maxBatchSizeWithoutWindow: 10,
  batchingWindowSeconds: 0,
  maxBatchingWindowSeconds: 300,
  /** MaximumConcurrency: the fan-out cap, so both triggers run at most as many workers at once. */
  maxConcurrency: fanOutConfig.maxWorkers,
  /** Provisioned mode's pollers, on SQS: minimum 2–200, maximum 2–2,000. */
  pollers: { least: 2, mostMinimum: 200, mostMaximum: 2_000 },
  /**
   * How a standard-mode mapping scales, as AWS documents it ("Scaling and processing" for SQS): it
   * starts with 5 concurrent invocations, adds up to 300 a minute while messages wait, up to 1,250
   * (or the mapping's MaximumConcurrency), and scales back down when receives come back empty.
   */
  standardScaling: {
    initialConcurrency: 5,
    scaleUpPerMinute: 300,
    maxConcurrency: 1_250,
  },
} as const;

export interface ProvisionedPollers {
  minimum: number;
  maximum: number;
}

/** The worker's trigger and, for `esm`, its mapping's settings. */
export interface TriggerSettings {
  trigger: WorkerTrigger;
  batchSize: number;
  batchingWindowSeconds: number;
  /** Provisioned mode, when both bounds are given; standard mode otherwise. */
  provisionedPollers?: ProvisionedPollers;
}

/** Raw values as a command line or CDK context gives them: strings, numbers, or nothing. */
export interface TriggerSettingValues {
  trigger?: unknown;
  batchSize?: unknown;
  batchingWindowSeconds?: unknown;
  minimumPollers?: unknown;
  maximumPollers?: unknown;
}

/** What each setting is called where it was given: `--batch-size` on the command line, `-c batchSize` in CDK. */
export type TriggerSettingNames = Record<keyof TriggerSettingValues, string>;

/** A trigger setting out of range; the message names the setting as its caller spelled it and what it accepts. */
export class TriggerSettingError extends Error {
  constructor(
    readonly setting: string,
    rule: string,
    value: unknown,
  ) {
    super(`${setting} ${rule}, got ${JSON.stringify(value)}.`);
    this.name = 'TriggerSettingError';
  }
}

function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function inRange(value: unknown, name: string, least: number, most: number, rule: string): number {
  const n = wholeNumber(value);
  if (n === undefined || n < least || n > most) throw new TriggerSettingError(name, rule, value);
  return n;
}

/**
 * Checks the trigger settings by AWS's rules, the same for the local runtime's flags and the
 * stack's context, so that a value one refuses the other refuses with the same sentence.
 */
export function parseTriggerSettings(values: TriggerSettingValues, names: TriggerSettingNames): TriggerSettings {
  const trigger = values.trigger ?? esmConfig.defaultTrigger;
  if (!workerTriggers.includes(trigger as WorkerTrigger)) {
    throw new TriggerSettingError(names.trigger, `must be ${workerTriggers.join(' or ')}`, trigger);
  }
  const batchingWindowSeconds =
    values.batchingWindowSeconds === undefined
      ? esmConfig.batchingWindowSeconds
      : inRange(
          values.batchingWindowSeconds,
          names.batchingWindowSeconds,
          0,
          esmConfig.maxBatchingWindowSeconds,
          `must be a whole number of seconds from 0 to ${esmConfig.maxBatchingWindowSeconds}`,
        );
  const batchRule = `must be a whole number from 1 to ${esmConfig.maxBatchSize}, and at most ${esmConfig.maxBatchSizeWithoutWindow} without a batching window`;
  const batchSize =
    values.batchSize === undefined
      ? esmConfig.batchSize
      : inRange(values.batchSize, names.batchSize, 1, esmConfig.maxBatchSize, batchRule);
  if (batchSize > esmConfig.maxBatchSizeWithoutWindow && batchingWindowSeconds === 0) {
    throw new TriggerSettingError(names.batchSize, batchRule, values.batchSize);
  }
  let provisionedPollers: ProvisionedPollers | undefined;
  if (values.minimumPollers !== undefined || values.maximumPollers !== undefined) {
    const { least, mostMinimum, mostMaximum } = esmConfig.pollers;
    const minimum = inRange(
      values.minimumPollers,
      names.minimumPollers,
      least,
      mostMinimum,
      `must be a whole number from ${least} to ${mostMinimum} (with ${names.maximumPollers})`,
    );
    const maximum = inRange(
      values.maximumPollers,
      names.maximumPollers,
      Math.max(least, minimum),
      mostMaximum,
      `must be a whole number from ${names.minimumPollers} (${minimum}) to ${mostMaximum}`,
    );
    provisionedPollers = { minimum, maximum };
  }
  return {
    trigger: trigger as WorkerTrigger,
    batchSize,
    batchingWindowSeconds,
    provisionedPollers,
  };
}
