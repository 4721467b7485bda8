export * from './pipeline-config.js';
export * from './environment.js';
export * from './worker-trigger.js';
export * from './pipeline-metrics.js';
