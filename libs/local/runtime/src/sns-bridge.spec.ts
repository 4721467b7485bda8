import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type DeleteMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { startSnsBridge, toSnsEvent } from './sns-bridge.js';

const subscriptionArn = 'arn:aws:sns:us-east-1:000000000000:test-topic:0b1c2d3e';

describe('toSnsEvent', () => {
  it('turns a fauxqs SNS envelope into the SNSEvent Lambda receives, with one record', () => {
    // Prepare
    const message = JSON.stringify({ tickId: 't-1', worker: 2, workers: 3 });
    const envelope = {
      Type: 'Notification',
      MessageId: '6f1c4a6e-1111-4b7d-9d1e-0f2e3a4b5c6d',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:test-topic',
      Subject: 'worker start',
      Message: message,
      Timestamp: '2025-01-02T03:04:05.678Z',
      SignatureVersion: '1',
      Signature: 'c2lnbmF0dXJl',
      SigningCertURL: 'http://127.0.0.1:4566/cert.pem',
      UnsubscribeURL: 'http://127.0.0.1:4566/?Action=Unsubscribe',
      MessageAttributes: { tickId: { Type: 'String', Value: 't-1' } },
    };

    // Act
    const event = toSnsEvent(envelope, subscriptionArn);

    // Assess
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toEqual({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: subscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: '6f1c4a6e-1111-4b7d-9d1e-0f2e3a4b5c6d',
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:test-topic',
        Subject: 'worker start',
        Message: message,
        Timestamp: '2025-01-02T03:04:05.678Z',
        SignatureVersion: '1',
        Signature: 'c2lnbmF0dXJl',
        SigningCertUrl: 'http://127.0.0.1:4566/cert.pem',
        UnsubscribeUrl: 'http://127.0.0.1:4566/?Action=Unsubscribe',
        MessageAttributes: { tickId: { Type: 'String', Value: 't-1' } },
      },
    });
    expect(JSON.parse(event.Records[0].Sns.Message)).toEqual({ tickId: 't-1', worker: 2, workers: 3 });
  });

  it('fills what a minimal envelope leaves out the way Lambda shapes it', () => {
    // Prepare
    const envelope = {
      MessageId: 'm-2',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:test-topic',
      Subject: null,
      Message: 'plain text',
      Timestamp: '2025-01-02T03:04:05.678Z',
    };

    // Act
    const event = toSnsEvent(envelope, subscriptionArn);

    // Assess
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0].EventSource).toBe('aws:sns');
    expect(event.Records[0].Sns).toMatchObject({
      Type: 'Notification',
      MessageId: 'm-2',
      Message: 'plain text',
      Subject: '',
      MessageAttributes: {},
    });
  });
});

describe('startSnsBridge', () => {
  it('hands each start to the function before it deletes the batch, and drops one it cannot read with an error', async () => {
    // Prepare: one receive of a good start and an unreadable one; later receives find nothing.
    const sqs = new SQSClient({ region: 'us-east-1' });
    const happened: string[] = [];
    const errors: string[] = [];
    let deleted: () => void = () => undefined;
    const batchDeleted = new Promise<void>((resolve) => (deleted = resolve));
    const envelope = { MessageId: 'n-1', TopicArn: 'arn:aws:sns:us-east-1:000000000000:test-topic', Message: '{"worker":1}', Timestamp: '2025-01-02T03:04:05.678Z' };
    mockClient(sqs)
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'q-1', ReceiptHandle: 'rh-1', Body: JSON.stringify(envelope) },
          { MessageId: 'q-2', ReceiptHandle: 'rh-2', Body: 'not json' },
        ],
      })
      .callsFake(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return {};
      })
      .on(DeleteMessageBatchCommand)
      .callsFake((input: DeleteMessageBatchCommandInput) => {
        happened.push(`delete ${(input.Entries ?? []).map((entry) => entry.ReceiptHandle).join(', ')}`);
        deleted();
        return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })) };
      });

    // Act
    const bridge = startSnsBridge({
      sqs,
      queueUrl: 'http://localhost/000000000000/test-worker-starts',
      subscriptionArn,
      deliver: (event: SNSEvent) => happened.push(`deliver ${event.Records[0].Sns.MessageId}`),
      onError: (error) => errors.push(error.message),
    });
    const timedOut = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the bridge never deleted the batch')), 1_000).unref());
    await Promise.race([batchDeleted, timedOut]);
    await bridge.stop();

    // Assess
    expect(happened).toEqual(['deliver n-1', 'delete rh-1, rh-2']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Dropped a worker start the bridge cannot read \(.+\): not json$/);
  });
});
