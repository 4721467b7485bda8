import { seededRandom } from '@fanout/wire-proxy';

/** A draw in [0, 1). One seeded generator is threaded through every random choice of a simulation. */
export type Random = () => number;

/** The fault proxy's mulberry32, so that a seed means the same thing in both: the same seed, the same run. */
export function createRandom(seed: number): Random {
  return seededRandom(seed);
}

/** A whole number in [0, below). */
export function randomIndex(random: Random, below: number): number {
  return Math.min(below - 1, Math.floor(random() * below));
}
