/** What passed the proxy: requests by API operation, every fault it injected, and what callers sent again. */
export interface WireCounts {
  requests: Record<string, number>;
  faults: Record<string, number>;
  /**
   * Entries the proxy failed inside an otherwise successful answer (`UnprocessedItems`, a failed
   * `DeleteMessageBatch` entry) that came back in a later request unchanged: the caller's own retry.
   * A redelivered message is not counted: it comes with a new receipt handle, and its item is built
   * anew. Keyed by the fault's name.
   */
  resent: Record<string, number>;
}

function bump(table: Record<string, number>, key: string, by = 1): void {
  table[key] = (table[key] ?? 0) + by;
}

/** The fault names the resent entries are counted under. */
export const resentFaults = {
  unprocessed: 'UnprocessedItems',
  deleteFailed: 'DeleteMessageBatch entry failed',
} as const;

/**
 * The proxy's counts, with what it failed and has not seen again yet (held items as sent, failed
 * receipt handles), so that a caller's retry of them is counted as resent.
 */
export class WireTally {
  private counts: WireCounts = { requests: {}, faults: {}, resent: {} };
  private readonly heldItems = new Set<string>();
  private readonly failedReceipts = new Set<string>();

  request(operation: string): void {
    bump(this.counts.requests, operation);
  }

  fault(name: string, by = 1): void {
    bump(this.counts.faults, name, by);
  }

  /** A BatchWriteItem request the proxy answered as unprocessed, in part. */
  heldItem(item: unknown): void {
    this.heldItems.add(JSON.stringify(item));
  }

  /** A DeleteMessageBatch entry the proxy failed. */
  failedReceipt(receiptHandle: string): void {
    this.failedReceipts.add(receiptHandle);
  }

  /** Counts the held items and failed receipts that come back in this request; reads its JSON only when some are pending. */
  countResent(operation: string, requestJson: <T>() => T): void {
    if (operation === 'BatchWriteItem' && this.heldItems.size > 0) {
      const input = requestJson<{ RequestItems: Record<string, unknown[]> }>();
      const sent = Object.values(input.RequestItems).flat().map((item) => JSON.stringify(item));
      this.resentOf(this.heldItems, sent, resentFaults.unprocessed);
    }
    if (operation === 'DeleteMessageBatch' && this.failedReceipts.size > 0) {
      const input = requestJson<{ Entries: { ReceiptHandle: string }[] }>();
      this.resentOf(this.failedReceipts, input.Entries.map((entry) => entry.ReceiptHandle), resentFaults.deleteFailed);
    }
  }

  private resentOf(pending: Set<string>, sent: readonly string[], fault: string): void {
    const again = sent.filter((entry) => pending.delete(entry)).length;
    if (again > 0) bump(this.counts.resent, fault, again);
  }

  snapshot(): WireCounts {
    return { requests: { ...this.counts.requests }, faults: { ...this.counts.faults }, resent: { ...this.counts.resent } };
  }

  reset(): void {
    this.counts = { requests: {}, faults: {}, resent: {} };
    this.heldItems.clear();
    this.failedReceipts.clear();
  }
}
