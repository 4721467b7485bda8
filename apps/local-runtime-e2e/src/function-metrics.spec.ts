import { pipelineMetrics } from '@fanout/config';
import { tableItems } from '@fanout/testing';
import { emulatorClientsOf, postJson, startRuntime, waitFor, type RuntimeProcess } from './runtime-process.js';

/** The `--json` status lines' metrics: what the functions published in the embedded metric format, added up. */
function latestMetrics(runtime: RuntimeProcess): Record<string, number> | undefined {
  const statuses = runtime.lines.filter((line) => line['event'] === 'status');
  return statuses[statuses.length - 1]?.['metrics'] as Record<string, number> | undefined;
}

/** The worker's log lines that --verbose prints, parsed. */
function workerLogLines(runtime: RuntimeProcess): Record<string, unknown>[] {
  return runtime.lines
    .filter((line) => line['event'] === 'function-log' && line['functionName'] === 'test-sqs2ddb')
    .map((line) => String(line['line']))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('npm start: the functions’ own metrics and log context', () => {
  let runtime: RuntimeProcess | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('shows the figures the functions publish in the embedded metric format in the --json status, and a worker log line carries its Lambda request id', async () => {
    // Prepare
    runtime = await startRuntime(['--rate', 'off', '--verbose']);
    const { apiUrl, tableName } = runtime.started;
    const { documents } = emulatorClientsOf(runtime.started);
    const runId = 'e2e-metrics';
    const burst = Array.from({ length: 30 }, (_, i) => ({ key1: `k${i}`, key2: 'b', key3: 'c', runId }));

    // Act: a burst of 3 requests of 10, one request test-api refuses whole (a NUL, which SQS refuses and
    // the gateway's model cannot say: the gateway passes it on, as on AWS), one tick
    const answers = [];
    for (let i = 0; i < burst.length; i += 10) answers.push(await postJson(`${apiUrl}/messages`, burst.slice(i, i + 10)));
    const refused = await postJson(`${apiUrl}/messages`, { key1: 'a', key2: 'b', key3: 'c\u0000', runId });
    await postJson(`${apiUrl}/_local/tick`, {});
    await waitFor(
      async () => ((await tableItems(documents, tableName)).filter((item) => item['runId'] === runId).length === burst.length ? true : undefined),
      30_000,
      'the burst’s 30 items in the table',
    );
    // The status line comes about once a second: wait for one that has the runs' metrics in it.
    const metrics = await waitFor(
      async () => {
        const latest = latestMetrics(runtime as RuntimeProcess);
        return (latest?.[pipelineMetrics.messagesWritten] ?? 0) >= burst.length ? latest : undefined;
      },
      15_000,
      'a status line whose metrics count the 30 items written',
    );

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(refused.status).toBe(400);
    expect(metrics).toMatchObject({
      [pipelineMetrics.messagesEnqueued]: 30,
      [pipelineMetrics.messagesRejected]: 1,
      [pipelineMetrics.visibleMessages]: 30,
      [pipelineMetrics.messagesWritten]: 30,
      [pipelineMetrics.messagesInvalid]: 0,
      [pipelineMetrics.messagesUnwritten]: 0,
    });
    expect(metrics[pipelineMetrics.workersStarted]).toBeGreaterThan(0);
    expect(metrics[pipelineMetrics.runDuration]).toBeGreaterThan(0);
    const finished = workerLogLines(runtime).filter((line) => line['message'] === 'drain run finished');
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.every((line) => typeof line['function_request_id'] === 'string' && (line['function_request_id'] as string).length > 0)).toBe(true);
    expect(finished.every((line) => typeof line['cold_start'] === 'boolean')).toBe(true);
  });
});
