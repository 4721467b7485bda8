import { DynamoTable } from './dynamodb-table.js';

function tableOf(options: { initialWriteUnits?: number; partitionWriteUnits?: number } = {}) {
  let now = 0;
  const written: string[] = [];
  const table = new DynamoTable({
    growth: { initialWriteUnits: options.initialWriteUnits ?? 4_000, growthFactor: 2, growthWindowMs: 30 * 60_000, maxWriteUnits: 40_000 },
    burstMs: 100,
    partitionWriteUnits: options.partitionWriteUnits ?? 1_000,
    indexSharesTableCapacity: false,
    writeUnitsPerItem: 1,
    startMs: 0,
    now: () => now,
    onWritten: (messageId) => written.push(messageId),
  });
  return { table, written, at: (ms: number) => (now = ms) };
}

const items = (count: number, runId?: string, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ messageId: `m-${from + i}`, ...(runId === undefined ? {} : { runId: `${runId}-${(from + i) % 1}` }) }));

describe('DynamoTable', () => {
  it('writes an item in the table and again in its run index', () => {
    // Prepare
    const { table, written } = tableOf();
    // Act
    const unprocessed = table.batchWrite(items(25, 'run'));
    // Assess
    expect(unprocessed).toEqual([]);
    expect(written).toHaveLength(25);
    expect(table.counts.writeUnits).toBe(50);
  });

  it('returns what it cannot take now as unprocessed, and takes it once capacity has come back', () => {
    // Prepare: a table of 1,000 write units a second holds 100 ms of it: 100 units
    const { table, at } = tableOf({ initialWriteUnits: 1_000, partitionWriteUnits: 100_000 });
    // Act
    const first = table.batchWrite(items(25, undefined, 0));
    const unprocessed = [...first];
    for (let call = 1; call < 8; call++) unprocessed.push(...table.batchWrite(items(25, undefined, call * 25)));
    at(100);
    const retried = table.batchWrite(unprocessed.slice(0, 25));
    // Assess: 100 of 200 at once, then 100 ms later 25 more
    expect(first).toEqual([]);
    expect(unprocessed).toHaveLength(100);
    expect(retried).toEqual([]);
    expect(table.counts.throttledItems).toBe(100);
  });

  it('holds each run id to its partition\'s 1,000 write units a second, however much the table takes', () => {
    // Prepare: one run id, a table of 40,000
    const { table, written, at } = tableOf({ initialWriteUnits: 40_000 });
    // Act: a second of calls of 25, every 10 ms
    for (let ms = 0; ms < 1_000; ms += 10) {
      at(ms);
      table.batchWrite(items(25, 'run', ms * 10));
    }
    // Assess: about 1,000 items in that second (100 ms of burst on top), far below the 2,500 sent
    expect(written.length).toBeGreaterThan(900);
    expect(written.length).toBeLessThanOrEqual(1_100);
  });

  it('takes double its previous peak once that peak is 30 minutes old', () => {
    // Prepare
    const { table, at } = tableOf();
    // Act: 4,000 units a second for the first minute
    for (let ms = 0; ms < 60_000; ms += 10) {
      at(ms);
      table.batchWrite(items(25, undefined, ms * 3).concat(items(25, undefined, ms * 3 + 25)));
    }
    // Assess
    expect(table.tableRateAt(29 * 60_000)).toBe(4_000);
    expect(table.tableRateAt(31 * 60_000)).toBe(8_000);
  });
});
