import { allowedWriteUnits, type GrowthRule } from './on-demand-capacity.js';
import type { SimulationParameters } from './parameters.js';

export function growthRuleOf(p: SimulationParameters): GrowthRule {
  return {
    initialWriteUnits: p['dynamodb.initialWriteUnits'],
    growthFactor: p['dynamodb.growthFactor'],
    growthWindowMs: p['dynamodb.growthWindowMinutes'] * 60_000,
    maxWriteUnits: p['dynamodb.tableMaxWriteUnits'],
  };
}

/** Items a second the table can take at a table rate of `tableUnits` a second: its index and the run ids' partitions bound it too. */
export function itemsPerSecondAt(p: SimulationParameters, tableUnits: number): number {
  const units = p['dynamodb.writeUnitsPerItem'];
  const runIds = p['workload.runIds'];
  if (runIds === 0) return tableUnits / units;
  // The index grows as the table does (on its own capacity, or on the table's); each run id is one of its partition keys.
  const perItem = p['dynamodb.indexSharesTableCapacity'] === 1 ? 2 * units : units;
  return Math.min(tableUnits / perItem, (runIds * p['dynamodb.partitionWriteUnits']) / units);
}

/**
 * The floor no consumer can beat: how long writing `items` takes at the table's write capacity, from
 * a new table on, when every second takes all the capacity the growth rule allows (so each second
 * is a new peak, and the capacity doubles once that peak is growthWindowMinutes old), bounded by
 * the run index's partitions.
 */
export function writeLimitMs(items: number, p: SimulationParameters): number {
  const rule = growthRuleOf(p);
  const windowSeconds = Math.max(1, Math.round(rule.growthWindowMs / 1000));
  const consumed: number[] = [];
  let peak = 0;
  const peaks: number[] = [];
  let left = items;
  for (let second = 0; ; second++) {
    const windowEnd = second - windowSeconds;
    const rate = allowedWriteUnits(rule, windowEnd < 0 ? 0 : (peaks[windowEnd] as number));
    const perSecond = itemsPerSecondAt(p, rate);
    if (perSecond >= left) return Math.round((second + left / perSecond) * 1000);
    left -= perSecond;
    consumed[second] = perSecond * p['dynamodb.writeUnitsPerItem'] * (p['dynamodb.indexSharesTableCapacity'] === 1 && p['workload.runIds'] > 0 ? 2 : 1);
    peak = Math.max(peak, consumed[second] as number);
    peaks[second] = peak;
  }
}
