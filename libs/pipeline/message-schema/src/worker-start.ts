/**
 * The SNS notification test-cron publishes to start one worker run: which tick sent it, which of
 * its workers this is, and how the run should drain (sized to the queue's depth).
 */
export interface WorkerStart {
  tickId: string;
  worker: number;
  workers: number;
  /** Drain loops the run should use side by side. */
  loops: number;
  /** Messages the run can expect: the visible depth test-cron read, split over the workers it started. */
  expectedMessages: number;
}

/** What a worker run takes from its start: its loops, and what it can expect when the start says. */
export interface RunShape {
  loops: number;
  expectedMessages: number | undefined;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/**
 * The run a notification asks for, with at most `maxLoops` loops. A notification without a usable
 * `loops` (one published by an older test-cron, a hand-made test event) gets `maxLoops`: the worker
 * cannot tell how deep the queue is, and the loops it does not need each end on one empty receive.
 * Without a usable `expectedMessages`, the run expects nothing in particular.
 */
export function readRunShape(notification: string | undefined, maxLoops: number): RunShape {
  let start: Partial<Record<keyof WorkerStart, unknown>> | null;
  try {
    start = JSON.parse(notification ?? '') as Partial<Record<keyof WorkerStart, unknown>> | null;
  } catch {
    start = null;
  }
  return {
    loops: isCount(start?.loops) ? Math.min(start.loops, maxLoops) : maxLoops,
    expectedMessages: isCount(start?.expectedMessages) ? start.expectedMessages : undefined,
  };
}

/**
 * The start of the run that carries on where the run started by `notification` stopped: the same
 * tick and worker, `loops` loops, and nothing in particular to expect (the queue is deeper than one
 * run could take).
 */
export function successorStart(notification: string | undefined, loops: number): WorkerStart {
  let start: Partial<Record<keyof WorkerStart, unknown>> | null;
  try {
    start = JSON.parse(notification ?? '') as Partial<Record<keyof WorkerStart, unknown>> | null;
  } catch {
    start = null;
  }
  return {
    tickId: typeof start?.tickId === 'string' ? start.tickId : 'successor',
    worker: isCount(start?.worker) ? start.worker : 1,
    workers: isCount(start?.workers) ? start.workers : 1,
    loops,
    expectedMessages: 0,
  };
}
