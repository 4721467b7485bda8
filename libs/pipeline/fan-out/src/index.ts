export * from './fan-out-count.js';
export * from './queue-depth.js';
export * from './start-workers.js';
export * from './fan-out-tick.js';
