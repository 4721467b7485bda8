import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { DataDirError } from './data-dir.js';
import { emulatorClients } from './emulator-clients.js';
import { PortInUseError, startEmulators, type RunningEmulators } from './start-emulators.js';
import { provisionResources } from './provision-resources.js';

// Real emulators, started and stopped in every test: seconds on a busy CI machine, past jest's default 5.
jest.setTimeout(30_000);

describe('local emulators', () => {
  let emulators: RunningEmulators;
  afterEach(async () => emulators?.stop());

  it('start on loopback and hold the resources the stack defines', async () => {
    // Prepare
    emulators = await startEmulators();
    const clients = emulatorClients(emulators);
    // Act
    const resources = await provisionResources(clients, { visibilityTimeoutSeconds: 7, maxReceiveCount: 2 });
    // Assess
    expect(emulators.sqs.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const queues = await clients.sqs.send(new ListQueuesCommand({}));
    expect(queues.QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual(['test', 'test-dlq']);
    const attributes = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ['All'] }),
    );
    expect(attributes.Attributes?.VisibilityTimeout).toBe('7');
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}').maxReceiveCount).toBe(2);
    const topics = await clients.sns.send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((topic) => topic.TopicArn)).toEqual([resources.topicArn]);
    const table = await clients.dynamodb.send(new DescribeTableCommand({ TableName: 'Test' }));
    expect(table.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['runId-index']);
    // The SDK reaches the queue through the URL fauxqs returned, and emoji survive (patched fauxqs).
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: 'ok 🚀' }));
    const received = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl }));
    expect(received.Messages?.[0]?.Body).toBe('ok 🚀');
  });

  it('keeps the table and the queued messages, visible and in flight with their receive counts, across a restart over the same data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fanout-data-'));
    try {
      // Prepare: an item, 3 messages of which one is received (in flight for a minute, received once)
      emulators = await startEmulators({ dataDir });
      const before = await provisionResources(emulatorClients(emulators));
      const { sqs, documents } = emulatorClients(emulators);
      await documents.send(new PutCommand({ TableName: 'Test', Item: { uuid: 'kept' } }));
      for (const body of ['one', 'two', 'three']) await sqs.send(new SendMessageCommand({ QueueUrl: before.queueUrl, MessageBody: body }));
      const { Messages: [received] = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: before.queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }));
      await emulators.stop();

      // Act: a restart that also asks for another visibility timeout
      emulators = await startEmulators({ dataDir });
      const after = await provisionResources(emulatorClients(emulators), { visibilityTimeoutSeconds: 7 });
      const restarted = emulatorClients(emulators);

      // Assess
      const item = await restarted.documents.send(new GetCommand({ TableName: 'Test', Key: { uuid: 'kept' } }));
      expect(item.Item).toEqual({ uuid: 'kept' });
      const counts = await restarted.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: after.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout'] }),
      );
      expect(counts.Attributes).toMatchObject({ ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1', VisibilityTimeout: '7' });
      // Its receipt handle still holds: made visible at once, it comes back received twice.
      await restarted.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: after.queueUrl, ReceiptHandle: received?.ReceiptHandle, VisibilityTimeout: 0 }));
      const again: Message[] = [];
      for (let attempt = 0; attempt < 5 && again.length < 3; attempt++) {
        const { Messages = [] } = await restarted.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: after.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        );
        again.push(...Messages);
      }
      expect(again.map((message) => message.Body).sort()).toEqual(['one', 'three', 'two']);
      expect(again.find((message) => message.MessageId === received?.MessageId)?.Attributes?.ApproximateReceiveCount).toBe('2');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder that holds something else, naming it and why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fanout-data-'));
    try {
      // Prepare: fauxqs's database replaced by text
      mkdirSync(join(dataDir, 'sqs'));
      writeFileSync(join(dataDir, 'sqs', 'fauxqs.db'), 'not a database');

      // Act
      const starting = startEmulators({ dataDir });

      // Assess
      await expect(starting).rejects.toThrow(DataDirError);
      await expect(starting).rejects.toThrow(`The data folder ${dataDir} holds data SQS/SNS (fauxqs) cannot read (file is not a database).`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps in the run index every item written in the same millisecond (patched dynalite)', async () => {
    // Prepare: unpatched, dynalite told apart items with the same runId and writtenAt by a 24-bit
    // hash of their key, and these two keys share it: one of them vanished from the index, and a
    // drain of 10,000 missed an item about one time in twenty.
    emulators = await startEmulators();
    const clients = emulatorClients(emulators);
    const { tableName, runIndexName } = await provisionResources(clients);
    const items = ['item-10782', 'item-11308'].map((uuid) => ({ uuid, runId: 'same-ms', writtenAt: 1_700_000_000_000, enqueuedAt: 1 }));
    // Act
    await clients.documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const page = await clients.documents.send(
      new QueryCommand({ TableName: tableName, IndexName: runIndexName, KeyConditionExpression: 'runId = :runId', ExpressionAttributeValues: { ':runId': 'same-ms' } }),
    );
    // Assess
    expect(page.Items?.map((item) => item['uuid']).sort()).toEqual(['item-10782', 'item-11308']);
  });

  it('names the emulator whose port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startEmulators({ dynamodbPort: port })).rejects.toThrow(PortInUseError);
      await expect(startEmulators({ sqsPort: port })).rejects.toMatchObject({ emulator: 'SQS/SNS (fauxqs)', port });
    } finally {
      blocker.close();
    }
  });
});
