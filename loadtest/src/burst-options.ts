import { parseFlags, UsageError } from '@fanout/runtime-process';
import { BurstSettingError, burstDefaults, maxBatchSize, readBurstSettings, type BurstSettings } from '../shared/burst-plan.js';

export interface BurstOptions extends BurstSettings {
  /** Print one JSON object on stdout instead of the table. */
  json: boolean;
}

export const usage = `Usage: npm run burst -- [options]

Posts a burst of messages tagged with a new run id, waits until the pipeline has written them all
(GET /runs/{runId}), and prints what happened. The same burst as \`k6 run loadtest/burst.js\`.

Options:
  --url <url>              the API (default ${burstDefaults.apiUrl}; in AWS the stage's ApiUrl)
  --messages <n>           messages to post (default ${burstDefaults.messages})
  --batch <n>              messages per request, 1-${maxBatchSize} (default ${burstDefaults.batch}; 1 posts single objects)
  --api-key <key>          sent as x-api-key (the cloud API needs it)
  --concurrency <n>        requests in flight at once (default ${burstDefaults.concurrency})
  --drain-timeout <s>      seconds to wait for the drain after posting (default ${burstDefaults.drainTimeoutSeconds})
  --request-timeout <s>    give a request up after this many seconds and send it again (default ${burstDefaults.requestTimeoutSeconds})
  --attempts <n>           tries of a request while it is throttled (429, after Retry-After), unavailable (503), timed out (504)
                           or unanswered, the first included (default ${burstDefaults.attempts}); every try sends the
                           same idempotency keys, so a retried message is still one item
  --json                   print one JSON object on stdout instead of the table
  --help                   this text

Exit code: 0 when every message was accepted and written in time, 1 when not, 2 on a wrong flag.`;

/** A command line the runner cannot run: the message says what to change. */
export class BurstUsageError extends UsageError {
  override readonly name = 'BurstUsageError';
}

/** Parses the flags; `help` when the user asked for the usage text. */
export function parseBurstOptions(argv: string[]): BurstOptions | 'help' {
  const values = parseFlags(
    argv,
    {
      url: { type: 'string' },
      messages: { type: 'string' },
      batch: { type: 'string' },
      'api-key': { type: 'string' },
      concurrency: { type: 'string' },
      'drain-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      attempts: { type: 'string' },
      json: { type: 'boolean' },
    },
    BurstUsageError,
  );
  if (values === 'help') return 'help';
  if (values['api-key'] === '') throw new BurstUsageError('--api-key must not be empty.');
  try {
    const settings = readBurstSettings(
      {
        apiUrl: values.url,
        apiKey: values['api-key'],
        messages: values.messages,
        batch: values.batch,
        drainTimeout: values['drain-timeout'],
        concurrency: values.concurrency,
        requestTimeout: values['request-timeout'],
        attempts: values.attempts,
      },
      {
        apiUrl: '--url',
        messages: '--messages',
        batch: '--batch',
        drainTimeout: '--drain-timeout',
        concurrency: '--concurrency',
        requestTimeout: '--request-timeout',
        attempts: '--attempts',
      },
    );
    return { ...settings, json: values.json ?? false };
  } catch (error) {
    if (error instanceof BurstSettingError) throw new BurstUsageError(error.message);
    throw error;
  }
}
