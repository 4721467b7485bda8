import { createServer } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { FunctionTimeoutError } from '@fanout/function-host';
import { ApiPortInUseError, noScheduleError, startApiServer, type ApiRequest, type ApiServer, type ApiServerOptions } from './api-server.js';

const servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A function that answers every invocation with `answer`, or fails with it. */
function functionAnswering(answer: APIGatewayProxyResult | Error) {
  const fn = {
    events: [] as APIGatewayProxyEvent[],
    invoke: async <T>(event: unknown): Promise<T> => {
      fn.events.push(event as APIGatewayProxyEvent);
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
  return fn;
}

async function apiWith(overrides: Partial<ApiServerOptions> = {}): Promise<string> {
  const server = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    hosts: {
      'test-api': functionAnswering({ statusCode: 202, body: '{"accepted":1}' }),
      'run-status-api': functionAnswering({ statusCode: 200, body: '{"written":0}' }),
    },
    tick: async () => ({ workers: 0 }),
    ...overrides,
  });
  servers.push(server);
  return server.url;
}

describe('the local API server', () => {
  it('sends /messages to test-api and /runs/{runId} to run-status-api, passing their answers on', async () => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, headers: { 'x-from': 'test-api' }, body: '{"accepted":1}' });
    const runStatus = functionAnswering({ statusCode: 200, body: '{"runId":"r 1"}' });
    const seen: ApiRequest[] = [];
    const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': runStatus }, onApiRequest: (request) => seen.push(request) });
    // Act
    const posted = await fetch(`${url}/messages`, { method: 'POST', body: '{"key1":"a"}' });
    const report = await fetch(`${url}/runs/r%201`);
    // Assess
    expect([posted.status, posted.headers.get('x-from'), await posted.text()]).toEqual([202, 'test-api', '{"accepted":1}']);
    expect([report.status, await report.text()]).toEqual([200, '{"runId":"r 1"}']);
    expect(testApi.events[0]).toMatchObject({ httpMethod: 'POST', resource: '/messages', body: '{"key1":"a"}' });
    expect(runStatus.events[0]).toMatchObject({ resource: '/runs/{runId}', pathParameters: { runId: 'r 1' } });
    expect(seen.map(({ target, statusCode, body }) => [target, statusCode, body.toString()])).toEqual([
      ['enqueue', 202, '{"key1":"a"}'],
      ['run-status', 200, ''],
    ]);
  });

  it('refuses a request without the API key with 403, before the function runs', async () => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ apiKey: 'secret', hosts: { 'test-api': testApi, 'run-status-api': testApi } });
    // Act
    const without = await fetch(`${url}/messages`, { method: 'POST', body: '{}' });
    const withKey = await fetch(`${url}/messages`, { method: 'POST', body: '{}', headers: { 'x-api-key': 'secret' } });
    // Assess
    expect([without.status, await without.json()]).toEqual([403, { message: 'Forbidden' }]);
    expect(withKey.status).toBe(202);
    expect(testApi.events).toHaveLength(1);
  });

  it('answers a path with no route 404, saying where messages go', async () => {
    // Prepare
    const url = await apiWith();
    // Act
    const answer = await fetch(`${url}/nowhere`);
    // Assess
    expect([answer.status, await answer.json()]).toEqual([404, { error: 'No route for /nowhere; post messages to /messages.', details: [] }]);
  });

  it('answers 504 when the function times out and 502 when it fails, as API Gateway does', async () => {
    // Prepare
    const url = await apiWith({
      hosts: {
        'test-api': functionAnswering(new FunctionTimeoutError('test-api', 10_000)),
        'run-status-api': functionAnswering(new Error('boom')),
      },
    });
    // Act
    const timedOut = await fetch(`${url}/messages`, { method: 'POST', body: '{}' });
    const failed = await fetch(`${url}/runs/r1`);
    // Assess
    expect([timedOut.status, await timedOut.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
    expect([failed.status, await failed.json()]).toEqual([502, { message: 'Internal server error' }]);
  });

  it("answers GET /health, and POST /_local/tick with test-cron's decision or 502 when it failed", async () => {
    // Prepare
    const ticking = await apiWith({ tick: async (trigger) => ({ trigger, workers: 3 }) });
    const failing = await apiWith({
      tick: async () => {
        throw new Error('test-cron failed: Error: no queue');
      },
    });
    // Act
    const health = await fetch(`${ticking}/health`);
    const tick = await fetch(`${ticking}/_local/tick`, { method: 'POST' });
    const failedTick = await fetch(`${failing}/_local/tick`, { method: 'POST' });
    // Assess
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect([tick.status, await tick.json()]).toEqual([200, { trigger: 'manual', workers: 3 }]);
    expect([failedTick.status, await failedTick.json()]).toEqual([502, { message: 'test-cron failed', error: 'test-cron failed: Error: no queue' }]);
  });

  it('answers POST /_local/tick with 409 in the error shape when no schedule runs (--trigger esm)', async () => {
    // Prepare
    const url = await apiWith({ tick: undefined });
    // Act
    const tick = await fetch(`${url}/_local/tick`, { method: 'POST' });
    // Assess
    expect([tick.status, await tick.json()]).toEqual([409, { error: noScheduleError, details: [] }]);
    expect(noScheduleError).toContain('--trigger esm');
  });

  it("lets the runtime's own routes answer first", async () => {
    // Prepare
    const url = await apiWith({
      serveLocalRoute: (_request, response, { pathname }) => {
        if (pathname !== '/_local/dashboard') return false;
        response.end('dashboard');
        return true;
      },
    });
    // Act
    const dashboard = await fetch(`${url}/_local/dashboard`);
    const messages = await fetch(`${url}/messages`, { method: 'POST', body: '{}' });
    // Assess
    expect(await dashboard.text()).toBe('dashboard');
    expect(messages.status).toBe(202);
  });

  it('says which port is taken', async () => {
    // Prepare
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    // Act
    const starting = apiWith({ port });
    // Assess
    try {
      await expect(starting).rejects.toEqual(new ApiPortInUseError(port));
      await expect(starting).rejects.toThrow(`Port ${port} for the API is already in use.`);
    } finally {
      taken.close();
    }
  });
});
