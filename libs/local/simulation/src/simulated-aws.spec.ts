import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from './dynamodb-table.js';
import { applySettings } from './parameter-values.js';
import { createRandom } from './random.js';
import { alwaysAlive, SimulatedAws } from './simulated-aws.js';
import { SqsQueue } from './sqs-queue.js';
import { inVirtualTime } from './testing/virtual-time.js';

/** The simulated services on a table of `writeUnits` a second and a queue of `messages`, calls of 10 ms. */
function awsOf(writeUnits: number, messages = 0) {
  const parameters = applySettings([
    'sqs.receiveLatencyMs=10',
    'dynamodb.batchWriteLatencyMs=10',
    `dynamodb.initialWriteUnits=${writeUnits}`,
    'sdk.maxAttempts=1',
    'sdk.dynamodbMaxAttempts=1',
  ]);
  const random = createRandom(3);
  const now = () => Date.now();
  const written: string[] = [];
  const queue = new SqsQueue({ capacity: Math.max(1, messages), visibilityTimeoutMs: 30_000, maxReceiveCount: 5, inFlightLimit: 120_000, retentionMs: 1e9, shortPollSampleShare: 0.2, random, now, bodyOf: () => '{}' });
  const table = new DynamoTable({
    growth: { initialWriteUnits: writeUnits, growthFactor: 2, growthWindowMs: 1_800_000, maxWriteUnits: 40_000 },
    burstMs: 100,
    partitionWriteUnits: 1_000,
    indexSharesTableCapacity: false,
    writeUnitsPerItem: 1,
    startMs: 0,
    now,
    onWritten: (messageId) => written.push(messageId),
  });
  const aws = new SimulatedAws({ parameters, queue, queueUrl: 'q', table, tableName: 'Test', random, now, deliver: () => undefined });
  return { aws, queue, written, clients: aws.clientsFor(alwaysAlive) };
}

const put = (from: number, count: number) =>
  new BatchWriteCommand({ RequestItems: { Test: Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: { uuid: `u${from + i}`, messageId: `m-${from + i}` } } })) } });

describe('SimulatedAws', () => {
  it('answers a BatchWriteItem it can only partly take with UnprocessedItems, after the call\'s latency', async () => {
    // Prepare: 300 units a second hold 30 at once
    const { aws, clients, written } = awsOf(300);
    // Act
    const { value, endedAtMs } = await inVirtualTime(() => clients.dynamo.send(put(0, 25)).then(() => clients.dynamo.send(put(25, 25))));
    // Assess: the second call found 5 units left after the first took 25
    const unprocessed = (value.UnprocessedItems?.['Test'] ?? []).length;
    expect(unprocessed).toBeGreaterThan(15);
    expect(written.length).toBe(50 - unprocessed);
    expect(endedAtMs).toBe(20);
    expect(aws.requests.BatchWriteItem).toBe(2);
  });

  it('fails a BatchWriteItem whole, with ProvisionedThroughputExceededException, only when it could write none of its items', async () => {
    // Prepare
    const { clients } = awsOf(100);
    // Act
    const { value } = await inVirtualTime(() =>
      // Both reach the table at the same moment: the first takes its 10 units, nothing is left for the second.
      Promise.all(
        [put(0, 10), put(10, 10)].map((command) =>
          clients.dynamo.send(command).then(
            (response) => `${(response.UnprocessedItems?.['Test'] ?? []).length} unprocessed`,
            (error: Error) => error.name,
          ),
        ),
      ),
    );
    // Assess
    expect(value).toEqual(['0 unprocessed', 'ProvisionedThroughputExceededException']);
  });

  it('holds a long poll until a message arrives, and answers at once when one is there', async () => {
    // Prepare
    const { queue, clients } = awsOf(4_000, 1);
    // Act
    const { value } = await inVirtualTime(async () => {
      setTimeout(() => queue.send(0, 1), 1_500);
      const started = Date.now();
      const response = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: 'q', MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }));
      return { ms: Date.now() - started, ids: (response.Messages ?? []).map((m) => m.MessageId) };
    });
    // Assess: it waited for the message, then the answer's half of the 10 ms
    expect(value).toEqual({ ms: 1_505, ids: ['m-0'] });
  });
});
