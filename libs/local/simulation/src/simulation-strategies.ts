import { strategies as benchStrategies } from '@fanout/bench';
import type { EnvironmentOverrides } from '@fanout/config';
import type { SimulationParameters } from './parameters.js';

export const simulationStrategyNames = ['serial', 'fanout', 'fanout-drain', 'esm', 'esm-provisioned'] as const;
export type SimulationStrategyName = (typeof simulationStrategyNames)[number];

/** How a strategy starts the worker. */
export type WorkerTrigger = 'schedule' | 'esm-standard' | 'esm-provisioned';

export interface SimulationStrategy {
  name: SimulationStrategyName;
  description: string;
  trigger: WorkerTrigger;
  /** The functions' settings, as the bench configures the same bundles (libs/local/bench strategies). */
  overrides: EnvironmentOverrides;
}

/**
 * The bench's three designs, configured exactly as it configures them (one place: its strategies),
 * and Lambda's own event source mapping in its two modes. fanout-drain's cap is fanout.maxWorkers;
 * serial and fanout keep theirs (one worker a tick, and none), which is what they stand for.
 */
export function simulationStrategy(name: SimulationStrategyName, p: SimulationParameters): SimulationStrategy {
  switch (name) {
    case 'serial':
    case 'fanout':
      return { name, description: benchStrategies[name].description, trigger: 'schedule', overrides: benchStrategies[name].overrides };
    case 'fanout-drain':
      return {
        name,
        description: benchStrategies[name].description,
        trigger: 'schedule',
        overrides: { ...benchStrategies[name].overrides, maxWorkers: p['fanout.maxWorkers'] },
      };
    case 'esm':
      return { name, description: 'Lambda\'s SQS event source mapping, standard mode: batches of esm.batchSize, the worker\'s writeBatch', trigger: 'esm-standard', overrides: {} };
    case 'esm-provisioned':
      return { name, description: 'the event source mapping in provisioned mode: esm.minimumPollers to esm.maximumPollers pollers', trigger: 'esm-provisioned', overrides: {} };
  }
}
