export * from './local-runtime-config.js';
export * from './local-pipeline.js';
export * from './sns-bridge.js';
export * from './tick-rate.js';
export * from './gateway/index.js';
export * from './dashboard/index.js';
