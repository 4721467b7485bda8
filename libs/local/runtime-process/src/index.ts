export {
  runNodeToExit,
  runningRuntimes,
  runtimeStopDeadlineMs,
  startRuntime,
  waitFor,
  type Exited,
  type RuntimeLocation,
  type RuntimeProcess,
  type StartedEvent,
  type StartRuntimeOptions,
} from './runtime-process.js';
