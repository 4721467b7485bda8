// This machine runs Node 20 while Lambda runs 22+: the SDK's reminder is expected here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { figuresTable, parseSimulateArgs, ProgressBar, runSimulation, simulateUsage, simulationJson, SimulateUsageError, type StrategyFigures } from '@fanout/simulation';

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
