import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { getRunEvent, recordingLogger, responseBody, type LogLine } from '@fanout/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { handleRunStatusRequest, type RunStatusTarget } from './handle-run-status-request.js';

const tableName = 'Test';
const runIndexName = 'runId-index';

interface Row {
  uuid: string;
  runId: string;
  enqueuedAt: number;
  writtenAt: number;
}

interface IndexBehaviour {
  /** Items a page holds before Query sets LastEvaluatedKey. */
  pageSize?: number;
  /** Thrown by the call with this 1-based number. */
  failOnCall?: { call: number; error: Error };
  /** Where the handler's log lines go (a recording logger of its own otherwise). */
  logged?: ReturnType<typeof recordingLogger>;
}

/** The run index behind a mocked DocumentClient: Query by runId, page by page, as DynamoDB pages it. */
function runIndex(rows: Row[], behaviour: IndexBehaviour = {}) {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const pageSize = behaviour.pageSize ?? 100;
  let calls = 0;
  mockClient(client)
    .on(QueryCommand)
    .callsFake((input: QueryCommandInput) => {
      calls++;
      if (behaviour.failOnCall?.call === calls) throw behaviour.failOnCall.error;
      if (input.TableName !== tableName || input.IndexName !== runIndexName) {
        throw new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
      }
      const runId = input.ExpressionAttributeValues?.[':runId'];
      const matching = rows.filter((row) => row.runId === runId).sort((a, b) => a.writtenAt - b.writtenAt);
      const startKey = input.ExclusiveStartKey?.['uuid'];
      const start = startKey === undefined ? 0 : matching.findIndex((row) => row.uuid === startKey) + 1;
      const page = matching.slice(start, start + pageSize);
      const more = start + pageSize < matching.length;
      const last = page[page.length - 1];
      return {
        Items: page.map((row) => ({ enqueuedAt: row.enqueuedAt, writtenAt: row.writtenAt })),
        Count: page.length,
        ...(more && last ? { LastEvaluatedKey: { uuid: last.uuid, runId: last.runId, writtenAt: last.writtenAt } } : {}),
      };
    });
  const target: RunStatusTarget = { dynamo: client, tableName, runIndexName, log: (behaviour.logged ?? recordingLogger()).log };
  return target;
}

function rowsOf(runId: string, latencies: number[], firstEnqueuedAt = 1_700_000_000_000): Row[] {
  return latencies.map((latency, i) => ({
    uuid: `${runId}-${i}`,
    runId,
    enqueuedAt: firstEnqueuedAt + i * 10,
    writtenAt: firstEnqueuedAt + i * 10 + latency,
  }));
}

describe('handleRunStatusRequest', () => {
  it('reports every item of a run, reading the index page by page', async () => {
    // Prepare: 7 items of run-1 over pages of 3, and items of another run
    const target = runIndex(
      [...rowsOf('run-1', [100, 700, 300, 200, 600, 400, 500]), ...rowsOf('run-2', [5, 5, 5], 1_600_000_000_000)],
      { pageSize: 3 },
    );

    // Act
    const response = await handleRunStatusRequest(getRunEvent('/runs/run-1'), target);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(responseBody(response)).toEqual({
      runId: 'run-1',
      written: 7,
      firstEnqueuedAt: 1_700_000_000_000,
      lastWrittenAt: 1_700_000_000_000 + 10 + 700,
      drainMs: 710,
      latencyMs: { p50: 400, p95: 700, p99: 700, max: 700 },
    });
  });

  it('reads the runId from the path parameters when API Gateway gives them', async () => {
    // Prepare
    const target = runIndex(rowsOf('load-7', [50, 150]));

    // Act
    const response = await handleRunStatusRequest(
      getRunEvent('/runs/load-7', { pathParameters: { runId: 'load-7' } }),
      target,
    );

    // Assess
    expect(responseBody(response)).toMatchObject({ runId: 'load-7', written: 2, latencyMs: { max: 150 } });
  });

  it('takes the path parameter as API Gateway decoded it, never decoding it twice', async () => {
    // Prepare: GET /runs/%2541 arrives as the parameter "%41"; decoded again it would be run "A"
    const target = runIndex(rowsOf('A', [50]));

    // Act
    const response = await handleRunStatusRequest(getRunEvent('/runs/%2541', { pathParameters: { runId: '%41' } }), target);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseBody(response)).toMatchObject({ error: 'The runId is invalid.' });
  });

  it('reports a run with no items as written 0', async () => {
    // Prepare
    const target = runIndex(rowsOf('run-1', [100]));

    // Act
    const response = await handleRunStatusRequest(getRunEvent('/runs/never-ran'), target);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(responseBody(response)).toMatchObject({ runId: 'never-ran', written: 0, drainMs: null });
  });

  it.each([
    ['/runs/has%20space'],
    ['/runs/'],
    [`/runs/${'x'.repeat(65)}`],
    ['/runs/a.b'],
    ['/runs/%E0%A4%A'],
    ['/runs/%ZZ'],
  ])('rejects the runId in %s with 400', async (path) => {
    // Prepare
    const target = runIndex([]);

    // Act
    const response = await handleRunStatusRequest(getRunEvent(path), target);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(responseBody(response)).toEqual({
      error: 'The runId is invalid.',
      details: [{ path: 'runId', message: 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' }],
    });
  });

  it('answers 404 as the gateway does for a path that is not /runs/{runId} and for any method but GET', async () => {
    // Prepare / Act
    const responses = await Promise.all([
      handleRunStatusRequest(getRunEvent('/runs'), runIndex([])),
      handleRunStatusRequest(getRunEvent('/runs/run-1', { httpMethod: 'POST' }), runIndex([])),
    ]);

    // Assess
    for (const response of responses) {
      expect([response.statusCode, responseBody(response)]).toEqual([
        404,
        { error: 'No such route: use POST /messages, POST / or GET /runs/{runId}.', details: [] },
      ]);
    }
  });

  it('answers 503 with retry-after, and no internals, when DynamoDB is out of reach, and logs the cause as a warning', async () => {
    // Prepare
    const error = Object.assign(new Error('connect ETIMEDOUT 10.1.2.3:443'), { code: 'ETIMEDOUT' });
    const logged = recordingLogger();
    const target = runIndex(rowsOf('run-1', [100]), { failOnCall: { call: 1, error }, logged });

    // Act
    const response = await handleRunStatusRequest(getRunEvent('/runs/run-1'), target);

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(responseBody(response)).toEqual({ error: 'The table is unavailable right now; retry the request.', details: [] });
    expect(logged.lines).toEqual([expect.objectContaining<Partial<LogLine>>({ level: 'warn', runId: 'run-1', error })]);
  });

  it('answers 500 without internals to an error no retry fixes (access denied), and logs its cause as an error', async () => {
    // Prepare
    const error = Object.assign(new Error('User is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:…'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const logged = recordingLogger();
    const target = runIndex(rowsOf('run-1', [100]), { failOnCall: { call: 1, error }, logged });

    // Act
    const response = await handleRunStatusRequest(getRunEvent('/runs/run-1'), target);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(responseBody(response)).toEqual({ error: 'The run could not be read; the error is logged.', details: [] });
    expect(JSON.stringify(responseBody(response))).not.toContain('dynamodb:Query');
    expect(logged.lines).toEqual([expect.objectContaining<Partial<LogLine>>({ level: 'error', runId: 'run-1', error })]);
  });

  it('answers 503 rather than a partial report when a later page fails', async () => {
    // Prepare
    const error = Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
    const target = runIndex(rowsOf('run-1', [1, 2, 3, 4, 5]), { pageSize: 2, failOnCall: { call: 2, error } });

    // Act
    const response = await handleRunStatusRequest(getRunEvent('/runs/run-1'), target);

    // Assess
    expect(response.statusCode).toBe(503);
  });
});
