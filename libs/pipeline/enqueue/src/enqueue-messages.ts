import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Message } from '@fanout/message-schema';
import { errorResponse, jsonResponse } from '@fanout/http-response';
import type { EnqueueRequest } from './parse-request.js';

/** One entry of a batch response: enqueued with its id, or failed and safe to retry. */
export type EntryResult =
  | { index: number; status: 'enqueued'; messageId: string }
  | { index: number; status: 'failed'; error: string; retryable: boolean };

export interface EnqueueOutcome {
  response: APIGatewayProxyResult;
  enqueued: number;
  failed: number;
  /** Set when SQS itself could not be reached or refused the call. */
  queueError?: unknown;
}

const retryAfterSeconds = '1';

function queueUnavailable(error: unknown, count: number): EnqueueOutcome {
  return {
    response: errorResponse(503, 'The queue is unavailable right now; nothing was enqueued, retry the request.', [], {
      'retry-after': retryAfterSeconds,
    }),
    enqueued: 0,
    failed: count,
    queueError: error,
  };
}

/** The body as it travels through the queue: the validated fields only. */
function queueBody(message: Message): string {
  return JSON.stringify(message);
}

/**
 * Sends a validated request to SQS: one SendMessage, or one SendMessageBatch for an array.
 * 202 when every message is on the queue; 207 with one result per entry when only some are, so a
 * client retries exactly the failed ones; 503 when none are.
 */
export async function enqueueMessages(
  client: SQSClient,
  queueUrl: string,
  request: EnqueueRequest,
): Promise<EnqueueOutcome> {
  if (request.kind === 'single') {
    try {
      const response = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: queueBody(request.message) }));
      return { response: jsonResponse(202, { messageId: response.MessageId }), enqueued: 1, failed: 0 };
    } catch (error) {
      return queueUnavailable(error, 1);
    }
  }

  let response;
  try {
    response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: request.messages.map((message, index) => ({ Id: String(index), MessageBody: queueBody(message) })),
      }),
    );
  } catch (error) {
    return queueUnavailable(error, request.messages.length);
  }

  const results: EntryResult[] = request.messages.map((_, index) => {
    const id = String(index);
    const success = response.Successful?.find((entry) => entry.Id === id);
    if (success?.MessageId) return { index, status: 'enqueued', messageId: success.MessageId };
    const failure = response.Failed?.find((entry) => entry.Id === id);
    return {
      index,
      status: 'failed',
      error: failure?.Message || failure?.Code || 'SQS did not confirm this message',
      retryable: !failure?.SenderFault,
    };
  });
  const failed = results.filter((result) => result.status === 'failed').length;
  const enqueued = results.length - failed;
  if (failed === 0) return { response: jsonResponse(202, { messages: results }), enqueued, failed };
  if (enqueued === 0) {
    const reasons = [...new Set(results.map((result) => (result.status === 'failed' ? result.error : '')))];
    return {
      queueError: new Error(`SQS refused every entry: ${reasons.join('; ')}`),
      response: errorResponse(503, 'No message in the array could be enqueued; retry the request.', [], {
        'retry-after': retryAfterSeconds,
      }),
      enqueued,
      failed,
    };
  }
  return {
    response: jsonResponse(207, {
      error: `${failed} of ${results.length} messages were not enqueued; retry exactly those (status "failed").`,
      messages: results,
    }),
    enqueued,
    failed,
  };
}
