import { sampledReceiveCount } from '@fanout/wire-proxy';
import { MinHeap } from './min-heap.js';
import type { Random } from './random.js';

/** Where a message is. */
export const MessageState = {
  notSent: 0,
  visible: 1,
  inFlight: 2,
  deleted: 3,
  deadLettered: 4,
  expired: 5,
} as const;

export interface QueueOptions {
  /** Messages the simulation will send at most: they are numbered 0 … capacity − 1. */
  capacity: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  inFlightLimit: number;
  retentionMs: number;
  shortPollSampleShare: number;
  random: Random;
  now: () => number;
  /** The body of message `index`. */
  bodyOf: (index: number) => string;
}

/** A message as ReceiveMessage hands it out. */
export interface ReceivedView {
  index: number;
  messageId: string;
  receiptHandle: string;
  body: string;
  sentTimestamp: number;
  receiveCount: number;
}

/** Raised by a receive while the queue holds as many in-flight messages as it may (SQS's OverLimit). */
export class InFlightLimitError extends Error {
  constructor(limit: number) {
    super(`The queue already holds ${limit} in-flight messages.`);
    this.name = 'OverLimit';
  }
}

export const messageIdOf = (index: number) => `m-${index}`;

/** The message number of a MessageId this queue gave out. */
export function messageIndexOf(messageId: string): number {
  return Number(messageId.slice(2));
}

interface Visibility {
  at: number;
  index: number;
  receipt: number;
}

/**
 * A standard SQS queue with its dead-letter queue: visibility timeouts, receive counts, redrive at
 * maxReceiveCount, retention, the in-flight limit, long polls that wait for a message and short
 * polls that sample (libs/local/wire-proxy's model, as the local bench uses). Messages leave
 * roughly in the order they became visible. Time comes from `now`; the client adds the latency.
 */
export class SqsQueue {
  private readonly state: Uint8Array;
  private readonly sentAt: Float64Array;
  private readonly receives: Uint16Array;
  private readonly receipt: Float64Array;
  /** Visible messages, oldest first: a ring of message numbers (deleted ones are skipped when met). */
  private readonly ring: Int32Array;
  private ringHead = 0;
  private ringLength = 0;
  private readonly inFlight = new MinHeap<Visibility>();
  private nextReceipt = 1;
  private waiters: (() => void)[] = [];
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private expiryTimerAt = Infinity;
  counts = { visible: 0, inFlight: 0, deleted: 0, deadLettered: 0, expired: 0 };

  constructor(private readonly options: QueueOptions) {
    this.state = new Uint8Array(options.capacity);
    this.sentAt = new Float64Array(options.capacity);
    this.receives = new Uint16Array(options.capacity);
    this.receipt = new Float64Array(options.capacity);
    this.ring = new Int32Array(Math.max(1, options.capacity));
  }

  /** Messages `first` … `first + count − 1` are sent now. */
  send(first: number, count: number): void {
    const now = this.options.now();
    for (let index = first; index < first + count; index++) {
      this.sentAt[index] = now;
      this.makeVisible(index);
    }
    this.wakeWaiters();
  }

  /** Visible and in-flight counts, as GetQueueAttributes reports them (exactly: see docs/scale.md). */
  depth(): { visible: number; inFlight: number } {
    this.returnExpired();
    return { visible: this.counts.visible, inFlight: this.counts.inFlight };
  }

  stateOf(index: number): number {
    return this.state[index] as number;
  }

  sentAtOf(index: number): number {
    return this.sentAt[index] as number;
  }

  receiveCountOf(index: number): number {
    return this.receives[index] as number;
  }

  /**
   * One receive of at most `max` from what is visible now. A short poll finds each visible message
   * with probability sqs.shortPollSampleShare, and returns min(max, found).
   */
  receive(max: number, shortPoll: boolean): ReceivedView[] {
    this.returnExpired();
    if (this.counts.inFlight >= this.options.inFlightLimit) throw new InFlightLimitError(this.options.inFlightLimit);
    const wanted = shortPoll
      ? sampledReceiveCount(this.counts.visible, max, this.options.random, this.options.shortPollSampleShare)
      : Math.min(max, this.counts.visible);
    const now = this.options.now();
    const taken: ReceivedView[] = [];
    while (taken.length < wanted && this.ringLength > 0) {
      const index = this.ring[this.ringHead] as number;
      this.ringHead = (this.ringHead + 1) % this.ring.length;
      this.ringLength--;
      if (this.state[index] !== MessageState.visible) continue;
      this.counts.visible--;
      if (now - (this.sentAt[index] as number) > this.options.retentionMs) {
        this.state[index] = MessageState.expired;
        this.counts.expired++;
        continue;
      }
      const receipt = this.nextReceipt++;
      this.state[index] = MessageState.inFlight;
      this.counts.inFlight++;
      this.receipt[index] = receipt;
      this.receives[index] = Math.min(65_535, (this.receives[index] as number) + 1);
      this.inFlight.push({ at: now + this.options.visibilityTimeoutMs, index, receipt });
      taken.push({
        index,
        messageId: messageIdOf(index),
        receiptHandle: `${index}:${receipt}`,
        body: this.options.bodyOf(index),
        sentTimestamp: this.sentAt[index] as number,
        receiveCount: this.receives[index] as number,
      });
    }
    if (this.waiters.length > 0) this.scheduleExpiryWake();
    return taken;
  }

  /**
   * Calls `ready` once a message may be visible (now, or when one is sent, given back or its
   * visibility ends), or never if `cancel` is called first.
   */
  whenVisible(ready: () => void): { cancel(): void } {
    this.returnExpired();
    if (this.counts.visible > 0) {
      ready();
      return { cancel: () => undefined };
    }
    let active = true;
    const waiter = () => {
      if (active) {
        active = false;
        ready();
      }
    };
    this.waiters.push(waiter);
    this.scheduleExpiryWake();
    return {
      cancel: () => {
        active = false;
        this.waiters = this.waiters.filter((other) => other !== waiter);
      },
    };
  }

  /** DeleteMessage with a receipt handle: true when it deleted the message (an older handle succeeds but deletes nothing, as SQS may). */
  delete(receiptHandle: string): boolean {
    const parsed = this.parseHandle(receiptHandle);
    if (!parsed) return false;
    const { index, receipt } = parsed;
    const state = this.state[index];
    if (this.receipt[index] !== receipt || (state !== MessageState.inFlight && state !== MessageState.visible)) return false;
    if (state === MessageState.inFlight) this.counts.inFlight--;
    else this.counts.visible--;
    this.state[index] = MessageState.deleted;
    this.counts.deleted++;
    return true;
  }

  /** ChangeMessageVisibility: the message's visibility ends `timeoutMs` from now; 0 makes it visible at once. */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    const parsed = this.parseHandle(receiptHandle);
    if (!parsed) return false;
    const { index, receipt } = parsed;
    if (this.receipt[index] !== receipt || this.state[index] !== MessageState.inFlight) return false;
    if (timeoutMs > 0) {
      const next = this.nextReceipt++;
      this.receipt[index] = next;
      this.inFlight.push({ at: this.options.now() + timeoutMs, index, receipt: next });
      return true;
    }
    this.counts.inFlight--;
    this.endVisibility(index);
    this.wakeWaiters();
    return true;
  }

  private parseHandle(receiptHandle: string): { index: number; receipt: number } | undefined {
    const colon = receiptHandle.indexOf(':');
    if (colon < 0) return undefined;
    const index = Number(receiptHandle.slice(0, colon));
    if (!Number.isInteger(index) || index < 0 || index >= this.state.length) return undefined;
    return { index, receipt: Number(receiptHandle.slice(colon + 1)) };
  }

  /** A message whose visibility ended: visible again, or moved to the dead-letter queue once it has been received maxReceiveCount times. */
  private endVisibility(index: number): void {
    if ((this.receives[index] as number) >= this.options.maxReceiveCount) {
      this.state[index] = MessageState.deadLettered;
      this.counts.deadLettered++;
      return;
    }
    this.makeVisible(index);
  }

  private makeVisible(index: number): void {
    this.state[index] = MessageState.visible;
    this.counts.visible++;
    this.ring[(this.ringHead + this.ringLength) % this.ring.length] = index;
    this.ringLength++;
  }

  private returnExpired(): void {
    const now = this.options.now();
    let returned = false;
    for (let top = this.inFlight.peek(); top && top.at <= now; top = this.inFlight.peek()) {
      this.inFlight.pop();
      if (this.isStale(top)) continue;
      this.counts.inFlight--;
      this.endVisibility(top.index);
      returned = true;
    }
    if (returned) this.wakeWaiters();
  }

  /** An entry whose message was deleted, given back, or had its visibility changed since. */
  private isStale(entry: Visibility): boolean {
    return this.state[entry.index] !== MessageState.inFlight || this.receipt[entry.index] !== entry.receipt;
  }

  /** Hands what is visible to the long polls waiting, oldest first, while there is any. */
  private wakeWaiters(): void {
    while (this.waiters.length > 0 && this.counts.visible > 0) this.waiters.shift()?.();
  }

  /** While long polls wait on an empty queue, a timer at the next visibility end wakes them. */
  private scheduleExpiryWake(): void {
    // Stale entries (deleted, given back) would wake the waiters for nothing: drop them first.
    for (let top = this.inFlight.peek(); top && this.isStale(top); top = this.inFlight.peek()) this.inFlight.pop();
    const next = this.inFlight.peek();
    if (!next || this.waiters.length === 0 || next.at >= this.expiryTimerAt) return;
    clearTimeout(this.expiryTimer);
    this.expiryTimerAt = next.at;
    this.expiryTimer = setTimeout(
      () => {
        this.expiryTimerAt = Infinity;
        this.expiryTimer = undefined;
        this.returnExpired();
        this.scheduleExpiryWake();
      },
      Math.max(0, next.at - this.options.now()),
    );
  }
}
