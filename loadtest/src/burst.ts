import { setTimeout as sleep } from 'node:timers/promises';
import { formatSummaryTable, isBurstSuccessful, requestCount } from '../shared/burst-plan.js';
import { exitWith, readCommandLine } from '@fanout/runtime-process';
import { parseBurstOptions, usage } from './burst-options.js';
import { ProgressLine } from './progress-line.js';
import { runBurst } from './run-burst.js';

/** `npm run burst -- …`: returns the exit code (0 passed, 1 rejected or timed out, 2 wrong flags). */
async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(() => parseBurstOptions(argv), usage);
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { options } = commandLine;

  const progress = process.stderr.isTTY ? new ProgressLine(process.stderr) : undefined;
  if (!options.json) {
    process.stderr.write(
      `burst: ${options.messages} messages in ${requestCount(options.messages, options.batch)} requests of up to ${options.batch} to ${options.apiUrl}, ${options.concurrency} at a time\n`,
    );
  }
  const { summary, problems, retries } = await runBurst(options, {
    fetch: globalThis.fetch,
    now: Date.now,
    sleep: (ms) => sleep(ms),
    random: Math.random,
    onProgress: progress ? (update) => progress.update(update) : undefined,
  });
  progress?.finish();

  process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${formatSummaryTable(summary)}\n`);
  const retried = Object.entries(retries);
  if (retried.length > 0) {
    const total = retried.reduce((sum, [, count]) => sum + count, 0);
    process.stderr.write(`${total} tries sent again with the same idempotency keys (${retried.map(([why, count]) => `${count} after ${why}`).join(', ')})\n`);
  }
  for (const problem of problems) {
    process.stderr.write(`${problem.requests} × ${problem.what}${problem.hint ? `\n    ${problem.hint}` : ''}\n`);
  }
  if (summary.timedOut) {
    process.stderr.write(
      `The drain did not finish within ${options.drainTimeoutSeconds} s; GET /runs/${summary.runId} shows how far it got (or rerun with a longer --drain-timeout).\n`,
    );
  }
  return isBurstSuccessful(summary) ? 0 : 1;
}

void exitWith(main(process.argv.slice(2)), 'burst');
