import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { fakeSqsQueue } from './fake-sqs-queue.js';

const QueueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/test';
const body = (key1: string) => JSON.stringify({ key1, key2: 'b', key3: 'c' });

describe('fakeSqsQueue', () => {
  it('keeps each body it accepts and numbers the message ids in order', async () => {
    // Prepare
    const queue = fakeSqsQueue();

    // Act
    const single = await queue.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body('a') }));
    const batch = await queue.client.send(
      new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '0', MessageBody: body('b') }, { Id: '1', MessageBody: body('c') }] }),
    );

    // Assess
    expect(single.MessageId).toBe('sqs-1');
    expect(batch.Successful?.map((entry) => [entry.Id, entry.MessageId])).toEqual([['0', 'sqs-2'], ['1', 'sqs-3']]);
    expect(queue.bodies).toEqual([body('a'), body('b'), body('c')]);
  });

  it('fails, or leaves unconfirmed, the entries named by key1, and keeps only the rest', async () => {
    // Prepare
    const queue = fakeSqsQueue({ fail: { b: { senderFault: true, code: 'InvalidMessageContents' } }, unconfirmed: ['c'] });
    const Entries = ['a', 'b', 'c'].map((key1, i) => ({ Id: String(i), MessageBody: body(key1) }));

    // Act
    const result = await queue.client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));

    // Assess
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['0']);
    expect(result.Failed).toEqual([{ Id: '1', SenderFault: true, Code: 'InvalidMessageContents', Message: undefined }]);
    expect(queue.bodies).toEqual([body('a')]);
  });

  it('refuses a batch of more than 10 entries or with repeated ids, as SQS does', async () => {
    // Prepare
    const queue = fakeSqsQueue();
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: String(i), MessageBody: body(`k${i}`) }));
    const repeated = [{ Id: 'x', MessageBody: body('a') }, { Id: 'x', MessageBody: body('b') }];

    // Act / Assess
    await expect(queue.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: eleven }))).rejects.toThrow('11 entries');
    await expect(queue.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: repeated }))).rejects.toThrow('ids repeat');
    expect(queue.bodies).toEqual([]);
  });

  it('throws the given error from every call when SQS is down', async () => {
    // Prepare
    const down = new Error('connect ECONNREFUSED');
    const queue = fakeSqsQueue({ down });

    // Act / Assess
    await expect(queue.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body('a') }))).rejects.toBe(down);
    await expect(
      queue.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '0', MessageBody: body('a') }] })),
    ).rejects.toBe(down);
  });
});
