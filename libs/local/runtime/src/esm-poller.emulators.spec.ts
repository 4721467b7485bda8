import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { emulatorClients, provisionResources, startEmulators, type ProvisionedResources, type RunningEmulators } from '@fanout/emulators';
import { awsDrainPorts, batchMessageOf, writeBatch } from '@fanout/worker';
import { startEsmPoller, type EsmBatchOutcome } from './esm-poller.js';

// The poller against real emulators, invoking the worker's own batch entry point: what `npm start -- --trigger esm` runs.
jest.setTimeout(60_000);

let emulators: RunningEmulators;
let clients: ReturnType<typeof emulatorClients>;
let resources: ProvisionedResources;

beforeAll(async () => {
  emulators = await startEmulators();
  clients = emulatorClients(emulators);
  // Short visibility timeout and redrive, so that poison reaches the dead-letter queue in seconds.
  resources = await provisionResources(clients, { visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
});

afterAll(async () => {
  for (const client of Object.values(clients ?? {})) client.destroy();
  await emulators?.stop();
});

async function depth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('writes every good message once, deletes what the worker wrote, and leaves poison to the dead-letter queue', async () => {
  // Prepare: 100 good messages and 2 poison ones.
  const bodies = [
    ...Array.from({ length: 100 }, (_, i) => JSON.stringify({ key1: `k${i}`, key2: 'b', key3: 'c', runId: 'esm' })),
    'not json',
    JSON.stringify({ key1: 'only one key' }),
  ];
  for (let first = 0; first < bodies.length; first += 10) {
    await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: resources.queueUrl,
        Entries: bodies.slice(first, first + 10).map((MessageBody, i) => ({ Id: String(i), MessageBody })),
      }),
    );
  }
  const ports = awsDrainPorts({ sqs: clients.sqs, dynamo: clients.documents, queueUrl: resources.queueUrl, tableName: resources.tableName });
  const batches: EsmBatchOutcome[] = [];
  const sizes: number[] = [];

  // Act
  const poller = startEsmPoller({
    sqs: clients.sqs,
    queueUrl: resources.queueUrl,
    queueArn: resources.queueArn,
    batchSize: 10,
    batchingWindowMs: 0,
    receiveWaitSeconds: 1,
    maxConcurrency: 2,
    scaling: { initialConcurrency: 5, scaleUpPerMinute: 300 },
    invoke: async (event) => {
      sizes.push(event.Records.length);
      const { failedMessageIds } = await writeBatch(ports.write, event.Records.map(batchMessageOf));
      return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    },
    onBatch: (outcome) => batches.push(outcome),
  });
  try {
    await waitUntil(async () => (await depth(resources.queueUrl)) === 0 && (await depth(resources.deadLetterQueueUrl)) === 2, 30_000);
  } finally {
    await poller.stop();
  }

  // Assess: from the stores, not the poller's word.
  const { Items = [] } = await clients.documents.send(new ScanCommand({ TableName: resources.tableName }));
  expect(Items).toHaveLength(100);
  expect(new Set(Items.map((item) => item['key1'])).size).toBe(100);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  expect(poller.concurrency()).toBeLessThanOrEqual(2);
  expect(batches.reduce((sum, batch) => sum + batch.deleted, 0)).toBe(100);
  expect(batches.reduce((sum, batch) => sum + batch.returned, 0)).toBeGreaterThanOrEqual(4);
});
