import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsLimits } from '@fanout/config';
import { EsmScaling, type EsmScalingRule } from './esm-scaling.js';

export interface EsmPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  /** Messages per invocation (at most 10 a receive; more gather over several receives within the window). */
  batchSize: number;
  /** Longest the mapping gathers a batch before it invokes with what it has; 0: one receive a batch. */
  batchingWindowMs: number;
  /** Long-poll wait of each receive. */
  receiveWaitSeconds: number;
  /** The mapping's most invocations at once: its MaximumConcurrency, or the worker environments there are. */
  maxConcurrency: number;
  scaling: EsmScalingRule;
  /** A synchronous invoke of the worker, as the mapping makes one. */
  invoke: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  /** Told about each batch's end and each failure, for the runtime's status and log. */
  onBatch?: (outcome: EsmBatchOutcome) => void;
  onError?: (error: Error) => void;
  now?: () => number;
}

export interface EsmBatchOutcome {
  messages: number;
  /** Written by the worker, by its answer: the messages it did not name as failed, which the mapping deletes. */
  deleted: number;
  /** Left to their visibility timeout: named as failed, or the whole batch when the invocation failed. */
  returned: number;
  invocationFailed: boolean;
  /** Why the invocation failed. */
  error?: string;
}

export interface EsmPoller {
  /** Invocations in progress now. */
  inProgress(): number;
  /** The concurrency the mapping allows itself now. */
  concurrency(): number;
  /** Stops receiving, and waits for the invocations in progress. */
  stop(): Promise<void>;
}

/** A received message as the mapping hands it to Lambda: one record of an SQSEvent. */
export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '0',
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}

/**
 * Stands in for Lambda's SQS event source mapping, which the emulator does not run: lanes long-poll
 * the queue, invoke the worker synchronously with batches of up to `batchSize`, delete what its
 * answer does not name as failed, and leave the rest to their visibility timeout (so poison reaches
 * the dead-letter queue through maxReceiveCount). It scales as AWS documents standard mode.
 */
export function startEsmPoller(options: EsmPollerOptions): EsmPoller {
  const now = options.now ?? Date.now;
  const scaling = new EsmScaling(options.scaling, options.maxConcurrency);
  const lanes = new Set<Promise<void>>();
  let running = true;
  let inProgress = 0;

  const receive = async (maxMessages: number, waitSeconds: number) => {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    return Messages;
  };

  /** One batch: a long poll, then more receives while the batch is short and the window is open. */
  const gather = async (): Promise<Message[]> => {
    const batch = await receive(Math.min(awsLimits.sqsBatchSize, options.batchSize), options.receiveWaitSeconds);
    const closesAt = now() + options.batchingWindowMs;
    while (running && batch.length > 0 && batch.length < options.batchSize && now() < closesAt) {
      const more = await receive(Math.min(awsLimits.sqsBatchSize, options.batchSize - batch.length), Math.min(1, Math.ceil((closesAt - now()) / 1000)));
      if (more.length === 0) break;
      batch.push(...more);
    }
    return batch;
  };

  const deleteAll = async (messages: Message[]) => {
    for (let first = 0; first < messages.length; first += awsLimits.sqsBatchSize) {
      const entries = messages.slice(first, first + awsLimits.sqsBatchSize).map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle }));
      await options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }));
    }
  };

  const handle = async (batch: Message[]) => {
    inProgress++;
    let response: SQSBatchResponse | undefined;
    let failure: Error | undefined;
    try {
      response = await options.invoke({ Records: batch.map((message) => toSqsRecord(message, options.queueArn)) });
    } catch (error) {
      // A failed invocation returns the whole batch, as Lambda does.
      failure = error as Error;
    } finally {
      inProgress--;
    }
    const failed = new Set(failure ? batch.map((message) => message.MessageId) : (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    const done = batch.filter((message) => !failed.has(message.MessageId));
    options.onBatch?.({
      messages: batch.length,
      deleted: done.length,
      returned: batch.length - done.length,
      invocationFailed: failure !== undefined,
      ...(failure ? { error: failure.message } : {}),
    });
    // A delete that fails leaves its messages to come back after the visibility timeout, and the
    // worker writes the same items again: the mapping's own at-least-once.
    await deleteAll(done);
  };

  let lanesRunning = 0;
  const runLane = async () => {
    // A lane retires when the mapping has shrunk below the lanes there are.
    while (running && lanesRunning <= scaling.concurrency) {
      try {
        const batch = await gather();
        if (batch.length === 0) {
          scaling.foundNothing();
          continue;
        }
        scaling.foundMessages(now());
        fillLanes();
        await handle(batch);
      } catch (error) {
        if (!running) break;
        options.onError?.(error as Error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  const fillLanes = () => {
    while (running && lanesRunning < scaling.concurrency) {
      lanesRunning++;
      const lane: Promise<void> = runLane().finally(() => {
        lanesRunning--;
        lanes.delete(lane);
      });
      lanes.add(lane);
    }
  };
  fillLanes();

  return {
    inProgress: () => inProgress,
    concurrency: () => scaling.concurrency,
    stop: async () => {
      running = false;
      while (lanes.size > 0) await Promise.allSettled([...lanes]);
    },
  };
}
