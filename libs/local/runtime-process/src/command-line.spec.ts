import { exitWith, parseFlags, readCommandLine, UsageError } from './command-line.js';

class ToolUsageError extends UsageError {
  override readonly name = 'ToolUsageError';
}

const flags = { count: { type: 'string' }, json: { type: 'boolean' } } as const;

/** What a command printed, by stream. */
function capturedOutput() {
  const printed = { stdout: '', stderr: '' };
  return {
    printed,
    output: {
      stdout: { write: (text: string) => (printed.stdout += text) },
      stderr: { write: (text: string) => (printed.stderr += text) },
    },
  };
}

describe('parseFlags', () => {
  it('gives the values of the flags it was told of', () => {
    // Prepare / Act
    const values = parseFlags(['--count', '5', '--json'], flags);

    // Assess
    expect(values).toEqual({ count: '5', json: true });
  });

  it('answers --help with help, whatever else is given', () => {
    // Prepare / Act / Assess
    expect(parseFlags(['--count', '5', '--help'], flags)).toBe('help');
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--count'], "Option '--count <value>' argument missing"],
    [['positional'], "Unexpected argument 'positional'"],
  ])('refuses %j with the command\'s usage error, saying what is wrong', (argv, message) => {
    // Prepare
    const parse = () => parseFlags(argv, flags, ToolUsageError);

    // Act / Assess
    expect(parse).toThrow(ToolUsageError);
    expect(parse).toThrow(message);
  });
});

describe('readCommandLine', () => {
  it('returns the options of a command line it can run, printing nothing', () => {
    // Prepare
    const { printed, output } = capturedOutput();

    // Act
    const read = readCommandLine(() => ({ count: 5 }), 'Usage: tool', output);

    // Assess
    expect(read).toEqual({ options: { count: 5 } });
    expect(printed).toEqual({ stdout: '', stderr: '' });
  });

  it('prints the usage on stdout and ends with 0 on --help', () => {
    // Prepare
    const { printed, output } = capturedOutput();

    // Act
    const read = readCommandLine(() => 'help' as const, 'Usage: tool', output);

    // Assess
    expect(read).toEqual({ exitCode: 0 });
    expect(printed).toEqual({ stdout: 'Usage: tool\n', stderr: '' });
  });

  it('prints what to change and the usage on stderr and ends with 2 on a wrong flag', () => {
    // Prepare
    const { printed, output } = capturedOutput();

    // Act
    const read = readCommandLine(() => parseFlags(['--bogus'], flags, ToolUsageError), 'Usage: tool', output);

    // Assess
    expect(read).toEqual({ exitCode: 2 });
    expect(printed.stdout).toBe('');
    expect(printed.stderr).toMatch(/^Unknown option '--bogus'.*\n\nUsage: tool\n$/s);
  });

  it('lets any other error through: it is a bug, not a wrong flag', () => {
    // Prepare
    const bug = new TypeError('undefined is not a function');

    // Act / Assess
    expect(() =>
      readCommandLine(() => {
        throw bug;
      }, 'Usage: tool'),
    ).toThrow(bug);
  });
});

describe('exitWith', () => {
  const exitCodeBefore = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCodeBefore;
  });

  it('ends with the code main resolves with', async () => {
    // Prepare
    const { printed, output } = capturedOutput();

    // Act
    await exitWith(Promise.resolve(3), 'tool', output);

    // Assess
    expect(process.exitCode).toBe(3);
    expect(printed.stderr).toBe('');
  });

  it('ends with 1 and one line naming the command when main throws', async () => {
    // Prepare
    const { printed, output } = capturedOutput();

    // Act
    await exitWith(Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3000')), 'tool', output);

    // Assess
    expect(process.exitCode).toBe(1);
    expect(printed.stderr).toBe('tool failed: connect ECONNREFUSED 127.0.0.1:3000\n');
  });
});
