import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MessagePayload } from '../shared/burst-plan.js';
import { runBurst, type BurstPorts, type BurstProgress } from './run-burst.js';

const settings = {
  apiUrl: 'http://api.test/v1',
  apiKey: 'K',
  messages: 25,
  batch: 10,
  drainTimeoutSeconds: 30,
  concurrency: 2,
  requestTimeoutSeconds: 30,
  attempts: 5,
};

type Answer = (messages: MessagePayload[]) => { status: number; body: unknown; headers?: Record<string, string> };

const acceptAll: Answer = (messages) => ({
  status: 202,
  body: { messages: messages.map((_, index) => ({ index, status: 'enqueued', messageId: `m-${index}` })) },
});

/**
 * The API in memory: it answers POST /messages with `answer`, and its table gains `writtenPerPoll`
 * items of the enqueued messages at each GET /runs/{runId}, up to `writeAtMost`.
 */
class FakeApi {
  readonly posted: MessagePayload[] = [];
  readonly apiKeys = new Set<string | null>();
  readonly idempotencyKeyHeaders: (string | null)[] = [];
  enqueued = 0;
  written = 0;
  reads = 0;
  inFlight = 0;
  mostInFlight = 0;

  constructor(
    private readonly answer: Answer = acceptAll,
    private readonly writtenPerPoll = 10,
    private readonly writeAtMost = Infinity,
  ) {}

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    this.apiKeys.add(new Headers(init?.headers).get('x-api-key'));
    if (init?.method === 'POST') this.idempotencyKeyHeaders.push(new Headers(init.headers).get('idempotency-key'));
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await nextTurn();
    this.inFlight--;
    if (init?.method === 'POST' && url === 'http://api.test/v1/messages') {
      const parsed = JSON.parse(String(init.body)) as MessagePayload | MessagePayload[];
      const messages = Array.isArray(parsed) ? parsed : [parsed];
      this.posted.push(...messages);
      const { status, body, headers } = this.answer(messages);
      if (status === 202 || status === 207) {
        const entries = (body as { messages?: { status: string }[] }).messages;
        this.enqueued += entries ? entries.filter((entry) => entry.status === 'enqueued').length : messages.length;
      }
      return new Response(JSON.stringify(body), { status, headers });
    }
    const match = /^http:\/\/api\.test\/v1\/runs\/([\w-]+)$/.exec(url);
    if (match) {
      this.reads++;
      this.written = Math.min(this.enqueued, this.writeAtMost, this.written + this.writtenPerPoll);
      const runId = match[1];
      return Response.json({
        runId,
        written: this.written,
        firstEnqueuedAt: 1_000,
        lastWrittenAt: 1_000 + 400 * this.reads,
        drainMs: 400 * this.reads,
        latencyMs: { p50: 120, p95: 300, p99: 380, max: 390 },
      });
    }
    return Response.json({ error: 'no route' }, { status: 404 });
  }) as typeof fetch;
}

function portsFor(api: { fetch: typeof fetch }, progress: BurstProgress[] = []) {
  let clock = Date.UTC(2025, 0, 1);
  const ports: BurstPorts = {
    fetch: api.fetch,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    random: () => 0.5,
    onProgress: (update) => progress.push(update),
  };
  return { ports, elapsed: () => clock - Date.UTC(2025, 0, 1) };
}

describe('runBurst', () => {
  it('posts every message once, at most `concurrency` requests at a time, and waits until all are written', async () => {
    // Prepare
    const api = new FakeApi();
    const progress: BurstProgress[] = [];
    const { ports, elapsed } = portsFor(api, progress);

    // Act
    const { summary, problems } = await runBurst(settings, ports);

    // Assess
    expect(api.posted.map((message) => message.key1)).toHaveLength(25);
    expect(new Set(api.posted.map((message) => message.key1)).size).toBe(25);
    expect(new Set(api.posted.map((message) => message.runId))).toEqual(new Set([summary.runId]));
    expect(summary.runId).toBe('burst-20250101T000000Z-iiiiii');
    expect(api.mostInFlight).toBe(2);
    expect(api.apiKeys).toEqual(new Set(['K']));
    expect(summary).toEqual({
      runId: summary.runId,
      messages: 25,
      accepted: 25,
      rejected: 0,
      written: 25,
      drainMs: 1_200,
      latencyMs: { p50: 120, p95: 300, p99: 380, max: 390 },
      timedOut: false,
    });
    expect(problems).toEqual([]);
    expect(new Set(api.posted.map((message) => message.idempotencyKey)).size).toBe(25);
    // 10, 20, 25 written: three reads, two pauses between them
    expect(api.reads).toBe(3);
    expect(elapsed()).toBe(2_000);
    expect(progress.filter((update) => update.phase === 'posting').map((update) => update.done).sort((a, b) => a - b)).toEqual([10, 20, 25]);
    expect(progress.filter((update) => update.phase === 'draining').map((update) => update.done)).toEqual([10, 20, 25]);
  });

  it('counts the failed entries of a 207 as rejected and waits only for the accepted ones', async () => {
    // Prepare: the API enqueues every entry but the second of each request
    const api = new FakeApi((messages) => ({
      status: 207,
      body: {
        messages: messages.map((_, index) =>
          index === 1 ? { index, status: 'failed', error: 'ThrottlingException' } : { index, status: 'enqueued', messageId: `m-${index}` },
        ),
      },
    }));
    const { ports } = portsFor(api);

    // Act
    const { summary, problems } = await runBurst(settings, ports);

    // Assess
    expect(summary).toMatchObject({ messages: 25, accepted: 22, rejected: 3, written: 22, timedOut: false });
    expect(problems).toHaveLength(1);
    expect(problems[0].requests).toBe(3);
    expect(problems[0].what).toMatch(/^POST \/messages answered 207 \{"messages":/);
  });

  it('rejects every message the API refuses, reads no report, and says to pass the key', async () => {
    // Prepare
    const api = new FakeApi(() => ({ status: 403, body: { message: 'Forbidden' } }));
    const { ports, elapsed } = portsFor(api);

    // Act
    const { summary, problems } = await runBurst({ ...settings, apiKey: undefined }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 0, rejected: 25, written: 0, drainMs: null, timedOut: false });
    expect(api.apiKeys).toEqual(new Set([null]));
    expect(api.reads).toBe(0);
    expect(elapsed()).toBe(0);
    expect(problems).toEqual([
      {
        what: 'POST /messages answered 403 {"message":"Forbidden"}',
        requests: 3,
        hint: "The API wants a key: pass --api-key (the stage's key, see docs/deploy.md).",
      },
    ]);
  });

  it('rejects the messages of requests that got no answer, and asks whether the API is running', async () => {
    // Prepare
    const refused = {
      fetch: (async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:3999') });
      }) as typeof fetch,
    };
    const { ports } = portsFor(refused);

    // Act
    const { summary, problems } = await runBurst({ ...settings, apiUrl: 'http://127.0.0.1:3999' }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 0, rejected: 25, timedOut: false });
    expect(problems).toEqual([
      {
        what: 'POST /messages failed: fetch failed: connect ECONNREFUSED 127.0.0.1:3999',
        requests: 3,
        hint: 'Is the API running at http://127.0.0.1:3999? Locally, start it with npm start.',
      },
    ]);
  });

  it('stops waiting at the drain timeout and reports the messages still missing', async () => {
    // Prepare: the table never gets past 20 of 25
    const api = new FakeApi(acceptAll, 10, 20);
    const { ports, elapsed } = portsFor(api);

    // Act
    const { summary } = await runBurst({ ...settings, drainTimeoutSeconds: 5 }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 25, rejected: 0, written: 20, timedOut: true });
    expect(elapsed()).toBe(5_000);
    // one read at the start and one after each of the five one-second pauses
    expect(api.reads).toBe(6);
  });

  it('keeps the last report when a poll fails, instead of forgetting what was written', async () => {
    // Prepare: 10 more items per read; the third read, the last before the 2 s timeout, fails
    const api = new FakeApi(acceptAll, 10);
    let gets = 0;
    const flaky = {
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        if (init?.method !== 'POST' && ++gets === 3) return new Response('<html>502 Bad Gateway</html>', { status: 502 });
        return api.fetch(input, init);
      }) as typeof fetch,
    };
    const { ports } = portsFor(flaky);

    // Act
    const { summary, problems } = await runBurst({ ...settings, drainTimeoutSeconds: 2 }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 25, written: 20, drainMs: 800, timedOut: true });
    expect(problems).toEqual([{ what: `GET /runs/${summary.runId} answered 502 <html>502 Bad Gateway</html>`, requests: 1 }]);
  });

  it('sends a throttled or unavailable request again after Retry-After, with the same idempotency keys, until it is taken', async () => {
    // Prepare: each request is throttled once, then finds SQS unavailable once, then is taken
    const tries = new Map<string, number>();
    const api = new FakeApi((messages) => {
      const key = String(messages[0].idempotencyKey);
      const tried = (tries.get(key) ?? 0) + 1;
      tries.set(key, tried);
      if (tried === 1) return { status: 429, body: { error: 'Too many requests', details: [] }, headers: { 'retry-after': '2' } };
      if (tried === 2) return { status: 503, body: { error: 'The queue is unavailable', details: [] }, headers: { 'retry-after': '1' } };
      return acceptAll(messages);
    });
    const { ports, elapsed } = portsFor(api);

    // Act
    const { summary, problems, retries } = await runBurst({ ...settings, concurrency: 1 }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 25, rejected: 0, written: 25, timedOut: false });
    expect(problems).toEqual([]);
    expect(retries).toEqual({ '429': 3, '503': 3 });
    // Three tries of each message, every one with its one key
    const keysPosted = api.posted.map((message) => message.idempotencyKey);
    expect(keysPosted).toHaveLength(75);
    expect(new Set(keysPosted).size).toBe(25);
    // 3 requests × (2 s + 1 s, each with half a base delay of jitter), then two drain pauses of 1 s
    expect(elapsed()).toBe(3 * (2_000 + 125 + 1_000 + 125) + 2_000);
  });

  it('gives up after `attempts` tries and counts the messages as rejected, with the last answer', async () => {
    // Prepare
    const api = new FakeApi(() => ({ status: 429, body: { error: 'Too many requests', details: [] }, headers: { 'retry-after': '1' } }));
    const { ports } = portsFor(api);

    // Act
    const { summary, problems, retries } = await runBurst({ ...settings, attempts: 3 }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 0, rejected: 25 });
    expect(api.posted).toHaveLength(3 * 25);
    expect(retries).toEqual({ '429': 6 });
    expect(problems).toEqual([
      expect.objectContaining({ what: 'POST /messages answered 429 {"error":"Too many requests","details":[]}', requests: 3 }),
    ]);
  });

  it('sends a request that got no answer within the request timeout again, with the same keys', async () => {
    // Prepare: the first try of each request never answers; the runner gives it up after 1 s
    const api = new FakeApi();
    const seen = new Set<string>();
    const stalling = {
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const body = String(init?.body ?? '');
        if (init?.method === 'POST' && !seen.has(body)) {
          seen.add(body);
          return new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
        }
        return api.fetch(input, init);
      }) as typeof fetch,
    };
    const { ports } = portsFor(stalling);

    // Act
    const { summary, retries, problems } = await runBurst({ ...settings, messages: 10, batch: 1, concurrency: 10, requestTimeoutSeconds: 1 }, ports);

    // Assess
    expect(summary).toMatchObject({ accepted: 10, rejected: 0, written: 10 });
    expect(retries).toEqual({ 'no answer': 10 });
    expect(problems).toEqual([]);
    // Single messages name themselves in the header: the retry sent the same one.
    expect(api.idempotencyKeyHeaders.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${summary.runId}-${i}`).sort());
  }, 15_000);
});
