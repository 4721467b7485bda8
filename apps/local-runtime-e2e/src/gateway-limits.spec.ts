import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { localRuntimeConfig } from '@fanout/runtime';
import { messagesOnQueue, tableItems } from '@fanout/testing';
import { samplePeakRss } from './process-memory.js';
import { emulatorClientsOf, startRuntime, waitFor, type RuntimeProcess } from './runtime-process.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** From the request's start to the end of the answer. */
  ms: number;
}

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent with a Content-Length unless `chunked`. */
  body?: string | Buffer;
  chunked?: boolean;
}

/** One request on a connection of its own over node:http, which sends any Host header and any body as written. */
function send(apiUrl: string, { method = 'GET', path, headers = {}, body, chunked = false }: Sent): Promise<Answer> {
  const started = Date.now();
  const allHeaders: Record<string, string | number> = { ...headers };
  if (chunked) allHeaders['transfer-encoding'] = 'chunked';
  else if (body !== undefined) allHeaders['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    let answered: ((error: Error) => void) | undefined;
    const outgoing = request(`${apiUrl}${path}`, { method, headers: allHeaders, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      const answer = () => ({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(answer()));
      // The connection closed while this client was still sending what the API refused to read: the
      // answer had arrived, and is what counts.
      answered = () => resolve(answer());
    });
    outgoing.on('error', (error) => (answered ?? reject)(error));
    // The API answers a refused body before it has read it: what it did not read may fail to send.
    outgoing.end(body, () => undefined);
  });
}

/**
 * Opens one connection per request head at once, as 2,000 separate clients would, and times each
 * answer from its connection to its end. Raw sockets: the client's own work stays small next to the
 * server's. `bodyOf` gives request i its body.
 */
async function flood(apiUrl: string, heads: string[], bodyOf: (i: number) => string = () => ''): Promise<Answer[]> {
  const { port } = new URL(apiUrl);
  return Promise.all(
    heads.map(
      (head, i) =>
        new Promise<Answer>((resolve, reject) => {
          let connectedAt = Date.now();
          const chunks: Buffer[] = [];
          const socket = connect(Number(port), '127.0.0.1', () => {
            connectedAt = Date.now();
            // Written, not ended: Node takes a client that half-closes for one that has gone.
            socket.write(`${head}Host: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n${bodyOf(i)}`);
          });
          socket.on('data', (chunk: Buffer) => chunks.push(chunk));
          socket.on('error', reject);
          socket.on('close', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const [head, text = ''] = raw.split('\r\n\r\n');
            const headers: IncomingHttpHeaders = {};
            for (const line of head.split('\r\n').slice(1)) {
              const colon = line.indexOf(':');
              headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
            }
            resolve({ status: Number(head.slice(9, 12)), headers, text, ms: Date.now() - connectedAt });
          });
        }),
    ),
  );
}

const json = { 'content-type': 'application/json' };
const message = (key1: string, runId: string) => JSON.stringify({ key1, key2: 'b', key3: 'c', runId });

describe('the local API with --api-key: every route, with and without the key', () => {
  const apiKey = 'gateway-e2e-key';
  let runtime: RuntimeProcess;
  let clients: ReturnType<typeof emulatorClientsOf>;

  beforeAll(async () => {
    runtime = await startRuntime(['--rate', 'off', '--api-key', apiKey]);
    clients = emulatorClientsOf(runtime.started);
  }, 60_000);

  afterAll(async () => {
    clients?.sqs.destroy();
    clients?.dynamodb.destroy();
    await runtime?.stop();
  });

  const routes: Sent[] = [
    { method: 'POST', path: '/messages', headers: json, body: message('a', 'keyed') },
    { method: 'POST', path: '/', headers: json, body: message('b', 'keyed') },
    { method: 'GET', path: '/runs/keyed' },
    { method: 'POST', path: '/_local/tick' },
    { method: 'GET', path: '/_local/dashboard' },
    { method: 'GET', path: '/_local/dashboard/dashboard.js' },
    { method: 'GET', path: '/_local/dashboard/dashboard.css' },
    { method: 'GET', path: '/_local/nowhere' },
  ];

  it('refuses every route but /health without the key, or with a wrong one, with 403 in the error shape, and enqueues nothing', async () => {
    // Prepare
    const { apiUrl, queueUrl } = runtime.started;

    // Act
    const without = await Promise.all(routes.map((route) => send(apiUrl, route)));
    const wrong = await Promise.all(routes.map((route) => send(apiUrl, { ...route, headers: { ...route.headers, 'x-api-key': `${apiKey}x` } })));
    const events = await send(apiUrl, { path: '/_local/events' });
    const health = await send(apiUrl, { path: '/health' });

    // Assess
    for (const answer of [...without, ...wrong, events]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toEqual({ error: expect.stringContaining('API key'), details: [] });
    }
    expect(health.status).toBe(200);
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(0);
  });

  it('serves every route with the key: two messages enqueued, the tick and the dashboard answered', async () => {
    // Prepare
    const { apiUrl } = runtime.started;

    // Act: in order, so that the tick comes after both messages
    const answers = [];
    for (const route of routes) answers.push(await send(apiUrl, { ...route, headers: { ...route.headers, 'x-api-key': apiKey } }));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 200, 200, 200, 200, 200, 404]);
    // The tick started workers for both: count what they wrote from the table.
    const items = await waitFor(
      async () => {
        const written = (await tableItems(clients.documents, runtime.started.tableName)).filter((item) => item['runId'] === 'keyed');
        return written.length === 2 ? written : undefined;
      },
      30_000,
      'the two keyed messages in the table',
    );
    expect(items.map((item) => item['key1']).sort()).toEqual(['a', 'b']);
  });

  it("opens the dashboard in a browser's way: the printed URL's token sets a cookie that opens the page and its event stream", async () => {
    // Prepare
    const { apiUrl, dashboardUrl } = runtime.started;
    const { pathname, search } = new URL(dashboardUrl);

    // Act
    const opened = await send(apiUrl, { path: `${pathname}${search}` });
    const cookie = String(opened.headers['set-cookie']?.[0] ?? '').split(';')[0];
    const page = await send(apiUrl, { path: '/_local/dashboard', headers: { cookie } });
    const stream = await new Promise<{ status?: number; contentType?: string }>((resolve, reject) => {
      const outgoing = request(`${apiUrl}/_local/events`, { headers: { cookie }, agent: false }, (response) => {
        resolve({ status: response.statusCode, contentType: response.headers['content-type'] });
        response.destroy();
      });
      outgoing.on('error', reject);
      outgoing.end();
    });

    // Assess
    expect(search).toMatch(/^\?token=[A-Za-z0-9_-]{43}$/);
    expect(dashboardUrl).not.toContain(apiKey);
    expect([opened.status, opened.headers['location']]).toEqual([303, '/_local/dashboard']);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
  });

  it('refuses a foreign Host on every route, /health included, even with the key, with 403 in the error shape', async () => {
    // Prepare
    const { apiUrl, queueUrl } = runtime.started;
    const before = await messagesOnQueue(clients.sqs, queueUrl);
    const host = 'rebound.example:3000';

    // Act
    const answers = await Promise.all(
      [{ path: '/health' }, { path: '/_local/events' }, ...routes].map((route) =>
        send(apiUrl, { ...route, headers: { ...route.headers, host, 'x-api-key': apiKey } }),
      ),
    );

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toEqual({ error: expect.stringContaining('The Host header "rebound.example:3000"'), details: [] });
    }
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(before);
  });
});

describe('the local API under abuse: bodies it will not read, and floods', () => {
  let runtime: RuntimeProcess;
  let clients: ReturnType<typeof emulatorClientsOf>;

  beforeAll(async () => {
    // --rate off: whatever reaches the queue stays there to be counted.
    runtime = await startRuntime(['--rate', 'off']);
    clients = emulatorClientsOf(runtime.started);
  }, 60_000);

  afterAll(async () => {
    clients?.sqs.destroy();
    clients?.dynamodb.destroy();
    await runtime?.stop();
  });

  it('answers 250 concurrent 10 MB bodies (half with a Content-Length, half chunked) 413, keeping the whole process tree under 500 MB', async () => {
    // Prepare
    const { apiUrl, queueUrl } = runtime.started;
    const tenMegabytes = Buffer.alloc(10 * 1024 * 1024, ' ');
    const memory = samplePeakRss(runtime.child.pid as number);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 250 }, (_, i) => send(apiUrl, { method: 'POST', path: '/messages', headers: json, body: tenMegabytes, chunked: i % 2 === 1 })),
    );
    const peakMb = memory.stop();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(Array(250).fill(413));
    for (const answer of answers) {
      expect(answer.headers['connection']).toBe('close');
      expect(JSON.parse(answer.text)).toEqual({ error: expect.stringMatching(/^The body is (10485760 bytes|over 262144 bytes)/), details: [] });
    }
    // Reading them whole would hold 2.5 GB; the runtime and its emulators idle at about 200 MB.
    expect(peakMb).toBeLessThan(500);
    expect((await send(apiUrl, { path: '/health' })).status).toBe(200);
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(0);
  }, 120_000);

  it('cuts a body that stalls off with 408 after the body timeout, and enqueues nothing', async () => {
    // Prepare
    const { apiUrl, queueUrl } = runtime.started;
    const started = Date.now();

    // Act: a Content-Length of 100 and 10 bytes of it, then nothing
    const answer = await new Promise<Answer>((resolve, reject) => {
      const outgoing = request(`${apiUrl}/messages`, { method: 'POST', headers: { ...json, 'content-length': '100' }, agent: false }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += String(chunk)));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text, ms: Date.now() - started }));
      });
      outgoing.on('error', reject);
      outgoing.write('{"key1":"a');
    });

    // Assess
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.text)).toEqual({
      error: `The body did not arrive within ${localRuntimeConfig.requestBodyTimeoutMs / 1000} s; send the whole request at once.`,
      details: [],
    });
    // Cut off at the timeout, not after Node's five minutes (generous slack for a busy machine).
    expect(answer.ms).toBeGreaterThanOrEqual(localRuntimeConfig.requestBodyTimeoutMs - 100);
    expect(answer.ms).toBeLessThan(localRuntimeConfig.requestBodyTimeoutMs + 10_000);
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(0);
  }, 60_000);

  it('answers a flood of 2,000 concurrent POSTs within 5 s each (more only on a machine too busy to answer 2,000 connections fast at all): 202, or 429 with Retry-After; exactly the accepted messages become items', async () => {
    // Prepare: the same flood on GET /health first, which does no work: what opening and answering
    // 2,000 connections at once costs this machine right now, whatever else runs on it
    const { apiUrl, tableName } = runtime.started;
    const runId = 'flood';
    const connectionsAlone = await flood(apiUrl, Array.from({ length: 2_000 }, () => 'GET /health HTTP/1.1\r\n'));

    // Act
    const answers = await flood(
      apiUrl,
      Array.from({ length: 2_000 }, (_, i) => {
        const body = message(`m${i}`, runId);
        return `POST /messages HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: flood-${i}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
      }),
      (i) => message(`m${i}`, runId),
    );
    const connectionsAfter = await flood(apiUrl, Array.from({ length: 2_000 }, () => 'GET /health HTTP/1.1\r\n'));
    const accepted = answers.filter((answer) => answer.status === 202).length;
    const throttled = answers.filter((answer) => answer.status === 429);
    const items = await waitFor(
      async () => {
        await send(apiUrl, { method: 'POST', path: '/_local/tick' });
        const written = (await tableItems(clients.documents, tableName)).filter((item) => item['runId'] === runId);
        return written.length >= accepted ? written : undefined;
      },
      60_000,
      `${accepted} items of the flood`,
    );

    // Assess
    expect([...connectionsAlone, ...connectionsAfter].every((answer) => answer.status === 200)).toBe(true);
    expect(accepted + throttled.length).toBe(2_000);
    // The wait queue is bounded: more than it and the running invocations cannot be taken at once.
    expect(throttled.length).toBeGreaterThan(0);
    for (const answer of throttled) {
      expect(answer.headers['retry-after']).toBe(String(localRuntimeConfig.retryAfterSeconds));
      expect(JSON.parse(answer.text)).toEqual({ error: expect.stringMatching(/^Too many requests: test-api's \d+ execution environments are busy/), details: [] });
    }
    // A throttled request waits for nothing and an accepted one at most for the short queue before
    // it: with nothing else running the slowest answer came in 2.1–2.8 s (docs/reliability.md). On
    // a machine busy with other work every connection is slow and the flood's share of the CPU
    // shrinks: the slowest answer was 4.2 × the /health flood's at a load average of 11.5 (4.9 s) and
    // 6 × at 17 (16 s). The load can change during the flood, so /health is flooded just before and
    // just after it, and the bound is the 5 s, or 8 × the slower of the two when that is more;
    // an unbounded queue (the old gateway: p50 16 s for 2,000) fails it wherever /health answers
    // 2,000 connections within 2 s.
    const slowest = (list: Answer[]) => Math.max(...list.map((answer) => answer.ms));
    expect(slowest(answers)).toBeLessThan(Math.max(5_000, 8 * Math.max(slowest(connectionsAlone), slowest(connectionsAfter))));
    expect(items).toHaveLength(accepted);
    expect(new Set(items.map((item) => item['idempotencyKey'])).size).toBe(accepted);
  }, 180_000);
});
