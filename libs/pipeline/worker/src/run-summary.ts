/**
 * Why a run stopped; `batch-end`: an event source mapping's batch, which ends when its messages are
 * written; `shed`: a loop the run let go because its writes were throttled.
 */
export type StopReason = 'queue-empty' | 'message-budget' | 'receive-budget' | 'time-margin' | 'batch-end' | 'shed';

/** What a drain run did; its loops, and their flushes, report their part of it in the same counts. */
export interface RunSummary {
  received: number;
  written: number;
  invalid: number;
  deleted: number;
  /** Written but not deleted: they will come back and overwrite their own items. */
  deleteFailed: number;
  /** Valid but not written after every retry: they stay on the queue. */
  unwritten: number;
  receiveCalls: number;
  writeCalls: number;
  deleteCalls: number;
  /** Writes and deletes sent again after a partial failure or throttling. */
  retries: number;
  /** Flushes whose writes were throttled: they needed retries, or left items unwritten. */
  throttledWrites: number;
  /** Valid messages left unwritten and given back to the queue at once, rather than after their visibility timeout. */
  released: number;
  /** Drain loops the run ran (each loop's summary counts itself). */
  loops: number;
  /** Loops the run let go because its writes were throttled. */
  sheds: number;
  stoppedBecause: StopReason;
}

/** A run that has done nothing yet. */
export function emptyRunSummary(): RunSummary {
  return {
    received: 0,
    written: 0,
    invalid: 0,
    deleted: 0,
    deleteFailed: 0,
    unwritten: 0,
    receiveCalls: 0,
    writeCalls: 0,
    deleteCalls: 0,
    retries: 0,
    throttledWrites: 0,
    released: 0,
    loops: 0,
    sheds: 0,
    stoppedBecause: 'queue-empty',
  };
}

// When loops stopped for different reasons, the run reports the one that says most about it: a loop
// cut short by time or a budget matters more than one that found the queue empty.
const reasonWeight: Record<StopReason, number> = { 'queue-empty': 0, 'batch-end': 0, shed: 0, 'receive-budget': 1, 'message-budget': 2, 'time-margin': 3 };

/** One summary for loops that ran side by side: the counts added up, the weightiest stop reason. */
export function mergeSummaries(summaries: readonly RunSummary[]): RunSummary {
  const [first, ...rest] = summaries;
  if (first === undefined) throw new Error('mergeSummaries needs at least one summary.');
  return rest.reduce(
    (sum, next) => ({
      received: sum.received + next.received,
      written: sum.written + next.written,
      invalid: sum.invalid + next.invalid,
      deleted: sum.deleted + next.deleted,
      deleteFailed: sum.deleteFailed + next.deleteFailed,
      unwritten: sum.unwritten + next.unwritten,
      receiveCalls: sum.receiveCalls + next.receiveCalls,
      writeCalls: sum.writeCalls + next.writeCalls,
      deleteCalls: sum.deleteCalls + next.deleteCalls,
      retries: sum.retries + next.retries,
      throttledWrites: sum.throttledWrites + next.throttledWrites,
      released: sum.released + next.released,
      loops: sum.loops + next.loops,
      sheds: sum.sheds + next.sheds,
      stoppedBecause: reasonWeight[next.stoppedBecause] > reasonWeight[sum.stoppedBecause] ? next.stoppedBecause : sum.stoppedBecause,
    }),
    first,
  );
}
