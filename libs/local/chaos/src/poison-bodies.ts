/** Messages that must end in the dead-letter queue: sent straight to the queue, bypassing the API. */
export function poisonBodies(count: number): string[] {
  const kinds = [
    (i: number) => `not json at all #${i}`,
    (i: number) => JSON.stringify({ key1: `poison-${i}`, key2: 'missing key3' }),
    (i: number) => JSON.stringify({ key1: `poison-${i}`, key2: 2, key3: true }),
    (i: number) => JSON.stringify({ key1: `poison-${i}`, key2: 'b', key3: 'c', extra: 'unknown field' }),
    (i: number) => JSON.stringify({ key1: `poison-${i}`, key2: 'b', key3: 'x'.repeat(200_000) }),
    (i: number) => JSON.stringify([`poison-${i}`]),
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length](i));
}
