import { join } from 'node:path';
import {
  FunctionError,
  FunctionHost,
  FunctionThrottledError,
  FunctionTimeoutError,
  HostClosedError,
  InvocationAbandonedError,
  type FunctionDefinition,
} from './function-host.js';

const environmentScript = join(__dirname, 'execution-environment.cjs');
const fixture = (name: string) => join(__dirname, 'test-fixtures', name);

interface EnvironmentReport {
  pid: number;
  threadId: number;
  env: string | null;
  parentVar: string | null;
  envNames: string[];
  initCount: number;
  invocation: number;
  functionName: string;
  remainingMs: number;
}

interface SleepReport {
  threadId: number;
  startedAt: number;
  endedAt: number;
}

const hosts: FunctionHost[] = [];

function host(overrides: Partial<FunctionDefinition> & Pick<FunctionDefinition, 'bundlePath'>): FunctionHost {
  const created = new FunctionHost({
    name: 'test-fn',
    environment: {},
    timeoutMs: 2_000,
    concurrency: 1,
    environmentScript,
    ...overrides,
  });
  hosts.push(created);
  return created;
}

/** Most intervals that hold at one instant (an interval includes its start, not its end). */
function mostAtOnce(runs: SleepReport[]): number {
  return Math.max(...runs.map((run) => runs.filter((other) => other.startedAt <= run.startedAt && run.startedAt < other.endedAt).length));
}

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((created) => created.close(0)));
  delete process.env['LAMBDA_HOST_SPEC_PARENT_VAR'];
});

describe('FunctionHost', () => {
  it('runs the function in a worker thread of this process with only its own environment variables', async () => {
    // Prepare
    process.env['LAMBDA_HOST_SPEC_PARENT_VAR'] = 'from the parent';
    const functionHost = host({ bundlePath: fixture('report-environment.cjs'), environment: { SOME_VAR: 'own value' } });

    // Act
    const report = await functionHost.invoke<EnvironmentReport>({});

    // Assess
    expect(report.pid).toBe(process.pid);
    expect(report.threadId).toBeGreaterThan(0);
    expect(report.env).toBe('own value');
    expect(report.parentVar).toBeNull();
    // Besides its own: the tag that names this environment in its SDK user agent (app/<tag>).
    expect(report.envNames).toEqual(['AWS_SDK_UA_APP_ID', 'SOME_VAR']);
  });

  it('passes a parent variable only when the definition gives it', async () => {
    // Prepare
    process.env['LAMBDA_HOST_SPEC_PARENT_VAR'] = 'from the parent';
    const functionHost = host({
      bundlePath: fixture('report-environment.cjs'),
      environment: { LAMBDA_HOST_SPEC_PARENT_VAR: process.env['LAMBDA_HOST_SPEC_PARENT_VAR'] },
    });

    // Act
    const report = await functionHost.invoke<EnvironmentReport>({});

    // Assess
    expect(report.parentVar).toBe('from the parent');
    expect(report.env).toBeNull();
  });

  it('hands the handler a context with its name and the time left before its timeout', async () => {
    // Prepare
    const functionHost = host({ name: 'context-fn', bundlePath: fixture('report-environment.cjs'), timeoutMs: 1_500 });

    // Act
    const report = await functionHost.invoke<EnvironmentReport>({});

    // Assess
    expect(report.functionName).toBe('context-fn');
    expect(report.remainingMs).toBeGreaterThan(0);
    expect(report.remainingMs).toBeLessThanOrEqual(1_500);
  });

  it('initialises an environment once and reuses it for later invocations', async () => {
    // Prepare
    const functionHost = host({ bundlePath: fixture('report-environment.cjs') });

    // Act
    const first = await functionHost.invoke<EnvironmentReport>({});
    const second = await functionHost.invoke<EnvironmentReport>({});
    const third = await functionHost.invoke<EnvironmentReport>({});

    // Assess
    expect([first.invocation, second.invocation, third.invocation]).toEqual([1, 2, 3]);
    expect(third.initCount).toBe(1);
    expect(new Set([first.threadId, second.threadId, third.threadId]).size).toBe(1);
    expect(functionHost.stats).toMatchObject({ invocations: 3, coldStarts: 1, environments: 1 });
  });

  it('runs at most `concurrency` invocations at once and queues the rest', async () => {
    // Prepare
    const functionHost = host({ bundlePath: fixture('sleep.cjs'), concurrency: 2 });

    // Act
    const pending = Array.from({ length: 5 }, () => functionHost.invoke<SleepReport>({ ms: 150 }));
    const queuedAtStart = functionHost.stats;
    const runs = await Promise.all(pending);

    // Assess
    expect(queuedAtStart).toMatchObject({ running: 2, waiting: 3 });
    expect(mostAtOnce(runs)).toBeLessThanOrEqual(2);
    expect(new Set(runs.map((run) => run.threadId)).size).toBe(2);
    expect(functionHost.stats).toMatchObject({ invocations: 5, coldStarts: 2, environments: 2 });
  });

  it('throttles an invocation at once when every environment is busy and the wait queue is full, as Lambda does', async () => {
    // Prepare
    const functionHost = host({ name: 'busy-fn', bundlePath: fixture('sleep.cjs'), concurrency: 2, maxWaiting: 3 });

    // Act
    const accepted = Array.from({ length: 5 }, () => functionHost.invoke<SleepReport>({ ms: 300 }));
    const throttled = functionHost.invoke({ ms: 300 });

    // Assess
    await expect(throttled).rejects.toThrow(FunctionThrottledError);
    await expect(throttled).rejects.toThrow('busy-fn is throttled: 2 invocations run and 3 wait');
    expect((await Promise.all(accepted)).length).toBe(5);
    expect(functionHost.stats).toMatchObject({ invocations: 5, throttles: 1 });
    // Room again once the queue has drained.
    await expect(functionHost.invoke<SleepReport>({ ms: 1 })).resolves.toMatchObject({ threadId: expect.any(Number) });
  });

  it('never runs a waiting invocation whose caller gave up, and runs the others', async () => {
    // Prepare
    const functionHost = host({ bundlePath: fixture('sleep.cjs'), concurrency: 1 });
    const running = functionHost.invoke<SleepReport>({ ms: 300 });
    const leaving = new AbortController();
    const gone = functionHost.invoke({ ms: 300 }, { signal: leaving.signal });
    const staying = functionHost.invoke<SleepReport>({ ms: 1 }, { signal: new AbortController().signal });
    const alreadyGone = new AbortController();
    alreadyGone.abort();

    // Act
    leaving.abort();
    const neverQueued = functionHost.invoke({ ms: 1 }, { signal: alreadyGone.signal });

    // Assess
    await expect(gone).rejects.toThrow(InvocationAbandonedError);
    await expect(neverQueued).rejects.toThrow(InvocationAbandonedError);
    await Promise.all([running, staying]);
    expect(functionHost.stats).toMatchObject({ invocations: 2, abandoned: 2, waiting: 0 });
  });

  it('rejects an invocation past its timeout and abandons its environment', async () => {
    // Prepare
    const functionHost = host({ name: 'slow-fn', bundlePath: fixture('sleep.cjs'), timeoutMs: 500 });
    const warm = await functionHost.invoke<SleepReport>({ ms: 1 });

    // Act
    const timedOut = functionHost.invoke({ ms: 5_000 });

    // Assess
    await expect(timedOut).rejects.toThrow(FunctionTimeoutError);
    await expect(timedOut).rejects.toThrow('slow-fn timed out after 500 ms');
    const next = await functionHost.invoke<SleepReport>({ ms: 1 });
    expect(next.threadId).not.toBe(warm.threadId);
    expect(functionHost.stats).toMatchObject({ timeouts: 1, coldStarts: 2, environments: 1 });
  });

  it('rejects with a FunctionError naming the function and the error it threw, and keeps the environment', async () => {
    // Prepare
    const functionHost = host({ name: 'orders', bundlePath: fixture('throws.cjs') });

    // Act
    const failed = functionHost.invoke({ fail: 42 });

    // Assess
    await expect(failed).rejects.toThrow(FunctionError);
    await expect(failed).rejects.toThrow('orders failed: RangeError: quantity 42 is out of range');
    await expect(failed).rejects.toMatchObject({ functionName: 'orders', errorName: 'RangeError' });
    await expect(functionHost.invoke({})).resolves.toBe('ok');
    expect(functionHost.stats).toMatchObject({ errors: 1, coldStarts: 1 });
  });

  it('rejects an invocation whose environment dies of an uncaught error, and serves the next in a new environment', async () => {
    // Prepare
    const functionHost = host({ name: 'crashy', bundlePath: fixture('crashes.cjs'), timeoutMs: 3_000 });
    const before = await functionHost.invoke<{ threadId: number }>({});

    // Act
    const crashed = functionHost.invoke({ uncaught: true });
    await expect(crashed).rejects.toThrow(FunctionError);
    const startedAfterCrash = Date.now();
    const after = await functionHost.invoke<{ threadId: number }>({});

    // Assess
    await expect(crashed).rejects.toThrow('crashy failed: TypeError: connection reset in a background task');
    expect(Date.now() - startedAfterCrash).toBeLessThan(2_000);
    expect(after.threadId).not.toBe(before.threadId);
    expect(functionHost.stats).toMatchObject({ errors: 1, timeouts: 0, coldStarts: 2 });
  });

  it('rejects an invocation whose handler calls process.exit at once instead of waiting for its timeout', async () => {
    // Prepare
    const functionHost = host({ name: 'quitter', bundlePath: fixture('crashes.cjs'), timeoutMs: 3_000 });
    const startedAt = Date.now();

    // Act
    const exited = functionHost.invoke({ exit: 3 });

    // Assess
    await expect(exited).rejects.toThrow('quitter failed: Runtime.ExitError: the execution environment exited with code 3');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await expect(functionHost.invoke({})).resolves.toEqual({ threadId: expect.any(Number) });
    expect(functionHost.stats).toMatchObject({ errors: 1, timeouts: 0, coldStarts: 2 });
  });

  it('rejects every invocation of a bundle that fails to load', async () => {
    // Prepare
    const functionHost = host({ name: 'broken', bundlePath: fixture('fails-at-load.cjs') });

    // Act
    const outcomes = await Promise.allSettled([functionHost.invoke({}), functionHost.invoke({})]);

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(FunctionError);
      expect(reason.message).toBe('broken failed: Error: TABLE_NAME is not set');
    }
    expect(functionHost.stats.errors).toBe(2);
  });

  it('rejects the invocations of a bundle that does not exist with a FunctionError naming the path', async () => {
    // Prepare
    const bundlePath = fixture('no-such-bundle.cjs');
    const functionHost = host({ name: 'missing', bundlePath });

    // Act
    const failed = functionHost.invoke({});

    // Assess
    await expect(failed).rejects.toThrow(FunctionError);
    await expect(failed).rejects.toThrow(bundlePath);
  });

  it('refuses new invocations once closing, refuses waiting ones, and lets a running one finish within the grace period', async () => {
    // Prepare
    const functionHost = host({ name: 'closing-fn', bundlePath: fixture('sleep.cjs'), concurrency: 1 });
    const running = functionHost.invoke<SleepReport>({ ms: 150 });
    const waiting = functionHost.invoke<SleepReport>({ ms: 1 });

    // Act
    const closed = functionHost.close(2_000);
    const late = functionHost.invoke({ ms: 1 });

    // Assess
    const [lateOutcome, waitingOutcome, runningOutcome] = await Promise.allSettled([late, waiting, running]);
    expect(lateOutcome).toMatchObject({ status: 'rejected', reason: expect.any(HostClosedError) });
    expect((lateOutcome as PromiseRejectedResult).reason.message).toBe('closing-fn is shutting down and takes no new invocations');
    expect(waitingOutcome).toMatchObject({ status: 'rejected', reason: expect.any(HostClosedError) });
    expect(runningOutcome.status).toBe('fulfilled');
    const finished = (runningOutcome as PromiseFulfilledResult<SleepReport>).value;
    expect(finished.endedAt - finished.startedAt).toBeGreaterThanOrEqual(140);
    await closed;
    expect(functionHost.stats).toMatchObject({ running: 0, waiting: 0, environments: 0 });
  });

  it("hands each line the function prints to onLog with the function's name", async () => {
    // Prepare
    const lines: string[] = [];
    const functionHost = host({
      name: 'chatty',
      bundlePath: fixture('report-environment.cjs'),
      onLog: (line, functionName) => lines.push(`${functionName}: ${line}`),
    });

    // Act
    await functionHost.invoke({});
    await functionHost.invoke({ warn: 'disk almost full' });

    // Assess
    const expected = ['chatty: invocation 1 of chatty', 'chatty: invocation 2 of chatty', 'chatty: warning: disk almost full'];
    await waitFor(() => expected.every((line) => lines.includes(line)));
    expect([...lines].sort()).toEqual([...expected].sort());
  });

  it('resolves whenSettled once nothing runs or waits', async () => {
    // Prepare
    const functionHost = host({ bundlePath: fixture('sleep.cjs'), concurrency: 1 });
    const runs = [functionHost.invoke<SleepReport>({ ms: 30 }), functionHost.invoke<SleepReport>({ ms: 30 })];

    // Act
    await functionHost.whenSettled();

    // Assess
    expect(functionHost.stats).toMatchObject({ running: 0, waiting: 0, invocations: 2 });
    await expect(Promise.all(runs)).resolves.toHaveLength(2);
  });
});
