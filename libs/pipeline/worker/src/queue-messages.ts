import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type DeleteMessageBatchCommandOutput,
  MessageSystemAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { awsLimits, sdkClientConfig } from '@fanout/config';
import { sendInBatchesWithRetry, type BatchOutcome } from './batch-retry.js';
import type { ReceivedMessage } from './drain-ports.js';
import { releaseDelaySeconds } from './release-delay.js';
import { isRetryableError } from '@fanout/aws-clients/errors';
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

/**
 * Deletes messages with DeleteMessageBatch, 10 a call. Each request has one retry owner: the SDK
 * retries a call that failed whole (throttling, a 5xx, a timeout: its standard 3 attempts), and this
 * policy retries only the entries an answer reports failed on SQS's side, which the SDK never sees.
 * A call still failing after the SDK's attempts leaves its messages undeleted (`failed`): they come
 * back after their visibility timeout and overwrite their own items, which is harmless.
 */
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
      let response: DeleteMessageBatchCommandOutput;
      try {
        response = await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.receiptHandle })),
          }),
        );
      } catch (error) {
        // The SDK has already spent its attempts on this call: another round here would multiply them.
        if (isRetryableError(error)) return { done: [], retry: [], failed: batch };
        throw error;
      }
      const succeeded = new Set((response.Successful ?? []).map((entry) => entry.Id));
      const failures = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
      const outcome: BatchOutcome<ReceivedMessage> = { done: [], retry: [], failed: [] };
      batch.forEach((message, index) => {
        const failure = failures.get(String(index));
        if (succeeded.has(String(index))) outcome.done.push(message);
        // An entry the sender got wrong will not improve with a retry.
        else if (failure?.SenderFault) outcome.failed.push(message);
        // Failed on SQS's side: try again. Neither confirmed nor reported: the call failed whole after the SDK's retries.
        else if (failure) outcome.retry.push(message);
        else outcome.failed.push(message);
      });
      return outcome;
    },
    policy,
  );
  return { deleted: result.done, failed: result.failed, calls: result.calls, retries: result.retries };
}

/**
 * Gives messages back to the queue sooner than their visibility timeout, with
 * ChangeMessageVisibilityBatch, 10 a call, once each: at once after a message's first receive, later
 * after each further one (releaseDelaySeconds). One that is not given back waits out its timeout.
 */
export async function releaseMessages(
  client: SQSClient,
  queueUrl: string,
  messages: readonly ReceivedMessage[],
  visibilityTimeoutSeconds: number,
): Promise<{ released: number; calls: number }> {
  let released = 0;
  let calls = 0;
  for (let first = 0; first < messages.length; first += awsLimits.sqsBatchSize) {
    const batch = messages.slice(first, first + awsLimits.sqsBatchSize);
    calls++;
    const response = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: releaseDelaySeconds(message.receiveCount, visibilityTimeoutSeconds),
        })),
      }),
    );
    released += response.Successful?.length ?? 0;
  }
  return { released, calls };
}
