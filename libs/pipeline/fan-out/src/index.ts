export { fanOutTick, type FanOutDecision, type FanOutTarget } from './fan-out-tick.js';
export { readQueueDepth } from './queue-depth.js';
export { WorkerStartError } from './start-workers.js';
