import type { Context } from 'aws-lambda';

/** The Lambda context a handler reads: a request id, and the time left of an invocation of `timeoutMs`. */
export function lambdaContext(timeoutMs = 60_000, awsRequestId = `req-${Math.random().toString(36).slice(2)}`): Context {
  const deadline = Date.now() + timeoutMs;
  return { awsRequestId, getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
}
