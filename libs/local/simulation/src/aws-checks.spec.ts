import { applySettings } from './parameter-values.js';
import { runSimulation, type SimulationResult } from './run-simulation.js';
import type { SimulationStrategyName } from './simulation-strategies.js';

// Item 5 of #16: with AWS's parameters, the simulation reproduces what the seed (the 2015 blog post)
// and AWS themselves report. Simulated, not timed: each takes seconds of CPU at most.

function simulate(strategy: SimulationStrategyName, messages: number, settings: string[] = [], seed = 1): Promise<SimulationResult> {
  return runSimulation({ strategy, messages, arrival: { kind: 'burst' }, seed, parameters: applySettings(settings) });
}

describe('the seed\'s own figures', () => {
  it('the original fan-out drains about 80 % of a 100-message burst in its first tick, with short polls', async () => {
    // Act: five seeds, as the post saw one run
    const shares = await Promise.all([1, 2, 3, 4, 5].map(async (seed) => (await simulate('fanout', 100, [], seed)).figures.firstTickShare ?? 0));
    // Assess
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    expect(mean).toBeGreaterThan(0.7);
    expect(mean).toBeLessThan(0.9);
    expect(shares.every((share) => share < 1)).toBe(true);
  });

  it('the design before it needs the 10 ticks the seed counts for 100 when every receive returns 10, and more with short polls', async () => {
    // Act
    const fullReceives = await simulate('serial', 100, ['sqs.shortPollSampleShare=1']);
    const shortPolls = await simulate('serial', 100);
    // Assess: about 50 minutes at 5 a tick
    expect(fullReceives.figures.ticks).toBe(10);
    expect((fullReceives.figures.drainMs ?? 0) - fullReceives.figures.tickWaitMs).toBeGreaterThan(44 * 60_000);
    expect(shortPolls.figures.ticks).toBeGreaterThan(10);
    expect(shortPolls.figures.written).toBe(100);
  });
});

describe('AWS\'s own figures', () => {
  it('with the pre-2023 ramp of +60 a minute, the event source mapping reaches 1,250 concurrent invocations in about 20 minutes', async () => {
    // Prepare: nothing else in the way (no maximum concurrency, no reserved concurrency, room in the
    // account) and messages slow enough (5 s each, 50 s a batch) that the backlog outlasts the ramp.
    const settings = [
      'esm.scaleUpPerMinute=60',
      'esm.maxConcurrency=0',
      'lambda.workerReservedConcurrency=0',
      'lambda.accountConcurrency=2000',
      'lambda.workMsPerMessage=5000',
    ];
    // Act
    const { figures, details } = await simulate('esm', 250_000, settings);
    // Assess: AWS: "a maximum of 1,250 concurrent executions in approximately 20 minutes"
    expect(figures.peakConcurrency).toBe(1_250);
    expect(details.esmReachedCeilingMs).toBeGreaterThan(18 * 60_000);
    expect(details.esmReachedCeilingMs).toBeLessThan(22 * 60_000);
  }, 120_000);

  it('with today\'s +300 a minute it reaches the same 1,250 five times faster', async () => {
    // Act
    const { details } = await simulate('esm', 100_000, ['esm.maxConcurrency=0', 'lambda.workerReservedConcurrency=0', 'lambda.accountConcurrency=2000', 'lambda.workMsPerMessage=5000']);
    // Assess
    expect(details.esmReachedCeilingMs).toBeGreaterThan(3.5 * 60_000);
    expect(details.esmReachedCeilingMs).toBeLessThan(4.5 * 60_000);
  }, 120_000);
});
