import { parseSimulateArgs, simulateUsage, SimulateUsageError } from './simulate-command.js';
import { awsParameters } from './parameters.js';

describe('parseSimulateArgs', () => {
  it('reads a full command line', () => {
    // Act
    const options = parseSimulateArgs(['--strategy', 'all', '--messages', '1000', '--arrival', 'rate:50:2', '--seed', '9', '--set', 'esm.batchSize=5', '--set', 'lambda.workMsPerMessage=2.5', '--json']);
    // Assess
    expect(options).toMatchObject({
      strategies: ['serial', 'fanout', 'fanout-drain', 'esm', 'esm-provisioned'],
      messages: 1_000,
      arrival: { kind: 'rate', perSecond: 50, stepSeconds: 2 },
      seed: 9,
      json: true,
    });
    expect(options !== 'help' && 'parameters' in options && options.parameters['esm.batchSize']).toBe(5);
    expect(options !== 'help' && 'parameters' in options && options.parameters['lambda.workMsPerMessage']).toBe(2.5);
  });

  it('takes every parameter the issue names with --set', () => {
    for (const setting of [
      'lambda.workMsPerMessage=3',
      'esm.initialConcurrency=10',
      'esm.scaleUpPerMinute=60',
      'esm.maxConcurrency=500',
      'esm.batchSize=10',
      'dynamodb.initialWriteUnits=8000',
      'schedule.rateMinutes=1',
      'fanout.maxWorkers=20',
      'sqs.receiveLatencyMs=4/6/12/30',
    ]) {
      expect(parseSimulateArgs(['--strategy', 'esm', '--messages', '10', '--set', setting])).not.toBe('help');
    }
  });

  it.each([
    [['--strategy', 'fast', '--messages', '10'], '--strategy must be one of serial, fanout, fanout-drain, esm, esm-provisioned, all, got "fast".'],
    [['--messages', '10'], '--strategy must be one of serial, fanout, fanout-drain, esm, esm-provisioned, all, got "".'],
    [['--strategy', 'esm', '--messages', '0'], '--messages must be a whole number from 1 to 100,000,000, got "0".'],
    [['--strategy', 'esm', '--messages', '100000001'], '--messages must be a whole number from 1 to 100,000,000, got "100000001".'],
    [['--strategy', 'esm', '--messages', '-5'], '--messages must be a whole number from 1 to 100,000,000, got "-5".'],
    [['--strategy', 'esm', '--messages', '10', '--arrival', 'rate:0'], '--arrival must be burst (all N at once) or rate:R[:S] (R messages a second, arriving every S seconds, S = 1 unless given), with R and S above 0, got "rate:0".'],
    [['--strategy', 'esm', '--messages', '10', '--arrival', 'wave'], '--arrival must be burst (all N at once) or rate:R[:S] (R messages a second, arriving every S seconds, S = 1 unless given), with R and S above 0, got "wave".'],
    [['--strategy', 'esm', '--messages', '10', '--seed', 'x'], '--seed must be a whole number from 0 to 4,294,967,295, got "x".'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'esm.batchSiz=5'], '--set Unknown parameter "esm.batchSiz"; the esm.* parameters are'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'warp.speed=9'], '--set Unknown parameter "warp.speed"; parameters are sqs.*'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'esm.batchSize=-1'], '--set esm.batchSize must be a whole number from 1 to 10000, got "-1".'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'esm.batchSize=ten'], '--set esm.batchSize must be a whole number from 1 to 10000, got "ten".'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'schedule.rateMinutes=0'], '--set schedule.rateMinutes must be a number of at least 1, got "0".'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'sqs.receiveLatencyMs=9/5/1/0'], '--set sqs.receiveLatencyMs must be ms, as one number or p10/p50/p90/p99 (e.g. 7/10.2/16/27.6), got "9/5/1/0".'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'batchSize'], '--set takes name=value (e.g. dynamodb.initialWriteUnits=8000), got "batchSize".'],
    [['--strategy', 'esm', '--messages', '10', '--fast'], "Unknown option '--fast'."],
    [['--strategy', 'esm', 'extra'], 'Unexpected argument'],
  ])('refuses %j with one line saying what is wrong and what it takes', (argv, message) => {
    // Act
    let error: unknown;
    try {
      parseSimulateArgs(argv);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(SimulateUsageError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes --docs DIR for the whole study', () => {
    expect(parseSimulateArgs(['--docs', 'docs'])).toEqual({ docs: 'docs' });
  });

  it('lists every parameter with its default and its source in --help', () => {
    // Act
    const usage = simulateUsage();
    // Assess
    expect(parseSimulateArgs(['--help'])).toBe('help');
    for (const name of Object.keys(awsParameters)) expect(usage).toContain(`  ${name} = `);
    expect(usage).toContain('dynamodb.initialWriteUnits = 4000');
    expect(usage).toContain('[AWS]');
  });
});
