import { workerConfig } from '@fanout/config';
import type { DrainPorts } from './drain-ports.js';
import { defaultFlushAt, drainQueue, type DrainOptions, type DrainSummary, type StopReason } from './drain-queue.js';
import { RunWriter, type HeldMessage } from './run-writer.js';

export interface DrainLoopsOptions extends Omit<DrainOptions, 'expectedMessages' | 'flushJoinWaitMs'> {
  /** Messages the whole run can expect, when its start says: split evenly among the loops, at least 1 each. */
  expectedMessages?: number;
  /**
   * Drain loops side by side in one run. Each loop waits on its own request most of the time
   * (receive, write, delete), so a few loops keep the function busy where one would leave it idle.
   */
  loops: number;
  /** Longest a loop's flush waits for the others to join it (default workerConfig.flushJoinWaitMs; 0: each loop writes alone). */
  flushJoinWaitMs?: number;
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
  const { loops: asked, flushJoinWaitMs = workerConfig.flushJoinWaitMs, ...drainOptions } = options;
  const maxReceives = options.maxReceives ?? 0;
  // Never more loops than receives or messages to share: a loop with a budget of 0 would do nothing.
  const loops = Math.max(1, Math.min(asked, maxReceives > 0 ? maxReceives : asked, options.messageBudget));
  const messageBudgets = splitEvenly(options.messageBudget, loops);
  const receiveBudgets = maxReceives > 0 ? splitEvenly(maxReceives, loops) : messageBudgets.map(() => 0);
  const expectations =
    options.expectedMessages === undefined ? undefined : splitEvenly(options.expectedMessages, loops).map((share) => Math.max(1, share));

  // The loops share one writer, so that their receives of 10 are written together in full
  // BatchWriteItem calls. A loop's flush waits for the others while one of them holds an answer it has
  // not acted on yet (it will join or receive again within the same turn), or has its first receive
  // on its way back while the run has not yet received what its start said to expect. The loops send
  // their first receives together, so those answers come back together (at N = 100 they are all a
  // run gets); later receives are spread out, and waiting for them would only hold writes back. The
  // writer bounds the wait by flushJoinWaitMs. A write that fails fails every loop whose messages it
  // carried; those messages stay on the queue.
  const answered = new Set<number>();
  // Every loop sends its first receive as the run starts.
  const awaitingFirstAnswer = new Set(messageBudgets.map((_, loop) => loop));
  let received = 0;
  const expected = options.expectedMessages;
  const writer = new RunWriter(ports, {
    now: options.now ?? Date.now,
    flushAt: options.flushAt ?? defaultFlushAt,
    maxJoinWaitMs: flushJoinWaitMs,
    othersMayJoin: () => flushJoinWaitMs > 0 && (answered.size > 0 || (awaitingFirstAnswer.size > 0 && (expected === undefined || received < expected))),
  });
  const loopPorts = (loop: number): DrainPorts => ({
    ...ports,
    receive: async (maxMessages, poll) => {
      answered.delete(loop);
      try {
        const messages = await ports.receive(maxMessages, poll);
        received += messages.length;
        answered.add(loop);
        return messages;
      } finally {
        awaitingFirstAnswer.delete(loop);
        // A turn later the loop has acted on the answer (joined a flush, or received again) or failed.
        setImmediate(() => writer.recheck());
      }
    },
  });
  const loopWriter = (loop: number) => ({
    flush: (held: HeldMessage[]) => {
      answered.delete(loop);
      return writer.flush(held);
    },
  });
  const runLoop = async (loop: number, messageBudget: number) => {
    try {
      return await drainQueue(
        loopPorts(loop),
        { ...drainOptions, messageBudget, maxReceives: receiveBudgets[loop], expectedMessages: expectations?.[loop], flushJoinWaitMs },
        loopWriter(loop),
      );
    } finally {
      answered.delete(loop);
      awaitingFirstAnswer.delete(loop);
      writer.recheck();
    }
  };
  const outcomes = await Promise.allSettled(messageBudgets.map((messageBudget, loop) => runLoop(loop, messageBudget)));
  // A loop that fails does not end the run while the others still hold messages: they finish,
  // write and delete what they hold, and only then does the run fail.
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return mergeSummaries(outcomes.map((outcome) => (outcome as PromiseFulfilledResult<DrainSummary>).value));
}
