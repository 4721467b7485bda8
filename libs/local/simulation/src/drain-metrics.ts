/** A point of the queue-depth chart: ms since the first message was sent, and messages on the queue. */
export interface DepthPoint {
  t: number;
  depth: number;
}

/** Most points a depth series keeps: past it, every other point goes and the sampling interval doubles. */
const maxDepthPoints = 1_500;

/**
 * What happened to each message: when its item was first written and how often, and the queue's
 * depth over time, sampled every `intervalMs` (doubling as the drain runs long).
 */
export class DrainMetrics {
  readonly firstWrittenAt: Float64Array;
  readonly writes: Uint8Array;
  written = 0;
  firstWriteAt = Infinity;
  lastFirstWriteAt = -Infinity;
  readonly ticks: number[] = [];
  readonly depthSeries: DepthPoint[] = [];
  private sampleEveryMs = 250;
  private nextSampleAt = 0;

  constructor(
    readonly messages: number,
    readonly startedAt: number,
  ) {
    this.firstWrittenAt = new Float64Array(messages);
    this.writes = new Uint8Array(messages);
  }

  /** Message `index`'s item was written now. */
  recordWrite(index: number, now: number): void {
    const writes = this.writes[index] as number;
    if (writes < 255) this.writes[index] = writes + 1;
    if (writes > 0) return;
    this.firstWrittenAt[index] = now;
    this.written++;
    this.firstWriteAt = Math.min(this.firstWriteAt, now);
    this.lastFirstWriteAt = Math.max(this.lastFirstWriteAt, now);
  }

  recordTick(now: number): void {
    this.ticks.push(now);
  }

  /** Offers a depth reading; it is kept when the sampling interval has passed. */
  sampleDepth(now: number, depth: () => number): void {
    if (now < this.nextSampleAt) return;
    this.depthSeries.push({ t: now - this.startedAt, depth: depth() });
    this.nextSampleAt = now + this.sampleEveryMs;
    if (this.depthSeries.length > maxDepthPoints) {
      const kept = this.depthSeries.filter((_, i) => i % 2 === 0);
      this.depthSeries.length = 0;
      this.depthSeries.push(...kept);
      this.sampleEveryMs *= 2;
    }
  }

  /** Messages whose item was written more than once. */
  duplicates(): number {
    let count = 0;
    for (let i = 0; i < this.messages; i++) if ((this.writes[i] as number) > 1) count++;
    return count;
  }

  /** Send → first write of each written message, as percentiles (nearest rank); null when nothing was written. */
  latencyPercentiles(sentAt: (index: number) => number, good: (index: number) => boolean): { p50: number | null; p95: number | null; p99: number | null } {
    const latencies = new Float64Array(this.written);
    let n = 0;
    for (let i = 0; i < this.messages; i++) if ((this.writes[i] as number) > 0 && good(i)) latencies[n++] = (this.firstWrittenAt[i] as number) - sentAt(i);
    const sorted = latencies.subarray(0, n).sort();
    const at = (q: number) => (n === 0 ? null : Math.round(sorted[Math.min(n - 1, Math.ceil(q * n) - 1)] as number));
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  }
}
