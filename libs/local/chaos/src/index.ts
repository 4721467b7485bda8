export type { ChaosFigures } from './chaos-figures.js';
export { chaosFaults, runChaos, type ChaosOptions } from './run-chaos.js';
