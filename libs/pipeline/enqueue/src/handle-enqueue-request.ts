import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { enqueueMessages, type EnqueueOutcome } from './enqueue-messages.js';
import { parseEnqueueRequest } from './parse-request.js';

/** The whole of test-api's work: check the request, then enqueue it. */
export async function handleEnqueueRequest(
  event: APIGatewayProxyEvent,
  client: SQSClient,
  queueUrl: string,
): Promise<EnqueueOutcome> {
  const parsed = parseEnqueueRequest(event);
  if (!parsed.ok) return { response: parsed.response, enqueued: 0, failed: 0 };
  return enqueueMessages(client, queueUrl, parsed.request);
}
