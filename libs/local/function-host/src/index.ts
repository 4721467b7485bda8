export { invokeAsync, type AsyncInvokeOptions, type AsyncInvokeOutcome } from './async-invoker.js';
export {
  FunctionError,
  FunctionHost,
  FunctionTimeoutError,
  HostClosedError,
  type FunctionDefinition,
  type HostStats,
} from './function-host.js';
