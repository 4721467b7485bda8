import { awsLimits, type WorkerSettings } from '@fanout/config';
import { parseQueuedMessage, type Message } from '@fanout/message-schema';
import type { DrainPorts, ReceivedMessage } from './drain-ports.js';
import { emptyRunSummary, type RunSummary } from './run-summary.js';
import { RunWriter } from './run-writer.js';

/**
 * What one loop of a run is given: the run's settings, with its share of the run's message and
 * receive budgets (`maxReceives` 0: no limit) and of what the run can expect.
 */
export interface LoopOptions extends Omit<WorkerSettings, 'receiveLoops'> {
  /**
   * Messages this loop can expect, when its start says: the receive that brings the loop to them is
   * written at once rather than held while it asks a queue that is likely empty by now for more.
   * A loop that receives more than it expected goes on at `flushAt`.
   */
  expectedMessages?: number;
  /** Time left in the invocation, as Lambda's context reports it. */
  remainingTimeMs: () => number;
  now?: () => number;
  /** Told about each message that failed validation; it stays on the queue for the redrive policy. */
  onInvalid?: (message: ReceivedMessage, reason: string) => void;
  /** True once the run has let this loop go (its writes were throttled): it receives no more, and writes what it holds. */
  shed?: () => boolean;
}

/** The writer of a loop that runs alone: nobody else can join its flushes, so none waits. */
function soloWriter(ports: DrainPorts, options: LoopOptions): RunWriter {
  return new RunWriter(ports, { now: options.now ?? Date.now, flushAt: 1, maxJoinWaitMs: 0, othersMayJoin: () => false });
}

/**
 * One drain loop: receive → validate → write → delete exactly the messages whose items were
 * written. A message that fails validation is neither written nor deleted, so the redrive policy
 * moves it to the dead-letter queue, and it never holds back the rest of its batch. `writer` is the
 * run's, when this loop is one of several (drainRun); alone, the loop writes its flushes as they come.
 */
export async function drainLoop(ports: DrainPorts, options: LoopOptions, writer: Pick<RunWriter, 'flush'> = soloWriter(ports, options)): Promise<RunSummary> {
  const now = options.now ?? Date.now;
  const { flushAt } = options;
  const holdLimitMs = options.visibilityTimeoutMs / 2;
  // What a message may still wait for before its write is sent: the next receive, and its flush's wait for the other loops.
  const waitsAheadMs = options.receiveWaitMs + options.flushJoinWaitMs;
  const summary = { ...emptyRunSummary(), loops: 1 };
  // Keyed by MessageId: a message received twice by one loop is written and deleted once, with its
  // latest receipt handle. Two loops of a run may both hold a redelivered message: whether their
  // flushes meet in one write or not, the item is put (its key comes from the MessageId), and the
  // delete with the latest handle takes the message off.
  let pending = new Map<string, { message: ReceivedMessage; body: Message; receivedAt: number }>();

  const flush = async () => {
    if (pending.size === 0) return;
    const held = [...pending.values()].map(({ message, body }) => ({ message, body }));
    pending = new Map();
    const outcome = await writer.flush(held);
    summary.written += outcome.written;
    summary.unwritten += outcome.unwritten;
    summary.deleted += outcome.deleted;
    summary.deleteFailed += outcome.deleteFailed;
    summary.writeCalls += outcome.writeCalls;
    summary.deleteCalls += outcome.deleteCalls;
    summary.retries += outcome.retries;
    summary.released += outcome.released;
  };

  for (;;) {
    if (summary.received >= options.messageBudget) {
      summary.stoppedBecause = 'message-budget';
      break;
    }
    if (options.maxReceives && summary.receiveCalls >= options.maxReceives) {
      summary.stoppedBecause = 'receive-budget';
      break;
    }
    if (options.remainingTimeMs() < options.safetyMarginMs) {
      summary.stoppedBecause = 'time-margin';
      break;
    }
    if (options.shed?.()) {
      summary.stoppedBecause = 'shed';
      break;
    }
    const oldest = pending.values().next().value;
    if (oldest && now() - oldest.receivedAt + waitsAheadMs >= holdLimitMs) await flush();
    const wanted = Math.min(awsLimits.sqsBatchSize, options.messageBudget - summary.received);
    const holding = pending.size > 0;
    let messages: ReceivedMessage[];
    try {
      messages = await ports.receive(wanted, holding ? 0 : options.receiveWaitMs);
    } catch (error) {
      // What the loop holds is written and deleted before it fails, rather than left in flight
      // until the visibility timeout; should that write fail too, the messages stay on the queue.
      await flush().catch(() => undefined);
      throw error;
    }
    summary.receiveCalls++;
    if (messages.length === 0) {
      // A short poll may miss messages: write what is held, then ask again with a long poll
      // before deciding that the queue is empty.
      if (holding) {
        await flush();
        continue;
      }
      summary.stoppedBecause = 'queue-empty';
      break;
    }
    summary.received += messages.length;
    const receivedAt = now();
    for (const message of messages) {
      const parsed = parseQueuedMessage(message.body);
      if (parsed.ok) {
        pending.delete(message.messageId);
        pending.set(message.messageId, { message, body: parsed.message, receivedAt });
      } else {
        summary.invalid++;
        options.onInvalid?.(message, parsed.reason);
      }
    }
    const reachedExpected =
      options.expectedMessages !== undefined &&
      summary.received >= options.expectedMessages &&
      summary.received - messages.length < options.expectedMessages;
    if (pending.size >= flushAt || messages.length < wanted || reachedExpected) await flush();
  }
  await flush();
  return summary;
}
