import { drainQueue, type DrainOptions, type DrainPorts, type DrainSummary, type StopReason } from './drain-queue.js';

export interface DrainLoopsOptions extends Omit<DrainOptions, 'expectedMessages'> {
  /** Messages the whole run can expect, when its start says: split evenly among the loops, at least 1 each. */
  expectedMessages?: number;
  /**
   * Drain loops side by side in one run. Each loop waits on its own request most of the time
   * (receive, write, delete), so a few loops keep the function busy where one would leave it idle.
   */
  loops: number;
}

/** `total` split into `parts` whole shares as even as can be (the first ones take the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  if (!Number.isFinite(total)) return Array.from({ length: parts }, () => total);
  const share = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, index) => share + (index < total % parts ? 1 : 0));
}

// When loops stopped for different reasons, the run reports the one that says most about it: a loop
// cut short by time or a budget matters more than one that found the queue empty.
const reasonWeight: Record<StopReason, number> = { 'queue-empty': 0, 'receive-budget': 1, 'message-budget': 2, 'time-margin': 3 };

/** One summary for loops that ran side by side: the counts added up, the weightiest stop reason. */
export function mergeSummaries(summaries: readonly DrainSummary[]): DrainSummary {
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
      stoppedBecause: reasonWeight[next.stoppedBecause] > reasonWeight[sum.stoppedBecause] ? next.stoppedBecause : sum.stoppedBecause,
    }),
    first,
  );
}

/**
 * One drain run made of `loops` drain loops side by side, sharing the run's message and receive
 * budgets between them (so the run as a whole keeps to both), and what the run can expect. A
 * receive budget of 1, the original design's worker, is one loop: there is nothing to share.
 */
export async function drainInLoops(ports: DrainPorts, options: DrainLoopsOptions): Promise<DrainSummary> {
  const { loops: asked, ...drainOptions } = options;
  const maxReceives = options.maxReceives ?? 0;
  // Never more loops than receives or messages to share: a loop with a budget of 0 would do nothing.
  const loops = Math.max(1, Math.min(asked, maxReceives > 0 ? maxReceives : asked, options.messageBudget));
  const messageBudgets = splitEvenly(options.messageBudget, loops);
  const receiveBudgets = maxReceives > 0 ? splitEvenly(maxReceives, loops) : messageBudgets.map(() => 0);
  const expectations =
    options.expectedMessages === undefined ? undefined : splitEvenly(options.expectedMessages, loops).map((share) => Math.max(1, share));
  const outcomes = await Promise.allSettled(
    messageBudgets.map((messageBudget, index) =>
      drainQueue(ports, {
        ...drainOptions,
        messageBudget,
        maxReceives: receiveBudgets[index],
        expectedMessages: expectations?.[index],
      }),
    ),
  );
  // A loop that fails does not end the run while the others still hold messages: they finish,
  // write and delete what they hold, and only then does the run fail.
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return mergeSummaries(outcomes.map((outcome) => (outcome as PromiseFulfilledResult<DrainSummary>).value));
}
