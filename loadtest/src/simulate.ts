import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  depthOverTimeSvg,
  drainTimeSvg,
  figuresTable,
  parseSimulateArgs,
  ProgressBar,
  runScaleStudy,
  runSimulation,
  scaleDocument,
  simulateUsage,
  simulationJson,
  SimulateUsageError,
  defaultStudy,
  applySettings,
  writeLimitMs,
  type ScaleStudy,
  type StrategyFigures,
} from '@fanout/simulation';

// This machine runs Node 20 while Lambda runs 22+: the SDK's reminder is expected here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** docs/scale.md and its two pictures, from a real run of the whole study. */
async function writeDocs(directory: string): Promise<void> {
  const started = performance.now();
  const dist = resolve(__dirname, '..', 'apps');
  const study: ScaleStudy = await runScaleStudy({
    ...defaultStudy,
    files: { functionsDir: dist, environmentScript: join(dist, 'local-runtime', 'execution-environment.cjs') },
    log: (line) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s] ${line}\n`),
  });
  const docs = resolve(directory);
  mkdirSync(docs, { recursive: true });
  writeFileSync(join(docs, 'scale.md'), scaleDocument(study, `npm run simulate -- --docs ${directory}`));
  const drained = study.depth.series.flatMap((s) => s.points.at(-1)?.t ?? []).filter((t) => t < 3_600_000 * 24);
  const horizonMs = Math.max(...drained, 60_000) * 1.05;
  writeFileSync(join(docs, 'scale-depth.svg'), `${depthOverTimeSvg(study.depth.series, study.depth.messages, horizonMs)}\n`);
  const strategies = [...new Set(study.runs.map((run) => run.figures.strategy))];
  const series = strategies.map((strategy) => ({
    strategy: strategy as string,
    points: study.runs.filter((run) => run.figures.strategy === strategy).map((run) => ({ messages: run.figures.messages, drainMs: run.figures.drainMs })),
  }));
  const limit = study.sizes.map((messages) => ({ messages, drainMs: writeLimitMs(messages, applySettings([])) }));
  writeFileSync(join(docs, 'scale-drain-time.svg'), `${drainTimeSvg([...series, { strategy: 'write limit', points: limit }])}\n`);
  process.stdout.write(`Wrote ${join(docs, 'scale.md')}, scale-depth.svg and scale-drain-time.svg.\n`);
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseSimulateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof SimulateUsageError)) throw error;
    process.stderr.write(`simulate: ${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${simulateUsage()}\n`);
    return 0;
  }
  if ('docs' in options) {
    await writeDocs(options.docs);
    return 0;
  }
  const bar = new ProgressBar(process.stderr);
  const figures: StrategyFigures[] = [];
  for (const strategy of options.strategies) {
    const started = performance.now();
    const progressOf = (written: number, virtualMs: number) => ({ strategy, written, messages: options.messages, virtualMs, realMs: performance.now() - started });
    const result = await runSimulation({
      strategy,
      messages: options.messages,
      arrival: options.arrival,
      seed: options.seed,
      parameters: options.parameters,
      onProgress: ({ written, virtualMs }) => bar.update(progressOf(written, virtualMs)),
    });
    bar.finish(progressOf(result.figures.written, result.details.virtualMs));
    figures.push(result.figures);
  }
  process.stdout.write(options.json ? `${simulationJson(options.parameters, figures)}\n` : `${figuresTable(figures)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`simulate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
