import { fanOutConfig } from '@fanout/config';

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
