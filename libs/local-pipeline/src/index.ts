export * from './local-pipeline.js';
export * from './sns-bridge.js';
export * from './tick-rate.js';
