import { parseTriggerSettings, type TriggerSettingNames, type TriggerSettings } from '@fanout/config';

/** The local runtime's trigger flags, as a refusal names them (the stack's context keys are `-c trigger` and so on). */
export const triggerFlagNames: TriggerSettingNames = {
  trigger: '--trigger',
  batchSize: '--batch-size',
  batchingWindowSeconds: '--batching-window',
  // Provisioned mode is the cloud's alone: the local mapping has no pollers to provision.
  minimumPollers: '--minimum-pollers',
  maximumPollers: '--maximum-pollers',
};

/** The flags as a command line gives them. */
export interface TriggerFlagValues {
  trigger?: string;
  batchSize?: string;
  batchingWindow?: string;
}

/**
 * The worker's trigger from the local runtime's flags, checked by the same rules as the stack's context
 * (parseTriggerSettings), so that both refuse a value with the same sentence. Throws TriggerSettingError.
 */
export function parseTriggerFlags(values: TriggerFlagValues = {}): TriggerSettings {
  return parseTriggerSettings(
    { trigger: values.trigger, batchSize: values.batchSize, batchingWindowSeconds: values.batchingWindow },
    triggerFlagNames,
  );
}
