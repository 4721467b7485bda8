import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HttpResponse } from '@smithy/core/transport';

/** CPU µs a call, at the two boundaries the simulation could answer our code at. */
export interface BoundaryCost {
  /** A client whose `requestHandler` answers (the SDK serializes, signs, runs its middleware, parses). */
  requestHandler: { receive: number; deleteBatch: number; batchWrite: number };
  /** A client whose `send` answers (our code's command objects, answered in-process): the simulation's. */
  send: { receive: number; deleteBatch: number; batchWrite: number };
}

const base = { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, endpoint: 'http://127.0.0.1:1' };

let next = 0;
const tenMessages = () =>
  Array.from({ length: 10 }, () => {
    const n = next++;
    return { MessageId: `m-${n}`, ReceiptHandle: `rh-${n}`, Body: '{"key1":"a","key2":"b","key3":"c","runId":"r"}', Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '1' } };
  });
const items = () =>
  Array.from({ length: 25 }, () => {
    const n = next++;
    return { PutRequest: { Item: { uuid: `urn:uuid:${n}`, key1: 'a', key2: 'b', key3: 'c', runId: 'r', messageId: `m-${n}`, enqueuedAt: 1, writtenAt: 2 } } };
  });
const answer = (body: unknown) => ({
  response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) }),
});

async function cpuMicrosPerCall(call: () => Promise<unknown>, calls: number): Promise<number> {
  for (let i = 0; i < 200; i++) await call();
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const used = process.cpuUsage(started);
  return Math.round(((used.user + used.system) / calls) * 10) / 10;
}

/** Measures both boundaries here: which the simulation can afford for 1,000,000 messages in 2 minutes. */
export async function measureBoundaryCost(): Promise<BoundaryCost> {
  const sqsHandler = {
    handle: async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
      if (request.headers['x-amz-target']?.endsWith('ReceiveMessage')) return answer({ Messages: tenMessages() });
      const input = JSON.parse(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body)) as { Entries: { Id: string }[] };
      return answer({ Successful: input.Entries.map((entry) => ({ Id: entry.Id })) });
    },
  };
  const sdkSqs = new SQSClient({ ...base, requestHandler: sqsHandler as never, md5: false, cacheMiddleware: true });
  const sdkDynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ ...base, requestHandler: { handle: async () => answer({ UnprocessedItems: {} }) } as never }));
  const sendSqs = { send: async (command: unknown) => (command instanceof ReceiveMessageCommand ? { Messages: tenMessages() } : { Successful: [] }) };
  const sendDynamo = { send: async (command: unknown) => (command instanceof BatchWriteCommand ? { UnprocessedItems: {} } : {}) };
  const receive = () => new ReceiveMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/test', MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'] });
  const deleteBatch = () => new DeleteMessageBatchCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/test', Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), ReceiptHandle: `rh${i}` })) });
  const batchWrite = () => new BatchWriteCommand({ RequestItems: { Test: items() } });
  return {
    requestHandler: {
      receive: await cpuMicrosPerCall(() => sdkSqs.send(receive()), 2_000),
      deleteBatch: await cpuMicrosPerCall(() => sdkSqs.send(deleteBatch()), 2_000),
      batchWrite: await cpuMicrosPerCall(() => sdkDynamo.send(batchWrite()), 2_000),
    },
    send: {
      receive: await cpuMicrosPerCall(() => sendSqs.send(receive()), 20_000),
      deleteBatch: await cpuMicrosPerCall(() => sendSqs.send(deleteBatch()), 20_000),
      batchWrite: await cpuMicrosPerCall(() => sendDynamo.send(batchWrite()), 20_000),
    },
  };
}
