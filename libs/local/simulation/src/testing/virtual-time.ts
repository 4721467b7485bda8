import { VirtualClock } from '../virtual-clock.js';

/**
 * Runs `scenario` in virtual time from 0: it starts what it simulates and returns a promise; the
 * clock runs timers until that promise settles (or `limitMs` of virtual time has passed). Resolves
 * with its value and the virtual time it ended at.
 */
export async function inVirtualTime<T>(scenario: (clock: VirtualClock) => Promise<T>, limitMs = 86_400_000): Promise<{ value: T; endedAtMs: number }> {
  const clock = VirtualClock.install(0);
  try {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    scenario(clock).then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    await clock.run(() => outcome !== undefined, limitMs);
    if (!outcome) throw new Error(`The scenario had not ended after ${limitMs} ms of virtual time.`);
    if (!outcome.ok) throw outcome.error;
    return { value: outcome.value, endedAtMs: clock.now() };
  } finally {
    clock.uninstall();
  }
}
