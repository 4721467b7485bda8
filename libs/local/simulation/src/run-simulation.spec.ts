import { applySettings } from './parameter-values.js';
import { runSimulation } from './run-simulation.js';
import { simulationJson } from './simulation-report.js';
import type { SimulationStrategyName } from './simulation-strategies.js';

async function json(strategy: SimulationStrategyName, messages: number, seed: number): Promise<string> {
  const parameters = applySettings([]);
  const { figures } = await runSimulation({ strategy, messages, arrival: { kind: 'burst' }, seed, parameters });
  return simulationJson(parameters, [figures]);
}

describe('runSimulation', () => {
  it('gives byte-identical JSON for the same seed, and other figures for another', async () => {
    // Act
    const first = await json('fanout', 300, 11);
    const again = await json('fanout', 300, 11);
    const other = await json('fanout', 300, 12);
    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('drains a deep burst with fanout-drain at the table\'s pace: nothing lost, no good message in the dead-letter queue, within 1.15 × the write limit', async () => {
    // Act
    const { figures } = await runSimulation({ strategy: 'fanout-drain', messages: 100_000, arrival: { kind: 'burst' }, seed: 1, parameters: applySettings([]) });
    // Assess
    expect(figures).toMatchObject({ written: 100_000, lost: 0, goodInDlq: 0, duplicates: 0, notDrained: 0 });
    expect((figures.drainMs ?? Infinity) - figures.tickWaitMs).toBeLessThanOrEqual(1.15 * figures.writeLimitMs);
  }, 120_000);

  it('puts a poison message in the dead-letter queue after maxReceiveCount receives, and writes the rest', async () => {
    // Act
    const { figures } = await runSimulation({
      strategy: 'fanout-drain',
      messages: 500,
      arrival: { kind: 'burst' },
      seed: 1,
      parameters: applySettings(['workload.poisonMessages=2', 'sqs.visibilityTimeoutMs=30000']),
    });
    // Assess: the two poison messages are not good messages
    expect(figures).toMatchObject({ written: 498, goodInDlq: 0, lost: 0, notDrained: 0 });
  }, 60_000);

  it('takes messages at a rate as they arrive: the drain ends soon after the last one', async () => {
    // Act
    const { figures } = await runSimulation({ strategy: 'esm', messages: 2_000, arrival: { kind: 'rate', perSecond: 100, stepSeconds: 1 }, seed: 1, parameters: applySettings([]) });
    // Assess: 20 s of arrivals
    expect(figures.written).toBe(2_000);
    expect(figures.drainMs).toBeGreaterThan(19_000);
    expect(figures.drainMs).toBeLessThan(22_000);
  }, 60_000);
});
