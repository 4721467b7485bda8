import { percentile } from '@fanout/run-status';

/** The middle one of `values` by `key`, the lower middle for an even count: the nearest-rank 50th percentile. */
export function medianOf<T>(values: readonly T[], key: (value: T) => number): T {
  const median = percentile([...values].sort((a, b) => key(a) - key(b)), 50);
  if (median === null) throw new Error('medianOf needs at least one value.');
  return median;
}
