import type { Random } from './random.js';

/**
 * A latency distribution given by four percentiles, in ms, as measurements publish them. A constant
 * latency has all four equal.
 */
export interface Latency {
  p10: number;
  p50: number;
  p90: number;
  p99: number;
}

export function constantLatency(ms: number): Latency {
  return { p10: ms, p50: ms, p90: ms, p99: ms };
}

/**
 * One draw: the inverse of a piecewise-linear distribution function through the four percentiles
 * (a constant when they are equal), from 0.8 × p10 at the bottom to p99 + (p99 − p90) at the top (published figures stop at p99; the
 * tails are our assumption, kept short so that one unlucky draw does not dominate a run).
 */
export function sampleLatency(latency: Latency, random: Random): number {
  const { p10, p50, p90, p99 } = latency;
  // A constant is a constant (no draw: the seed's sequence stays the same whatever the latencies).
  if (p10 === p99) return p10;
  const q = random();
  if (q < 0.1) return 0.8 * p10 + (p10 - 0.8 * p10) * (q / 0.1);
  if (q < 0.5) return p10 + (p50 - p10) * ((q - 0.1) / 0.4);
  if (q < 0.9) return p50 + (p90 - p50) * ((q - 0.5) / 0.4);
  if (q < 0.99) return p90 + (p99 - p90) * ((q - 0.9) / 0.09);
  return p99 + (p99 - p90) * ((q - 0.99) / 0.01);
}

/** The mean of the same distribution, for estimates (the area under the inverse distribution function). */
export function meanLatency(latency: Latency): number {
  const { p10, p50, p90, p99 } = latency;
  const top = p99 + (p99 - p90);
  return 0.1 * ((0.8 * p10 + p10) / 2) + 0.4 * ((p10 + p50) / 2) + 0.4 * ((p50 + p90) / 2) + 0.09 * ((p90 + p99) / 2) + 0.01 * ((p99 + top) / 2);
}

/** `8` (constant) or `p10/p50/p90/p99`, e.g. `7/10.2/16/27.6`; undefined when the text is neither, or the percentiles fall. */
export function parseLatency(text: string): Latency | undefined {
  const parts = text.split('/').map((part) => part.trim());
  if (parts.length !== 1 && parts.length !== 4) return undefined;
  if (parts.some((part) => !/^\d+(\.\d+)?$/.test(part))) return undefined;
  const values = parts.map(Number);
  if (values.length === 1) return constantLatency(values[0] as number);
  const [p10, p50, p90, p99] = values as [number, number, number, number];
  if (!(p10 <= p50 && p50 <= p90 && p90 <= p99)) return undefined;
  return { p10, p50, p90, p99 };
}

export function formatLatency(latency: Latency): string {
  const { p10, p50, p90, p99 } = latency;
  return p10 === p99 ? String(p10) : `${p10}/${p50}/${p90}/${p99}`;
}
