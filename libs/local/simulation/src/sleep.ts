/**
 * Waits `ms` of (virtual) time; not at all for 0 or less: a timer of 0 ms fires 1 ms later, as in
 * Node, and a simulated call of no latency must not take one.
 */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
