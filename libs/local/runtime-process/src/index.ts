export * from './runtime-process.js';
export * from './command-line.js';
