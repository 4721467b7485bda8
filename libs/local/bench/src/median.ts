/** The middle one of `values`, the lower middle for an even count. */
export function medianOf<T>(values: readonly T[], key: (value: T) => number): T {
  if (values.length === 0) throw new Error('medianOf needs at least one value.');
  const sorted = [...values].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}
