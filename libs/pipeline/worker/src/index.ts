export { drainRun } from './drain-run.js';
export type { DrainPorts } from './drain-ports.js';
export { awsDrainPorts } from './aws-drain-ports.js';
export type { RunSummary } from './run-summary.js';
export { isRetryableError } from '@fanout/aws-clients/errors';
export { defaultDeletePolicy, defaultWritePolicy, longestAttemptMs, longestBackoffMs, longestCallMs, sdkThrottlingRetries, type RetryPolicy } from './retry-policy.js';
export { batchMessageOf, writeBatch, type BatchMessage, type BatchResult } from './write-batch.js';
export { successorRun } from './successor-run.js';
