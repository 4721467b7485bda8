// Reports what the function sees: its own environment variables, and module state that shows
// whether this execution environment was initialised once and reused.
const { threadId } = require('node:worker_threads');

globalThis.initCount = (globalThis.initCount ?? 0) + 1;
let invocation = 0;

exports.handler = async (event, context) => {
  invocation += 1;
  console.log(`invocation ${invocation} of ${context.functionName}`);
  if (event?.warn) console.error(`warning: ${event.warn}`);
  return {
    pid: process.pid,
    threadId,
    env: process.env.SOME_VAR ?? null,
    parentVar: process.env.LAMBDA_HOST_SPEC_PARENT_VAR ?? null,
    envNames: Object.keys(process.env).sort(),
    initCount: globalThis.initCount,
    invocation,
    functionName: context.functionName,
    remainingMs: context.getRemainingTimeInMillis(),
  };
};
