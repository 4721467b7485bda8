import { runStrategy, strategies, type MeasuringPlan, type RuntimeFiles } from '@fanout/bench';
import { localParameters, localRuntimeOverrides, measureLocalInputs, startCpuScaleProbe, type LocalInputs } from './local-inputs.js';
import { runSimulation } from './run-simulation.js';

/** The bench strategies the simulation predicts on this machine. */
export type PredictedStrategy = 'fanout-drain' | 'fanout';

export interface LocalPrediction {
  strategy: PredictedStrategy;
  messages: number;
  /** The bench's median drain after the first tick, and every measured drain. */
  benchMs: number;
  benchSamples: number[];
  /** The simulation's median over seeds, and each seed's. */
  predictedMs: number;
  predictedSamples: number[];
  /** predictedMs / benchMs. */
  ratio: number;
  /** The CPU scale measured beside each of the bench's measured drains (their median is the one simulated). */
  cpuScales: number[];
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/** How many drains the prediction measures of each case, and how many seeds it simulates. */
export const predictionMeasuring: MeasuringPlan & { seeds: number } = {
  warmUpDrains: 3,
  warmUpForMs: 10_000,
  repeats: 7,
  maxRepeats: 9,
  measureForMs: 15_000,
  measuringBudgetMs: 90_000,
  seeds: 9,
};

/**
 * The bench measures, the simulation predicts: for each case, the bench drains bursts of N on the
 * local pipeline (as `npm run bench` does, two worker environments), each right after a raw drain of
 * N that measures this machine's CPU scale in the same state; the simulation then runs the same
 * strategy on this machine's measured inputs (local-inputs.ts) over several seeds. Both medians.
 */
export async function predictLocalBench(
  files: RuntimeFiles,
  cases: readonly { strategy: PredictedStrategy; messages: number }[],
  options: { log?: (line: string) => void; measuring?: typeof predictionMeasuring } = {},
): Promise<{ inputs: LocalInputs; predictions: LocalPrediction[] }> {
  const log = options.log ?? (() => undefined);
  const measuring = options.measuring ?? predictionMeasuring;
  log('measuring this machine\'s inputs: each call alone, the function host, a tick\'s start, counting a run\'s items…');
  const inputs = await measureLocalInputs(files, [...new Set(cases.map((c) => c.messages))]);
  const probe = await startCpuScaleProbe(inputs.callMs, inputs.cpuMsPerMessage);
  const predictions: LocalPrediction[] = [];
  try {
    for (const { strategy, messages } of cases) {
      log(`${strategy} at N = ${messages}: the bench's drains, each beside a raw drain of N…`);
      const cpuScales: number[] = [];
      const run = await runStrategy(strategies[strategy], messages, files, {
        measuring,
        workerConcurrency: inputs.workerEnvironments,
        beforeEachBurst: async (measured) => {
          const scale = await probe.sample(messages);
          if (measured) cpuScales.push(scale);
        },
      });
      const benchSamples = (run.drainMsSamples ?? []).filter((ms): ms is number => ms !== null);
      const paired = { ...inputs, cpuScale: median(cpuScales) };
      const predictedSamples: number[] = [];
      for (let seed = 1; seed <= measuring.seeds; seed++) {
        const { figures } = await runSimulation({
          strategy,
          messages,
          arrival: { kind: 'burst' },
          seed,
          parameters: localParameters(paired, messages),
          baseOverrides: localRuntimeOverrides(inputs.workerEnvironments),
        });
        // The bench's drain runs from the first tick, which the compressed schedule fires at once.
        if (figures.drainMs !== null) predictedSamples.push(figures.drainMs - figures.tickWaitMs);
      }
      const benchMs = run.drainMs ?? Infinity;
      const predictedMs = median(predictedSamples);
      predictions.push({ strategy, messages, benchMs, benchSamples, predictedMs, predictedSamples, ratio: Math.round((predictedMs / benchMs) * 100) / 100, cpuScales });
      log(`  bench ${benchMs} ms (${benchSamples.join(' / ')}), simulated ${predictedMs} ms (${predictedSamples.join(' / ')}): ${(predictedMs / benchMs).toFixed(2)}×`);
    }
  } finally {
    await probe.stop();
  }
  return { inputs, predictions };
}
