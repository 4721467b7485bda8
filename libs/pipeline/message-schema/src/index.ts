export * from './message.js';
export * from './item.js';
export * from './queued-message.js';
export * from './worker-start.js';
