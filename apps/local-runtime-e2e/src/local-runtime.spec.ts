import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { defaultWorkerConcurrency, localLoopsPerRun } from '@fanout/runtime';
import { messagesOnQueue, tableItems } from '@fanout/testing';
import { runNodeToExit } from '@fanout/runtime-process';
import { emulatorClientsOf, postJson, runToExit, startRuntime, waitFor, workspaceRoot, type RuntimeProcess } from './runtime-process.js';

async function runReport(apiUrl: string, runId: string) {
  const response = await fetch(`${apiUrl}/runs/${runId}`);
  return (await response.json()) as { written: number; drainMs: number | null; latencyMs: Record<string, number | null> };
}

describe('npm start: the local pipeline', () => {
  let runtime: RuntimeProcess | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('drains 100 messages posted over HTTP into exactly 100 items, and never enqueues bad requests', async () => {
    // Prepare
    runtime = await startRuntime(['--rate', 'off']);
    const { apiUrl, queueUrl, deadLetterQueueUrl, tableName } = runtime.started;
    const { sqs, documents } = emulatorClientsOf(runtime.started);
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    const runId = 'e2e-100';
    const posted = Array.from({ length: 100 }, (_, i) => ({ key1: `one-${i}`, key2: `two-${i}`, key3: `drei-${i} ✓`, runId }));

    // Act: 9 arrays of 10 and 10 single messages, plus requests that must be refused
    const accepted = [];
    for (let i = 0; i < 90; i += 10) accepted.push(await postJson(`${apiUrl}/messages`, posted.slice(i, i + 10)));
    for (let i = 90; i < 100; i++) accepted.push(await postJson(`${apiUrl}/`, posted[i]));
    const refused = [
      await postJson(`${apiUrl}/messages`, '{"key1": "a", "key2": '),
      await postJson(`${apiUrl}/messages`, { key1: 'a', key2: 'b' }),
      await postJson(`${apiUrl}/messages`, { key1: 'a', key2: 'b', key3: 'c', extra: 1 }),
      await postJson(`${apiUrl}/messages`, Array.from({ length: 11 }, () => ({ key1: 'a', key2: 'b', key3: 'c' }))),
      await postJson(`${apiUrl}/messages`, posted[0], { 'content-type': 'text/plain' }),
    ];
    const wrongMethod = await fetch(`${apiUrl}/messages`, { method: 'PUT' });
    const unknownPath = await fetch(`${apiUrl}/nowhere`, { method: 'POST' });
    const queuedBeforeTick = await messagesOnQueue(sqs, queueUrl);
    const tick = await postJson(`${apiUrl}/_local/tick`, {});
    const report = await waitFor(
      async () => {
        const current = await runReport(apiUrl, runId);
        return current.written >= 100 ? current : undefined;
      },
      30_000,
      'GET /runs/e2e-100 to report 100 written',
    );

    // Assess
    expect(accepted.map((response) => response.status)).toEqual(Array(19).fill(202));
    expect(refused.map((response) => response.status)).toEqual([400, 400, 400, 400, 415]);
    expect(refused.every((response) => typeof response.body['error'] === 'string')).toBe(true);
    // A method the route does not define is no route, as on API Gateway.
    expect(wrongMethod.status).toBe(404);
    expect(unknownPath.status).toBe(404);
    expect(queuedBeforeTick).toBe(100);
    // ⌈100 / 10⌉ = 10 workers, capped in line with the local worker concurrency.
    expect(tick.body).toMatchObject({ visible: 100, workers: Math.min(10, defaultWorkerConcurrency()) });
    // Each start sizes its run: one loop per 10 messages a worker can expect, at most the local
    // runtime's loops a run (5 loops of 50 messages on 2 cores, past AWS's 4).
    const workers = Math.min(10, defaultWorkerConcurrency());
    expect(tick.body).toMatchObject({
      loops: Math.min(localLoopsPerRun(workers), Math.ceil(100 / (workers * 10))),
      expectedMessages: Math.ceil(100 / workers),
    });
    expect(report.written).toBe(100);
    expect(report.drainMs).toBeGreaterThan(0);
    expect(report.latencyMs['p50']).toBeLessThanOrEqual(report.latencyMs['max'] as number);
    const items = (await tableItems(documents, tableName)).filter((item) => item['runId'] === runId);
    expect(items).toHaveLength(100);
    expect(items.map((item) => `${item['key1']}|${item['key2']}|${item['key3']}`).sort()).toEqual(
      posted.map((message) => `${message.key1}|${message.key2}|${message.key3}`).sort(),
    );
    expect(await messagesOnQueue(sqs, queueUrl)).toBe(0);
    expect(await messagesOnQueue(sqs, deadLetterQueueUrl)).toBe(0);
  });

  it('dead-letters poison sent straight to the queue within seconds (--visibility-timeout 1 --max-receive-count 2), writing every good message around it', async () => {
    // Prepare: poison of each kind between good messages, bypassing the API
    runtime = await startRuntime(['--rate', '500ms', '--visibility-timeout', '1', '--max-receive-count', '2']);
    const { apiUrl, queueUrl, deadLetterQueueUrl } = runtime.started;
    const { sqs } = emulatorClientsOf(runtime.started);
    const poison = [
      'not json',
      JSON.stringify({ key1: 'a', key2: 'missing key3' }),
      JSON.stringify({ key1: 'a', key2: 2, key3: ['wrong type'] }),
      JSON.stringify({ key1: 'a', key2: 'b', key3: 'x'.repeat(200_000) }),
    ];
    const good = Array.from({ length: 16 }, (_, i) => JSON.stringify({ key1: `good-${i}`, key2: 'b', key3: 'c', runId: 'redrive' }));
    const bodies = good.flatMap((body, i) => (i % 4 === 0 ? [poison[i / 4], body] : [body]));
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(i, i + 10).map((MessageBody, index) => ({ Id: String(index), MessageBody })),
        }),
      );
    }

    // Act: the schedule runs every 500 ms; wait for the redrive
    await waitFor(async () => ((await messagesOnQueue(sqs, deadLetterQueueUrl)) === poison.length ? true : undefined), 30_000, 'the poison in the DLQ');
    const report = await waitFor(
      async () => {
        const current = await runReport(apiUrl, 'redrive');
        return current.written === good.length ? current : undefined;
      },
      30_000,
      'every good message written',
    );

    // Assess
    expect(report.written).toBe(16);
    expect(await messagesOnQueue(sqs, queueUrl)).toBe(0);
    const dead = [];
    for (let i = 0; i < 2; i++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterQueueUrl, MaxNumberOfMessages: 10 }));
      dead.push(...Messages.map((message) => message.Body));
    }
    expect(dead.sort()).toEqual([...poison].sort());
  });

  it('with --trigger esm, writes 1,000 messages posted over HTTP each once and dead-letters the poison, with no tick and no schedule', async () => {
    // Prepare: poison straight to the queue, redriven after 2 receives of 1 s each
    runtime = await startRuntime(['--trigger', 'esm', '--visibility-timeout', '1', '--max-receive-count', '2']);
    const { apiUrl, queueUrl, deadLetterQueueUrl, tableName } = runtime.started;
    const { sqs, documents } = emulatorClientsOf(runtime.started);
    const poison = ['not json', JSON.stringify({ key1: 'a', key2: 'missing key3' })];
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: poison.map((MessageBody, index) => ({ Id: String(index), MessageBody })) }));
    const runId = 'e2e-esm';

    // Act: 100 arrays of 10, and nothing else: no tick
    const statuses = [];
    for (let first = 0; first < 1_000; first += 10) {
      const messages = Array.from({ length: 10 }, (_, i) => ({ key1: `esm-${first + i}`, key2: 'b', key3: 'c', runId }));
      statuses.push((await postJson(`${apiUrl}/messages`, messages)).status);
    }
    await waitFor(
      async () => ((await runReport(apiUrl, runId)).written >= 1_000 && (await messagesOnQueue(sqs, deadLetterQueueUrl)) === poison.length ? true : undefined),
      60_000,
      '1,000 written and the poison dead-lettered',
    );
    const tick = await postJson(`${apiUrl}/_local/tick`, {});

    // Assess: from the table and the queues
    expect(statuses).toEqual(Array(100).fill(202));
    const items = (await tableItems(documents, tableName)).filter((item) => item['runId'] === runId);
    expect(items).toHaveLength(1_000);
    expect(new Set(items.map((item) => item['key1'])).size).toBe(1_000);
    expect(await messagesOnQueue(sqs, queueUrl)).toBe(0);
    const { Messages: dead = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterQueueUrl, MaxNumberOfMessages: 10 }));
    expect(dead.map((message) => message.Body).sort()).toEqual([...poison].sort());
    // No schedule ran, and the tick route says why.
    expect(tick.status).toBe(409);
    expect(tick.body['error']).toContain('--trigger esm');
    expect(runtime.started).toMatchObject({ trigger: 'esm', batchSize: 10, batchingWindowSeconds: 0 });
    const statusLines = runtime.lines.filter((line) => line['event'] === 'status');
    expect(statusLines.length).toBeGreaterThan(0);
    expect(statusLines.every((line) => line['trigger'] === 'esm' && line['ticks'] === 0)).toBe(true);
    expect(statusLines.some((line) => Number(line['mappingConcurrency']) >= 1)).toBe(true);
    expect(runtime.lines.some((line) => line['event'] === 'tick')).toBe(false);
  });

  it('refuses a wrong --trigger, --batch-size or --batching-window with exit code 2 and a first line naming the flag and what it accepts', async () => {
    // Act
    const trigger = await runToExit(['--trigger', 'lambda']);
    const batch = await runToExit(['--trigger', 'esm', '--batch-size', '100']);
    const window = await runToExit(['--trigger', 'esm', '--batching-window', 'five']);

    // Assess
    expect([trigger.code, trigger.stderr.split('\n')[0]]).toEqual([2, '--trigger must be fanout or esm, got "lambda".']);
    expect([batch.code, batch.stderr.split('\n')[0]]).toEqual([
      2,
      '--batch-size must be a whole number from 1 to 10000, and at most 10 without a batching window, got "100".',
    ]);
    expect([window.code, window.stderr.split('\n')[0]]).toEqual([2, '--batching-window must be a whole number of seconds from 0 to 300, got "five".']);
    expect(trigger.stderr).not.toMatch(/\n\s+at /);
  });

  it('names every port that is taken, with the flag to change for each, in one line, and exits non-zero', async () => {
    // Prepare: something else holds two ports
    const blockers = [createServer(), createServer()];
    await Promise.all(blockers.map((blocker) => new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))));
    const [apiPort, dynamodbPort] = blockers.map((blocker) => (blocker.address() as { port: number }).port);
    try {
      // Act
      const both = await runToExit(['--port', String(apiPort), '--sqs-port', '0', '--dynamodb-port', String(dynamodbPort)]);
      const one = await runToExit(['--port', '0', '--sqs-port', '0', '--dynamodb-port', String(dynamodbPort)]);

      // Assess
      expect(both.code).toBe(1);
      expect(both.stderr.trim()).toBe(
        `Ports ${apiPort} (API) and ${dynamodbPort} (DynamoDB) are already in use: choose others with --port and --dynamodb-port, ` +
          `e.g. npm start -- --port ${apiPort + 1} --dynamodb-port ${dynamodbPort + 1}`,
      );
      expect(one.code).toBe(1);
      expect(one.stderr.trim()).toBe(
        `Port ${dynamodbPort} (DynamoDB) is already in use: choose another with --dynamodb-port, e.g. npm start -- --dynamodb-port ${dynamodbPort + 1}`,
      );
    } finally {
      blockers.forEach((blocker) => blocker.close());
    }
  });

  it('answers an unknown flag with the usage and a non-zero exit', async () => {
    const result = await runToExit(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
    expect(result.stderr).toContain('Usage: npm start -- [options]');
  });

  it('answers npm start -- --help at once: the usage on stdout, no build', async () => {
    // Act: what npm start runs
    const result = await runNodeToExit(resolve(workspaceRoot, 'apps/local-runtime/start.mjs'), ['--help'], { cwd: workspaceRoot });

    // Assess: no Nx output, which a build would have written to stderr
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm start -- \[options\]/);
    expect(result.stdout).toContain('--data-dir <dir>');
    expect(result.stderr).toBe('');
  });
});
