/** How an on-demand table (or index) may grow: see docs/scale.md, "DynamoDB on demand". */
export interface GrowthRule {
  /** Write units a second a new table takes at once. */
  initialWriteUnits: number;
  /** A table takes this × its previous peak... */
  growthFactor: number;
  /** ...where a peak counts only once it is this old (ms). */
  growthWindowMs: number;
  /** The per-table quota. */
  maxWriteUnits: number;
}

/**
 * The write units a second an on-demand table takes, given the peak (its busiest whole second) it
 * had reached `growthWindowMs` earlier: the strict reading of AWS's words, where a new table serves
 * 4,000 at once and doubling its previous peak is safe only once that peak is 30 minutes old.
 */
export function allowedWriteUnits(rule: GrowthRule, peakBeforeWindow: number): number {
  return Math.min(rule.maxWriteUnits, Math.max(rule.initialWriteUnits, rule.growthFactor * peakBeforeWindow));
}

/**
 * The write capacity of one on-demand table or index over time: a token bucket refilled at the rate
 * the growth rule allows, holding at most `burstMs` of it, and the busiest second so far (the peak
 * its growth counts from).
 */
export class OnDemandCapacity {
  private tokens: number;
  private refilledAt: number;
  /** Write units consumed in each whole second since the start. */
  private readonly perSecond: number[] = [];
  /** The busiest second up to and including each second. */
  private readonly peakUpTo: number[] = [];

  constructor(
    private readonly rule: GrowthRule,
    private readonly burstMs: number,
    private readonly startMs: number,
  ) {
    this.tokens = (rule.initialWriteUnits * burstMs) / 1000;
    this.refilledAt = startMs;
  }

  /** Write units a second it takes at `nowMs`. */
  rateAt(nowMs: number): number {
    const second = Math.floor((nowMs - this.startMs) / 1000);
    // Only whole seconds that are over count as a peak.
    const windowEnd = Math.min(second - 1, Math.floor((nowMs - this.startMs - this.rule.growthWindowMs) / 1000));
    return allowedWriteUnits(this.rule, windowEnd < 0 ? 0 : this.peakThrough(windowEnd));
  }

  /** Whether it has `units` now (refilling first). */
  has(units: number, nowMs: number): boolean {
    if (nowMs > this.refilledAt) {
      const rate = this.rateAt(nowMs);
      this.tokens = Math.min((rate * this.burstMs) / 1000, this.tokens + (rate * (nowMs - this.refilledAt)) / 1000);
      this.refilledAt = nowMs;
    }
    return this.tokens >= units;
  }

  /**
   * Takes `units` (after `has` said yes) and counts them toward this second's peak. A second counts
   * at most the rate it was served at: the burst a quiet table may spend is not a new peak.
   */
  consume(units: number, nowMs: number): void {
    this.tokens -= units;
    const second = Math.floor((nowMs - this.startMs) / 1000);
    this.perSecond[second] = Math.min(this.rateAt(nowMs), (this.perSecond[second] ?? 0) + units);
  }

  /** The busiest second up to `second`, counting seconds nothing was written as 0. */
  private peakThrough(second: number): number {
    for (let s = this.peakUpTo.length; s <= second; s++) this.peakUpTo[s] = Math.max(s > 0 ? (this.peakUpTo[s - 1] as number) : 0, this.perSecond[s] ?? 0);
    return this.peakUpTo[second] as number;
  }
}

/** A partition key's own ceiling: a bucket of `unitsPerSecond`, holding at most `burstMs` of it. */
export class KeyCapacity {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly unitsPerSecond: number,
    private readonly burstMs: number,
    startMs: number,
  ) {
    this.tokens = (unitsPerSecond * burstMs) / 1000;
    this.refilledAt = startMs;
  }

  has(units: number, nowMs: number): boolean {
    if (nowMs > this.refilledAt) {
      this.tokens = Math.min((this.unitsPerSecond * this.burstMs) / 1000, this.tokens + (this.unitsPerSecond * (nowMs - this.refilledAt)) / 1000);
      this.refilledAt = nowMs;
    }
    return this.tokens >= units;
  }

  consume(units: number): void {
    this.tokens -= units;
  }
}
