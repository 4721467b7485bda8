import { parseFlags, UsageError } from '@fanout/runtime-process';
import { arrivalHelp, parseArrival, type Arrival } from './arrivals.js';
import { applySettings, formatParameterValue, ParameterError } from './parameter-values.js';
import { awsParameters, parameterInfo, type ParameterName, type SimulationParameters } from './parameters.js';
import { simulationStrategyNames, type SimulationStrategyName } from './simulation-strategies.js';

/** What `npm run simulate` was asked to do. */
export interface SimulateOptions {
  strategies: SimulationStrategyName[];
  messages: number;
  arrival: Arrival;
  seed: number;
  parameters: SimulationParameters;
  json: boolean;
}

/** `--docs DIR`: the whole study of docs/scale.md, written to DIR. */
export interface DocsOptions {
  docs: string;
}

/** A command line the simulation cannot run: one line saying what is wrong and what it accepts. */
export class SimulateUsageError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'SimulateUsageError';
  }
}

/** A flag the command does not know, or one without its value: node's first sentence, and the flags it takes. */
class FlagError extends SimulateUsageError {
  constructor(message: string) {
    super(`${(message.split('\n')[0] ?? '').replace(/\.?$/, '.')} Flags: --strategy, --messages, --arrival, --seed, --set, --json, --docs, --help.`);
  }
}

export const maxMessages = 100_000_000;

const strategyChoices = [...simulationStrategyNames, 'all'];

/** `npm run simulate -- --help`: the flags, then every parameter with its default and its source. */
export function simulateUsage(): string {
  const parameters = (Object.keys(awsParameters) as ParameterName[]).map((name) => {
    const info = parameterInfo[name];
    return `  ${name} = ${formatParameterValue(awsParameters[name])}\n      ${info.what}. ${info.source}`;
  });
  return `Usage: npm run simulate -- --strategy ${strategyChoices.join('|')} --messages N [--arrival burst|rate:R[:S]] [--seed S] [--set name=value]... [--json]

Simulates draining N messages on AWS in virtual time: the real test-cron tick and worker runs (or the
worker's event source mapping entry) against simulated SQS, SNS, DynamoDB on demand, Lambda and
EventBridge, under AWS's published limits. The same seed gives the same result. See docs/scale.md.

  --strategy   ${strategyChoices.join(', ')}
  --messages   N, from 1 to ${maxMessages.toLocaleString('en-US')}
  --arrival    ${arrivalHelp}; default burst
  --seed       a whole number; default 1
  --set        name=value, any parameter below (repeatable)
  --json       print {"parameters":{…},"strategies":[…]} instead of a table
  --docs DIR   run the whole study instead (every strategy at N = 1,000 … 1,000,000, the seed's and
               AWS's checks, the local prediction when the bundles are built; about 20 minutes) and
               write DIR/scale.md, scale-depth.svg and scale-drain-time.svg

Parameters (default, then what it is and its source; [AWS] documentation, [3P] a third party's
measurement, [ours] this repository, [assumed] no source found):
${parameters.join('\n')}`;
}

function wholeNumber(flag: string, text: string | undefined, least: number, most: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < least || Number(text) > most) {
    throw new SimulateUsageError(`${flag} must be a whole number from ${least.toLocaleString('en-US')} to ${most.toLocaleString('en-US')}, got ${JSON.stringify(text ?? '')}.`);
  }
  return Number(text);
}

/** Reads the command line; 'help' for --help. Throws SimulateUsageError, one line, for anything it cannot run. */
export function parseSimulateArgs(argv: readonly string[]): SimulateOptions | DocsOptions | 'help' {
  // `--messages -5` is a wrong count, not a missing one: hand it to the check that says so.
  const args = argv.flatMap((arg, i) => (/^-\d/.test(arg) && argv[i - 1]?.startsWith('--') && !argv[i - 1]?.includes('=') ? [] : [/^-\d/.test(argv[i + 1] ?? '') && arg.startsWith('--') && !arg.includes('=') ? `${arg}=${argv[i + 1]}` : arg]));
  const parsed = parseFlags(
    args,
    {
      strategy: { type: 'string' },
      messages: { type: 'string' },
      arrival: { type: 'string' },
      seed: { type: 'string' },
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      docs: { type: 'string' },
    },
    FlagError,
  );
  if (parsed === 'help') return 'help';
  const values = parsed as Record<string, string | boolean | string[] | undefined>;
  if (typeof values['docs'] === 'string') return { docs: values['docs'] };
  const strategy = values['strategy'] as string | undefined;
  if (strategy === undefined || !strategyChoices.includes(strategy)) {
    throw new SimulateUsageError(`--strategy must be one of ${strategyChoices.join(', ')}, got ${JSON.stringify(strategy ?? '')}.`);
  }
  const messages = wholeNumber('--messages', values['messages'] as string | undefined, 1, maxMessages);
  const arrivalText = (values['arrival'] as string | undefined) ?? 'burst';
  const arrival = parseArrival(arrivalText);
  if (!arrival) throw new SimulateUsageError(`--arrival must be ${arrivalHelp}, with R and S above 0, got ${JSON.stringify(arrivalText)}.`);
  const seed = values['seed'] === undefined ? 1 : wholeNumber('--seed', values['seed'] as string, 0, 2 ** 32 - 1);
  let parameters: SimulationParameters;
  try {
    parameters = applySettings((values['set'] as string[] | undefined) ?? []);
  } catch (error) {
    if (error instanceof ParameterError) throw new SimulateUsageError(`--set ${error.message}`);
    throw error;
  }
  return {
    strategies: strategy === 'all' ? [...simulationStrategyNames] : [strategy as SimulationStrategyName],
    messages,
    arrival,
    seed,
    parameters,
    json: values['json'] === true,
  };
}
