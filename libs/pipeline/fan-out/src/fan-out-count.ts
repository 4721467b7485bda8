import { fanOutConfig, workerConfig } from '@fanout/config';

/**
 * Workers to start for a queue depth: one per full receive (⌈visible / 10⌉, as in the original
 * design), never more than the cap, which matches the worker's reserved concurrency.
 */
export function fanOutCount(
  visibleMessages: number,
  maxWorkers: number = fanOutConfig.maxWorkers,
  messagesPerWorker: number = fanOutConfig.messagesPerWorker,
): number {
  if (!Number.isFinite(visibleMessages) || visibleMessages <= 0) return 0;
  return Math.min(Math.ceil(visibleMessages / messagesPerWorker), Math.max(0, maxWorkers));
}

/**
 * Drain loops each of `workers` runs should use for a queue depth: one per full receive it can
 * expect (⌈visible / (workers × 10)⌉), at least 1 and at most `maxLoops`. Below the worker cap every
 * worker expects one receive, so one loop; past it, the loops take up the depth the cap leaves to
 * each worker.
 */
export function loopsPerWorker(
  visibleMessages: number,
  workers: number,
  maxLoops: number = workerConfig.receiveLoops,
  messagesPerLoop: number = fanOutConfig.messagesPerLoop,
): number {
  if (workers <= 0 || !Number.isFinite(visibleMessages) || visibleMessages <= 0) return 1;
  return Math.max(1, Math.min(maxLoops, Math.ceil(visibleMessages / (workers * messagesPerLoop))));
}

/**
 * Messages each started worker's run can expect: the visible depth split over the workers, rounded
 * up. The run shares it among its loops, and a loop that has received its share writes at once
 * instead of asking the queue for more it is unlikely to find.
 */
export function expectedMessagesPerWorker(visibleMessages: number, workers: number): number {
  if (workers <= 0 || !Number.isFinite(visibleMessages) || visibleMessages <= 0) return 0;
  return Math.ceil(visibleMessages / workers);
}

/**
 * Drain loops a table can keep busy: its expected write units a second over what an item costs and
 * what one loop writes a second; Infinity when it has no limit (0).
 */
export function loopsForTable(
  tableWriteUnitsPerSecond: number,
  writeUnitsPerItem: number = fanOutConfig.writeUnitsPerItem,
  itemsPerLoopPerSecond: number = fanOutConfig.itemsPerLoopPerSecond,
): number {
  if (!(tableWriteUnitsPerSecond > 0)) return Infinity;
  return Math.max(1, Math.ceil(tableWriteUnitsPerSecond / writeUnitsPerItem / itemsPerLoopPerSecond));
}

/**
 * Loops already draining, as the messages in flight show them: each loop holds at least one receive
 * of its own. A message that waits out a visibility timeout counts too, so this errs toward fewer new
 * loops, and a drain that stopped shows none once its messages are back.
 */
export function busyLoops(inFlight: number, messagesPerLoop: number = fanOutConfig.messagesPerLoop): number {
  if (!Number.isFinite(inFlight) || inFlight <= 0) return 0;
  return Math.floor(inFlight / messagesPerLoop);
}
