import { awsLimits, queueConfig, workerConfig } from '@fanout/config';
import { parseQueuedMessage, type Message } from '@fanout/message-schema';
import type { DrainPorts } from './drain-ports.js';
import type { ReceivedMessage } from './queue-messages.js';
import { RunWriter } from './run-writer.js';

export interface DrainOptions {
  /** Stop after this many messages received in this run. */
  messageBudget: number;
  /** Stop receiving when less invocation time than this is left. */
  safetyMarginMs: number;
  /**
   * Stop after this many receive calls (0: no limit). 1 reproduces the original design's worker,
   * which received once and ended.
   */
  maxReceives?: number;
  /** Time left in the invocation, as Lambda's context reports it. */
  remainingTimeMs: () => number;
  /**
   * Write once this many valid messages are pending (50 = two full BatchWriteItem calls for five
   * receives), or sooner when a receive comes back short, i.e. the queue is running dry.
   */
  flushAt?: number;
  /**
   * Messages this loop can expect, when its start says: the receive that brings the loop to them is
   * written at once rather than held while it asks a queue that is likely empty by now for more.
   * A loop that receives more than it expected goes on at `flushAt`.
   */
  expectedMessages?: number;
  /**
   * The queue's visibility timeout. A received message is written and deleted within half of it,
   * so it never reappears for another worker while this one still holds it.
   */
  visibilityTimeoutMs?: number;
  /** The long-poll wait of one receive, counted against the visibility timeout. */
  receiveWaitMs?: number;
  /**
   * Longest a flush of this loop may wait for the run's other loops to join it (drainInLoops;
   * 0: it never waits), counted against the visibility timeout as well.
   */
  flushJoinWaitMs?: number;
  now?: () => number;
  /** Told about each message that failed validation; it stays on the queue for the redrive policy. */
  onInvalid?: (message: ReceivedMessage, reason: string) => void;
}

export type StopReason = 'queue-empty' | 'message-budget' | 'receive-budget' | 'time-margin';

export interface DrainSummary {
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
  retries: number;
  stoppedBecause: StopReason;
}

export const defaultFlushAt = workerConfig.flushAt;

/** The writer of a loop that runs alone: nobody else can join its flushes, so none waits. */
function soloWriter(ports: DrainPorts, options: DrainOptions): RunWriter {
  return new RunWriter(ports, { now: options.now ?? Date.now, flushAt: 1, maxJoinWaitMs: 0, othersMayJoin: () => false });
}

/** A run that has done nothing yet. */
export function emptyDrainSummary(): DrainSummary {
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
    stoppedBecause: 'queue-empty',
  };
}

/**
 * Drains the queue: receive → validate → write → delete exactly the messages whose items were
 * written. A message that fails validation is neither written nor deleted, so the redrive policy
 * moves it to the dead-letter queue, and it never holds back the rest of its batch. `writer` is the
 * run's, when this loop is one of several (drainInLoops); alone, the loop writes its flushes as they come.
 */
export async function drainQueue(ports: DrainPorts, options: DrainOptions, writer: Pick<RunWriter, 'flush'> = soloWriter(ports, options)): Promise<DrainSummary> {
  const now = options.now ?? Date.now;
  const flushAt = options.flushAt ?? defaultFlushAt;
  const holdLimitMs = (options.visibilityTimeoutMs ?? queueConfig.visibilityTimeoutSeconds * 1000) / 2;
  // What a message may still wait for before its write is sent: the next receive, and its flush's wait for the other loops.
  const waitsAheadMs = (options.receiveWaitMs ?? 0) + (options.flushJoinWaitMs ?? 0);
  const summary = emptyDrainSummary();
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
    const oldest = pending.values().next().value;
    if (oldest && now() - oldest.receivedAt + waitsAheadMs >= holdLimitMs) await flush();
    const wanted = Math.min(awsLimits.sqsBatchSize, options.messageBudget - summary.received);
    const holding = pending.size > 0;
    let messages: ReceivedMessage[];
    try {
      messages = await ports.receive(wanted, holding ? 'short' : 'long');
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
