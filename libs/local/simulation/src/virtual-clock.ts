import * as FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;

// Captured before any clock is installed: the one real turn of the event loop each timer waits for.
const realSetImmediate = globalThis.setImmediate;
const realPerformanceNow = performance.now.bind(performance);

/** Timers between two real turns of the event loop (output, progress). */
const yieldEvery = 1_000;

/** Why a run of the clock ended. */
export type ClockStop = 'done' | 'idle' | 'time-limit';

/**
 * Virtual time for the code under simulation: @sinonjs/fake-timers installed on the global timers
 * and Date, so that the functions' own setTimeout (retry backoffs, the run writer's join wait) and
 * Date.now run in virtual time, unchanged. performance.now stays real (progress and speed).
 */
export class VirtualClock {
  private constructor(private readonly clock: InstalledClock) {}

  /** Installs the fake clock at `startMs` (epoch ms). Uninstall it when the simulation ends. */
  static install(startMs: number): VirtualClock {
    const clock = FakeTimers.install({
      now: startMs,
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date'],
      loopLimit: Number.MAX_SAFE_INTEGER,
    });
    return new VirtualClock(clock);
  }

  now(): number {
    return this.clock.now;
  }

  /**
   * Runs timers in order until `done()` holds, no timer is left, or the next timer lies past
   * `untilMs`. Each timer fires alone and the promises it settles run before the next one (a real
   * setImmediate between timers), so awaits behave as they would in real time. `onStep` is told the
   * virtual time after each timer.
   */
  async run(done: () => boolean, untilMs: number, onStep?: (nowMs: number) => void): Promise<ClockStop> {
    // A timer at the limit stops the run there, if nothing else has.
    let limitReached = false;
    let steps = 0;
    const limit = setTimeout(() => (limitReached = true), Math.max(0, untilMs - this.clock.now));
    try {
      // What the caller has just set going runs to its first wait before anything is judged idle.
      await new Promise<void>((resolve) => process.nextTick(resolve));
      for (;;) {
        if (done()) return 'done';
        if (limitReached) return 'time-limit';
        // Only the limit's own timer left: nothing can happen any more.
        if (this.clock.countTimers() <= 1) return 'idle';
        this.clock.next();
        // What the timer set off runs to its next wait first: a nextTick callback runs only once the
        // microtask queue is empty. Every so often a real turn of the event loop lets output through.
        if (++steps % yieldEvery === 0) await new Promise<void>((resolve) => realSetImmediate(resolve));
        else await new Promise<void>((resolve) => process.nextTick(resolve));
        onStep?.(this.clock.now);
      }
    } finally {
      clearTimeout(limit);
    }
  }

  uninstall(): void {
    this.clock.uninstall();
  }
}

/** Real elapsed ms, whatever the clock says. */
export function realNow(): number {
  return realPerformanceNow();
}
