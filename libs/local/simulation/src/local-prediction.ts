import { availableParallelism, loadavg } from 'node:os';
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
  /** The median over the measured drains of simulated / measured, each at the CPU scale that brackets it. */
  ratio: number;
  /** The CPU scale measured before each of the bench's measured drains, and once after the last. */
  cpuScales: number[];
  /** Ticks to drain: the median of the bench's drains, and of every simulated drain (a check of the model's structure beside its times). */
  benchTicks: number;
  predictedTicks: number;
  /** The bench's own count of the run's items after a tick (median): the simulation's wait between ticks. */
  benchCountMs: number;
}

/** Bracketing CPU scales further apart than this mark a drain during which the machine's load changed. */
const maxScaleDrift = 1.35;

/**
 * Waits, up to maxWaitMs, until the machine's one-minute load is at most its cores + 1: a shared
 * machine running other suites gives the bench's many threads and the probe's few unequal shares.
 */
async function waitForQuiet(log: (line: string) => void, maxWaitMs: number): Promise<void> {
  const cores = availableParallelism();
  const until = Date.now() + maxWaitMs;
  if (loadavg()[0] as number > cores + 1) log(`  waiting for a quieter machine (load ${(loadavg()[0] as number).toFixed(1)} on ${cores} cores)…`);
  while ((loadavg()[0] as number) > cores + 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5_000));
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] as number;

/** How many drains the prediction measures of each case, and how many seeds it simulates for each. */
export const predictionMeasuring: MeasuringPlan & { seeds: number } = {
  warmUpDrains: 3,
  warmUpForMs: 10_000,
  repeats: 9,
  // A drain of 100 takes tens of ms and varies by half between drains: as many as 15 s allow.
  maxRepeats: 31,
  measureForMs: 15_000,
  measuringBudgetMs: 90_000,
  seeds: 5,
};

/**
 * The bench measures, the simulation predicts: for each case, the bench drains bursts of N on the
 * local pipeline (as `npm run bench` does, two worker environments), each between two raw drains of
 * N that measure this machine's CPU scale just before and after it; the simulation runs the same
 * strategy on this machine's measured inputs (local-inputs.ts) at each drain's scale over several
 * seeds. The figure is the median of the drains' simulated / measured; the medians of both sides are
 * reported too.
 */
export async function predictLocalBench(
  files: RuntimeFiles,
  cases: readonly { strategy: PredictedStrategy; messages: number }[],
  options: { log?: (line: string) => void; measuring?: typeof predictionMeasuring; quietWaitMs?: number } = {},
): Promise<{ inputs: LocalInputs; predictions: LocalPrediction[] }> {
  const log = options.log ?? (() => undefined);
  const measuring = options.measuring ?? predictionMeasuring;
  log('measuring this machine\'s inputs: each call alone, ticks that start one run, the bench\'s look for a tick\'s end…');
  const inputs = await measureLocalInputs(files);
  const probe = await startCpuScaleProbe(inputs.callMs, inputs.cpuMsPerMessage);
  const predictions: LocalPrediction[] = [];
  try {
    for (const { strategy, messages } of cases) {
      log(`${strategy} at N = ${messages}: the bench's drains, each beside a raw drain of N…`);
      // The CPU scale before each drain; the measured drains' are kept, and one more after the last,
      // so that each measured drain is bracketed by the machine's state just before and just after it.
      const cpuScales: number[] = [];
      // A drain of 100 takes a few ms: three of them, their median, say more than one.
      const probeScale = async () => {
        const samples: number[] = [];
        for (let i = 0; i < (messages < 1_000 ? 3 : 1); i++) samples.push(await probe.sample(messages));
        return median(samples);
      };
      await waitForQuiet(log, options.quietWaitMs ?? 300_000);
      const run = await runStrategy(strategies[strategy], messages, files, {
        measuring,
        workerConcurrency: inputs.workerEnvironments,
        beforeEachBurst: async (measured) => {
          if (measured) cpuScales.push(await probeScale());
        },
      });
      cpuScales.push(await probeScale());
      // The bench's count of the run's items between ticks is its own bookkeeping, not the
      // pipeline's: the simulation waits as long as the bench's counts took (their median).
      const benchCountMs = median(run.countMsSamples ?? [0]);
      const benchSamples = (run.drainMsSamples ?? []).filter((ms): ms is number => ms !== null);
      // Each measured drain against the simulation at its own bracketing scale: a shared machine's
      // load drifts between drains, and each pair sees the same.
      const predictedSamples: number[] = [];
      const simulatedTicks: number[] = [];
      const ratios: number[] = [];
      const pairs = (run.drainMsSamples ?? []).flatMap((benchMs, index) => {
        const before = cpuScales[index] as number;
        const after = cpuScales[index + 1] as number;
        return benchMs === null ? [] : [{ index, benchMs, before, after, steady: Math.max(before, after) / Math.min(before, after) <= maxScaleDrift }];
      });
      // Drains during which the machine's load changed much say little: kept only while enough others did not.
      const steady = pairs.filter((pair) => pair.steady);
      for (const { index, benchMs, before, after } of steady.length >= 3 ? steady : pairs) {
        const scale = (before + after) / 2;
        const paired = { ...inputs, cpuScale: scale };
        const seeds: number[] = [];
        for (let seed = 1; seed <= measuring.seeds; seed++) {
          const { figures } = await runSimulation({
            strategy,
            messages,
            arrival: { kind: 'burst' },
            seed: index * 100 + seed,
            parameters: localParameters(paired, benchCountMs),
            baseOverrides: localRuntimeOverrides(inputs.workerEnvironments),
          });
          // The bench's drain runs from the first tick, which the compressed schedule fires at once.
          if (figures.drainMs !== null) seeds.push(figures.drainMs - figures.tickWaitMs);
          simulatedTicks.push(figures.ticks);
        }
        const predicted = median(seeds);
        predictedSamples.push(predicted);
        ratios.push(predicted / benchMs);
      }
      const benchMs = run.drainMs ?? Infinity;
      const predictedMs = median(predictedSamples);
      const ratio = Math.round(median(ratios) * 100) / 100;
      const benchTicks = median((run.ticksSamples ?? []).filter((ticks): ticks is number => ticks !== null));
      const predictedTicks = median(simulatedTicks);
      predictions.push({ strategy, messages, benchMs, benchSamples, predictedMs, predictedSamples, ratio, cpuScales, benchTicks, predictedTicks, benchCountMs });
      log(`  bench ${benchMs} ms (${benchSamples.join(' / ')}), simulated ${predictedMs} ms (${predictedSamples.join(' / ')}): ${ratio.toFixed(2)}× (the median of each drain's); ticks ${benchTicks} and ${predictedTicks}`);
    }
  } finally {
    await probe.stop();
  }
  return { inputs, predictions };
}
