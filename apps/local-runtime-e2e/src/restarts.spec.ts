import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueCounts, tableItems } from '@fanout/testing';
import { emulatorClientsOf, postJson, runToExit, startRuntime, waitFor, type RuntimeProcess, type StartedEvent } from './runtime-process.js';

// Whole pipelines drain thousands of messages, stop and start again here: minutes on a busy CI
// machine, not seconds. Every wait below has its own bound; this one only catches a hang.
jest.setTimeout(300_000);

/** Posts `count` messages of run `runId` through the API, 10 a request, 8 requests at a time; returns their key1s. */
async function postMessages(apiUrl: string, runId: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${runId}-${i}`);
  const batches = Array.from({ length: Math.ceil(count / 10) }, (_, i) => keys.slice(i * 10, i * 10 + 10));
  const statuses: number[] = [];
  for (let i = 0; i < batches.length; i += 8) {
    const answers = await Promise.all(
      batches.slice(i, i + 8).map((batch) => postJson(`${apiUrl}/messages`, batch.map((key1) => ({ key1, key2: 'b', key3: 'c', runId })))),
    );
    statuses.push(...answers.map((answer) => answer.status));
  }
  expect(statuses.filter((status) => status !== 202)).toEqual([]);
  return keys;
}

async function itemsOfRun(started: StartedEvent, runId: string): Promise<Record<string, unknown>[]> {
  const items = await tableItems(emulatorClientsOf(started).documents, started.tableName);
  return items.filter((item) => item['runId'] === runId);
}

/** Ticks every 2 s until the table holds `expected` items of the run; the items, counted from the table. */
async function drainRun(apiUrl: string, started: StartedEvent, runId: string, expected: number, timeoutMs: number) {
  let lastTick = 0;
  return waitFor(
    async () => {
      if (Date.now() - lastTick > 2_000) {
        lastTick = Date.now();
        await postJson(`${apiUrl}/_local/tick`, {});
      }
      const items = await itemsOfRun(started, runId);
      return items.length >= expected ? items : undefined;
    },
    timeoutMs,
    `${expected} items of run ${runId} in the table`,
  );
}

/** Resolves once nothing answers at `endpoint` any more: an emulator that outlived its runtime has exited. */
function closed(endpoint: string): Promise<true> {
  return waitFor(
    () =>
      fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1_000) }).then(
        () => undefined,
        () => true as const,
      ),
    10_000,
    `the emulator at ${endpoint} to exit`,
  );
}

/** The queue's counts as the runtime's emulators hold them. */
function queueOf(started: StartedEvent) {
  return queueCounts(emulatorClientsOf(started).sqs, started.queueUrl);
}

/**
 * The queue once it is empty, or as it stands after 30 s: the last items reach the table a moment
 * before their messages are deleted, and on a busy machine the deletes can trail by seconds.
 */
async function queueOnceDrained(started: StartedEvent) {
  let last = await queueOf(started);
  await waitFor(
    async () => {
      last = await queueOf(started);
      return last.visible + last.inFlight === 0 ? true : undefined;
    },
    30_000,
    'the queue to be empty',
  ).catch(() => undefined);
  return last;
}

/** Signals the runtime's whole process group, as a terminal does. */
function signalGroup(runtime: RuntimeProcess, signal: NodeJS.Signals): void {
  process.kill(-(runtime.child.pid as number), signal);
}

function sortedKeys(items: Record<string, unknown>[]): string[] {
  return items.map((item) => String(item['key1'])).sort();
}

describe('npm start: restarts and shutdown', () => {
  let runtime: RuntimeProcess | undefined;
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'fanout-restart-'));
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps 500 queued messages through a kill -9 of its whole process group; the restart writes each of them once', async () => {
    // Prepare: 500 messages queued, nothing draining them
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir], { detached: true });
    const first = runtime.started;
    const posted = await postMessages(first.apiUrl, 'kill-9', 500);
    const queuedBefore = await queueOf(first);

    // Act: kill -9 of the group, then a restart on the same folder
    signalGroup(runtime, 'SIGKILL');
    const exit = await runtime.exited;
    await Promise.all([closed(first.sqsEndpoint), closed(first.dynamodbEndpoint)]);
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir]);
    const second = runtime.started;
    const queuedAfterRestart = await queueOf(second);
    const items = await drainRun(second.apiUrl, second, 'kill-9', 500, 120_000);

    // Assess
    expect(exit.signal).toBe('SIGKILL');
    expect(queuedBefore).toEqual({ visible: 500, inFlight: 0 });
    expect(queuedAfterRestart).toEqual({ visible: 500, inFlight: 0 });
    expect(items).toHaveLength(500);
    expect(sortedKeys(items)).toEqual([...posted].sort());
    expect(await queueOnceDrained(second)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('lets the running invocations of a 5,000-message drain finish on Ctrl-C to its process group, with the emulators still up; the restart writes each message once', async () => {
    // Prepare: 5,000 messages, drain started
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir, '--visibility-timeout', '10'], { detached: true });
    const first = runtime.started;
    const posted = await postMessages(first.apiUrl, 'ctrl-c', 5_000);
    await postJson(`${first.apiUrl}/_local/tick`, {});
    const atSignal = await waitFor(
      async () => {
        const counts = await queueOf(first);
        return counts.visible < 4_500 ? counts : undefined;
      },
      60_000,
      'the drain to take its first 500 messages',
    );

    // Act: SIGINT to the whole group, as a terminal's Ctrl-C sends it; then a restart
    signalGroup(runtime, 'SIGINT');
    const sqsDuringStop = await fetch(`${first.sqsEndpoint}/health`).then((response) => response.status, (error: Error) => error.message);
    const exit = await runtime.exited;
    const stopped = runtime.lines.find((line) => line['event'] === 'stopped');
    await Promise.all([closed(first.sqsEndpoint), closed(first.dynamodbEndpoint)]);
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir, '--visibility-timeout', '10']);
    const second = runtime.started;
    const keptOnQueue = await queueOf(second);
    const inTableAtRestart = (await itemsOfRun(second, 'ctrl-c')).length;
    const restarted = runtime;
    const firstStatus = await waitFor(async () => restarted.lines.find((line) => line['event'] === 'status'), 10_000, 'a status line');
    const items = await drainRun(second.apiUrl, second, 'ctrl-c', 5_000, 120_000);

    // Assess
    expect(atSignal.visible + atSignal.inFlight).toBeGreaterThan(0);
    // The emulators were not taken down by the signal: they answered while the runtime stopped.
    expect(sqsDuringStop).toBe(200);
    expect(exit).toEqual({ code: 0, signal: null });
    // What the stop said it left is what the restart found (messages in flight may have become visible again).
    expect(stopped).toMatchObject({ kept: true, left: { deadLetter: 0 } });
    const left = stopped?.['left'] as { visible: number; inFlight: number };
    expect(left.visible + left.inFlight).toBe(keptOnQueue.visible + keptOnQueue.inFlight);
    // The status line counts from the items the table already held.
    expect(firstStatus['written']).toBe(inTableAtRestart);
    expect(items).toHaveLength(5_000);
    expect(sortedKeys(items)).toEqual([...posted].sort());
    expect(await queueOnceDrained(second)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('stops at once on a second Ctrl-C, cutting invocations short; the messages they held come back after a restart', async () => {
    // Prepare: every AWS request 200–400 ms slower, so that draining 1,000 messages takes the
    // invocations several seconds: still running when the second signal comes
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir, '--visibility-timeout', '5', '--faults', 'latency=200-400'], { detached: true });
    const first = runtime.started;
    const posted = await postMessages(first.apiUrl, 'twice', 1_000);
    await postJson(`${first.apiUrl}/_local/tick`, {});
    await waitFor(async () => ((await queueOf(first)).inFlight > 0 ? true : undefined), 60_000, 'the drain to start');

    // Act: Ctrl-C, and once the runtime is stopping, Ctrl-C again
    signalGroup(runtime, 'SIGINT');
    const firstRuntime = runtime;
    await waitFor(async () => (firstRuntime.lines.some((line) => line['event'] === 'stopping') ? true : undefined), 10_000, 'the stopping line');
    signalGroup(runtime, 'SIGINT');
    const exit = await runtime.exited;
    await Promise.all([closed(first.sqsEndpoint), closed(first.dynamodbEndpoint)]);
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir, '--visibility-timeout', '5']);
    const items = await drainRun(runtime.started.apiUrl, runtime.started, 'twice', 1_000, 120_000);

    // Assess
    expect(exit).toEqual({ code: 1, signal: null });
    expect(firstRuntime.lines.some((line) => line['event'] === 'stopped')).toBe(false);
    expect(items).toHaveLength(1_000);
    expect(sortedKeys(items)).toEqual([...posted].sort());
  });

  it('keeps the queued messages through SIGTERM and says so; the restart reports what was written before', async () => {
    // Prepare: 5 messages written, then 3 more queued
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir]);
    const first = runtime.started;
    await postMessages(first.apiUrl, 'kept', 5);
    const tick = await postJson(`${first.apiUrl}/_local/tick`, {});
    await waitFor(async () => ((await itemsOfRun(first, 'kept')).length === 5 ? true : undefined), 30_000, '5 items written');
    // Every run the tick started has ended (the runtime's own counters), so none takes the next 3.
    const running = runtime;
    await waitFor(
      async () => running.lines.find((line) => line['event'] === 'status' && Number(line['workerRuns']) >= Number(tick.body['workers']) && line['workerRunsInProgress'] === 0),
      30_000,
      'the worker runs to end',
    );
    await postJson(`${first.apiUrl}/messages`, [1, 2, 3].map((i) => ({ key1: `queued-${i}`, key2: 'b', key3: 'c', runId: 'queued' })));

    // Act
    const exitCode = await runtime.stop();
    const stopped = runtime.lines.find((line) => line['event'] === 'stopped');
    runtime = await startRuntime(['--rate', 'off', '--data-dir', dataDir]);
    const report = (await (await fetch(`${runtime.started.apiUrl}/runs/kept`)).json()) as { written: number };

    // Assess
    expect(exitCode).toBe(0);
    expect(stopped).toMatchObject({ kept: true, left: { visible: 3, inFlight: 0, deadLetter: 0 } });
    expect(await queueOf(runtime.started)).toEqual({ visible: 3, inFlight: 0 });
    expect(report.written).toBe(5);
  });

  it('says how many queued messages a stop without --data-dir lost', async () => {
    // Prepare
    runtime = await startRuntime(['--rate', 'off']);
    await postMessages(runtime.started.apiUrl, 'lost', 20);

    // Act
    const exitCode = await runtime.stop();

    // Assess
    expect(exitCode).toBe(0);
    expect(runtime.lines.find((line) => line['event'] === 'stopped')).toMatchObject({ kept: false, left: { visible: 20, inFlight: 0, deadLetter: 0 } });
  });

  it('refuses, with exit code 2 naming the folder and why, a --data-dir it cannot use', async () => {
    // Prepare
    const file = join(dataDir, 'a-file');
    writeFileSync(file, '');
    const foreign = join(dataDir, 'foreign');
    mkdirSync(join(foreign, 'made'), { recursive: true });
    writeFileSync(join(foreign, 'notes.txt'), '');

    // Act
    const underFile = await runToExit(['--data-dir', join(file, 'data'), '--port', '0', '--sqs-port', '0', '--dynamodb-port', '0']);
    const otherFiles = await runToExit(['--data-dir', foreign, '--port', '0', '--sqs-port', '0', '--dynamodb-port', '0']);

    // Assess
    expect(underFile.code).toBe(2);
    expect(underFile.stderr.trim()).toBe(
      `--data-dir: The data folder ${join(file, 'data')} cannot be a folder: it, or a folder on its path, is a file (ENOTDIR). Choose another path.`,
    );
    expect(otherFiles.code).toBe(2);
    expect(otherFiles.stderr.trim()).toBe(
      `--data-dir: The data folder ${foreign} holds files the local runtime did not write (made, notes.txt). Choose an empty or new folder.`,
    );
  });
});
