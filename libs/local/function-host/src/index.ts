export * from './function-host.js';
export * from './async-invoker.js';
