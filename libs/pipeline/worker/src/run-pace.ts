import type { WorkerSettings } from '@fanout/config';

/** What one flush's writes went through. */
export interface WriteRound {
  /** BatchWriteItem calls, retries included. */
  calls: number;
  retries: number;
  /** Items still unwritten after every retry. */
  unwritten: number;
}

/**
 * How many of a run's drain loops may go on receiving. Writes that the table throttles only lightly
 * are what a drain at the table's pace looks like: their retries get through, and waiting for them
 * slows each loop to what the table takes. Writes throttled hard (more than
 * `shedAtRetriesPerBatch` retries a batch, or items given up) mean the run asks for far more than it
 * gets: it sheds one loop, at most once every `shedIntervalMs`, down to one, so that it stops
 * holding messages it cannot write.
 */
export class RunPace {
  private active: number;
  private lastShedAt = -Infinity;
  sheds = 0;
  throttledWrites = 0;

  constructor(
    loops: number,
    private readonly settings: Pick<WorkerSettings, 'shedIntervalMs' | 'shedAtRetriesPerBatch'>,
    private readonly now: () => number,
  ) {
    this.active = loops;
  }

  /** Loops that may still receive: loops 0 … active − 1. */
  get activeLoops(): number {
    return this.active;
  }

  /** Whether loop `loop` (numbered from 0) has been shed. */
  isShed(loop: number): boolean {
    return loop >= this.active;
  }

  /** Told of each flush's writes. */
  observe(round: WriteRound): void {
    if (round.retries === 0 && round.unwritten === 0) return;
    this.throttledWrites++;
    const batches = Math.max(1, round.calls - round.retries);
    const hard = round.unwritten > 0 || round.retries > this.settings.shedAtRetriesPerBatch * batches;
    const now = this.now();
    if (!hard || this.active <= 1 || now - this.lastShedAt < this.settings.shedIntervalMs) return;
    this.active--;
    this.sheds++;
    this.lastShedAt = now;
  }
}
