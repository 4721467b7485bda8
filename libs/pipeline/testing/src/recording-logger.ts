import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One log line as Powertools prints it: the message, its level and the attributes passed with it. */
export type LogLine = { level: LogLevel; message: string } & Record<string, unknown>;

/**
 * A logger for a handler under test that keeps each line in `lines`, so that a test can assert what
 * an operator would read (and what must never be logged).
 */
export function recordingLogger(): { log: Pick<Logger, LogLevel | 'addContext'>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  // What Powertools adds to every line once it has the Lambda context (the fields CloudWatch shows).
  let context: Record<string, unknown> = {};
  const record =
    (level: LogLevel) =>
    (...[input, ...extra]: Parameters<Logger['info']>) => {
      const message = typeof input === 'string' ? input : String(input.message);
      lines.push(Object.assign({ level, message }, context, ...extra.map((e) => (typeof e === 'object' ? e : { extra: e }))));
    };
  const addContext = (lambdaContext: Context) => {
    context = { function_request_id: lambdaContext.awsRequestId, ...(lambdaContext.functionName ? { function_name: lambdaContext.functionName } : {}) };
  };
  return { log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), addContext }, lines };
}

/** One publication of a handler's metrics: each metric's value by name, and its unit. */
export type PublishedMetrics = Record<string, { value: number; unit: string }>;

/**
 * Metrics for a handler under test: what each publishStoredMetrics() would have printed in the
 * embedded metric format, one entry a publication, so a test asserts the figures CloudWatch would get.
 */
export function recordingMetrics(): { metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>; published: PublishedMetrics[] } {
  const published: PublishedMetrics[] = [];
  let stored: PublishedMetrics = {};
  const metrics = {
    addMetric: (name: string, unit: string, value: number) => {
      stored[name] = { value: (stored[name]?.value ?? 0) + value, unit };
    },
    publishStoredMetrics: () => {
      if (Object.keys(stored).length > 0) published.push(stored);
      stored = {};
    },
  };
  return { metrics: metrics as unknown as Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>, published };
}
