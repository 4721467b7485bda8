import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags, readCommandLine } from '@fanout/runtime-process';
import { benchConditions, benchmarkDocument, bundleTable, depthSvg, limitTable, markdownTable, quickMeasuring, runBenchmark } from '@fanout/bench';

const usage = `Usage: npm run bench -- [--quick] [--json] [--docs DIR]

Measures how fast a burst drains on the embedded emulators: the local limit, then the serial,
fanout and fanout-drain strategies and the same functions started by the event source mapping (esm,
timed from the burst's first enqueue) for N = 100, 1,000 and 10,000. Each configuration first drains
up to ${benchConditions.measuring.warmUpDrains} unmeasured bursts of N (for ${benchConditions.measuring.warmUpForMs / 1000} s at most), then measures at least ${benchConditions.measuring.repeats} (up to ${benchConditions.measuring.maxRepeats} while
they take less than ${benchConditions.measuring.measureForMs / 1000} s; fewer once they have taken ${benchConditions.measuring.measuringBudgetMs / 1000} s); each figure is their median
(--quick: 100 and 1,000, one warm-up and one measured drain each).
  --json       print one JSON object {limit, rows, bundles} on stdout and write no docs
  --docs DIR   where benchmarks.md and drain.svg go (default docs)`;

async function main(): Promise<void> {
  const commandLine = readCommandLine(
    () => parseFlags(process.argv.slice(2), { quick: { type: 'boolean' }, json: { type: 'boolean' }, docs: { type: 'string' } }),
    usage,
  );
  if ('exitCode' in commandLine) process.exit(commandLine.exitCode);
  const values = commandLine.options;
  const started = performance.now();
  const dist = resolve(__dirname, '..', 'apps');
  const output = await runBenchmark({
    sizes: values.quick ? [100, 1_000] : [100, 1_000, 10_000],
    measuring: values.quick ? quickMeasuring : benchConditions.measuring,
    files: { functionsDir: dist, environmentScript: join(dist, 'local-runtime', 'execution-environment.cjs') },
    log: (line) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`),
  });
  const { result, chart } = output;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ limit: result.limit, rows: result.rows, bundles: result.bundles, machine: result.machine, pipeline: result.pipeline, measuring: result.measuring })}\n`);
    return;
  }
  const docs = resolve(values.docs ?? 'docs');
  mkdirSync(docs, { recursive: true });
  const command = `npm run bench${values.quick ? ' -- --quick' : ''}`;
  writeFileSync(join(docs, 'benchmarks.md'), benchmarkDocument(result, command, new Date()));
  writeFileSync(join(docs, 'drain.svg'), `${depthSvg(chart.series, chart.messages)}\n`);
  process.stdout.write(`${limitTable(result)}\n\n${markdownTable(result)}\n\n${bundleTable(result.bundles)}\n\nWrote ${join(docs, 'benchmarks.md')} and drain.svg.\n`);
}

void main();
