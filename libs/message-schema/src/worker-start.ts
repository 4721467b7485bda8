/**
 * The SNS notification test-cron publishes to start one worker run: which tick sent it, which of
 * its workers this is, and how many drain loops the run should use (sized to the queue's depth).
 */
export interface WorkerStart {
  tickId: string;
  worker: number;
  workers: number;
  loops: number;
}

/**
 * The drain loops a notification asks for, at most `maxLoops`. A notification without a usable
 * `loops` (one published by an older test-cron, a hand-made test event) gets `maxLoops`: the worker
 * cannot tell how deep the queue is, and the loops it does not need each end on one empty receive.
 */
export function loopsOf(notification: string | undefined, maxLoops: number): number {
  let loops: unknown;
  try {
    loops = (JSON.parse(notification ?? '') as Partial<WorkerStart> | null)?.loops;
  } catch {
    return maxLoops;
  }
  return typeof loops === 'number' && Number.isInteger(loops) && loops >= 1 ? Math.min(loops, maxLoops) : maxLoops;
}
