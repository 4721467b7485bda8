import type { RunShape } from '@fanout/message-schema';
import type { RunSummary } from './run-summary.js';

/**
 * The run a finished run hands over to, when it stopped with messages still waiting: its message
 * budget or its invocation time was spent before the queue was empty. A drain of more than one run
 * can write goes on at once instead of waiting for the next tick. The successor keeps the loops the
 * run had left; one more (up to `maxLoops`) when it shed none, so that a drain finds the table's
 * pace from both sides. None when the queue ran dry, when the run had a receive
 * budget (the original design's one receive), or when it received all its start said to expect.
 */
export function successorRun(summary: RunSummary, shape: RunShape, maxLoops: number): { loops: number } | undefined {
  if (summary.stoppedBecause !== 'message-budget' && summary.stoppedBecause !== 'time-margin') return undefined;
  if (shape.expectedMessages !== undefined && summary.received >= shape.expectedMessages) return undefined;
  const kept = Math.max(1, summary.loops - summary.sheds);
  return { loops: summary.sheds > 0 ? kept : Math.min(maxLoops, kept + 1) };
}
