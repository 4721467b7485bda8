import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { RuntimeFiles } from '@fanout/bench';
import { measureBoundaryCost, type BoundaryCost } from './boundary-cost.js';
import type { DepthPoint } from './drain-metrics.js';
import { predictLocalBench, type LocalPrediction } from './local-prediction.js';
import type { LocalInputs } from './local-inputs.js';
import { applySettings } from './parameter-values.js';
import type { SimulationParameters } from './parameters.js';
import { runSimulation, type SimulationResult, type StrategyFigures } from './run-simulation.js';
import { simulationStrategyNames, type SimulationStrategyName } from './simulation-strategies.js';

/** One simulated drain of the study, with what it cost to simulate. */
export interface StudyRun {
  figures: StrategyFigures;
  details: SimulationResult['details'];
  /** CPU ms the simulation took (user + system). */
  cpuMs: number;
}

/** Everything docs/scale.md shows, from real runs. */
export interface ScaleStudy {
  date: string;
  machine: { cpus: number; node: string };
  sizes: number[];
  runs: StudyRun[];
  /** Queue depth over time of each strategy at the chart's N. */
  depth: { messages: number; series: { strategy: string; points: DepthPoint[] }[] };
  seed: { fanoutShares: number[]; serialTicksFull: number[]; serialTicksShort: number[] };
  esmRamp: { pre2023Ms: number | null; todayMs: number | null };
  schedule: { rateMinutes: number; tickWaitMs: number[]; cronInvocationsPerMonth: number; cronUsdPerMonth: number }[];
  variants: { label: string; settings: string[]; run: StudyRun }[];
  local?: { inputs: LocalInputs; predictions: LocalPrediction[] };
  boundary: BoundaryCost;
}

export interface StudyOptions {
  sizes: number[];
  /** Strategies left out at N: too slow to simulate there (see docs/scale.md, speed). */
  skip: (strategy: SimulationStrategyName, messages: number) => boolean;
  chartSize: number;
  /** The built bundles, for the local prediction; left out when they are not built. */
  files?: RuntimeFiles;
  log?: (line: string) => void;
}

export const defaultStudy: StudyOptions = {
  // 10,000,000 takes 3 to 6 minutes of CPU a strategy (the original fan-out's million worker starts
  // about 15): an hour more on 2 cores. One strategy at a time: --strategy X --messages 10000000.
  sizes: [1_000, 10_000, 100_000, 1_000_000],
  skip: (strategy, messages) => strategy === 'fanout' && messages > 1_000_000,
  chartSize: 1_000_000,
};

async function simulateMeasured(strategy: SimulationStrategyName, messages: number, parameters: SimulationParameters, seed = 1): Promise<StudyRun & { depth: DepthPoint[] }> {
  const started = process.cpuUsage();
  const result = await runSimulation({ strategy, messages, arrival: { kind: 'burst' }, seed, parameters });
  const used = process.cpuUsage(started);
  return { figures: result.figures, details: result.details, cpuMs: Math.round((used.user + used.system) / 1000), depth: result.depthSeries };
}

/** Runs every simulation docs/scale.md shows (and the local prediction, when the bundles are built). */
export async function runScaleStudy(options: StudyOptions = defaultStudy): Promise<ScaleStudy> {
  const log = options.log ?? (() => undefined);
  const aws = applySettings([]);
  log('the cost of each boundary…');
  const boundary = await measureBoundaryCost();
  // First: it measures this machine with the emulators, and a failure there should not wait for the rest.
  let local: ScaleStudy['local'];
  if (options.files && existsSync(options.files.environmentScript)) {
    log('the local prediction: the bench measures, the simulation predicts…');
    local = await predictLocalBench(
      options.files,
      [
        { strategy: 'fanout-drain', messages: 100 },
        { strategy: 'fanout-drain', messages: 1_000 },
        { strategy: 'fanout', messages: 100 },
        { strategy: 'fanout', messages: 1_000 },
      ],
      { log: (line) => log(`  ${line}`) },
    );
  }

  const runs: StudyRun[] = [];
  const series: ScaleStudy['depth']['series'] = [];
  for (const messages of options.sizes) {
    for (const strategy of simulationStrategyNames) {
      if (options.skip(strategy, messages)) continue;
      log(`${strategy} at N = ${messages.toLocaleString('en-US')}…`);
      const { depth, ...run } = await simulateMeasured(strategy, messages, aws);
      runs.push(run);
      if (messages === options.chartSize) series.push({ strategy, points: depth });
      log(`  ${run.figures.drainMs === null ? 'not drained' : `${Math.round(run.figures.drainMs / 1000)} s`}, ${Math.round(run.details.realMs / 1000)} s to simulate (${Math.round(run.cpuMs / 1000)} s CPU)`);
    }
  }

  log('the seed\'s checks…');
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const fanoutShares: number[] = [];
  const serialTicksFull: number[] = [];
  const serialTicksShort: number[] = [];
  for (const seed of seeds) {
    fanoutShares.push((await runSimulation({ strategy: 'fanout', messages: 100, arrival: { kind: 'burst' }, seed, parameters: aws })).figures.firstTickShare ?? 0);
    serialTicksFull.push((await runSimulation({ strategy: 'serial', messages: 100, arrival: { kind: 'burst' }, seed, parameters: applySettings(['sqs.shortPollSampleShare=1']) })).figures.ticks);
    serialTicksShort.push((await runSimulation({ strategy: 'serial', messages: 100, arrival: { kind: 'burst' }, seed, parameters: aws })).figures.ticks);
  }

  log('the event source mapping\'s ramp…');
  const ramp = (settings: string[]) => runSimulation({ strategy: 'esm', messages: 250_000, arrival: { kind: 'burst' }, seed: 1, parameters: applySettings(settings) });
  const unbounded = ['esm.maxConcurrency=0', 'lambda.workerReservedConcurrency=0', 'lambda.accountConcurrency=2000', 'lambda.workMsPerMessage=5000'];
  const esmRamp = {
    pre2023Ms: (await ramp([...unbounded, 'esm.scaleUpPerMinute=60'])).details.esmReachedCeilingMs,
    todayMs: (await ramp(unbounded)).details.esmReachedCeilingMs,
  };

  log('the schedule\'s rate…');
  const schedule: ScaleStudy['schedule'] = [];
  for (const rateMinutes of [5, 1]) {
    const waits: number[] = [];
    for (const seed of seeds) {
      waits.push((await runSimulation({ strategy: 'fanout-drain', messages: 1_000, arrival: { kind: 'burst' }, seed, parameters: applySettings([`schedule.rateMinutes=${rateMinutes}`]) })).figures.tickWaitMs);
    }
    // Each tick is one test-cron invocation (about 100 ms at 256 MB) and one GetQueueAttributes.
    const perMonth = (30 * 24 * 60) / rateMinutes;
    const usd = perMonth * (aws['price.lambdaRequestsUsdPerMillion'] / 1e6 + 0.1 * (aws['lambda.cronMemoryMb'] / 1024) * aws['price.lambdaGbSecondUsd'] + aws['price.sqsRequestsUsdPerMillion'] / 1e6);
    schedule.push({ rateMinutes, tickWaitMs: waits, cronInvocationsPerMonth: perMonth, cronUsdPerMonth: Math.round(usd * 1000) / 1000 });
  }

  log('fanout-drain at 1,000,000 on other tables…');
  const variants: ScaleStudy['variants'] = [];
  for (const [label, settings] of [
    ['100 run ids: the table\'s 4,000 write units bind, 2 an item', ['workload.runIds=100']],
    ['no run id: nothing in the index, 1 unit an item', ['workload.runIds=0']],
    ['100 run ids, the index on capacity of its own', ['workload.runIds=100', 'dynamodb.indexSharesTableCapacity=0']],
  ] as [string, string[]][]) {
    const { figures, details, cpuMs } = await simulateMeasured('fanout-drain', 1_000_000, applySettings(settings));
    variants.push({ label, settings, run: { figures, details, cpuMs } });
  }

  return {
    date: new Date().toISOString().slice(0, 10),
    machine: { cpus: availableParallelism(), node: process.version },
    boundary,
    sizes: options.sizes,
    runs,
    depth: { messages: options.chartSize, series },
    seed: { fanoutShares, serialTicksFull, serialTicksShort },
    esmRamp,
    schedule,
    variants,
    local,
  };
}
