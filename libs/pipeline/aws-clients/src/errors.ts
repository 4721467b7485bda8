const throttlingErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'Throttling',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalFailure',
  'RequestThrottled',
]);

/** Whether an SDK error is worth another attempt (throttling, a 5xx, a dropped connection). */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string };
  if (e.name && throttlingErrors.has(e.name)) return true;
  if (e.$retryable) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return e.code === 'ECONNRESET' || e.code === 'ECONNREFUSED' || e.code === 'EPIPE' || e.code === 'ETIMEDOUT';
}
