/** How a standard-mode event source mapping scales, as AWS documents it (esmConfig.standardScaling). */
export interface EsmScalingRule {
  initialConcurrency: number;
  scaleUpPerMinute: number;
}

/**
 * The concurrency a standard-mode SQS event source mapping allows itself: it starts at the rule's
 * initial concurrency, adds up to `scaleUpPerMinute` while its receives find messages, never passes
 * `maxConcurrency` (the mapping's MaximumConcurrency, or the execution environments there are), and
 * gives one back for each receive that comes back empty, down to the initial concurrency.
 */
export class EsmScaling {
  private allowed: number;
  private growingSince: number | undefined;
  private grownBefore = 0;

  constructor(
    private readonly rule: EsmScalingRule,
    private readonly maxConcurrency: number,
  ) {
    this.allowed = Math.min(rule.initialConcurrency, maxConcurrency);
  }

  /** Invocations the mapping may have in progress now. */
  get concurrency(): number {
    return this.allowed;
  }

  /** A receive found messages at `now` (ms): the mapping grows, at the rule's rate, from when it began to. */
  foundMessages(now: number): void {
    this.growingSince ??= now;
    const grown = Math.floor(((now - this.growingSince) / 60_000) * this.rule.scaleUpPerMinute);
    this.allowed = Math.min(this.maxConcurrency, this.allowed + Math.max(0, grown - this.grownBefore));
    this.grownBefore = Math.max(this.grownBefore, grown);
  }

  /** A receive came back empty: one invocation fewer, and growth starts again from now when messages return. */
  foundNothing(): void {
    this.allowed = Math.max(Math.min(this.rule.initialConcurrency, this.maxConcurrency), this.allowed - 1);
    this.growingSince = undefined;
    this.grownBefore = 0;
  }
}
