import { parseArgs, type ParseArgsConfig } from 'node:util';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** A command line a command cannot run: the message says what to change. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type FlagValues<O extends FlagOptions> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];

/**
 * A command's flags, parsed strictly: an unknown flag, a flag without its value or an argument that is
 * not a flag throws `new CommandUsageError(node's message)`. `'help'` when --help is among them.
 */
export function parseFlags<O extends FlagOptions>(
  argv: readonly string[],
  options: O,
  CommandUsageError: new (message: string) => UsageError = UsageError,
): FlagValues<O> | 'help' {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CommandUsageError((error as Error).message);
  }
  return values['help'] ? 'help' : (values as FlagValues<O>);
}

interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Reads a command line the way every command here answers one: a {@link UsageError} prints its message
 * and the usage on stderr, exit code 2; --help prints the usage on stdout, exit code 0. Returns the
 * options, or the exit code to end with.
 */
export function readCommandLine<T>(
  parse: () => T | 'help',
  usage: string,
  output: CommandOutput = process,
): { options: T } | { exitCode: number } {
  let options;
  try {
    options = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr.write(`${error.message}\n\n${usage}\n`);
    return { exitCode: 2 };
  }
  if (options === 'help') {
    output.stdout.write(`${usage}\n`);
    return { exitCode: 0 };
  }
  return { options };
}

/**
 * Ends a command with the exit code its `main` resolves with. A `main` that throws ends it with 1 and
 * `<command> failed: <message>` on stderr, without a stack trace.
 */
export function exitWith(main: Promise<number>, command: string, output: Pick<CommandOutput, 'stderr'> = process): Promise<void> {
  return main.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      output.stderr.write(`${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
