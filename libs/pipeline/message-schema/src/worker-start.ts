import * as v from 'valibot';

/** A whole number from 1 up. */
const count = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * The SNS notification test-cron publishes to start one worker run: which tick sent it, which of
 * its workers this is, and how the run should drain (sized to the queue's depth). test-cron writes
 * it with writeWorkerStart and test-sqs2ddb reads it with readRunShape: one schema for both.
 */
export const workerStartSchema = v.object({
  tickId: v.pipe(v.string(), v.minLength(1)),
  /** This worker's number, from 1. */
  worker: count,
  workers: count,
  /** Drain loops the run should use side by side. */
  loops: count,
  /** Messages the run can expect: the visible depth test-cron read, split over the workers it started (0: none in particular). */
  expectedMessages: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export type WorkerStart = v.InferOutput<typeof workerStartSchema>;

/** The notification's text for a start; throws when the start is not one workerStartSchema accepts (a bug in test-cron). */
export function writeWorkerStart(start: WorkerStart): string {
  return JSON.stringify(v.parse(workerStartSchema, start));
}

/** What a worker run takes from its start: its loops, and what it can expect when the start says. */
export interface RunShape {
  loops: number;
  expectedMessages: number | undefined;
}

/**
 * The fields of a start a run uses, each on its own: a field that is missing or not what
 * workerStartSchema says is undefined, and the others still count.
 */
const runShapeFields = v.fallback(
  v.object({
    loops: v.fallback(v.optional(workerStartSchema.entries.loops), undefined),
    expectedMessages: v.fallback(v.optional(count), undefined),
  }),
  { loops: undefined, expectedMessages: undefined },
);

/**
 * The run a notification asks for, with at most `maxLoops` loops. A notification without a usable
 * `loops` (one published by an older test-cron, a hand-made test event) gets `maxLoops`: the worker
 * cannot tell how deep the queue is, and the loops it does not need each end on one empty receive.
 * Without a usable `expectedMessages` (or with 0), the run expects nothing in particular.
 */
export function readRunShape(notification: string | undefined, maxLoops: number): RunShape {
  let parsed: unknown;
  try {
    parsed = JSON.parse(notification ?? '');
  } catch {
    parsed = undefined;
  }
  const start = v.parse(runShapeFields, parsed);
  return {
    loops: start.loops === undefined ? maxLoops : Math.min(start.loops, maxLoops),
    expectedMessages: start.expectedMessages,
  };
}
