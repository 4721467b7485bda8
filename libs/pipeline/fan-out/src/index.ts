export { fanOutPlan, fanOutTick, type FanOutDecision, type FanOutTarget } from './fan-out-tick.js';
export { readQueueDepth } from './queue-depth.js';
export { publishWorkerStart, startWorkers, WorkerStartError } from './start-workers.js';
