interface Job {
  remainingMs: number;
  done: () => void;
}

/**
 * A machine's cores shared by everything that runs on it at once (processor sharing): n jobs on
 * c cores each progress at min(1, c / n) of real speed. It stands for this machine when the
 * simulation predicts the local bench, where the emulators, the SDK and the functions all compete
 * for two cores; on AWS nothing is shared this way.
 */
export class SharedCpu {
  private readonly jobs = new Set<Job>();
  private updatedAt: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly cores: number,
    private readonly now: () => number,
  ) {
    this.updatedAt = now();
  }

  /** Resolves once `cpuMs` of CPU work has run on the shared cores. */
  run(cpuMs: number): Promise<void> {
    if (cpuMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.advance();
      this.jobs.add({ remainingMs: cpuMs, done: resolve });
      this.reschedule();
    });
  }

  private rate(): number {
    return Math.min(1, this.cores / Math.max(1, this.jobs.size));
  }

  private advance(): void {
    const now = this.now();
    const progress = (now - this.updatedAt) * this.rate();
    this.updatedAt = now;
    if (progress <= 0) return;
    for (const job of this.jobs) job.remainingMs -= progress;
  }

  private reschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.jobs.size === 0) return;
    let least = Infinity;
    for (const job of this.jobs) least = Math.min(least, job.remainingMs);
    this.timer = setTimeout(() => this.finishDue(), Math.max(0, least / this.rate()));
  }

  private finishDue(): void {
    this.advance();
    // The job this timer was set for ends now, whatever a hair of float error says it has left.
    let least = Infinity;
    for (const job of this.jobs) least = Math.min(least, job.remainingMs);
    for (const job of this.jobs) {
      if (job.remainingMs <= Math.max(least, 0) + 1e-6) {
        this.jobs.delete(job);
        job.done();
      }
    }
    this.reschedule();
  }
}
