import {
  DeleteMessageBatchCommand,
  MessageSystemAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { awsLimits, sdkClientConfig } from '@fanout/config';
import { sendInBatchesWithRetry, type BatchOutcome } from './batch-retry.js';
import type { ReceivedMessage } from './drain-ports.js';
import { defaultDeletePolicy, type RetryPolicy } from './retry-policy.js';

export interface ReceiveOptions {
  maxMessages: number;
  /** Long-poll wait; 0 is a short poll. */
  waitMs: number;
}

export async function receiveMessages(
  client: SQSClient,
  queueUrl: string,
  options: ReceiveOptions,
): Promise<ReceivedMessage[]> {
  // SQS waits whole seconds: a wait between two is rounded up, so that a long poll stays one.
  const waitSeconds = Math.ceil(options.waitMs / 1000);
  const response = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(options.maxMessages, awsLimits.sqsBatchSize),
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: [
        MessageSystemAttributeName.SentTimestamp,
        MessageSystemAttributeName.ApproximateReceiveCount,
      ],
    }),
    // A long poll may take its whole wait to answer, past the clients' request timeout.
    { requestTimeout: waitSeconds * 1000 + sdkClientConfig.longPollMarginMs },
  );
  return (response.Messages ?? []).flatMap((message) => {
    if (!message.MessageId || !message.ReceiptHandle) return [];
    const attributes = message.Attributes ?? {};
    return [
      {
        messageId: message.MessageId,
        receiptHandle: message.ReceiptHandle,
        body: message.Body,
        sentTimestamp: Number(attributes.SentTimestamp ?? Date.now()),
        receiveCount: Number(attributes.ApproximateReceiveCount ?? 1),
      },
    ];
  });
}

export interface DeleteResult {
  deleted: ReceivedMessage[];
  /** Still on the queue after every attempt: SQS will deliver them again, and the rewrite is harmless. */
  failed: ReceivedMessage[];
  calls: number;
  retries: number;
}

/** Deletes messages with DeleteMessageBatch, 10 a call, retrying the entries that failed on the server's side. */
export async function deleteMessages(
  client: SQSClient,
  queueUrl: string,
  messages: readonly ReceivedMessage[],
  policy: RetryPolicy = defaultDeletePolicy,
): Promise<DeleteResult> {
  const result = await sendInBatchesWithRetry(
    messages,
    awsLimits.sqsBatchSize,
    async (batch) => {
      // Entry ids only need to be unique in the call: the index is, and it maps back.
      const response = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.receiptHandle })),
        }),
      );
      const succeeded = new Set((response.Successful ?? []).map((entry) => entry.Id));
      const failures = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
      const outcome: BatchOutcome<ReceivedMessage> = { done: [], retry: [], failed: [] };
      batch.forEach((message, index) => {
        const failure = failures.get(String(index));
        if (succeeded.has(String(index))) outcome.done.push(message);
        // An entry the sender got wrong will not improve with a retry.
        else if (failure?.SenderFault) outcome.failed.push(message);
        // Failed on SQS's side, or neither confirmed nor reported: try again.
        else outcome.retry.push(message);
      });
      return outcome;
    },
    policy,
  );
  return { deleted: result.done, failed: result.failed, calls: result.calls, retries: result.retries };
}
