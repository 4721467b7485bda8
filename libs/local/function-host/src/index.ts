export { invokeAsync, type AsyncInvokeOptions, type AsyncInvokeOutcome } from './async-invoker.js';
export {
  FunctionError,
  FunctionHost,
  FunctionThrottledError,
  FunctionTimeoutError,
  HostClosedError,
  InvocationAbandonedError,
  type FunctionDefinition,
  type HostStats,
  type InvokeOptions,
} from './function-host.js';
