import { KeyCapacity, OnDemandCapacity, type GrowthRule } from './on-demand-capacity.js';

export interface TableOptions {
  growth: GrowthRule;
  burstMs: number;
  /** Write units one partition key of the run index takes a second. */
  partitionWriteUnits: number;
  /** The index's writes count against the table's capacity (true), or against its own (false). */
  indexSharesTableCapacity: boolean;
  writeUnitsPerItem: number;
  startMs: number;
  now: () => number;
  /** Told of each item written: the message it came from. */
  onWritten: (messageId: string) => void;
}

/** What the table needs of an item: its message, and its run index key, if it has one. */
export interface TableItem {
  messageId: string;
  runId?: string;
}

/**
 * The `Test` table on demand with its run index (a global secondary index keyed by runId). A put
 * costs write units in the table and again in the index when the item has a runId. The table and
 * the index each grow as on-demand capacity does (OnDemandCapacity), the index on its own capacity
 * unless it is said to share the table's; each runId is one partition key
 * of the index, held to partitionWriteUnits a second. The table's own partitions are not modelled
 * one by one: its keys are random UUIDs, spread evenly, so the table's rate binds first. An index
 * that cannot take a write throttles the base table's write, as AWS does.
 */
export class DynamoTable {
  private readonly table: OnDemandCapacity;
  private readonly index: OnDemandCapacity;
  private readonly keys = new Map<string, KeyCapacity>();
  counts = { itemsWritten: 0, writeUnits: 0, throttledItems: 0, throttledCalls: 0 };

  constructor(private readonly options: TableOptions) {
    this.table = new OnDemandCapacity(options.growth, options.burstMs, options.startMs);
    this.index = new OnDemandCapacity(options.growth, options.burstMs, options.startMs);
  }

  /**
   * BatchWriteItem's puts: each item is written if the table, the index and its run's partition all
   * have the units now, otherwise it comes back unprocessed. Returns the unprocessed items; a call
   * that could write none of them is for the caller to fail whole (ProvisionedThroughputExceededException).
   */
  batchWrite<T extends TableItem>(items: readonly T[]): T[] {
    const now = this.options.now();
    const units = this.options.writeUnitsPerItem;
    const unprocessed: T[] = [];
    for (const item of items) {
      const key = item.runId === undefined ? undefined : this.keyCapacity(item.runId);
      const shared = key !== undefined && this.options.indexSharesTableCapacity;
      const tableUnits = shared ? 2 * units : units;
      const fits = this.table.has(tableUnits, now) && (key === undefined || ((shared || this.index.has(units, now)) && key.has(units, now)));
      if (!fits) {
        unprocessed.push(item);
        continue;
      }
      this.table.consume(tableUnits, now);
      this.counts.writeUnits += units;
      if (key) {
        if (!shared) this.index.consume(units, now);
        key.consume(units);
        this.counts.writeUnits += units;
      }
      this.counts.itemsWritten++;
      this.options.onWritten(item.messageId);
    }
    this.counts.throttledItems += unprocessed.length;
    if (unprocessed.length === items.length && items.length > 0) this.counts.throttledCalls++;
    return unprocessed;
  }

  /** Write units a second the table takes at `nowMs` (its index grows alike). */
  tableRateAt(nowMs: number): number {
    return this.table.rateAt(nowMs);
  }

  private keyCapacity(runId: string): KeyCapacity {
    let key = this.keys.get(runId);
    if (!key) {
      key = new KeyCapacity(this.options.partitionWriteUnits, this.options.burstMs, this.options.startMs);
      this.keys.set(runId, key);
    }
    return key;
  }
}
