import type { Random } from './random.js';

export interface ScheduleOptions {
  rateMs: number;
  /** A firing lands somewhere within this much after its minute begins. */
  fireWithinMs: number;
  random: Random;
  now: () => number;
  /** The schedule fires: the time it fired, and its number (1 for the first). */
  fire: (tick: number) => void;
}

/**
 * An EventBridge rate schedule: it fires every `rateMs`, each time at a random moment within the
 * first `fireWithinMs` of its minute, on a grid whose phase the first message meets at a random
 * point (a rule is not created when a burst arrives).
 */
export class RateSchedule {
  private tick = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ScheduleOptions) {}

  /** Starts the grid: the first period begins up to one rate before now. */
  start(): void {
    const { rateMs, random, now } = this.options;
    const nextBoundary = now() + random() * rateMs;
    this.plan(nextBoundary);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private plan(boundary: number): void {
    const { rateMs, fireWithinMs, random, now } = this.options;
    const at = boundary + random() * fireWithinMs;
    this.timer = setTimeout(() => {
      this.options.fire(++this.tick);
      this.plan(boundary + rateMs);
    }, Math.max(0, at - now()));
  }
}

export interface CompressedScheduleOptions {
  /** How often the bench looks, from the moment test-cron's tick returns, whether the tick's runs have ended. */
  pollMs: number;
  /** What the bench does between seeing them end and the next tick: count the run's items. */
  countMs: number;
  now: () => number;
  fire: (tick: number) => void;
  /** Ticks in a row that start nothing before it gives up (the bench's maxIdleTicks). */
  maxIdleTicks: number;
}

/**
 * The local bench's compressed ticks: the first fires at once; once test-cron's tick has returned
 * (the caller says when with `cronReturned`), the bench looks every `pollMs` whether every run the
 * tick started has ended (`settled`), and the look that sees it, plus `countMs`, fires the next.
 */
export class CompressedSchedule {
  private tick = 0;
  private idleTicks = 0;
  private waiting = false;
  private cronReturnedAt: number | undefined;

  constructor(private readonly options: CompressedScheduleOptions) {}

  start(): void {
    this.fireNext();
  }

  /** test-cron's invocation for the tick has returned: the bench starts looking. */
  cronReturned(): void {
    if (this.waiting && this.cronReturnedAt === undefined) this.cronReturnedAt = this.options.now();
  }

  /** The previous tick's runs have all ended; `startedWorkers` is how many it started. */
  settled(startedWorkers: number): void {
    if (!this.waiting || this.cronReturnedAt === undefined) return;
    this.waiting = false;
    this.idleTicks = startedWorkers === 0 ? this.idleTicks + 1 : 0;
    if (this.idleTicks >= this.options.maxIdleTicks) return;
    const { pollMs, countMs, now } = this.options;
    const looks = pollMs > 0 ? Math.ceil((now() - this.cronReturnedAt) / pollMs) : 0;
    const seenAt = this.cronReturnedAt + looks * pollMs;
    setTimeout(() => this.fireNext(), seenAt - now() + countMs);
  }

  /** Whether a tick has fired and its runs have not all ended yet. */
  get awaitingSettle(): boolean {
    return this.waiting;
  }

  stop(): void {
    this.waiting = false;
    this.idleTicks = this.options.maxIdleTicks;
  }

  private fireNext(): void {
    if (this.idleTicks >= this.options.maxIdleTicks) return;
    this.waiting = true;
    this.cronReturnedAt = undefined;
    this.options.fire(++this.tick);
  }
}
