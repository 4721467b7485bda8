import { GetQueueAttributesCommand, QueueDoesNotExist, SQSClient, type GetQueueAttributesCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { readQueueDepth } from './queue-depth.js';

const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';

/** A queue that answers GetQueueAttributes with only the attributes asked for, as SQS does. */
function queueWithDepth(attributes: Record<string, string>) {
  const client = new SQSClient({ region: 'us-east-1' });
  mockClient(client)
    .on(GetQueueAttributesCommand)
    .callsFake((input: GetQueueAttributesCommandInput) => {
      if (input.QueueUrl !== queueUrl) throw new QueueDoesNotExist({ message: 'no such queue', $metadata: {} });
      const names = input.AttributeNames ?? [];
      return {
        Attributes: Object.fromEntries(
          Object.entries(attributes).filter(([name]) => names.includes('All') || names.includes(name as never)),
        ),
      };
    });
  return client;
}

describe('readQueueDepth', () => {
  it('reads the visible and in-flight counts as numbers', async () => {
    // Prepare
    const client = queueWithDepth({
      ApproximateNumberOfMessages: '95',
      ApproximateNumberOfMessagesNotVisible: '12',
      ApproximateNumberOfMessagesDelayed: '4',
    });

    // Act
    const depth = await readQueueDepth(client, queueUrl);

    // Assess
    expect(depth).toEqual({ visible: 95, inFlight: 12 });
  });

  it('reads a missing attribute as 0', async () => {
    // Prepare
    const client = new SQSClient({ region: 'us-east-1' });
    mockClient(client).on(GetQueueAttributesCommand).resolves({});

    // Act
    const depth = await readQueueDepth(client, queueUrl);

    // Assess
    expect(depth).toEqual({ visible: 0, inFlight: 0 });
  });

  it('lets an SQS error through, so the tick fails visibly', async () => {
    // Prepare
    const client = queueWithDepth({ ApproximateNumberOfMessages: '1' });

    // Act
    const reading = readQueueDepth(client, 'https://sqs.us-east-1.amazonaws.com/123456789012/other');

    // Assess
    await expect(reading).rejects.toThrow(QueueDoesNotExist);
  });
});
