export * from './runtime-process.js';
