import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  emulatorClients,
  provisionResources,
  startEmulators,
  type ProvisionedResources,
  type RunningEmulators,
} from '@fanout/emulators';
import { noFaults, parseFaultSpec, type FaultSpec } from './fault-spec.js';
import { startWireProxy, type WireProxy } from './wire-proxy.js';

// Real emulators behind a real proxy, reached by real SDK clients: what the local pipeline runs on.
jest.setTimeout(30_000);

const base = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

let emulators: RunningEmulators;
let direct: ReturnType<typeof emulatorClients>;
let resources: ProvisionedResources;
const proxies: WireProxy[] = [];
const clients: { destroy(): void }[] = [];
let queueNumber = 0;

beforeAll(async () => {
  emulators = await startEmulators();
  direct = emulatorClients(emulators);
  resources = await provisionResources(direct);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

afterAll(async () => {
  for (const client of Object.values(direct ?? {})) client.destroy();
  await emulators?.stop();
});

function faultsOf(faults: string | FaultSpec): FaultSpec {
  return typeof faults === 'string' ? parseFaultSpec(faults) : faults;
}

async function proxyTo(target: 'sqs' | 'dynamodb', faults: string | FaultSpec, killEnvironment?: (tag: string) => boolean) {
  const proxy = await startWireProxy({ target: emulators[target].endpoint, faults: faultsOf(faults), killEnvironment });
  proxies.push(proxy);
  return proxy;
}

function sqsThrough(proxy: WireProxy, maxAttempts = 1): SQSClient {
  const client = new SQSClient({ ...base, endpoint: proxy.endpoint, maxAttempts });
  clients.push(client);
  return client;
}

function documentsThrough(proxy: WireProxy, maxAttempts = 1): DynamoDBDocumentClient {
  const dynamodb = new DynamoDBClient({ ...base, endpoint: proxy.endpoint, maxAttempts });
  clients.push(dynamodb);
  return DynamoDBDocumentClient.from(dynamodb);
}

async function freshQueue(): Promise<string> {
  const { QueueUrl } = await direct.sqs.send(new CreateQueueCommand({ QueueName: `wire-proxy-${++queueNumber}` }));
  return QueueUrl as string;
}

async function enqueueDirectly(queueUrl: string, count: number): Promise<void> {
  for (let first = 0; first < count; first += 10) {
    const entries = Array.from({ length: Math.min(10, count - first) }, (_, i) => ({ Id: String(i), MessageBody: `message ${first + i}` }));
    await direct.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

/** Messages on the queue, visible or in flight, as the emulator itself counts them. */
async function messagesOnQueue(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await direct.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

/** Keys in the table that start with `prefix`, read from the emulator directly. */
async function keysInTable(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await direct.documents.send(
      new ScanCommand({
        TableName: resources.tableName,
        FilterExpression: 'begins_with(#uuid, :prefix)',
        ExpressionAttributeNames: { '#uuid': 'uuid' },
        ExpressionAttributeValues: { ':prefix': `${prefix}-` },
        ExclusiveStartKey,
      }),
    );
    keys.push(...(page.Items ?? []).map((item) => String(item['uuid'])));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return keys.sort();
}

function itemKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`).sort();
}

function batchWrite(tableName: string, keys: string[]): BatchWriteCommand {
  return new BatchWriteCommand({
    RequestItems: { [tableName]: keys.map((uuid) => ({ PutRequest: { Item: { uuid, key1: 'a', key2: 'b', key3: 'c' } } })) },
  });
}

/** How an SDK call failed: its message and the HTTP status it got, if it got an answer at all. */
async function failureOf(call: Promise<unknown>): Promise<{ message: string; httpStatusCode?: number } | 'succeeded'> {
  return call.then(
    () => 'succeeded' as const,
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ message: error.message, httpStatusCode: error.$metadata?.httpStatusCode }),
  );
}

/** The connection closed with no HTTP answer (Node says "socket hang up"; the SDK may wrap it). */
const connectionLost = { message: expect.stringMatching(/socket hang up|ECONNRESET/), httpStatusCode: undefined };

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}

describe('wire proxy in front of the real emulators', () => {
  it('counts every request by API operation, SQS and SNS alike, and passes the answers through', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', noFaults);
    const sqs = sqsThrough(proxy);
    const sns = new SNSClient({ ...base, endpoint: proxy.endpoint, maxAttempts: 1 });
    clients.push(sns);
    const queueUrl = await freshQueue();
    // Act
    for (let batch = 0; batch < 3; batch++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `batch ${batch} message ${i}` }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    }
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    await sns.send(new PublishCommand({ TopicArn: resources.topicArn, Message: 'one' }));
    await sns.send(
      new PublishBatchCommand({
        TopicArn: resources.topicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'two' },
          { Id: 'b', Message: 'three' },
        ],
      }),
    );
    // Assess
    expect(proxy.counts()).toEqual({
      requests: { SendMessageBatch: 3, ReceiveMessage: 2, Publish: 1, PublishBatch: 1 },
      faults: {},
      resent: {},
    });
    expect(first.Messages).toHaveLength(10);
    expect(second.Messages).toHaveLength(10);
    expect(await messagesOnQueue(queueUrl)).toBe(30);
  });

  it('throttle=1: BatchWriteItem is refused as AWS refuses it, and nothing is written', async () => {
    // Prepare
    const proxy = await proxyTo('dynamodb', 'throttle=1,seed=3');
    const documents = documentsThrough(proxy);
    const names = new Set<string>();
    // Act
    for (let call = 0; call < 6; call++) {
      const error = await documents.send(batchWrite(resources.tableName, itemKeys(`throttle${call}`, 5))).then(
        () => undefined,
        (rejection: { name: string; $metadata?: { httpStatusCode?: number } }) => rejection,
      );
      // Assess
      expect(error?.$metadata?.httpStatusCode).toBe(400);
      names.add(String(error?.name));
    }
    expect([...names].sort()).toEqual(['ProvisionedThroughputExceededException', 'ThrottlingException']);
    expect(await keysInTable('throttle')).toEqual([]);
    expect(sum(proxy.counts().faults)).toBe(6);
  });

  it('unprocessed=1: some items come back unprocessed, exactly the others are written, and a retry of the rest lands', async () => {
    // Prepare
    const proxy = await proxyTo('dynamodb', 'unprocessed=1,seed=5');
    const documents = documentsThrough(proxy);
    const keys = itemKeys('unprocessed', 12);
    // Act
    const answer = await documents.send(batchWrite(resources.tableName, keys));
    // Assess
    const unprocessed = (answer.UnprocessedItems?.[resources.tableName] ?? []).map((request) => String(request.PutRequest?.Item?.['uuid'])).sort();
    expect(unprocessed.length).toBeGreaterThan(0);
    expect(unprocessed.length).toBeLessThan(keys.length);
    expect(await keysInTable('unprocessed')).toEqual(keys.filter((key) => !unprocessed.includes(key)));
    expect(proxy.counts().faults).toEqual({ UnprocessedItems: unprocessed.length });
    expect(proxy.counts().resent).toEqual({});

    // Act: the items handed back are complete requests, ready to send again.
    proxy.setFaults(noFaults);
    await documents.send(new BatchWriteCommand({ RequestItems: answer.UnprocessedItems ?? {} }));
    // Assess: written now, and counted as sent again.
    expect(await keysInTable('unprocessed')).toEqual(keys);
    expect(proxy.counts().resent).toEqual({ UnprocessedItems: unprocessed.length });
  });

  it('unprocessed=1: an item written anew under a held key (as a redelivery writes it) is not counted as sent again', async () => {
    // Prepare
    const proxy = await proxyTo('dynamodb', 'unprocessed=1,seed=5');
    const documents = documentsThrough(proxy);
    const keys = itemKeys('anew', 12);
    const answer = await documents.send(batchWrite(resources.tableName, keys));
    const held = (answer.UnprocessedItems?.[resources.tableName] ?? []).map((request) => String(request.PutRequest?.Item?.['uuid']));
    // Act
    proxy.setFaults(noFaults);
    await documents.send(
      new BatchWriteCommand({ RequestItems: { [resources.tableName]: held.map((uuid) => ({ PutRequest: { Item: { uuid, key1: 'written anew' } } })) } }),
    );
    // Assess
    expect(held.length).toBeGreaterThan(0);
    expect(await keysInTable('anew')).toEqual(keys);
    expect(proxy.counts().resent).toEqual({});
  });

  it('unprocessed=1: a batch whose every item is held is answered by the proxy, and writes nothing', async () => {
    // Prepare
    const proxy = await proxyTo('dynamodb', 'unprocessed=1,seed=2');
    const documents = documentsThrough(proxy);
    const held: string[] = [];
    // Act: one item a call, so each call is either all written or all held.
    for (const key of itemKeys('held', 8)) {
      const answer = await documents.send(batchWrite(resources.tableName, [key]));
      if (answer.UnprocessedItems?.[resources.tableName]?.length) held.push(key);
    }
    // Assess
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(8);
    expect(await keysInTable('held')).toEqual(itemKeys('held', 8).filter((key) => !held.includes(key)));
  });

  it('delete-failures=1: every DeleteMessageBatch entry fails on the server side and the messages stay on the queue', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'delete-failures=1');
    const sqs = sqsThrough(proxy);
    const queueUrl = await freshQueue();
    await enqueueDirectly(queueUrl, 3);
    const { Messages = [] } = await direct.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    const entries = Messages.map((message, index) => ({ Id: `e${index}`, ReceiptHandle: message.ReceiptHandle }));
    // Act
    const answer = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    // Assess
    expect(Messages).toHaveLength(3);
    expect(answer.Successful ?? []).toEqual([]);
    expect(answer.Failed?.map((failure) => [failure.Id, failure.SenderFault, failure.Code])).toEqual([
      ['e0', false, 'InternalError'],
      ['e1', false, 'InternalError'],
      ['e2', false, 'InternalError'],
    ]);
    expect(await messagesOnQueue(queueUrl)).toBe(3);
    expect(proxy.counts().resent).toEqual({});
    // The receipt handles were good: the same delete sent again empties the queue, counted as sent again.
    proxy.setFaults(noFaults);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    expect(await messagesOnQueue(queueUrl)).toBe(0);
    expect(proxy.counts().resent).toEqual({ 'DeleteMessageBatch entry failed': 3 });
  });

  it('delete-failures=0.5: the failed entries stay on the queue, the successful ones are gone', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'delete-failures=0.5,seed=4');
    const sqs = sqsThrough(proxy);
    const queueUrl = await freshQueue();
    await enqueueDirectly(queueUrl, 10);
    const { Messages = [] } = await direct.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    // Act
    const answer = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((message, index) => ({ Id: `e${index}`, ReceiptHandle: message.ReceiptHandle })) }),
    );
    // Assess
    const failed = (answer.Failed ?? []).map((failure) => failure.Id as string);
    const deleted = (answer.Successful ?? []).map((success) => success.Id as string);
    expect(failed.length).toBeGreaterThan(0);
    expect(deleted.length).toBeGreaterThan(0);
    expect([...failed, ...deleted].sort()).toEqual(Messages.map((_, index) => `e${index}`).sort());
    expect(await messagesOnQueue(queueUrl)).toBe(failed.length);
    expect(proxy.counts().faults).toEqual({ 'DeleteMessageBatch entry failed': failed.length });
  });

  it('short-poll=aws: a short poll of 5 messages mostly returns fewer, where the emulator always returns all 5; a long poll returns all 5', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'short-poll=aws,seed=9');
    const sqs = sqsThrough(proxy);
    const queueUrl = await freshQueue();
    await enqueueDirectly(queueUrl, 5);
    // VisibilityTimeout 0 leaves every message visible for the next receive.
    const shortPoll = new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 });
    const throughProxy: number[] = [];
    const fromEmulator: number[] = [];
    // Act
    for (let receive = 0; receive < 20; receive++) {
      throughProxy.push((await sqs.send(shortPoll)).Messages?.length ?? 0);
      fromEmulator.push((await direct.sqs.send(shortPoll)).Messages?.length ?? 0);
    }
    const longPoll = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
    );
    // Assess
    expect(fromEmulator).toEqual(new Array(20).fill(5));
    expect(throughProxy.filter((count) => count < 5).length).toBeGreaterThanOrEqual(15);
    expect(throughProxy.reduce((a, b) => a + b, 0)).toBeLessThan(50);
    expect(longPoll.Messages).toHaveLength(5);
    expect(proxy.counts()).toEqual({
      requests: { ReceiveMessage: 21 },
      faults: { 'short poll sampled': throughProxy.reduce((missing, count) => missing + 10 - count, 0) },
      resent: {},
    });
    expect(await messagesOnQueue(queueUrl)).toBe(5);
  });

  it('resets=1: the SDK call fails with a connection error and nothing reaches the queue', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'resets=1');
    const sqs = sqsThrough(proxy);
    const queueUrl = await freshQueue();
    // Act
    const sent = sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'never arrives' }));
    // Assess
    expect(await failureOf(sent)).toEqual(connectionLost);
    expect(await messagesOnQueue(queueUrl)).toBe(0);
    expect(proxy.counts()).toEqual({ requests: { SendMessage: 1 }, faults: { reset: 1 }, resent: {} });
  });

  it('send-failures=1: SendMessage fails with a 500 on every attempt and nothing is enqueued', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'send-failures=1');
    const sqs = sqsThrough(proxy, 3);
    const queueUrl = await freshQueue();
    // Act
    const sent = sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'never arrives' }));
    // Assess
    await expect(sent).rejects.toMatchObject({ $metadata: { httpStatusCode: 500, attempts: 3 } });
    expect(await messagesOnQueue(queueUrl)).toBe(0);
    expect(proxy.counts()).toEqual({ requests: { SendMessage: 3 }, faults: { 'send failed': 3 }, resent: {} });
  });

  it('send-failures=0.5: a send either fails on all its attempts or succeeds on its first', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'send-failures=0.5,seed=6');
    const sqs = sqsThrough(proxy, 3);
    const queueUrl = await freshQueue();
    const attempts: { ok: boolean; attempts?: number }[] = [];
    // Act
    for (let send = 0; send < 10; send++) {
      attempts.push(
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `message ${send}` })).then(
          (answer) => ({ ok: true, attempts: answer.$metadata.attempts }),
          (error: { $metadata?: { attempts?: number } }) => ({ ok: false, attempts: error.$metadata?.attempts }),
        ),
      );
    }
    // Assess
    const succeeded = attempts.filter((attempt) => attempt.ok);
    expect(succeeded.length).toBeGreaterThan(0);
    expect(succeeded.length).toBeLessThan(10);
    expect(succeeded.every((attempt) => attempt.attempts === 1)).toBe(true);
    expect(attempts.filter((attempt) => !attempt.ok).every((attempt) => attempt.attempts === 3)).toBe(true);
    expect(await messagesOnQueue(queueUrl)).toBe(succeeded.length);
  });

  it('kill-after-write=1: the items are written, then the environment named in the user agent is killed before it hears back', async () => {
    // Prepare
    const killed: string[] = [];
    const proxy = await proxyTo('dynamodb', 'kill-after-write=1', (tag) => {
      killed.push(tag);
      return true;
    });
    const previousAppId = process.env['AWS_SDK_UA_APP_ID'];
    process.env['AWS_SDK_UA_APP_ID'] = 'test-sqs2ddb.3';
    const keys = itemKeys('killed', 3);
    let failure: Awaited<ReturnType<typeof failureOf>>;
    try {
      const documents = documentsThrough(proxy);
      // Act
      failure = await failureOf(documents.send(batchWrite(resources.tableName, keys)));
    } finally {
      if (previousAppId === undefined) delete process.env['AWS_SDK_UA_APP_ID'];
      else process.env['AWS_SDK_UA_APP_ID'] = previousAppId;
    }
    // Assess
    expect(failure).toEqual(connectionLost);
    expect(killed).toEqual(['test-sqs2ddb.3']);
    expect(await keysInTable('killed')).toEqual(keys);
    expect(proxy.counts().faults).toEqual({ 'environment killed after its write': 1 });
  });

  it('kill-after-write=1: a client that names no environment, or one that is not killed, gets its answer', async () => {
    // Prepare
    const asked: string[] = [];
    const proxy = await proxyTo('dynamodb', 'kill-after-write=1', (tag) => {
      asked.push(tag);
      return false;
    });
    const previousAppId = process.env['AWS_SDK_UA_APP_ID'];
    try {
      delete process.env['AWS_SDK_UA_APP_ID'];
      const anonymous = documentsThrough(proxy);
      process.env['AWS_SDK_UA_APP_ID'] = 'test-sqs2ddb.4';
      const named = documentsThrough(proxy);
      // Act
      await named.send(batchWrite(resources.tableName, itemKeys('survivor-named', 2)));
      delete process.env['AWS_SDK_UA_APP_ID'];
      await anonymous.send(batchWrite(resources.tableName, itemKeys('survivor-anonymous', 2)));
    } finally {
      if (previousAppId === undefined) delete process.env['AWS_SDK_UA_APP_ID'];
      else process.env['AWS_SDK_UA_APP_ID'] = previousAppId;
    }
    // Assess
    expect(asked).toEqual(['test-sqs2ddb.4']);
    expect(await keysInTable('survivor')).toEqual([...itemKeys('survivor-anonymous', 2), ...itemKeys('survivor-named', 2)].sort());
    expect(proxy.counts().faults).toEqual({});
  });

  it('stall=1: the request is held, then dropped unanswered, and never lands', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'stall=1,stall-ms=300');
    const sqs = sqsThrough(proxy);
    const queueUrl = await freshQueue();
    const started = Date.now();
    // Act
    const sent = sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'stalled' }));
    // Assess
    expect(await failureOf(sent)).toEqual(connectionLost);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await messagesOnQueue(queueUrl)).toBe(0);
    expect(proxy.counts().faults).toEqual({ 'stalled past the timeout': 1 });
  });

  it('latency=150: every request takes at least that long', async () => {
    // Prepare
    const proxy = await proxyTo('sqs', 'latency=150');
    const sqs = sqsThrough(proxy);
    const queueUrl = await freshQueue();
    const started = Date.now();
    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'slow' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'slow' }));
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await messagesOnQueue(queueUrl)).toBe(2);
  });

  it('setFaults switches the faults at run time', async () => {
    // Prepare
    const proxy = await proxyTo('dynamodb', noFaults);
    const documents = documentsThrough(proxy);
    // Act
    await documents.send(batchWrite(resources.tableName, ['switch-before']));
    proxy.setFaults(parseFaultSpec('throttle=1'));
    const during = await documents.send(batchWrite(resources.tableName, ['switch-during'])).then(
      () => 'written',
      (error: Error) => error.name,
    );
    proxy.setFaults(noFaults);
    await documents.send(batchWrite(resources.tableName, ['switch-after']));
    // Assess
    expect(during).toMatch(/^(ProvisionedThroughputExceededException|ThrottlingException)$/);
    expect(await keysInTable('switch')).toEqual(['switch-after', 'switch-before']);
    expect(proxy.counts().requests).toEqual({ BatchWriteItem: 3 });
  });

  it('resetCounts starts the request and fault counts from zero', async () => {
    // Prepare
    const proxy = await proxyTo('dynamodb', 'throttle=1');
    const documents = documentsThrough(proxy);
    const write = (key: string) => documents.send(batchWrite(resources.tableName, [key])).catch(() => undefined);
    await write('reset-1');
    await write('reset-2');
    const before = proxy.counts();
    // Act
    proxy.resetCounts();
    const cleared = proxy.counts();
    await write('reset-3');
    // Assess
    expect(before.requests).toEqual({ BatchWriteItem: 2 });
    expect(sum(before.faults)).toBe(2);
    expect(cleared).toEqual({ requests: {}, faults: {}, resent: {} });
    expect(proxy.counts().requests).toEqual({ BatchWriteItem: 1 });
    expect(sum(proxy.counts().faults)).toBe(1);
  });
});
