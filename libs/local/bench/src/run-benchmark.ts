import { cpus, totalmem } from 'node:os';
import { defaultWorkerConcurrency, localLoopsPerRun } from '@fanout/runtime';
import { benchConditions, type MeasuringPlan } from './bench-conditions.js';
import type { BenchmarkResult, BenchmarkRow } from './benchmark-report.js';
import { limitFigures, toRow } from './benchmark-report.js';
import { measureBundles } from './cold-starts.js';
import { limitLoopCounts, startLocalLimit } from './local-limit.js';
import { runStrategy, type DepthPoint, type RuntimeFiles } from './run-strategy.js';
import { strategies, type StrategyName } from './strategies.js';

export interface BenchmarkOptions {
  sizes: number[];
  files: RuntimeFiles;
  /** N whose queue depth is drawn in docs/drain.svg. */
  chartSize?: number;
  /** Warm-up and measured drains of each configuration, the figure being the measured ones' median (default benchConditions.measuring). */
  measuring?: MeasuringPlan;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface BenchmarkOutput {
  result: BenchmarkResult;
  chart: { messages: number; series: { strategy: string; points: DepthPoint[] }[] };
}

const order: StrategyName[] = ['serial', 'fanout', 'fanout-drain', 'esm'];

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkOutput> {
  const log = options.log ?? (() => undefined);
  const measuring = options.measuring ?? benchConditions.measuring;
  const chartSize = options.chartSize ?? 1_000;
  const rows: BenchmarkRow[] = [];
  const limits: BenchmarkResult['limit'] = {};
  const series: BenchmarkOutput['chart']['series'] = [];
  for (const messages of options.sizes) {
    log(`N=${messages}: measuring the local limit (raw SDK drain, ${limitLoopCounts.join(' / ')} loops)…`);
    const limitBench = await startLocalLimit(messages, { measuring });
    try {
      const limit = await limitBench.measure();
      limits[String(messages)] = limitFigures(limit);
      log(
        `N=${messages}: limit ${Math.round(limit.best.drainMs)} ms with ${limit.best.workers} loops ` +
          `(${Math.round(limit.direct.drainMs)} ms straight to the emulators, ${Math.round(limit.batched.drainMs)} ms writing as a worker run does)`,
      );
      const runs = order.map((name) => ({ strategy: strategies[name], enqueueBatch: 10 }));
      // What the run's shared writer gains, measured in the same run; from 10,000 a loop's own 50 fill its calls anyway.
      if (messages < 10_000) runs.push({ strategy: strategies['fanout-drain-alone'], enqueueBatch: 10 });
      if (messages >= 1_000) runs.push({ strategy: strategies['fanout-drain'], enqueueBatch: 1 });
      for (const { strategy, enqueueBatch } of runs) {
        log(`N=${messages}: ${strategy.name}${enqueueBatch === 1 ? ' (1 msg/request)' : ''}, each burst after a drain of the limit's…`);
        // Each burst, warm-up and measured, comes right after a drain of the limit's best loop count,
        // so that both are measured in the same state of the machine, whatever else it is doing.
        const { result: run, limitDrainMs } = await limitBench.pairedWith(limit.best.workers, (beforeEachBurst) =>
          runStrategy(strategy, messages, options.files, {
            enqueueBatch,
            measuring,
            beforeEachBurst,
            // The chart shows the designs; the shared writer's ablation would sit on ours.
            sampleDepth: messages === chartSize && enqueueBatch === 10 && order.includes(strategy.name),
          }),
        );
        const row = toRow(run, limit, limitDrainMs);
        log(
          `  ${row.trigger === 'esm' ? 'no tick' : `${row.ticksToDrain ?? '—'} ticks, ${Math.round((row.firstTickShare ?? 0) * 100)} % in the first`}, ${row.drainMs ?? '—'} ms against the limit's ${row.limitMs} ms, ` +
            `${row.requestsPerMessage} requests/msg (drains ${row.drainMsSamples.join(' / ')} ms; the limit's ${row.limitMsSamples.join(' / ')} ms)`,
        );
        if (run.notDrained) {
          log(`  not drained: ${run.notDrained.written} of ${messages} written; the queue holds ${run.notDrained.queue.visible} visible, ${run.notDrained.queue.inFlight} in flight`);
        }
        rows.push(row);
        if (run.depthSeries.length > 0) series.push({ strategy: strategy.name, points: run.depthSeries });
      }
    } finally {
      await limitBench.stop();
    }
  }
  log('Bundles: size and cold start…');
  const bundles = await measureBundles(options.files);
  const cpu = cpus();
  const workerEnvironments = defaultWorkerConcurrency();
  return {
    result: {
      machine: {
        cpus: cpu.length,
        cpuModel: cpu[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      tick: 'compressed: the next tick fires as soon as the runs the previous tick started have ended',
      limit: limits,
      pipeline: { workerEnvironments, receiveLoops: localLoopsPerRun(workerEnvironments) },
      measuring,
      rows,
      bundles,
    },
    chart: { messages: chartSize, series },
  };
}
