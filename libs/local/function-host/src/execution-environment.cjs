// One Lambda execution environment, run as a worker thread: it loads the function's bundle once
// (the cold start), then serves invocations one at a time, as Lambda does. Plain CommonJS so that
// the runtime can start it from source and from dist alike.
const { parentPort, workerData } = require('node:worker_threads');

let handler;
let initError;
const initStarted = Date.now();
try {
  handler = require(workerData.bundlePath).handler;
  if (typeof handler !== 'function') throw new Error(`${workerData.bundlePath} exports no handler function`);
} catch (error) {
  initError = error;
}
parentPort.postMessage({ type: 'ready', initMs: Date.now() - initStarted });

function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

parentPort.on('message', async (request) => {
  if (initError) {
    parentPort.postMessage({ type: 'result', id: request.id, ok: false, error: describeError(initError) });
    return;
  }
  const context = {
    awsRequestId: request.requestId,
    functionName: workerData.functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: String(workerData.memoryMb),
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${workerData.functionName}`,
    logGroupName: `/aws/lambda/${workerData.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    // Callback-style completion is not supported: the bundles' handlers are async.
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(request.event, context);
    parentPort.postMessage({ type: 'result', id: request.id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({ type: 'result', id: request.id, ok: false, error: describeError(error) });
  }
});
