import type { FunctionName } from '@fanout/config';

/** What a worker run returns. */
export interface WorkerSummary {
  received: number;
  written: number;
  invalid: number;
  deleted: number;
  retries?: number;
}

export type TickTrigger = 'schedule' | 'manual';

/** What the runtime tells its console and dashboard as it happens. */
export type PipelineEvent =
  | { type: 'tick'; trigger: TickTrigger; decision: unknown }
  | { type: 'tick-failed'; trigger: TickTrigger; error: string }
  | { type: 'worker-start'; notificationId: string }
  | { type: 'worker-run'; attempts: number; summary: WorkerSummary }
  | { type: 'invoke-failed'; functionName: FunctionName; attempt: number; willRetry: boolean; error: string }
  | { type: 'bridge-error'; error: string }
  /** `--trigger esm`: an invocation with a batch failed; its messages return to the queue after the visibility timeout. */
  | { type: 'batch-returned'; messages: number; error: string }
  | { type: 'poller-error'; error: string };

export type EmitEvent = (event: PipelineEvent) => void;
