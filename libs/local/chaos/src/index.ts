export * from './poison-bodies.js';
export * from './chaos-figures.js';
export * from './run-chaos.js';
