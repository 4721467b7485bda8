export * from './dashboard.js';
export * from './event-stream.js';
export * from './recent-runs.js';
