import type { Logger } from '@aws-lambda-powertools/logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One log line as Powertools prints it: the message, its level and the attributes passed with it. */
export type LogLine = { level: LogLevel; message: string } & Record<string, unknown>;

/**
 * A logger for a handler under test that keeps each line in `lines`, so that a test can assert what
 * an operator would read (and what must never be logged).
 */
export function recordingLogger(): { log: Pick<Logger, LogLevel>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const record =
    (level: LogLevel) =>
    (...[input, ...extra]: Parameters<Logger['info']>) => {
      const message = typeof input === 'string' ? input : String(input.message);
      lines.push(Object.assign({ level, message }, ...extra.map((e) => (typeof e === 'object' ? e : { extra: e }))));
    };
  return { log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, lines };
}
