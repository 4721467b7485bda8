import { apiConfig } from '@fanout/config';
import { idempotencyKeyPattern as apiIdempotencyKeyPattern, runIdPattern as apiRunIdPattern, validateMessage } from '@fanout/message-schema';
import {
  BurstSettingError,
  burstDefaults,
  countOutcome,
  formatDuration,
  formatSummaryTable,
  idempotencyKeyOf,
  isBurstSuccessful,
  isDrainComplete,
  isRetryable,
  makeRunId,
  maxBatchSize,
  maxRetryDelayMs,
  messagePayload,
  messagesUrl,
  parseJsonBody,
  parseRetryAfter,
  parseRunReport,
  planRequests,
  postHeaders,
  readBurstSettings,
  requestAt,
  requestBody,
  requestCount,
  requestHeaders,
  retryBaseDelayMs,
  retryDelayMs,
  runIdPattern,
  runReportUrl,
  summarizeBurst,
  type MessagePayload,
  type RunReport,
} from './burst-plan.js';

const k6Names = {
  apiUrl: 'API_URL',
  messages: 'MESSAGES',
  batch: 'BATCH',
  drainTimeout: 'DRAIN_TIMEOUT',
  concurrency: 'VUS',
  requestTimeout: 'REQUEST_TIMEOUT',
  attempts: 'ATTEMPTS',
};

function report(written: number, overrides: Partial<RunReport> = {}): RunReport {
  return {
    runId: 'r1',
    written,
    firstEnqueuedAt: 1_000,
    lastWrittenAt: 4_500,
    drainMs: 3_500,
    latencyMs: { p50: 800, p95: 2_900, p99: 3_100, max: 3_400 },
    ...overrides,
  };
}

describe('the pipeline facts the plan mirrors', () => {
  it('allows as many messages per request as the API (one SendMessageBatch)', () => {
    // Assess
    expect(maxBatchSize).toBe(apiConfig.maxMessagesPerRequest);
  });

  it('uses the API\'s run id rule', () => {
    // Assess
    expect(runIdPattern.source).toBe(apiRunIdPattern.source);
    expect(runIdPattern.flags).toBe(apiRunIdPattern.flags);
  });
});

describe('readBurstSettings', () => {
  it('uses the defaults for settings not given or blank', () => {
    // Act
    const settings = readBurstSettings({ messages: '', batch: '  ' }, k6Names);

    // Assess
    expect(settings).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      apiKey: undefined,
      messages: 100,
      batch: 10,
      drainTimeoutSeconds: 120,
      concurrency: 8,
      requestTimeoutSeconds: 30,
      attempts: 5,
    });
    expect(burstDefaults.batch).toBe(10);
  });

  it('reads numbers and drops the trailing slash of an AWS stage URL', () => {
    // Act
    const settings = readBurstSettings(
      {
        apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/',
        apiKey: 'k-1',
        messages: '1000',
        batch: '1',
        drainTimeout: '0',
        concurrency: '32',
        requestTimeout: '3',
        attempts: '1',
      },
      k6Names,
    );

    // Assess
    expect(settings).toEqual({
      apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1',
      apiKey: 'k-1',
      messages: 1000,
      batch: 1,
      drainTimeoutSeconds: 0,
      concurrency: 32,
      requestTimeoutSeconds: 3,
      attempts: 1,
    });
  });

  it.each([
    [{ batch: '11' }, 'BATCH must be a whole number from 1 to 10, got "11".'],
    [{ batch: '0' }, 'BATCH must be a whole number from 1 to 10, got "0".'],
    [{ messages: '2.5' }, 'MESSAGES must be a whole number from 1 to 10000000, got "2.5".'],
    [{ messages: 'lots' }, 'MESSAGES must be a whole number from 1 to 10000000, got "lots".'],
    [{ drainTimeout: '-1' }, 'DRAIN_TIMEOUT must be a whole number from 0 to 86400, got "-1".'],
    [{ concurrency: '0' }, 'VUS must be a whole number from 1 to 1000, got "0".'],
    [{ requestTimeout: '0' }, 'REQUEST_TIMEOUT must be a whole number from 1 to 600, got "0".'],
    [{ attempts: '21' }, 'ATTEMPTS must be a whole number from 1 to 20, got "21".'],
    [{ apiUrl: '127.0.0.1:3000' }, 'API_URL must be an http:// or https:// URL such as http://127.0.0.1:3000, got "127.0.0.1:3000".'],
  ])('refuses %j, naming the setting as the user spells it', (raw, message) => {
    // Act
    const read = () => readBurstSettings(raw, k6Names);

    // Assess
    expect(read).toThrow(BurstSettingError);
    expect(read).toThrow(message);
  });
});

describe('URLs and headers', () => {
  it('joins paths onto a base URL with or without a stage path and trailing slash', () => {
    // Assess
    expect(messagesUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/messages');
    expect(messagesUrl('https://x.execute-api.eu-west-1.amazonaws.com/v1/')).toBe('https://x.execute-api.eu-west-1.amazonaws.com/v1/messages');
    expect(runReportUrl('https://x.example/v1/', 'burst-1')).toBe('https://x.example/v1/runs/burst-1');
  });

  it('sends x-api-key only when there is a key', () => {
    // Assess
    expect(requestHeaders(undefined)).toEqual({ 'content-type': 'application/json' });
    expect(requestHeaders('')).toEqual({ 'content-type': 'application/json' });
    expect(requestHeaders('secret')).toEqual({ 'content-type': 'application/json', 'x-api-key': 'secret' });
  });
});

describe('makeRunId', () => {
  it('stamps the time and six base-36 characters from the random source', () => {
    // Prepare
    const draws = [0, 0.5, 0.999_999, 0.1, 0.25, 0.75];
    let i = 0;

    // Act
    const runId = makeRunId(Date.UTC(2025, 0, 2, 3, 4, 5, 678), () => draws[i++]);

    // Assess
    expect(runId).toBe('burst-20250102T030405Z-0iz39r');
    expect(runId).toMatch(apiRunIdPattern);
  });

  it('takes a prefix, and gives different ids for different random draws', () => {
    // Act
    const first = makeRunId(0, () => 0.1, 'steady');
    const second = makeRunId(0, () => 0.2, 'steady');

    // Assess
    expect(first).toBe('steady-19700101T000000Z-333333');
    expect(second).toBe('steady-19700101T000000Z-777777');
  });

  it('stays within the rule even when the random source returns 1', () => {
    // Act
    const runId = makeRunId(0, () => 1);

    // Assess
    expect(runId).toBe('burst-19700101T000000Z-zzzzzz');
    expect(runId).toMatch(apiRunIdPattern);
  });

  it('refuses a prefix the API would refuse', () => {
    // Assess
    expect(() => makeRunId(0, () => 0, 'has space')).toThrow(BurstSettingError);
    expect(() => makeRunId(0, () => 0, 'x'.repeat(60))).toThrow(BurstSettingError);
  });
});

describe('messagePayload', () => {
  it('builds a message the API\'s own schema accepts, tagged with the run id', () => {
    // Act
    const payload = messagePayload('burst-1', 41);

    // Assess
    expect(payload).toEqual({ key1: 'message-41', key2: 'fanout-loadtest', key3: 'burst-1/41', runId: 'burst-1' });
    expect(validateMessage(payload)).toEqual({ ok: true, value: payload });
  });
});

describe('splitting a burst into requests', () => {
  it('covers 25 messages in batches of 10 with a last request of 5', () => {
    // Act
    const plan = planRequests(25, 10);

    // Assess
    expect(requestCount(25, 10)).toBe(3);
    expect(plan).toEqual([
      { index: 0, first: 0, count: 10 },
      { index: 1, first: 10, count: 10 },
      { index: 2, first: 20, count: 5 },
    ]);
  });

  it.each([
    [1, 10, 1],
    [10, 10, 1],
    [11, 10, 2],
    [100, 10, 10],
    [1000, 7, 143],
    [5, 1, 5],
  ])('posts each of %i messages exactly once in requests of %i (%i requests)', (messages, batch, requests) => {
    // Act
    const plan = planRequests(messages, batch);
    const indexes = plan.flatMap((request) => Array.from({ length: request.count }, (_, i) => request.first + i));

    // Assess
    expect(plan).toHaveLength(requests);
    expect(indexes).toEqual(Array.from({ length: messages }, (_, i) => i));
    expect(plan.every((request) => request.count >= 1 && request.count <= batch)).toBe(true);
  });

  it('finds request i on its own, as a k6 iteration does', () => {
    // Assess
    expect(requestAt(9, 95, 10)).toEqual({ index: 9, first: 90, count: 5 });
    expect(() => requestAt(10, 95, 10)).toThrow(RangeError);
    expect(() => requestAt(-1, 95, 10)).toThrow(RangeError);
  });

  it('posts arrays, even of one message, unless the batch size is 1', () => {
    // Act
    const lastOfEleven = requestBody('r', requestAt(1, 11, 10), 10);
    const single = requestBody('r', requestAt(3, 5, 1), 1);

    // Assess
    expect(lastOfEleven).toEqual([{ ...messagePayload('r', 10), idempotencyKey: 'r-10' }]);
    expect(single).toEqual(messagePayload('r', 3));
  });
});

describe('idempotency keys', () => {
  it('gives every message of a run a key of its own that the API accepts, the same on every try', () => {
    // Prepare
    const runId = makeRunId(Date.UTC(2030, 11, 31, 23, 59, 59), () => 0.999, 'steady');
    const plan = planRequests(25, 10);

    // Act
    const keys = plan.flatMap((request) => (requestBody(runId, request, 10) as MessagePayload[]).map((message) => message.idempotencyKey));
    const again = plan.flatMap((request) => (requestBody(runId, request, 10) as MessagePayload[]).map((message) => message.idempotencyKey));

    // Assess
    expect(new Set(keys).size).toBe(25);
    expect(again).toEqual(keys);
    expect(idempotencyKeyOf(runId, 9_999_999)).toMatch(apiIdempotencyKeyPattern);
    for (const request of plan) {
      for (const message of requestBody(runId, request, 10) as MessagePayload[]) expect(validateMessage(message).ok).toBe(true);
    }
  });

  it('sends the key of a single message in the Idempotency-Key header, and none for an array (its messages carry theirs)', () => {
    // Act
    const single = postHeaders('k', 'r', requestAt(3, 5, 1), 1);
    const array = postHeaders(undefined, 'r', requestAt(0, 5, 5), 5);

    // Assess
    expect(single).toEqual({ 'content-type': 'application/json', 'x-api-key': 'k', 'idempotency-key': 'r-3' });
    expect(array).toEqual({ 'content-type': 'application/json' });
  });
});

describe('retries', () => {
  it.each([
    [0, true],
    [429, true],
    [503, true],
    [202, false],
    [207, false],
    [400, false],
    [403, false],
    [413, false],
    [500, false],
    [502, false],
    [504, true],
  ])('retries an answer of %i: %s', (status, retry) => {
    // Act / Assess
    expect(isRetryable(status)).toBe(retry);
  });

  it('reads Retry-After as seconds or as an HTTP date, and nothing else', () => {
    // Prepare
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);

    // Act
    const read = ['1', ' 30 ', 'Thu, 01 Jan 2026 12:00:05 GMT', 'Thu, 01 Jan 2026 11:00:00 GMT', '', 'soon', null, undefined].map((value) => parseRetryAfter(value, now));

    // Assess
    expect(read).toEqual([1_000, 30_000, 5_000, 0, null, null, null, null]);
  });

  it('waits what Retry-After asks plus a jitter of less than one base delay, and backs off exponentially without it', () => {
    // Act
    const afterRetryAfter = [0, 0.999].map((draw) => retryDelayMs(1, 1_000, () => draw));
    const backoff = [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, null, () => 0.999_999));
    const capped = [retryDelayMs(20, null, () => 0.999_999), retryDelayMs(1, 3_600_000, () => 0)];

    // Assess
    expect(afterRetryAfter).toEqual([1_000, 1_000 + retryBaseDelayMs - 1]);
    expect(backoff).toEqual([249, 499, 999, 1_999]);
    expect(capped).toEqual([maxRetryDelayMs - 1, maxRetryDelayMs]);
  });
});

describe('countOutcome', () => {
  it('accepts a single message answered 202 {messageId}', () => {
    // Assess
    expect(countOutcome(202, { messageId: 'm-1' }, 1)).toEqual({ accepted: 1, rejected: 0 });
  });

  it('counts the enqueued entries of a 202 batch', () => {
    // Prepare
    const body = { messages: Array.from({ length: 10 }, (_, index) => ({ index, status: 'enqueued', messageId: `m-${index}` })) };

    // Assess
    expect(countOutcome(202, body, 10)).toEqual({ accepted: 10, rejected: 0 });
  });

  it('counts only the enqueued entries of a 207 partial batch', () => {
    // Prepare
    const body = {
      messages: [
        { index: 0, status: 'enqueued', messageId: 'a' },
        { index: 1, status: 'failed', error: 'ThrottlingException' },
        { index: 2, status: 'enqueued', messageId: 'c' },
        { index: 3, status: 'failed' },
      ],
    };

    // Assess
    expect(countOutcome(207, body, 4)).toEqual({ accepted: 2, rejected: 2 });
  });

  it.each([
    [400, { error: 'key2 is required', details: [] }],
    [403, { message: 'Forbidden' }],
    [429, { message: 'Too Many Requests' }],
    [503, { error: 'SQS is unavailable', details: [] }],
    [207, { error: 'no entries' }],
    [0, null],
  ])('rejects every message of a request answered %i', (status, body) => {
    // Assess
    expect(countOutcome(status, body, 7)).toEqual({ accepted: 0, rejected: 7 });
  });

  it('never accepts more than were sent', () => {
    // Prepare
    const body = { messages: [{ status: 'enqueued' }, { status: 'enqueued' }, { status: 'enqueued' }] };

    // Assess
    expect(countOutcome(202, body, 2)).toEqual({ accepted: 2, rejected: 0 });
  });
});

describe('reading answers', () => {
  it('parses JSON bodies and returns null for anything else', () => {
    // Assess
    expect(parseJsonBody('{"written":3}')).toEqual({ written: 3 });
    expect(parseJsonBody('<html>Bad gateway</html>')).toBeNull();
    expect(parseJsonBody('')).toBeNull();
    expect(parseJsonBody(null)).toBeNull();
  });

  it('reads a run report as GET /runs/{runId} answers it', () => {
    // Prepare
    const body = {
      runId: 'r1',
      written: 200,
      firstEnqueuedAt: 1_000,
      lastWrittenAt: 4_500,
      drainMs: 3_500,
      latencyMs: { p50: 800, p95: 2_900, p99: 3_100, max: 3_400 },
    };

    // Assess
    expect(parseRunReport(body)).toEqual(report(200));
  });

  it('reads an empty run (nothing written yet) with nulls', () => {
    // Prepare
    const body = { runId: 'r1', written: 0, firstEnqueuedAt: null, lastWrittenAt: null, drainMs: null, latencyMs: { p50: null, p95: null, p99: null, max: null } };

    // Assess
    expect(parseRunReport(body)).toEqual({ ...body });
  });

  it('refuses bodies that are not a report', () => {
    // Assess
    expect(parseRunReport({ message: 'Forbidden' })).toBeNull();
    expect(parseRunReport({ written: -1 })).toBeNull();
    expect(parseRunReport({ written: '200' })).toBeNull();
    expect(parseRunReport(null)).toBeNull();
  });
});

describe('the drain rule', () => {
  it('is complete once written reaches accepted', () => {
    // Assess
    expect(isDrainComplete(199, 200)).toBe(false);
    expect(isDrainComplete(200, 200)).toBe(true);
    expect(isDrainComplete(0, 0)).toBe(true);
  });
});

describe('summarizeBurst', () => {
  it('reports a drained burst from the run report', () => {
    // Act
    const summary = summarizeBurst({ runId: 'r1', messages: 200, accepted: 200, rejected: 0, report: report(200) });

    // Assess
    expect(summary).toEqual({
      runId: 'r1',
      messages: 200,
      accepted: 200,
      rejected: 0,
      written: 200,
      drainMs: 3_500,
      latencyMs: { p50: 800, p95: 2_900, p99: 3_100, max: 3_400 },
      timedOut: false,
    });
    expect(isBurstSuccessful(summary)).toBe(true);
  });

  it('times out when fewer were written than accepted', () => {
    // Act
    const summary = summarizeBurst({ runId: 'r1', messages: 200, accepted: 200, rejected: 0, report: report(150) });

    // Assess
    expect(summary.timedOut).toBe(true);
    expect(isBurstSuccessful(summary)).toBe(false);
  });

  it('judges the drain against the accepted messages, and fails the burst for the rejected ones', () => {
    // Act
    const summary = summarizeBurst({ runId: 'r1', messages: 200, accepted: 190, rejected: 10, report: report(190) });

    // Assess
    expect(summary.timedOut).toBe(false);
    expect(isBurstSuccessful(summary)).toBe(false);
  });

  it('reports nothing written and no latency when no report could be read', () => {
    // Act
    const summary = summarizeBurst({ runId: 'r1', messages: 20, accepted: 0, rejected: 20, report: null });

    // Assess
    expect(summary).toMatchObject({ written: 0, drainMs: null, latencyMs: { p50: null, p95: null, p99: null, max: null }, timedOut: false });
  });
});

describe('formatting', () => {
  it.each([
    [null, '-'],
    [0, '0 ms'],
    [849.6, '850 ms'],
    [1_000, '1.0 s'],
    [12_345, '12.3 s'],
    [59_949, '59.9 s'],
    [60_000, '1 min 00 s'],
    [125_400, '2 min 05 s'],
  ])('formats %p ms as %p', (ms, text) => {
    // Assess
    expect(formatDuration(ms)).toBe(text);
  });

  it('prints the short table of a drained burst', () => {
    // Prepare
    const summary = summarizeBurst({ runId: 'burst-1', messages: 200, accepted: 200, rejected: 0, report: report(200) });

    // Act
    const table = formatSummaryTable(summary);

    // Assess
    expect(table).toBe(
      [
        'run       burst-1',
        'messages  200',
        'accepted  200',
        'rejected  0',
        'written   200',
        'drain     3.5 s',
        'latency   p50 800 ms | p95 2.9 s | p99 3.1 s | max 3.4 s',
        'drained   yes',
      ].join('\n'),
    );
  });

  it('says how many accepted messages are missing when the drain timed out', () => {
    // Prepare
    const summary = summarizeBurst({ runId: 'burst-1', messages: 200, accepted: 200, rejected: 0, report: report(199) });

    // Act
    const table = formatSummaryTable(summary);

    // Assess
    expect(table.split('\n').at(-1)).toBe('drained   no: 1 accepted message not written');
  });

  it('says there was nothing to drain when no message was accepted', () => {
    // Prepare
    const summary = summarizeBurst({ runId: 'burst-1', messages: 30, accepted: 0, rejected: 30, report: null });

    // Act
    const table = formatSummaryTable(summary);

    // Assess
    expect(table.split('\n').slice(2)).toEqual([
      'accepted  0',
      'rejected  30',
      'written   0',
      'drain     -',
      'latency   p50 - | p95 - | p99 - | max -',
      'drained   -: no message was accepted',
    ]);
  });
});
