import { awsLimits } from '@fanout/config';
import { toItem, type Message } from '@fanout/message-schema';
import type { DrainPorts, ReceivedMessage } from './drain-ports.js';
import type { RunSummary } from './run-summary.js';

type RemoveResult = Awaited<ReturnType<DrainPorts['remove']>>;

/** A received message that passed validation, waiting for its item to be written. */
export interface HeldMessage {
  message: ReceivedMessage;
  body: Message;
}

/**
 * What became of the messages one loop handed to a flush. The group's calls and retries are counted
 * once: for the first loop that joined it, 0 for the others.
 */
export type FlushOutcome = Pick<RunSummary, 'written' | 'unwritten' | 'deleted' | 'deleteFailed' | 'writeCalls' | 'deleteCalls' | 'retries' | 'released'>;

export interface RunWriterOptions {
  /** Stamps writtenAt, when a group's items are sent. */
  now: () => number;
  /** A group is written as soon as it holds this many messages. */
  flushAt: number;
  /** Longest a flush waits for the run's other loops to join it. */
  maxJoinWaitMs: number;
  /** Whether another loop of the run may join a flush soon (see drainRun). */
  othersMayJoin: () => boolean;
  /** Told of each group's writes: their calls (retries included), retries, and items left unwritten. */
  onWrites?: (writes: { calls: number; retries: number; unwritten: number }) => void;
}

interface Joiner {
  held: HeldMessage[];
  resolve: (outcome: FlushOutcome) => void;
  reject: (error: unknown) => void;
}

interface Group {
  joiners: Joiner[];
  size: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The one writer of a run's drain loops. Flushes that come together join one group, written with
 * full BatchWriteItem calls (25 items) and deleted with full DeleteMessageBatch calls (10), instead of
 * each loop sending its own receive of 10 as a partial batch. A group is sent once it holds
 * `flushAt` messages, once no other loop of the run may join it soon, or after `maxJoinWaitMs`.
 * Its items are stamped when they are sent. A loop alone never waits.
 */
export class RunWriter {
  private open: Group | undefined;

  constructor(
    private readonly ports: Pick<DrainPorts, 'write' | 'remove' | 'release'>,
    private readonly options: RunWriterOptions,
  ) {}

  /** Writes these messages' items and deletes the messages whose items were written. */
  flush(held: HeldMessage[]): Promise<FlushOutcome> {
    return new Promise((resolve, reject) => {
      const group = (this.open ??= { joiners: [], size: 0 });
      group.joiners.push({ held, resolve, reject });
      group.size += held.length;
      if (group.size >= this.options.flushAt || !this.options.othersMayJoin()) this.send(group);
      else group.timer ??= setTimeout(() => this.send(group), this.options.maxJoinWaitMs);
    });
  }

  /** Sends the open group if no other loop may join it any more: call when a loop's receive ends or a loop stops. */
  recheck(): void {
    if (this.open && !this.options.othersMayJoin()) this.send(this.open);
  }

  private send(group: Group): void {
    if (this.open !== group) return;
    this.open = undefined;
    clearTimeout(group.timer);
    this.writeAndDelete(group.joiners).catch((error: unknown) => {
      for (const joiner of group.joiners) joiner.reject(error);
    });
  }

  /**
   * Writes the group's items and deletes each message as soon as its item is written, in full
   * DeleteMessageBatch calls: a delete never waits for the retries of other items, so an environment
   * that dies while some items are retried leaves only those on the queue, not the whole group.
   */
  private async writeAndDelete(joiners: Joiner[]): Promise<void> {
    const writtenAt = this.options.now();
    const entries = joiners.flatMap((joiner) => joiner.held.map((held) => ({ joiner, held, item: toItem(held.body, held.message, writtenAt) })));
    const entriesByKey = new Map<string, typeof entries>();
    for (const entry of entries) entriesByKey.set(entry.item.uuid, [...(entriesByKey.get(entry.item.uuid) ?? []), entry]);

    const toDelete: typeof entries = [];
    const deletes: Promise<RemoveResult>[] = [];
    /** Queues the deletes of these written keys and sends every full batch, or everything queued with `andTheRest`. */
    const deleteWritten = (keys: readonly string[], andTheRest: boolean) => {
      for (const key of keys) toDelete.push(...(entriesByKey.get(key) ?? []));
      for (const key of keys) entriesByKey.delete(key);
      while (toDelete.length >= awsLimits.sqsBatchSize || (andTheRest && toDelete.length > 0)) {
        const remove = this.ports.remove(toDelete.splice(0, awsLimits.sqsBatchSize).map((entry) => entry.held.message));
        // Awaited below; handled now, so that one failing while the writes go on is not an unhandled rejection.
        remove.catch(() => undefined);
        deletes.push(remove);
      }
    };

    let writeResult: Awaited<ReturnType<DrainPorts['write']>>;
    try {
      writeResult = await this.ports.write(
        entries.map((entry) => entry.item),
        (items) => deleteWritten(items.map((item) => item.uuid), false),
      );
    } catch (error) {
      // What was written is still deleted; the rest stays on the queue.
      deleteWritten([], true);
      await Promise.allSettled(deletes);
      throw error;
    }
    const unwrittenKeys = new Set(writeResult.unwritten.map((item) => item.uuid));
    this.options.onWrites?.({ calls: writeResult.calls, retries: writeResult.retries, unwritten: unwrittenKeys.size });
    // Written items the port did not report as they went (a port that cannot tell), then the rest.
    deleteWritten([...entriesByKey.keys()].filter((key) => !unwrittenKeys.has(key)), true);
    // What the table would not take after every retry goes back to the queue now, for a loop to
    // try again, rather than waiting out its visibility timeout; should that fail, it waits.
    const toRelease = entries.filter((entry) => unwrittenKeys.has(entry.item.uuid)).map((entry) => entry.held.message);
    const release = toRelease.length > 0 && this.ports.release ? this.ports.release(toRelease).then((result) => result.released, () => 0) : Promise.resolve(0);
    const settled = await Promise.allSettled(deletes);
    const refused = settled.find((result) => result.status === 'rejected');
    if (refused) throw refused.reason;
    const removeResults = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));

    const failed = new Set(removeResults.flatMap((result) => result.failed));
    const deleteCalls = removeResults.reduce((sum, result) => sum + result.calls, 0);
    const deleteRetries = removeResults.reduce((sum, result) => sum + result.retries, 0);
    const released = await release;
    joiners.forEach((joiner, index) => {
      const own = entries.filter((entry) => entry.joiner === joiner && !unwrittenKeys.has(entry.item.uuid));
      const ownFailed = own.filter((entry) => failed.has(entry.held.message)).length;
      joiner.resolve({
        written: own.length,
        unwritten: joiner.held.length - own.length,
        deleted: own.length - ownFailed,
        deleteFailed: ownFailed,
        writeCalls: index === 0 ? writeResult.calls : 0,
        deleteCalls: index === 0 ? deleteCalls : 0,
        retries: index === 0 ? writeResult.retries + deleteRetries : 0,
        released: index === 0 ? released : 0,
      });
    });
  }
}
