export * from './fault-spec.js';
export * from './short-poll-model.js';
export * from './wire-proxy.js';
