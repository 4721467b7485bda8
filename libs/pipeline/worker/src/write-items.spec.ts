import {
  DynamoDBClient,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from '@fanout/message-schema';
import { mockClient } from 'aws-sdk-client-mock';
import type { RetryPolicy } from './retry-policy.js';
import { writeItems } from './write-items.js';

const tableName = 'Test';

function item(n: number, key1 = `k1-${n}`): Item {
  return {
    uuid: `urn:uuid:${n}`,
    key1,
    key2: 'b',
    key3: 'c',
    messageId: `m${n}`,
    enqueuedAt: 1_700_000_000_000 + n,
    writtenAt: 1_700_000_001_000,
  };
}

function items(count: number): Item[] {
  return Array.from({ length: count }, (_, index) => item(index + 1));
}

function validationError(message: string) {
  return new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    message,
    $metadata: { httpStatusCode: 400 },
  });
}

interface TableBehaviour {
  /** The most puts the table takes in one call; the rest come back unprocessed. */
  takesPerCall?: number;
  /** Keys the table never takes. */
  neverTakes?: Set<string>;
  /** Thrown by the next calls, one a call, before anything is written. */
  errors?: Error[];
}

/**
 * A `Test` table behind a mocked DocumentClient that keeps BatchWriteItem's rules: at most 25
 * puts, no key twice in one call, and whatever it did not take comes back in UnprocessedItems.
 */
function fakeTable(behaviour: TableBehaviour = {}) {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const rows = new Map<string, Item>();
  const errors = [...(behaviour.errors ?? [])];
  mockClient(client)
    .on(BatchWriteCommand)
    .callsFake((input: BatchWriteCommandInput) => {
      const error = errors.shift();
      if (error) throw error;
      const requests = input.RequestItems?.[tableName];
      if (!requests) throw new DynamoDBServiceException({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: {}, message: 'no such table' });
      if (requests.length > 25) throw validationError('Too many items requested for the BatchWriteItem call');
      const keys = requests.map((request) => request.PutRequest?.Item?.['uuid']);
      if (new Set(keys).size !== keys.length) throw validationError('Provided list of item keys contains duplicates');
      const unprocessed: typeof requests = [];
      let taken = 0;
      for (const request of requests) {
        const row = request.PutRequest?.Item as Item;
        if (taken < (behaviour.takesPerCall ?? 25) && !behaviour.neverTakes?.has(row.uuid)) {
          rows.set(row.uuid, row);
          taken++;
        } else {
          unprocessed.push(request);
        }
      }
      return { UnprocessedItems: unprocessed.length > 0 ? { [tableName]: unprocessed } : {} };
    });
  return { client, rows };
}

function instantPolicy(attempts = 6): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return { attempts, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, sleep: async (ms) => void slept.push(ms), slept };
}

describe('writeItems', () => {
  it('writes every item, 25 a call', async () => {
    // Prepare
    const { client, rows } = fakeTable();
    const policy = instantPolicy();

    // Act
    const result = await writeItems(client, tableName, items(60), policy);

    // Assess
    expect(rows.size).toBe(60);
    expect(result.written).toHaveLength(60);
    expect(result.unwritten).toEqual([]);
    expect(result.calls).toBe(3);
    expect(result.retries).toBe(0);
    expect(policy.slept).toEqual([]);
  });

  it('retries UnprocessedItems with backoff until every item is written', async () => {
    // Prepare: a hot partition that takes 10 puts a call
    const { client, rows } = fakeTable({ takesPerCall: 10 });
    const policy = instantPolicy();

    // Act
    const result = await writeItems(client, tableName, items(30), policy);

    // Assess: 25 → 15 → 5 left, then the second chunk of 5
    expect(rows.size).toBe(30);
    expect(result.unwritten).toEqual([]);
    expect(result.calls).toBe(4);
    expect(result.retries).toBe(2);
    expect(policy.slept).toEqual([50, 100]);
  });

  it('tells onWritten of each call\'s written items as its answer comes, before the retries of the rest', async () => {
    // Prepare: a hot partition that takes 10 puts a call
    const { client, rows } = fakeTable({ takesPerCall: 10 });
    const policy = instantPolicy();
    const reports: { size: number; rowsSoFar: number }[] = [];

    // Act
    const result = await writeItems(client, tableName, items(30), policy, (written) => reports.push({ size: written.length, rowsSoFar: rows.size }));

    // Assess: 10 of the first 25 and all of the last 5 at once, then 10 and 5 on the retries
    expect(reports.map((report) => report.size).sort((a, b) => a - b)).toEqual([5, 5, 10, 10]);
    expect(reports[0].rowsSoFar).toBeLessThan(30);
    expect(result.written).toHaveLength(30);
  });

  it('gives up after the policy\'s attempts and reports exactly what was not written', async () => {
    // Prepare
    const { client, rows } = fakeTable({ neverTakes: new Set(['urn:uuid:3', 'urn:uuid:7']) });
    const policy = instantPolicy(3);

    // Act
    const result = await writeItems(client, tableName, items(10), policy);

    // Assess
    expect(result.unwritten.map((i) => i.uuid)).toEqual(['urn:uuid:3', 'urn:uuid:7']);
    expect(rows.size).toBe(8);
    expect(rows.has('urn:uuid:3')).toBe(false);
    expect(result.written).toHaveLength(8);
    expect(result.calls).toBe(3);
    expect(result.retries).toBe(2);
  });

  it('retries a call refused with ProvisionedThroughputExceededException', async () => {
    // Prepare
    const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    const { client, rows } = fakeTable({ errors: [throttled(), throttled()] });
    const policy = instantPolicy();

    // Act
    const result = await writeItems(client, tableName, items(5), policy);

    // Assess
    expect(rows.size).toBe(5);
    expect(result.unwritten).toEqual([]);
    expect(result.calls).toBe(3);
    expect(result.retries).toBe(2);
    expect(policy.slept).toEqual([50, 100]);
  });

  it('leaves a chunk unwritten when throttling outlasts the attempts', async () => {
    // Prepare
    const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    const { client, rows } = fakeTable({ errors: [throttled(), throttled(), throttled()] });

    // Act
    const result = await writeItems(client, tableName, items(4), instantPolicy(3));

    // Assess
    expect(rows.size).toBe(0);
    expect(result.unwritten).toHaveLength(4);
    expect(result.calls).toBe(3);
  });

  it('gives up at once on an error a retry cannot fix, and throws it so the caller fails loudly', async () => {
    // Prepare: the first call of 25 goes through, the second is refused for good.
    const refusal = validationError('One or more parameter values were invalid');
    const { client, rows } = fakeTable({ errors: [undefined as unknown as Error, refusal] });
    const policy = instantPolicy();
    const written: string[] = [];

    // Act
    const writing = writeItems(client, tableName, items(30), policy, (done) => written.push(...done.map((item) => item.messageId)));

    // Assess: what got through was reported, nothing was retried, and the cause comes back.
    await expect(writing).rejects.toBe(refusal);
    expect(rows.size).toBe(25);
    expect(written).toHaveLength(25);
    expect(policy.slept).toEqual([]);
  });

  it('writes a key that appears twice once, with its last version', async () => {
    // Prepare: a redelivered message in the same flush
    const { client, rows } = fakeTable();

    // Act
    const result = await writeItems(client, tableName, [item(1, 'first'), item(2), item(1, 'second')], instantPolicy());

    // Assess
    expect(result.unwritten).toEqual([]);
    expect(rows.size).toBe(2);
    expect(rows.get('urn:uuid:1')?.key1).toBe('second');
  });

  it('makes no call for no items', async () => {
    // Prepare
    const { client } = fakeTable();

    // Act
    const result = await writeItems(client, tableName, [], instantPolicy());

    // Assess
    expect(result).toEqual({ written: [], unwritten: [], calls: 0, retries: 0 });
  });
});
