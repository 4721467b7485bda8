export * from './retry-policy.js';
export * from './batch-retry.js';
export * from './write-items.js';
export * from './queue-messages.js';
export * from './drain-queue.js';
export * from './drain-ports.js';
export * from './drain-loops.js';
