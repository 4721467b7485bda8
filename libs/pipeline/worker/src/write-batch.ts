import type { SQSRecord } from 'aws-lambda';
import { parseQueuedMessage, toItem, type Item } from '@fanout/message-schema';
import type { DrainPorts, ReceivedMessage } from './drain-ports.js';
import { emptyRunSummary, type RunSummary } from './run-summary.js';

/** A message of a batch the SQS event source mapping hands the worker: it receives and deletes, not the worker. */
export type BatchMessage = Omit<ReceivedMessage, 'receiptHandle'>;

/** A record of the mapping's SQSEvent as the worker reads it. */
export function batchMessageOf(record: Pick<SQSRecord, 'messageId' | 'body' | 'attributes'>): BatchMessage {
  return {
    messageId: record.messageId,
    body: record.body,
    sentTimestamp: Number(record.attributes.SentTimestamp),
    receiveCount: Number(record.attributes.ApproximateReceiveCount),
  };
}

export interface BatchResult {
  /** MessageIds whose items were not written: the mapping leaves them on the queue, the rest it deletes. */
  failedMessageIds: string[];
  /** What the batch did, in a run's counts (the mapping receives and deletes, so those stay 0). */
  summary: RunSummary;
  /** Why the write gave up on what it did not write, when an error no retry fixes ended it. */
  writeError?: unknown;
}

export interface BatchOptions {
  /** Stamps writtenAt, when the batch's items are sent. */
  now?: () => number;
  /** Told about each message that failed validation; it is reported as failed, so redrive takes it to the dead-letter queue. */
  onInvalid?: (message: BatchMessage, reason: string) => void;
}

/**
 * The worker's entry point for one batch of the SQS event source mapping: validate each message,
 * write the valid ones' items together (full BatchWriteItem calls of 25, retried as a run's are),
 * and name exactly the messages whose items were not written. An invalid message is named too: it
 * returns to the queue and the redrive policy takes it to the dead-letter queue.
 */
export async function writeBatch(write: DrainPorts['write'], messages: readonly BatchMessage[], options: BatchOptions = {}): Promise<BatchResult> {
  const summary: RunSummary = { ...emptyRunSummary(), received: messages.length, stoppedBecause: 'batch-end' };
  const failed = new Set<string>();
  const writtenAt = (options.now ?? Date.now)();
  const items: Item[] = [];
  for (const message of messages) {
    const parsed = parseQueuedMessage(message.body);
    if (parsed.ok) {
      items.push(toItem(parsed.message, message, writtenAt));
    } else {
      summary.invalid++;
      failed.add(message.messageId);
      options.onInvalid?.(message, parsed.reason);
    }
  }
  if (items.length === 0) return { failedMessageIds: [...failed], summary };

  const written = new Set<string>();
  let writeError: unknown;
  let unwritten: Item[];
  try {
    const result = await write(items, (done) => done.forEach((item) => written.add(item.uuid)));
    summary.writeCalls = result.calls;
    summary.retries = result.retries;
    // Messages with one idempotency key are one item: each of them is unwritten when it is.
    const unwrittenKeys = new Set(result.unwritten.map((item) => item.uuid));
    unwritten = items.filter((item) => unwrittenKeys.has(item.uuid));
  } catch (error) {
    // Whatever a call reported written before the error stays written; the rest goes back.
    writeError = error;
    unwritten = items.filter((item) => !written.has(item.uuid));
  }
  for (const item of unwritten) failed.add(item.messageId);
  summary.unwritten = new Set(unwritten.map((item) => item.messageId)).size;
  summary.written = items.length - unwritten.length;
  return { failedMessageIds: [...failed], summary, writeError };
}
