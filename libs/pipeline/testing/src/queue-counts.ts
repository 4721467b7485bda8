import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The messages on a queue: visible (waiting) and in flight (received, not yet deleted). */
export async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

/** Every message on a queue, visible or in flight. */
export async function messagesOnQueue(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { visible, inFlight } = await queueCounts(sqs, queueUrl);
  return visible + inFlight;
}
