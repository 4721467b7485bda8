export * from './pipeline-config.js';
export * from './environment.js';
