import type { WorkerSettings } from '@fanout/config';
import { drainLoop, type LoopOptions } from './drain-loop.js';
import type { DrainPorts } from './drain-ports.js';
import { mergeSummaries, type RunSummary } from './run-summary.js';
import { RunPace } from './run-pace.js';
import { RunWriter, type HeldMessage } from './run-writer.js';

/** How one run was started: what its start asked for, and what its invocation tells it. */
export interface RunStart extends Pick<LoopOptions, 'remainingTimeMs' | 'now' | 'onInvalid'> {
  /**
   * Drain loops side by side in the run, at most `settings.receiveLoops`. Each loop waits on its own
   * request most of the time (receive, write, delete), so a few loops keep the function busy where
   * one would leave it idle.
   */
  loops: number;
  /** Messages the whole run can expect, when its start says: split evenly among the loops, at least 1 each. */
  expectedMessages?: number;
}

/** `total` split into `parts` whole shares as even as can be (the first ones take the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  if (!Number.isFinite(total)) return Array.from({ length: parts }, () => total);
  const share = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, index) => share + (index < total % parts ? 1 : 0));
}

/**
 * One drain run: the worker's one entry point. Its loops run side by side, sharing the run's message
 * and receive budgets between them (so the run as a whole keeps to both), and what the run can
 * expect. A receive budget of 1, the original design's worker, is one loop: there is nothing to share.
 */
export async function drainRun(ports: DrainPorts, settings: WorkerSettings, start: RunStart): Promise<RunSummary> {
  const { maxReceives, messageBudget, flushJoinWaitMs } = settings;
  // Never more loops than receives or messages to share: a loop with a budget of 0 would do nothing.
  const loops = Math.max(1, Math.min(start.loops, settings.receiveLoops, maxReceives > 0 ? maxReceives : start.loops, messageBudget));
  const messageBudgets = splitEvenly(messageBudget, loops);
  const receiveBudgets = maxReceives > 0 ? splitEvenly(maxReceives, loops) : messageBudgets.map(() => 0);
  const expected = start.expectedMessages;
  const expectations = expected === undefined ? undefined : splitEvenly(expected, loops).map((share) => Math.max(1, share));

  // The loops share one writer, so that their receives of 10 are written together in full
  // BatchWriteItem calls. A loop's flush waits for the others while one of them holds an answer it has
  // not acted on yet (it will join or receive again within the same turn), or has its first receive
  // on its way back while the run has not yet received what its start said to expect. The loops send
  // their first receives together, so those answers come back together (from a shallow queue they
  // are all a run gets); later receives are spread out, and waiting for them would only hold writes
  // back. The writer bounds the wait by flushJoinWaitMs. A write that fails fails every loop whose
  // messages it carried; those messages stay on the queue.
  // Throttled writes shed loops, down to one: the run slows to what the table takes.
  const pace = new RunPace(loops, settings, start.now ?? Date.now);
  const answered = new Set<number>();
  // Every loop sends its first receive as the run starts.
  const awaitingFirstAnswer = new Set(messageBudgets.map((_, loop) => loop));
  let received = 0;
  const writer = new RunWriter(ports, {
    now: start.now ?? Date.now,
    flushAt: settings.flushAt,
    maxJoinWaitMs: flushJoinWaitMs,
    othersMayJoin: () => flushJoinWaitMs > 0 && (answered.size > 0 || (awaitingFirstAnswer.size > 0 && (expected === undefined || received < expected))),
    onWrites: (writes) => pace.observe(writes),
  });
  const loopPorts = (loop: number): DrainPorts => ({
    ...ports,
    receive: async (maxMessages, waitMs) => {
      answered.delete(loop);
      try {
        const messages = await ports.receive(maxMessages, waitMs);
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
  const runLoop = async (loop: number, budget: number) => {
    try {
      const options: LoopOptions = {
        ...settings,
        messageBudget: budget,
        maxReceives: receiveBudgets[loop],
        expectedMessages: expectations?.[loop],
        remainingTimeMs: start.remainingTimeMs,
        now: start.now,
        onInvalid: start.onInvalid,
        shed: () => pace.isShed(loop),
      };
      return await drainLoop(loopPorts(loop), options, loopWriter(loop));
    } finally {
      answered.delete(loop);
      awaitingFirstAnswer.delete(loop);
      writer.recheck();
    }
  };
  const outcomes = await Promise.allSettled(messageBudgets.map((budget, loop) => runLoop(loop, budget)));
  // A loop that fails does not end the run while the others still hold messages: they finish,
  // write and delete what they hold, and only then does the run fail.
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  const summary = mergeSummaries(outcomes.map((outcome) => (outcome as PromiseFulfilledResult<RunSummary>).value));
  return { ...summary, throttledWrites: pace.throttledWrites, sheds: pace.sheds };
}
