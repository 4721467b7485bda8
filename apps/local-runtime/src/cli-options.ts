import { esmConfig, queueConfig, TriggerSettingError, type TriggerSettings } from '@fanout/config';
import { localRuntimeConfig, parseRate, parseTriggerFlags } from '@fanout/runtime';
import { parseFlags, UsageError } from '@fanout/runtime-process';
import { FaultSpecError, faultSpecHelp, parseFaultSpec, type FaultSpec } from '@fanout/wire-proxy';

export interface CliOptions {
  port: number;
  sqsPort: number;
  dynamodbPort: number;
  tickEveryMs: number;
  rate: string;
  /** What starts the worker: test-cron's fan-out (the default) or the event source mapping, with its batch settings. */
  trigger: TriggerSettings;
  dataDir?: string;
  json: boolean;
  verbose: boolean;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  apiKey?: string;
  workerConcurrency?: number;
  faults?: FaultSpec;
}

export const usage = `Usage: npm start -- [options]

Runs the whole pipeline locally: SQS/SNS and DynamoDB emulators, the functions, the API and what
starts the worker (the schedule and SNS, or the SQS event source mapping).

Options:
  --trigger <fanout|esm>     what starts the worker (default ${esmConfig.defaultTrigger}): fanout, test-cron on the schedule
                             publishing worker starts to SNS; esm, an SQS event source mapping that
                             long-polls the queue and invokes the worker with batches (no schedule)
  --batch-size <n>           esm: messages per invocation, 1-${esmConfig.maxBatchSize}, above ${esmConfig.maxBatchSizeWithoutWindow} only with a
                             batching window (default ${esmConfig.batchSize})
  --batching-window <s>      esm: seconds the mapping may gather a batch, 0-${esmConfig.maxBatchingWindowSeconds} (default ${esmConfig.batchingWindowSeconds})
  --port <n>                 API port (default ${localRuntimeConfig.apiPort})
  --sqs-port <n>             SQS/SNS emulator port (default ${localRuntimeConfig.sqsPort})
  --dynamodb-port <n>        DynamoDB emulator port (default ${localRuntimeConfig.dynamodbPort})
  --rate <duration>          fanout: test-cron's schedule, e.g. 2s, 10s, 5m, or off (default ${localRuntimeConfig.tickRate})
  --data-dir <dir>           keep the queues (messages visible and in flight) and the table in this
                             folder across restarts, even a kill -9 (default: in memory, lost on stop)
  --visibility-timeout <s>   queue visibility timeout in seconds (default ${queueConfig.visibilityTimeoutSeconds})
  --max-receive-count <n>    receives before a message moves to the dead-letter queue (default ${queueConfig.maxReceiveCount})
  --worker-concurrency <n>   worker environments at once (default one per core, at most ${localRuntimeConfig.maxWorkerConcurrency})
  --api-key <key>            require this x-api-key on every route but /health, as API Gateway does
                             (the dashboard opens with the token in the URL the banner prints)
  --faults <spec>            put the fault proxy between the functions and the emulators, e.g.
                             throttle=0.1,unprocessed=0.3,delete-failures=0.1,latency=5-20,resets=0.02,short-poll=aws
                             (${faultSpecHelp}; docs/reliability.md)
  --json                     machine-readable JSON lines instead of the banner and status line
  --verbose                  also print every function log line
  --help                     this text`;

/** A command line the runtime cannot run: the message says what to change. */
export class CliUsageError extends UsageError {
  override readonly name = 'CliUsageError';
}

function port(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  // Number('') is 0, which would quietly pick a random port for `--port=`.
  if (!/^\d+$/.test(value) || n > 65_535) throw new CliUsageError(`${flag} must be a port number (0-65535), got ${JSON.stringify(value)}.`);
  return n;
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a whole number of at least 1, got ${JSON.stringify(value)}.`);
  return n;
}

/** Parses the flags; `help` when the user asked for the usage text. */
export function parseCliOptions(argv: string[]): CliOptions | 'help' {
  const values = parseFlags(
    argv,
    {
      port: { type: 'string' },
      'sqs-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      rate: { type: 'string' },
      trigger: { type: 'string' },
      'batch-size': { type: 'string' },
      'batching-window': { type: 'string' },
      'data-dir': { type: 'string' },
      'visibility-timeout': { type: 'string' },
      'max-receive-count': { type: 'string' },
      'worker-concurrency': { type: 'string' },
      'api-key': { type: 'string' },
      faults: { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
    CliUsageError,
  );
  if (values === 'help') return 'help';
  const rate = values.rate ?? localRuntimeConfig.tickRate;
  let tickEveryMs: number;
  try {
    tickEveryMs = parseRate(rate);
  } catch (error) {
    throw new CliUsageError(`--rate: ${(error as Error).message}`);
  }
  let trigger: TriggerSettings;
  try {
    trigger = parseTriggerFlags({ trigger: values.trigger, batchSize: values['batch-size'], batchingWindow: values['batching-window'] });
  } catch (error) {
    if (!(error instanceof TriggerSettingError)) throw error;
    throw new CliUsageError(error.message);
  }
  if (trigger.trigger === 'esm' && values.rate !== undefined) {
    throw new CliUsageError('--rate sets the schedule of test-cron, which --trigger esm does not run: drop --rate, or use --trigger fanout.');
  }
  if (values['api-key'] !== undefined && values['api-key'].length < 1) throw new CliUsageError('--api-key must not be empty.');
  if (values['data-dir'] !== undefined && values['data-dir'].length < 1) throw new CliUsageError('--data-dir must name a folder, e.g. --data-dir .fanout-data.');
  let faults: FaultSpec | undefined;
  try {
    faults = values.faults === undefined ? undefined : parseFaultSpec(values.faults);
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    throw new CliUsageError(`--faults: ${error.message}`);
  }
  const ports = {
    '--port': port(values.port, '--port', localRuntimeConfig.apiPort),
    '--sqs-port': port(values['sqs-port'], '--sqs-port', localRuntimeConfig.sqsPort),
    '--dynamodb-port': port(values['dynamodb-port'], '--dynamodb-port', localRuntimeConfig.dynamodbPort),
  };
  const sharing = Object.entries(ports).filter(([, n], _, all) => n !== 0 && all.filter(([, other]) => other === n).length > 1);
  if (sharing.length > 0) {
    const flags = sharing.map(([flag]) => flag);
    const named = `${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]} are ${flags.length === 2 ? 'both' : 'all'}`;
    throw new CliUsageError(`${named} ${sharing[0][1]}: each needs a port of its own.`);
  }
  return {
    port: ports['--port'],
    sqsPort: ports['--sqs-port'],
    dynamodbPort: ports['--dynamodb-port'],
    tickEveryMs: trigger.trigger === 'esm' ? 0 : tickEveryMs,
    rate,
    trigger,
    dataDir: values['data-dir'],
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    visibilityTimeoutSeconds: positive(values['visibility-timeout'], '--visibility-timeout'),
    maxReceiveCount: positive(values['max-receive-count'], '--max-receive-count'),
    workerConcurrency: positive(values['worker-concurrency'], '--worker-concurrency'),
    apiKey: values['api-key'],
    faults,
  };
}
