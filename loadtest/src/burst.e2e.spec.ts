import { runtimeStopDeadlineMs } from '@fanout/runtime-process';
import { burstMain, runNode, startLocalRuntime, type LocalRuntime } from './testing/local-runtime-process.js';

/**
 * The built runner (`dist/loadtest/burst.js`, what `npm run burst` runs) against the built local
 * pipeline (`dist/apps/local-runtime/main.js`, what `npm start` runs): real HTTP, real emulators,
 * real workers. The runtime requires an API key, so the runner must send it.
 */
const apiKey = 'loadtest-e2e-key';

describe('npm run burst against the local pipeline', () => {
  let runtime: LocalRuntime | undefined;
  const apiUrl = () => {
    if (runtime === undefined) throw new Error('The local runtime did not start (see beforeAll).');
    return runtime.apiUrl;
  };

  beforeAll(async () => {
    runtime = await startLocalRuntime(['--rate', '1s', '--api-key', apiKey]);
  }, 60_000);

  // Stopping lets the runtime's running invocations finish: seconds on a busy machine, not jest's default 5.
  afterAll(async () => {
    await runtime?.stop();
  }, runtimeStopDeadlineMs + 5_000);

  it('posts 200 messages in batches of 10, all accepted, and waits until all 200 are written', async () => {
    // Act
    const run = await runNode(
      burstMain,
      ['--url', apiUrl(), '--messages', '200', '--batch', '10', '--api-key', apiKey, '--drain-timeout', '60', '--json'],
      80_000,
    );

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]) as Record<string, unknown> & { runId: string; drainMs: number; latencyMs: Record<string, number> };
    expect(summary).toMatchObject({ messages: 200, accepted: 200, rejected: 0, written: 200, timedOut: false });
    expect(summary.drainMs).toBeGreaterThan(0);
    const { p50, p95, p99, max } = summary.latencyMs;
    expect(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max).toBe(true);
    // The pipeline's own report agrees: 200 items under the runner's run id
    const response = await fetch(`${apiUrl()}/runs/${summary.runId}`, { headers: { 'x-api-key': apiKey } });
    expect(await response.json()).toMatchObject({ runId: summary.runId, written: 200 });
  }, 90_000);

  it('exits 1 with every message rejected when the key is wrong, without waiting for a drain', async () => {
    // Act
    const run = await runNode(
      burstMain,
      ['--url', apiUrl(), '--messages', '20', '--api-key', 'wrong', '--json'],
      30_000,
    );

    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ messages: 20, accepted: 0, rejected: 20, written: 0, timedOut: false });
    expect(run.stderr).toContain('2 × POST /messages answered 403');
    expect(run.stderr).toContain('pass --api-key');
  }, 90_000);

  it('prints the usage and exits 2 on an unknown flag', async () => {
    // Act
    const run = await runNode(burstMain, ['--mesages', '10'], 30_000);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("Unknown option '--mesages'");
    expect(run.stderr).toContain('Usage: npm run burst -- [options]');
  });
});

describe('npm run burst against the local pipeline started with --trigger esm', () => {
  let runtime: LocalRuntime | undefined;

  beforeAll(async () => {
    runtime = await startLocalRuntime(['--trigger', 'esm']);
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
  }, runtimeStopDeadlineMs + 5_000);

  it('writes all 1,000 messages of a burst with no tick: the event source mapping drains the queue by itself', async () => {
    // Act: what the demo runs, npm run -s burst -- --messages 1000 --json
    const apiUrl = runtime?.apiUrl ?? '';
    const run = await runNode(burstMain, ['--url', apiUrl, '--messages', '1000', '--drain-timeout', '60', '--json'], 80_000);

    // Assess: the runner's count, and the pipeline's own report from the table
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim()) as { runId: string; written: number; accepted: number; timedOut: boolean };
    expect(summary).toMatchObject({ accepted: 1_000, written: 1_000, timedOut: false });
    const response = await fetch(`${apiUrl}/runs/${summary.runId}`);
    expect(await response.json()).toMatchObject({ written: 1_000 });
  }, 90_000);
});
