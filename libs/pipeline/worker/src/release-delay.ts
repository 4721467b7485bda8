import { workerConfig } from '@fanout/config';

/**
 * Seconds before a valid message whose item could not be written is visible again: 0 after its first
 * receive, then workerConfig.releaseBackoffSeconds doubling with each further receive, at most the
 * queue's visibility timeout (what it would have waited anyway).
 */
export function releaseDelaySeconds(receiveCount: number, visibilityTimeoutSeconds: number, backoffSeconds: number = workerConfig.releaseBackoffSeconds): number {
  if (receiveCount <= 1) return 0;
  return Math.min(visibilityTimeoutSeconds, backoffSeconds * 2 ** (receiveCount - 2));
}
