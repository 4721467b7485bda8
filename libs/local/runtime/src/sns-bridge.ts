import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';

/** An SNS notification as fauxqs delivers it to a subscribed queue (raw delivery off). */
interface SnsEnvelope {
  Type?: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string | null;
  Message: string;
  Timestamp: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  UnsubscribeURL?: string;
  MessageAttributes?: SNSEventRecord['Sns']['MessageAttributes'];
}

/** The event Lambda receives from SNS for one notification. */
export function toSnsEvent(envelope: SnsEnvelope, subscriptionArn: string): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: envelope.Type ?? 'Notification',
          MessageId: envelope.MessageId,
          TopicArn: envelope.TopicArn,
          Subject: envelope.Subject ?? '',
          Message: envelope.Message,
          Timestamp: envelope.Timestamp,
          SignatureVersion: envelope.SignatureVersion ?? '1',
          Signature: envelope.Signature ?? 'local',
          SigningCertUrl: envelope.SigningCertURL ?? '',
          UnsubscribeUrl: envelope.UnsubscribeURL ?? '',
          MessageAttributes: envelope.MessageAttributes ?? {},
        },
      },
    ],
  };
}

export interface SnsBridgeOptions {
  sqs: SQSClient;
  /** The queue subscribed to the topic. */
  queueUrl: string;
  subscriptionArn: string;
  /** Hands one notification to the function, asynchronously: Lambda has accepted it once this returns. */
  deliver: (event: SNSEvent) => void;
  onError?: (error: Error) => void;
}

/**
 * Stands in for SNS's Lambda subscription, which fauxqs accepts but never delivers: long-polls the
 * subscribed queue and hands each notification to the function as a real SNSEvent.
 */
export function startSnsBridge(options: SnsBridgeOptions): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { Messages = [] } = await options.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        if (Messages.length === 0) continue;
        // Handed over first, then deleted, so the worker starts one round trip sooner. Should the
        // delete fail, the starts come back after the visibility timeout and are delivered again,
        // which SNS may do too (at least once); a worker start is safe to repeat.
        for (const message of Messages) {
          let event: SNSEvent;
          try {
            event = toSnsEvent(JSON.parse(message.Body ?? '') as SnsEnvelope, options.subscriptionArn);
          } catch (error) {
            // Unreadable, it could never be delivered: reported, then deleted with the rest.
            options.onError?.(new Error(`Dropped a worker start the bridge cannot read (${(error as Error).message}): ${String(message.Body).slice(0, 200)}`));
            continue;
          }
          options.deliver(event);
        }
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
      } catch (error) {
        if (!running) break;
        options.onError?.(error as Error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
