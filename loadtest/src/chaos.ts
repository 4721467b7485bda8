import { resolve, join } from 'node:path';
import { chaosFaults, runChaos } from '@fanout/chaos';
import { parseFlags, readCommandLine } from '@fanout/runtime-process';
import { FaultSpecError, parseFaultSpec } from '@fanout/wire-proxy';
import { TriggerSettingError } from '@fanout/config';
import { parseTriggerFlags } from '@fanout/runtime';

const usage = `Usage: npm run chaos -- [--messages 10000] [--poison 12] [--trigger fanout|esm] [--faults SPEC] [--json]

Sends N good messages through the API and P poison messages straight to the queue, drains them under
every fault at once, then counts from the table and the queues: accepted, written, in the DLQ, lost,
duplicated. Exits 1 unless lost, duplicated and good-in-DLQ are all 0.
  --trigger T     what starts the worker: fanout (test-cron's ticks, the default) or esm (the event
                  source mapping's poller, whose receives and deletes cross the faulty wire too)
  --faults SPEC   the wire faults (default: ${chaosFaults})`;

async function main(): Promise<void> {
  const commandLine = readCommandLine(
    () =>
      parseFlags(process.argv.slice(2), {
        messages: { type: 'string' },
        poison: { type: 'string' },
        faults: { type: 'string' },
        trigger: { type: 'string' },
        json: { type: 'boolean' },
      }),
    usage,
  );
  if ('exitCode' in commandLine) process.exit(commandLine.exitCode);
  const values = commandLine.options;
  let faults;
  try {
    faults = parseFaultSpec(values.faults ?? chaosFaults);
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    process.stderr.write(`--faults: ${error.message}\n`);
    process.exit(2);
  }
  let trigger;
  try {
    trigger = parseTriggerFlags({ trigger: values.trigger }).trigger;
  } catch (error) {
    if (!(error instanceof TriggerSettingError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const dist = resolve(__dirname, '..', 'apps');
  const figures = await runChaos({
    trigger,
    messages: Number(values.messages ?? 10_000),
    poison: Number(values.poison ?? 12),
    faults,
    functionsDir: dist,
    environmentScript: join(dist, 'local-runtime', 'execution-environment.cjs'),
    deadlineMs: 900_000,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    const rows: [string, string | number][] = [
      ['trigger', figures.trigger],
      ['messages posted', figures.messages],
      ['accepted', figures.accepted],
      ['poison sent to the queue', figures.poison],
      ['written (distinct items)', figures.written],
      ['in the dead-letter queue', figures.inDeadLetterQueue],
      ['good messages in the DLQ', figures.goodInDeadLetterQueue],
      ['poison not in the DLQ', figures.poisonNotInDeadLetterQueue],
      ['lost', figures.lost],
      ['duplicated', figures.duplicated],
      ['client retries (503)', figures.clientRetries],
      ...Object.entries(figures.resentByWorkers).map(([name, count]): [string, number] => [`sent again by a worker: ${name}`, count]),
      ['worker retries (runs that finished)', figures.workerRetries],
      [figures.trigger === 'esm' ? 'worker invocations (batches)' : 'worker runs', figures.workerRuns],
      ['ticks', figures.ticks],
      ['drain ms', figures.drainMs],
      ...Object.entries(figures.faultsInjected).map(([name, count]): [string, number] => [`fault: ${name}`, count]),
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    process.stdout.write(`${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n')}\n`);
  }
  const ok = figures.lost === 0 && figures.duplicated === 0 && figures.goodInDeadLetterQueue === 0 && figures.poisonNotInDeadLetterQueue === 0;
  process.exit(ok ? 0 : 1);
}

void main();
