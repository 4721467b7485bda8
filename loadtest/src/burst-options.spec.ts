import { BurstUsageError, parseBurstOptions, usage } from './burst-options.js';

describe('parseBurstOptions', () => {
  it('runs the default burst with no flags', () => {
    // Assess
    expect(parseBurstOptions([])).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      apiKey: undefined,
      messages: 100,
      batch: 10,
      drainTimeoutSeconds: 120,
      concurrency: 8,
      requestTimeoutSeconds: 30,
      attempts: 5,
      json: false,
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    // Act
    const options = parseBurstOptions([
      '--url',
      'https://abc.execute-api.us-east-1.amazonaws.com/v1/',
      '--messages=1000',
      '--batch',
      '5',
      '--api-key',
      'K',
      '--concurrency',
      '16',
      '--drain-timeout=600',
      '--request-timeout',
      '10',
      '--attempts=3',
      '--json',
    ]);

    // Assess
    expect(options).toEqual({
      apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/v1',
      apiKey: 'K',
      messages: 1000,
      batch: 5,
      drainTimeoutSeconds: 600,
      concurrency: 16,
      requestTimeoutSeconds: 10,
      attempts: 3,
      json: true,
    });
  });

  it('answers --help with help', () => {
    // Assess
    expect(parseBurstOptions(['--help'])).toBe('help');
    expect(usage).toContain('--drain-timeout <s>');
  });

  it.each([
    [['--mesages', '10'], "Unknown option '--mesages'"],
    [['extra'], "Unexpected argument 'extra'"],
    [['--batch', '20'], '--batch must be a whole number from 1 to 10, got "20".'],
    [['--messages', '0'], '--messages must be a whole number from 1 to 10000000, got "0".'],
    [['--url', 'localhost:3000'], '--url must be an http:// or https:// URL'],
    [['--api-key', ''], '--api-key must not be empty.'],
  ])('refuses %j with a message that names the flag', (argv, message) => {
    // Act
    const parse = () => parseBurstOptions(argv);

    // Assess
    expect(parse).toThrow(BurstUsageError);
    expect(parse).toThrow(message);
  });
});
