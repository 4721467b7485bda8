export * from './strategies.js';
export * from './seed-queue.js';
export * from './local-limit.js';
export * from './run-strategy.js';
export * from './cold-starts.js';
export * from './benchmark-report.js';
export * from './run-benchmark.js';
export * from './benchmark-document.js';
