import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { FunctionThrottledError, FunctionTimeoutError, InvocationAbandonedError } from '@fanout/function-host';
import { dashboardTokenFor } from './gateway/access.js';
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

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request over node:http, which sends any Host header and any body, as written. */
function send(url: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += String(chunk)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body, () => undefined);
  });
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

  it.each([
    ['GET', '/nowhere'],
    ['POST', '/message'],
    ['GET', '/messages'],
    ['PUT', '/'],
    ['POST', '/runs/r1'],
  ])('answers %s %s (no such path, or a method the path does not define) 404 as the stack does, invoking nothing', async (method, path) => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': testApi } });
    // Act
    const answer = await send(url, path, { method, body: method === 'GET' ? undefined : '{}' });
    // Assess
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      404,
      { error: 'No such route: use POST /messages, POST / or GET /runs/{runId}.', details: [] },
    ]);
    expect(testApi.events).toHaveLength(0);
  });

  it('checks a JSON body against the request model before test-api runs, answering as the stack’s BAD_REQUEST_BODY does', async () => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': testApi } });
    const json = { 'content-type': 'application/json; charset=utf-8' };
    // Act
    const missingKey = await send(url, '/messages', { method: 'POST', headers: json, body: '{"key1":"a","key2":"b"}' });
    const notJson = await send(url, '/', { method: 'POST', headers: json, body: '{"key1":' });
    const valid = await send(url, '/messages', { method: 'POST', headers: json, body: '{"key1":"a","key2":"b","key3":"c"}' });
    // Assess
    expect([missingKey.status, JSON.parse(missingKey.body)]).toEqual([
      400,
      { error: expect.stringMatching(/^The body must be one message or an array of 1 to 10 messages/), details: [{ path: '', message: expect.stringContaining("'key3'") }] },
    ]);
    expect([notJson.status, JSON.parse(notJson.body).details[0].message]).toEqual([400, expect.stringMatching(/^\[Invalid JSON: /)]);
    expect(valid.status).toBe(202);
    expect(testApi.events.map((event) => event.body)).toEqual(['{"key1":"a","key2":"b","key3":"c"}']);
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

  it("answers GET /health, and POST /_local/tick with test-cron's decision or 502 in the error shape when it failed", async () => {
    // Prepare
    const ticking = await apiWith({ tick: async (trigger) => ({ trigger, workers: 3 }) });
    const failing = await apiWith({
      tick: async () => {
        throw new Error('QueueDoesNotExist: no queue');
      },
    });
    // Act
    const health = await fetch(`${ticking}/health`);
    const tick = await fetch(`${ticking}/_local/tick`, { method: 'POST' });
    const failedTick = await fetch(`${failing}/_local/tick`, { method: 'POST' });
    // Assess
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect([tick.status, await tick.json()]).toEqual([200, { trigger: 'manual', workers: 3 }]);
    expect([failedTick.status, await failedTick.json()]).toEqual([502, { error: 'test-cron failed, so this tick started no workers: QueueDoesNotExist: no queue', details: [] }]);
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

describe('the local API server with an API key', () => {
  const apiKey = 'local-secret';

  function localRoutes(request: { method?: string }, response: { end(body: string): void }, url: URL): boolean {
    if (!url.pathname.startsWith('/_local/dashboard') && url.pathname !== '/_local/events') return false;
    response.end(`served ${request.method} ${url.pathname}`);
    return true;
  }

  // [method, path, the answer with the key, invocations of the function]
  it.each([
    ['GET', '/runs/r1', 202, 1],
    ['POST', '/messages', 202, 1],
    ['POST', '/', 202, 1],
    ['POST', '/_local/tick', 200, 0],
    ['GET', '/_local/dashboard', 200, 0],
    ['GET', '/_local/dashboard/dashboard.js', 200, 0],
    ['GET', '/_local/events', 200, 0],
    ['GET', '/_local/nowhere', 404, 0],
  ])('refuses %s %s without the key or with a wrong one (403, the error shape), and serves it with the key', async (method, path, status, invocations) => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ apiKey, hosts: { 'test-api': testApi, 'run-status-api': testApi }, serveLocalRoute: localRoutes });

    // Act
    const without = await send(url, path, { method });
    const wrong = await send(url, path, { method, headers: { 'x-api-key': 'local-secreT' } });
    const withKey = await send(url, path, { method, headers: { 'x-api-key': apiKey } });

    // Assess
    for (const refused of [without, wrong]) {
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ error: expect.stringMatching(/API key/), details: [] });
    }
    expect(withKey.status).toBe(status);
    expect(testApi.events).toHaveLength(invocations);
  });

  it('answers a path with no route 404 whatever the key, as API Gateway finds the route before it checks the key', async () => {
    // Prepare
    const url = await apiWith({ apiKey });

    // Act
    const answers = await Promise.all([undefined, 'wrong', apiKey].map((key) => send(url, '/nowhere', { headers: key ? { 'x-api-key': key } : {} })));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
  });

  it('refuses a request without the key with exactly the body of the stack’s gateway response', async () => {
    // Prepare
    const url = await apiWith({ apiKey });

    // Act
    const answer = await send(url, '/messages', { method: 'POST', body: '{}' });

    // Assess
    expect([answer.status, answer.headers['content-type'], answer.body]).toEqual([
      403,
      'application/json',
      '{"error": "Missing or unknown API key: send it in the x-api-key header (on AWS docs/deploy.md shows how to read it from the stack; locally it is the key npm start was given with --api-key).", "details": []}',
    ]);
  });

  it('serves GET /health without the key', async () => {
    // Prepare
    const url = await apiWith({ apiKey });

    // Act
    const health = await send(url, '/health');

    // Assess
    expect(health.status).toBe(200);
  });

  it("opens the dashboard from its URL's token: a cookie for the page, its files and its event stream, and the token out of the address", async () => {
    // Prepare
    const url = await apiWith({ apiKey, serveLocalRoute: localRoutes });
    const token = dashboardTokenFor(apiKey);

    // Act
    const opened = await send(url, `/_local/dashboard?token=${token}`);
    const cookie = String(opened.headers['set-cookie']?.[0]).split(';')[0];
    const page = await send(url, '/_local/dashboard', { headers: { cookie } });
    const events = await send(url, '/_local/events', { headers: { cookie } });
    const tickWithCookie = await send(url, '/_local/tick', { method: 'POST', headers: { cookie } });
    const messagesWithCookie = await send(url, '/messages', { method: 'POST', headers: { cookie } });
    const wrongToken = await send(url, `/_local/dashboard?token=${token.slice(0, -1)}x`);

    // Assess
    expect(opened.status).toBe(303);
    expect(opened.headers['location']).toBe('/_local/dashboard');
    expect(opened.headers['set-cookie']?.[0]).toMatch(/^fanout_dashboard_\d+=[A-Za-z0-9_-]{43}; Path=\/_local\/; HttpOnly; SameSite=Strict$/);
    expect([page.status, page.body]).toEqual([200, 'served GET /_local/dashboard']);
    expect([events.status, events.body]).toEqual([200, 'served GET /_local/events']);
    // The cookie opens the dashboard only: the API and the tick still need the key.
    expect([tickWithCookie.status, messagesWithCookie.status, wrongToken.status]).toEqual([403, 403, 403]);
    expect(JSON.parse(wrongToken.body).error).toMatch(/open the dashboard URL npm start printed/);
  });
});

describe('the local API server: Host names', () => {
  it.each(['evil.example', 'evil.example:3000', '192.168.1.20:3000', 'localhost.evil.example'])(
    'refuses the Host %s on every route, /health included, with 403 and the error shape',
    async (host) => {
      // Prepare
      const testApi = functionAnswering({ statusCode: 202, body: '{}' });
      const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': testApi } });

      // Act
      const answers = await Promise.all(
        [
          ['GET', '/health'],
          ['POST', '/messages'],
          ['GET', '/_local/events'],
        ].map(([method, path]) => send(url, path, { method, headers: { host } })),
      );

      // Assess
      for (const answer of answers) {
        expect(answer.status).toBe(403);
        expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining(`The Host header ${JSON.stringify(host)}`), details: [] });
      }
      expect(testApi.events).toHaveLength(0);
    },
  );

  it.each(['localhost', '127.0.0.1', '[::1]'])('serves the loopback Host %s', async (hostname) => {
    // Prepare
    const url = await apiWith();
    const { port } = new URL(url);

    // Act
    const answer = await send(url, '/health', { headers: { host: `${hostname}:${port}` } });

    // Assess
    expect(answer.status).toBe(200);
  });
});

describe('the local API server: bodies', () => {
  it('answers 413 in the error shape for a Content-Length over 256 KiB, without reading it or invoking the function, and closes the connection', async () => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': testApi } });

    // Act
    const answer = await send(url, '/messages', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024, ' ') });

    // Assess
    expect(answer.status).toBe(413);
    expect(answer.headers['connection']).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({ error: 'The body is 10485760 bytes; the limit is 262144 bytes (256 KiB).', details: [] });
    expect(testApi.events).toHaveLength(0);
  });

  it('answers 413 for a chunked body as soon as it passes 256 KiB', async () => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': testApi } });

    // Act
    const answer = await send(url, '/messages', { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: Buffer.alloc(300 * 1024, ' ') });

    // Assess
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: 'The body is over 262144 bytes (256 KiB), the limit; the rest was not read.', details: [] });
    expect(testApi.events).toHaveLength(0);
  });

  it('answers 408 in the error shape when a body stalls, and closes the connection', async () => {
    // Prepare
    const testApi = functionAnswering({ statusCode: 202, body: '{}' });
    const url = await apiWith({ hosts: { 'test-api': testApi, 'run-status-api': testApi }, requestBodyTimeoutMs: 300 });

    // Act: a Content-Length of 100 and 10 bytes of it
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const outgoing = httpRequest(`${url}/messages`, { method: 'POST', headers: { 'content-length': '100' }, agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += String(chunk)));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      outgoing.on('error', reject);
      outgoing.write('{"key1":"a');
    });

    // Assess
    expect(answer.status).toBe(408);
    expect(answer.headers['connection']).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({ error: 'The body did not arrive within 0.3 s; send the whole request at once.', details: [] });
    expect(testApi.events).toHaveLength(0);
  });
});

describe('the local API server: backpressure', () => {
  it("answers a throttled invocation 429 with Retry-After and the error shape, as Lambda's throttle reaches API Gateway", async () => {
    // Prepare
    const url = await apiWith({
      hosts: {
        'test-api': functionAnswering(new FunctionThrottledError('test-api', 4, 64)),
        'run-status-api': functionAnswering({ statusCode: 200, body: '{}' }),
      },
    });

    // Act
    const answer = await fetch(`${url}/messages`, { method: 'POST', body: '{}' });

    // Assess
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(await answer.json()).toEqual({
      error: "Too many requests: test-api's 4 execution environments are busy and 64 requests wait; retry after 1 s.",
      details: [],
    });
  });

  it('tells the function host when the client has gone, so that a waiting invocation is dropped', async () => {
    // Prepare: an invocation that waits until its caller leaves
    let signal: AbortSignal | undefined;
    const waitingHost = {
      invoke: <T>(_event: unknown, options?: { signal?: AbortSignal }): Promise<T> =>
        new Promise<T>((_resolve, reject) => {
          signal = options?.signal;
          signal?.addEventListener('abort', () => reject(new InvocationAbandonedError('test-api')));
        }),
    };
    const url = await apiWith({ hosts: { 'test-api': waitingHost, 'run-status-api': waitingHost } });
    const leaving = new AbortController();

    // Act
    const request = fetch(`${url}/messages`, { method: 'POST', body: '{}', signal: leaving.signal }).catch(() => 'gone');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedBefore = signal?.aborted;
    leaving.abort();
    await request;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess
    expect(abortedBefore).toBe(false);
    expect(signal?.aborted).toBe(true);
  });
});
