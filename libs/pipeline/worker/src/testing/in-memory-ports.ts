import type { Item } from '@fanout/message-schema';
import type { DrainPorts, ReceivedMessage } from '../drain-ports.js';

// In-memory stand-ins for the drain loop's ports, for the unit tests of its logic. The AWS ports
// are tested against the emulators and with the SDK's client mock, never against these.

export const sentAt = 1_700_000_000_000;

export function validBody(n: number): string {
  return JSON.stringify({ key1: `k1-${n}`, key2: `k2-${n}`, key3: `k3-${n}`, runId: 'run-1' });
}

export function message(n: number, body: string | undefined = validBody(n)): ReceivedMessage {
  return { messageId: `m${n}`, receiptHandle: `rh-${n}`, body, sentTimestamp: sentAt + n, receiveCount: 1 };
}

export function messages(count: number): ReceivedMessage[] {
  return Array.from({ length: count }, (_, index) => message(index + 1));
}

/**
 * A queue in memory. A receive hands out waiting messages (at most `receiveSizes[i]` on the i-th
 * call, to model short receives) and makes them invisible; only a delete with the message's latest
 * receipt handle takes it off the queue (SQS accepts a stale handle and leaves the message).
 */
export class InMemoryQueue {
  private readonly waiting: ReceivedMessage[];
  private readonly onQueue = new Map<string, ReceivedMessage>();
  private readonly latestHandle = new Map<string, string>();
  /** When each message was last handed out, by the clock `onReceive` moves. */
  readonly receivedAt = new Map<string, number>();
  /** Message ids whose delete fails. */
  readonly undeletable = new Set<string>();
  receives = 0;

  constructor(
    initial: ReceivedMessage[],
    private readonly receiveSizes: number[] = [],
    private readonly onReceive: () => number | void = () => undefined,
  ) {
    this.waiting = [...initial];
    for (const m of initial) this.onQueue.set(m.messageId, m);
  }

  receive = async (maxMessages: number): Promise<ReceivedMessage[]> => {
    if (maxMessages < 1 || maxMessages > 10) throw new Error(`SQS takes 1 to 10, asked for ${maxMessages}`);
    const at = this.onReceive() ?? 0;
    const cap = this.receiveSizes[this.receives++] ?? maxMessages;
    const handedOut = this.waiting.splice(0, Math.min(maxMessages, cap));
    for (const m of handedOut) {
      this.latestHandle.set(m.messageId, m.receiptHandle);
      this.receivedAt.set(m.messageId, at);
    }
    return handedOut;
  };

  remove = async (toDelete: ReceivedMessage[]) => {
    const failed = toDelete.filter((m) => this.undeletable.has(m.messageId));
    for (const m of toDelete) {
      if (!this.undeletable.has(m.messageId) && this.latestHandle.get(m.messageId) === m.receiptHandle) {
        this.onQueue.delete(m.messageId);
      }
    }
    return { failed, calls: Math.ceil(toDelete.length / 10), retries: failed.length };
  };

  /** Message ids still on the queue (waiting or in flight). */
  left(): string[] {
    return [...this.onQueue.keys()];
  }
}

/** A table in memory that can refuse the items of some messages, as if they never got through. */
export class InMemoryTable {
  readonly items = new Map<string, Item>();
  /** Message ids whose items the table never takes. */
  readonly refused = new Set<string>();

  /** Takes the items 25 a call, as BatchWriteItem does, and tells `onWritten` of each call's. */
  write = async (items: Item[], onWritten?: (items: Item[]) => void) => {
    const unwritten = items.filter((item) => this.refused.has(item.messageId));
    for (let first = 0; first < items.length; first += 25) {
      const written = items.slice(first, first + 25).filter((item) => !this.refused.has(item.messageId));
      for (const item of written) this.items.set(item.uuid, item);
      if (written.length > 0) onWritten?.(written);
    }
    return { unwritten, calls: Math.ceil(items.length / 25), retries: 2 * unwritten.length };
  };

  messageIds(): string[] {
    return [...this.items.values()].map((item) => item.messageId).sort(byNumber);
  }

  /** How many items carry each writtenAt, i.e. the size of each flush. */
  flushSizes(): Record<number, number> {
    const sizes: Record<number, number> = {};
    for (const item of this.items.values()) sizes[item.writtenAt] = (sizes[item.writtenAt] ?? 0) + 1;
    return sizes;
  }
}

export function byNumber(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

export function portsOf(queue: InMemoryQueue, table: InMemoryTable): DrainPorts {
  return { receive: queue.receive, write: table.write, remove: queue.remove };
}

/** The queue's receive, except that its `failing`-th call (counted from 1) fails for good with `error`. */
export function receiveFailingAt(queue: InMemoryQueue, failing: number, error: Error): DrainPorts['receive'] {
  let receives = 0;
  return async (maxMessages) => {
    if (++receives === failing) throw error;
    return queue.receive(maxMessages);
  };
}

/**
 * The table's write, telling whoever waits in `untilWritten` that a write went out. `untilWritten`
 * gives up after 10 s, which outlasts no test: a receive that waits on it answers only once a write
 * is out, or makes the test time out.
 */
export function signallingWrite(table: InMemoryTable): { write: DrainPorts['write']; untilWritten: () => Promise<void> } {
  let writeSent: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (writeSent = resolve));
  return {
    write: (items) => {
      writeSent();
      return table.write(items);
    },
    untilWritten: async () => {
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([written, new Promise((resolve) => (giveUp = setTimeout(resolve, 10_000)))]);
      clearTimeout(giveUp);
    },
  };
}
