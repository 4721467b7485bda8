import { localRuntimeConfig } from '@fanout/runtime';
import { parseRate } from '@fanout/runtime';
import { CliUsageError, parseCliOptions, usage } from './cli-options.js';

function usageErrorOf(argv: string[]): CliUsageError {
  try {
    parseCliOptions(argv);
  } catch (error) {
    if (error instanceof CliUsageError) return error;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseCliOptions', () => {
  it('runs on the local runtime defaults when given no flags', () => {
    // Prepare
    const argv: string[] = [];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toEqual({
      port: localRuntimeConfig.apiPort,
      sqsPort: localRuntimeConfig.sqsPort,
      dynamodbPort: localRuntimeConfig.dynamodbPort,
      rate: localRuntimeConfig.tickRate,
      tickEveryMs: parseRate(localRuntimeConfig.tickRate),
      trigger: { trigger: 'fanout', batchSize: 10, batchingWindowSeconds: 0, provisionedPollers: undefined },
      dataDir: undefined,
      json: false,
      verbose: false,
      visibilityTimeoutSeconds: undefined,
      maxReceiveCount: undefined,
      apiKey: undefined,
      workerConcurrency: undefined,
    });
  });

  it('reads every flag', () => {
    // Prepare
    const argv = [
      '--port', '3100',
      '--sqs-port', '4600',
      '--dynamodb-port', '8100',
      '--rate', '2s',
      '--data-dir', './local-data',
      '--visibility-timeout', '30',
      '--max-receive-count', '3',
      '--worker-concurrency', '4',
      '--api-key', 'local-key',
      '--json',
      '--verbose',
    ];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toEqual({
      port: 3100,
      sqsPort: 4600,
      dynamodbPort: 8100,
      rate: '2s',
      tickEveryMs: 2_000,
      trigger: { trigger: 'fanout', batchSize: 10, batchingWindowSeconds: 0, provisionedPollers: undefined },
      dataDir: './local-data',
      json: true,
      verbose: true,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
      apiKey: 'local-key',
      workerConcurrency: 4,
    });
  });

  it('reads the --flag=value form', () => {
    // Prepare
    const argv = ['--port=3100', '--rate=500ms', '--data-dir=/tmp/fanout'];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toMatchObject({ port: 3100, rate: '500ms', tickEveryMs: 500, dataDir: '/tmp/fanout' });
  });

  it('accepts port 0, which lets the system pick a free port', () => {
    // Prepare
    const argv = ['--port', '0', '--sqs-port', '0', '--dynamodb-port', '0'];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toMatchObject({ port: 0, sqsPort: 0, dynamodbPort: 0 });
  });

  it.each(['off', '0'])('turns the schedule off with --rate %s', (rate) => {
    // Prepare
    const argv = ['--rate', rate];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toMatchObject({ rate, tickEveryMs: 0 });
  });

  it('answers help for --help, whatever else is given', () => {
    // Prepare
    const argv = ['--port', 'not-a-port', '--help'];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toBe('help');
    expect(usage).toContain('--port <n>');
  });

  it('refuses an unknown flag, naming it', () => {
    // Prepare
    const argv = ['--prot', '3100'];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toContain('--prot');
  });

  it('refuses a positional argument, naming it', () => {
    // Prepare
    const argv = ['3100'];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toContain('3100');
  });

  it('refuses a flag that needs a value and has none, naming it', () => {
    // Prepare
    const argv = ['--port'];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toContain('--port');
  });

  it.each([
    ['--port', 'abc'],
    ['--port', '70000'],
    ['--port', '-1'],
    ['--port', '3000.5'],
    ['--port', ''],
    ['--sqs-port', 'x'],
    ['--dynamodb-port', '65536'],
  ])('refuses %s %j, saying it must be a port number', (flag, value) => {
    // Prepare
    const argv = [`${flag}=${value}`];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe(`${flag} must be a port number (0-65535), got ${JSON.stringify(value)}.`);
  });

  it('refuses a rate it cannot read, saying what a rate looks like', () => {
    // Prepare
    const argv = ['--rate', 'fast'];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe('--rate: Rate "fast" is not a duration such as 10s, 500ms or 5m (or off).');
  });

  it('refuses a rate under 100ms', () => {
    // Prepare
    const argv = ['--rate', '50ms'];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toMatch(/^--rate: .*under 100ms/);
  });

  it.each([
    ['--visibility-timeout', '0'],
    ['--visibility-timeout', '2.5'],
    ['--max-receive-count', 'none'],
    ['--worker-concurrency', '-3'],
  ])('refuses %s %j, saying it must be a whole number of at least 1', (flag, value) => {
    // Prepare
    const argv = [`${flag}=${value}`];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe(`${flag} must be a whole number of at least 1, got ${JSON.stringify(value)}.`);
  });

  it('reads --trigger esm with its batch size and batching window, and runs no schedule with it', () => {
    // Prepare
    const argv = ['--trigger', 'esm', '--batch-size', '500', '--batching-window=2'];

    // Act
    const options = parseCliOptions(argv);

    // Assess
    expect(options).toMatchObject({ trigger: { trigger: 'esm', batchSize: 500, batchingWindowSeconds: 2 }, tickEveryMs: 0 });
  });

  it.each([
    [['--trigger', 'lambda'], '--trigger must be fanout or esm, got "lambda".'],
    [['--trigger='], '--trigger must be fanout or esm, got "".'],
    [['--trigger', 'esm', '--batch-size', '0'], '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "0".'],
    [['--trigger', 'esm', '--batch-size', '10001', '--batching-window', '1'], '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "10001".'],
    [['--trigger', 'esm', '--batch-size', '11'], '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "11".'],
    [['--trigger', 'esm', '--batch-size', 'ten'], '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "ten".'],
    [['--trigger', 'esm', '--batching-window', '301'], '--batching-window must be a whole number of seconds from 0 to 300, got "301".'],
    [['--trigger', 'esm', '--batching-window=-1'], '--batching-window must be a whole number of seconds from 0 to 300, got "-1".'],
    [['--trigger', 'esm', '--batching-window', '1.5'], '--batching-window must be a whole number of seconds from 0 to 300, got "1.5".'],
  ])('refuses %j in one sentence naming the flag and what it accepts, as the stack refuses its context', (argv, message) => {
    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe(message);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('refuses --rate with --trigger esm, which runs no schedule', () => {
    // Act
    const error = usageErrorOf(['--trigger', 'esm', '--rate', '2s']);

    // Assess
    expect(error.message).toBe('--rate sets the schedule of test-cron, which --trigger esm does not run: drop --rate, or use --trigger fanout.');
  });

  it('refuses an empty --api-key', () => {
    // Prepare
    const argv = ['--api-key='];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe('--api-key must not be empty.');
  });

  it('refuses an empty --data-dir, with a folder it could be', () => {
    // Prepare
    const argv = ['--data-dir='];

    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe('--data-dir must name a folder, e.g. --data-dir .fanout-data.');
  });

  it.each([
    [['--port', '4566'], '--port and --sqs-port are both 4566: each needs a port of its own.'],
    [['--port', '7000', '--dynamodb-port', '7000'], '--port and --dynamodb-port are both 7000: each needs a port of its own.'],
    [['--port', '7000', '--sqs-port', '7000', '--dynamodb-port', '7000'], '--port, --sqs-port and --dynamodb-port are all 7000: each needs a port of its own.'],
  ])('refuses one port for two services (%j)', (argv, message) => {
    // Act
    const error = usageErrorOf(argv);

    // Assess
    expect(error.message).toBe(message);
  });
});
