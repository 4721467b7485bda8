import type { App } from 'aws-cdk-lib';
import { cloudConfig, parseTriggerSettings, type TriggerSettingNames, type TriggerSettings } from '@fanout/config';
import { readStageName } from './stage-name.js';

/** The `-c key=value` context keys this app reads besides `stage`. */
export const contextKeys = {
  trigger: 'trigger',
  batchSize: 'batchSize',
  batchingWindowSeconds: 'batchingWindow',
  minimumPollers: 'minimumPollers',
  maximumPollers: 'maximumPollers',
  workerReservedConcurrency: 'workerReservedConcurrency',
} as const;

/** The trigger settings as `-c` names them, so a refusal names the key the user typed. */
const triggerSettingNames: TriggerSettingNames = {
  trigger: `-c ${contextKeys.trigger}`,
  batchSize: `-c ${contextKeys.batchSize}`,
  batchingWindowSeconds: `-c ${contextKeys.batchingWindowSeconds}`,
  minimumPollers: `-c ${contextKeys.minimumPollers}`,
  maximumPollers: `-c ${contextKeys.maximumPollers}`,
};

/** A context value out of range; the message says which key and what it accepts. */
export class InvalidContextValueError extends Error {
  constructor(key: string, rule: string, value: unknown) {
    super(`-c ${key} ${rule}, got ${JSON.stringify(value)}.`);
    this.name = 'InvalidContextValueError';
  }
}

/** What one `cdk deploy` builds: the stage, how the worker is started, and its reserved concurrency. */
export interface DeploymentOptions {
  stage: string;
  trigger: TriggerSettings;
  /** Undefined: the worker reserves no concurrency. */
  workerReservedConcurrency: number | undefined;
}

function readReservedConcurrency(app: App): number | undefined {
  const value: unknown = app.node.tryGetContext(contextKeys.workerReservedConcurrency) ?? cloudConfig.workerReservedConcurrency;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidContextValueError(
      contextKeys.workerReservedConcurrency,
      'must be a whole number of at least 0 (0 reserves none)',
      value,
    );
  }
  return n === 0 ? undefined : n;
}

/** Reads and checks the app's context: a wrong value stops the synth with one sentence, never a stack trace. */
export function readDeploymentOptions(app: App): DeploymentOptions {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  return {
    stage: readStageName(app),
    trigger: parseTriggerSettings(
      {
        trigger: context(contextKeys.trigger),
        batchSize: context(contextKeys.batchSize),
        batchingWindowSeconds: context(contextKeys.batchingWindowSeconds),
        minimumPollers: context(contextKeys.minimumPollers),
        maximumPollers: context(contextKeys.maximumPollers),
      },
      triggerSettingNames,
    ),
    workerReservedConcurrency: readReservedConcurrency(app),
  };
}
