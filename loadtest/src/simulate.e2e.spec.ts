import { runNode, simulateMain } from './testing/local-runtime-process.js';

/** `npm run simulate`, the built command, as a user runs it. */
describe('npm run simulate', () => {
  it('prints every strategy\'s figures for the seed\'s 100 messages as JSON: the original fan-out\'s first-tick share, serial\'s 10 ticks and more', async () => {
    // Act
    const run = await runNode(simulateMain, ['--strategy', 'all', '--messages', '100', '--seed', '1', '--json'], 120_000);

    // Assess
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { parameters: Record<string, unknown>; strategies: Record<string, unknown>[] };
    expect(Object.keys(output)).toEqual(['parameters', 'strategies']);
    expect(output.parameters['dynamodb.initialWriteUnits']).toBe(4_000);
    const byName = Object.fromEntries(output.strategies.map((figures) => [figures['strategy'], figures]));
    expect(Object.keys(byName)).toEqual(['serial', 'fanout', 'fanout-drain', 'esm', 'esm-provisioned']);
    for (const figures of output.strategies) {
      for (const field of ['messages', 'drainMs', 'tickWaitMs', 'firstWriteMs', 'ticks', 'firstTickShare', 'latencyMs', 'peakConcurrency', 'coldStarts', 'invocations', 'requestsPerMessage', 'costPerMillionUsd', 'goodInDlq', 'duplicates', 'lost', 'writeLimitMs']) {
        expect(figures).toHaveProperty(field);
      }
    }
    expect(byName['fanout']?.['firstTickShare']).toBeGreaterThan(0.7);
    expect(byName['fanout']?.['firstTickShare']).toBeLessThan(0.95);
    expect(byName['serial']?.['ticks']).toBeGreaterThanOrEqual(10);
    expect(byName['esm']?.['tickWaitMs']).toBe(0);
  }, 120_000);

  it('prints the same bytes for the same seed', async () => {
    // Act
    const args = ['--strategy', 'fanout', '--messages', '500', '--seed', '3', '--json'];
    const [first, second] = await Promise.all([runNode(simulateMain, args, 60_000), runNode(simulateMain, args, 60_000)]);

    // Assess
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  }, 60_000);

  it.each([
    [['--strategy', 'nope', '--messages', '10'], '--strategy must be one of'],
    [['--strategy', 'esm', '--messages', '0'], '--messages must be a whole number from 1 to 100,000,000'],
    [['--strategy', 'esm', '--messages', '10', '--arrival', 'rate:0'], '--arrival must be burst'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'esm.speed=3'], 'Unknown parameter "esm.speed"'],
    [['--strategy', 'esm', '--messages', '10', '--set', 'lambda.workMsPerMessage=-1'], 'lambda.workMsPerMessage must be a number of at least 0'],
  ])('exits 2 on %j with one line that says what is wrong and what it takes, never a stack trace', async (args, message) => {
    // Act
    const run = await runNode(simulateMain, args, 30_000);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
