import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invokeAsync } from './async-invoker.js';
import { FunctionError, FunctionHost, HostClosedError } from './function-host.js';

const environmentScript = join(__dirname, 'execution-environment.cjs');

describe('invokeAsync', () => {
  let functionHost: FunctionHost;
  let workDir: string;
  let counterFile: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'lambda-host-async-'));
    counterFile = join(workDir, 'attempts');
    functionHost = new FunctionHost({
      name: 'flaky-fn',
      bundlePath: join(__dirname, 'test-fixtures', 'flaky.cjs'),
      environment: {},
      timeoutMs: 2_000,
      concurrency: 1,
      environmentScript,
    });
  });

  afterEach(async () => {
    await functionHost.close(0);
    rmSync(workDir, { recursive: true, force: true });
  });

  const attemptsRun = () => Number(readFileSync(counterFile, 'utf8'));

  it('retries a failing invocation twice, then reports the last error', async () => {
    // Prepare
    const reported: { attempt: number; willRetry: boolean; message: string }[] = [];

    // Act
    const outcome = await invokeAsync(functionHost, { counterFile }, {
      retryDelayMs: () => 0,
      onAttemptFailed: (error, attempt, willRetry) => reported.push({ attempt, willRetry, message: error.message }),
    });

    // Assess
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(3);
    expect(outcome.result).toBeUndefined();
    expect(outcome.error).toBeInstanceOf(FunctionError);
    expect(outcome.error?.message).toBe('flaky-fn failed: Error: attempt 3 failed');
    expect(attemptsRun()).toBe(3);
    expect(reported).toEqual([
      { attempt: 1, willRetry: true, message: 'flaky-fn failed: Error: attempt 1 failed' },
      { attempt: 2, willRetry: true, message: 'flaky-fn failed: Error: attempt 2 failed' },
      { attempt: 3, willRetry: false, message: 'flaky-fn failed: Error: attempt 3 failed' },
    ]);
  });

  it('succeeds on a later attempt and returns the result of that attempt', async () => {
    // Prepare
    const event = { counterFile, succeedOnAttempt: 2 };

    // Act
    const outcome = await invokeAsync<{ attempt: number }>(functionHost, event, { retryDelayMs: () => 0 });

    // Assess
    expect(outcome).toEqual({ ok: true, attempts: 2, result: { attempt: 2 } });
    expect(attemptsRun()).toBe(2);
  });

  it('makes as many attempts as the retries allow', async () => {
    // Prepare
    const event = { counterFile };

    // Act
    const outcome = await invokeAsync(functionHost, event, { retries: 0, retryDelayMs: () => 0 });

    // Assess
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    expect(attemptsRun()).toBe(1);
  });

  it('waits the given delay before each retry', async () => {
    // Prepare
    const delays: number[] = [];
    const startedAt = Date.now();

    // Act
    const outcome = await invokeAsync(functionHost, { counterFile, succeedOnAttempt: 3 }, {
      retryDelayMs: (retry) => {
        delays.push(retry);
        return retry * 50;
      },
    });

    // Assess
    expect(outcome).toMatchObject({ ok: true, attempts: 3 });
    expect(delays).toEqual([1, 2]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
  });

  it('does not retry once the host is closed', async () => {
    // Prepare
    await functionHost.close(0);

    // Act
    const outcome = await invokeAsync(functionHost, { counterFile, succeedOnAttempt: 1 }, { retryDelayMs: () => 0 });

    // Assess
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(1);
    expect(outcome.error).toBeInstanceOf(HostClosedError);
  });
});
