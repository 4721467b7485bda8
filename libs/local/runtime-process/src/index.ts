export {
  runNodeToExit,
  runningRuntimes,
  runtimeStopDeadlineMs,
  startRuntime,
  waitFor,
  type Exited,
  type RuntimeExit,
  type RuntimeLocation,
  type RuntimeProcess,
  type StartedEvent,
  type StartRuntimeOptions,
} from './runtime-process.js';
export { exitWith, parseFlags, readCommandLine, UsageError } from './command-line.js';
