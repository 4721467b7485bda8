/**
 * The burst plan: what the k6 scripts (`burst.js`, `steady.js`) and the Node runner (`src/`) share, so
 * that both post the same messages, count the same way and print the same summary.
 *
 * Plain ES module JavaScript with no Node or k6 imports: k6 imports it by relative path, the runner's
 * bundle inlines it, jest tests it. Types are JSDoc, checked by tsconfig.k6.json and tsconfig.app.json.
 */

/**
 * Most messages in one POST: one SendMessageBatch. Mirrors `apiConfig.maxMessagesPerRequest` in
 * libs/config, which k6 cannot import (TypeScript, other project); burst-plan.spec.ts keeps them equal.
 */
export const maxBatchSize = 10;

/** A run id as the API accepts it. Mirrors `runIdPattern` in libs/message-schema (kept equal by a spec). */
export const runIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** How often the drain is polled (`GET /runs/{runId}`), in milliseconds. */
export const drainPollIntervalMs = 1000;

/** What a burst does when a setting is not given: the same for k6 (`-e`) and the runner (flags). */
export const burstDefaults = Object.freeze({
  apiUrl: 'http://127.0.0.1:3000',
  messages: 100,
  batch: maxBatchSize,
  drainTimeoutSeconds: 120,
  concurrency: 8,
  /** A request not answered by then is given up and sent again (API Gateway itself gives up at 29 s). */
  requestTimeoutSeconds: 30,
  /** Tries of one request, the first included, while it is throttled (429), unavailable (503) or unanswered. */
  attempts: 5,
});

/** A setting a burst cannot run with; the message names the setting and what it accepts. */
export class BurstSettingError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'BurstSettingError';
  }
}

/**
 * @typedef {object} BurstSettings
 * @property {string} apiUrl The API's base URL, without a trailing slash.
 * @property {string | undefined} apiKey Sent as `x-api-key` when set.
 * @property {number} messages Messages to post in the burst.
 * @property {number} batch Messages per request, 1 to {@link maxBatchSize}.
 * @property {number} drainTimeoutSeconds How long to wait for the drain after posting.
 * @property {number} concurrency Requests in flight at once.
 * @property {number} requestTimeoutSeconds A request not answered by then is given up (and retried).
 * @property {number} attempts Tries of one request, the first included.
 */

/**
 * @typedef {object} RawBurstSettings Settings as the user typed them; undefined or empty means default.
 * @property {string} [apiUrl]
 * @property {string} [apiKey]
 * @property {string} [messages]
 * @property {string} [batch]
 * @property {string} [drainTimeout]
 * @property {string} [concurrency]
 * @property {string} [requestTimeout]
 * @property {string} [attempts]
 */

/**
 * @typedef {object} SettingNames How the user spells each setting (`MESSAGES` in k6, `--messages` in the
 *   runner), so that an error names what to change.
 * @property {string} apiUrl
 * @property {string} messages
 * @property {string} batch
 * @property {string} drainTimeout
 * @property {string} concurrency
 * @property {string} [requestTimeout]
 * @property {string} [attempts]
 */

/**
 * A whole-number setting from text; undefined or blank means `fallback`.
 * @param {string | undefined} text
 * @param {string} name How the user spells the setting, for the error message.
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
export function readWholeNumber(text, name, fallback, min, max) {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BurstSettingError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
}

/**
 * Reads and checks a burst's settings.
 * @param {RawBurstSettings} raw
 * @param {SettingNames} names
 * @returns {BurstSettings}
 */
export function readBurstSettings(raw, names) {
  const apiUrl = raw.apiUrl === undefined || raw.apiUrl.trim() === '' ? burstDefaults.apiUrl : raw.apiUrl.trim();
  if (!/^https?:\/\/[^/\s]+/.test(apiUrl)) {
    throw new BurstSettingError(
      `${names.apiUrl} must be an http:// or https:// URL such as ${burstDefaults.apiUrl}, got ${JSON.stringify(apiUrl)}.`,
    );
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    apiKey: raw.apiKey === undefined || raw.apiKey === '' ? undefined : raw.apiKey,
    messages: readWholeNumber(raw.messages, names.messages, burstDefaults.messages, 1, 10000000),
    batch: readWholeNumber(raw.batch, names.batch, burstDefaults.batch, 1, maxBatchSize),
    drainTimeoutSeconds: readWholeNumber(raw.drainTimeout, names.drainTimeout, burstDefaults.drainTimeoutSeconds, 0, 86400),
    concurrency: readWholeNumber(raw.concurrency, names.concurrency, burstDefaults.concurrency, 1, 1000),
    requestTimeoutSeconds: readWholeNumber(raw.requestTimeout, names.requestTimeout ?? 'requestTimeout', burstDefaults.requestTimeoutSeconds, 1, 600),
    attempts: readWholeNumber(raw.attempts, names.attempts ?? 'attempts', burstDefaults.attempts, 1, 20),
  };
}

/**
 * `POST` target for messages.
 * @param {string} apiUrl
 * @returns {string}
 */
export function messagesUrl(apiUrl) {
  return `${apiUrl.replace(/\/+$/, '')}/messages`;
}

/**
 * `GET` target for a run's drain report.
 * @param {string} apiUrl
 * @param {string} runId
 * @returns {string}
 */
export function runReportUrl(apiUrl, runId) {
  return `${apiUrl.replace(/\/+$/, '')}/runs/${encodeURIComponent(runId)}`;
}

/**
 * Headers of every request; `x-api-key` only when there is a key.
 * @param {string | undefined} apiKey
 * @returns {Record<string, string>}
 */
export function requestHeaders(apiKey) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json' };
  if (apiKey !== undefined && apiKey !== '') headers['x-api-key'] = apiKey;
  return headers;
}

/**
 * Headers of a POST of `request`: a single message (batch 1) names itself in `Idempotency-Key`;
 * the messages of an array each carry their `idempotencyKey` in the body (requestBody).
 * @param {string | undefined} apiKey
 * @param {string} runId
 * @param {PlannedRequest} request
 * @param {number} batch
 * @returns {Record<string, string>}
 */
export function postHeaders(apiKey, runId, request, batch) {
  const headers = requestHeaders(apiKey);
  if (batch === 1) headers['idempotency-key'] = idempotencyKeyOf(runId, request.first);
  return headers;
}

/**
 * A fresh run id, e.g. `burst-20250101T120000Z-k3x9q2`: sortable by time, unique enough across
 * machines, and within the API's run id rule.
 * @param {number} now Milliseconds since the epoch.
 * @param {() => number} random A number in [0, 1), as Math.random returns.
 * @param {string} [prefix] What kind of run (`burst`, `steady`).
 * @returns {string}
 */
export function makeRunId(now, random, prefix = 'burst') {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += Math.min(35, Math.floor(random() * 36)).toString(36);
  const runId = `${prefix}-${stamp}-${suffix}`;
  if (!runIdPattern.test(runId)) {
    throw new BurstSettingError(`The run id ${JSON.stringify(runId)} is not 1–64 characters of A–Z, a–z, 0–9, _ or -.`);
  }
  return runId;
}

/**
 * @typedef {object} MessagePayload One message as the API takes it.
 * @property {string} key1
 * @property {string} key2
 * @property {string} key3
 * @property {string} runId
 * @property {string} [idempotencyKey] In an array; a single message sends it as `Idempotency-Key`.
 */

/**
 * The idempotency key of message `index` of a run: every try of the message sends the same one, so
 * that a message queued twice (its first try timed out after SQS took it) is still one item.
 * @param {string} runId
 * @param {number} index
 * @returns {string}
 */
export function idempotencyKeyOf(runId, index) {
  return `${runId}-${index}`;
}

/**
 * Message `index` (0-based) of a run.
 * @param {string} runId
 * @param {number} index
 * @returns {MessagePayload}
 */
export function messagePayload(runId, index) {
  return { key1: `message-${index}`, key2: 'fanout-loadtest', key3: `${runId}/${index}`, runId };
}

/**
 * @typedef {object} PlannedRequest Which messages one request carries.
 * @property {number} index 0-based request number.
 * @property {number} first Index of its first message.
 * @property {number} count How many messages, 1 to the batch size.
 */

/**
 * @param {number} messages
 * @param {number} batch
 * @returns {number} Requests needed for `messages` in requests of at most `batch`.
 */
export function requestCount(messages, batch) {
  return Math.ceil(messages / batch);
}

/**
 * Request `index` of a burst of `messages` in requests of `batch`: all full but the last.
 * @param {number} index
 * @param {number} messages
 * @param {number} batch
 * @returns {PlannedRequest}
 */
export function requestAt(index, messages, batch) {
  if (!Number.isInteger(index) || index < 0 || index >= requestCount(messages, batch)) {
    throw new RangeError(`Request ${index} is outside a burst of ${messages} messages in requests of ${batch}.`);
  }
  const first = index * batch;
  return { index, first, count: Math.min(batch, messages - first) };
}

/**
 * Every request of a burst, in order.
 * @param {number} messages
 * @param {number} batch
 * @returns {PlannedRequest[]}
 */
export function planRequests(messages, batch) {
  const requests = [];
  for (let index = 0; index < requestCount(messages, batch); index++) requests.push(requestAt(index, messages, batch));
  return requests;
}

/**
 * The JSON body of a request: with a batch size of 1, one message object (the original single-message
 * API, its key in the `Idempotency-Key` header: postHeaders); otherwise an array, even when the last
 * request holds a single message, each message with its idempotency key.
 * @param {string} runId
 * @param {PlannedRequest} request
 * @param {number} batch
 * @returns {MessagePayload | MessagePayload[]}
 */
export function requestBody(runId, request, batch) {
  if (batch === 1) return messagePayload(runId, request.first);
  const payloads = [];
  for (let i = 0; i < request.count; i++) {
    const index = request.first + i;
    payloads.push({ ...messagePayload(runId, index), idempotencyKey: idempotencyKeyOf(runId, index) });
  }
  return payloads;
}

/**
 * A response body as JSON, or null when it is not JSON.
 * @param {string | null | undefined} text
 * @returns {unknown}
 */
export function parseJsonBody(text) {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * @typedef {object} RequestOutcome
 * @property {number} accepted Messages the API enqueued.
 * @property {number} rejected Messages it did not.
 */

/**
 * How many of the `sent` messages a response says were enqueued: `202` for one message accepts it;
 * `202`/`207` with a `messages` array accepts exactly the entries with status `enqueued`; any other
 * answer (400, 403, 429, 503, a 207 that lists nothing, no answer) rejects them all.
 * @param {number} status HTTP status, 0 when the request failed before an answer.
 * @param {unknown} body Parsed JSON body, or null.
 * @param {number} sent
 * @returns {RequestOutcome}
 */
export function countOutcome(status, body, sent) {
  const entries = body !== null && typeof body === 'object' ? /** @type {{ messages?: unknown }} */ (body).messages : undefined;
  if ((status === 202 || status === 207) && Array.isArray(entries)) {
    let enqueued = 0;
    for (const entry of entries) {
      if (entry !== null && typeof entry === 'object' && /** @type {{ status?: unknown }} */ (entry).status === 'enqueued') {
        enqueued++;
      }
    }
    const accepted = Math.min(enqueued, sent);
    return { accepted, rejected: sent - accepted };
  }
  if (status === 202) return { accepted: sent, rejected: 0 };
  return { accepted: 0, rejected: sent };
}

/**
 * Whether an answer is worth sending the same request again: throttled (429), unavailable (503), or
 * no telling whether the messages were queued: the function timed out (504) or there was no answer
 * at all (0: a timeout or a dropped connection). The idempotency keys make a resend safe: a message
 * queued twice is one item.
 * @param {number} status HTTP status, 0 when the request failed before an answer.
 * @returns {boolean}
 */
export function isRetryable(status) {
  return status === 0 || status === 429 || status === 503 || status === 504;
}

/** The first backoff of a request that got no answer and no Retry-After; doubled each try, at most {@link maxRetryDelayMs}. */
export const retryBaseDelayMs = 250;
/** The longest a retry waits, whatever Retry-After says. */
export const maxRetryDelayMs = 30000;

/**
 * A Retry-After header in milliseconds (delay-seconds or an HTTP date), null when absent or unreadable.
 * @param {string | null | undefined} value
 * @param {number} now Milliseconds since the epoch, for an HTTP date.
 * @returns {number | null}
 */
export function parseRetryAfter(value, now) {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * How long to wait before try `attempt + 1` (attempt counts from 1): what Retry-After asks, plus a
 * jitter of up to one base delay so that clients throttled together do not return together; without
 * it, exponential backoff with full jitter. Never more than {@link maxRetryDelayMs}.
 * @param {number} attempt The try that just failed, from 1.
 * @param {number | null} retryAfterMs
 * @param {() => number} random A number in [0, 1).
 * @returns {number}
 */
export function retryDelayMs(attempt, retryAfterMs, random) {
  if (retryAfterMs !== null) return Math.min(maxRetryDelayMs, retryAfterMs + Math.floor(random() * retryBaseDelayMs));
  const ceiling = Math.min(maxRetryDelayMs, retryBaseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * @typedef {object} LatencyMs Per-message enqueue → write time, nearest-rank percentiles.
 * @property {number | null} p50
 * @property {number | null} p95
 * @property {number | null} p99
 * @property {number | null} max
 */

/**
 * @typedef {object} RunReport `GET /runs/{runId}` (libs/run-status `RunReport`).
 * @property {string} runId
 * @property {number} written
 * @property {number | null} firstEnqueuedAt
 * @property {number | null} lastWrittenAt
 * @property {number | null} drainMs
 * @property {LatencyMs} latencyMs
 */

/**
 * @param {unknown} value
 * @returns {number | null}
 */
function numberOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A run report from a response body, or null when the body is not one (an error, a proxy's page).
 * @param {unknown} body
 * @returns {RunReport | null}
 */
export function parseRunReport(body) {
  if (body === null || typeof body !== 'object') return null;
  const report = /** @type {Record<string, unknown>} */ (body);
  if (typeof report.written !== 'number' || !Number.isInteger(report.written) || report.written < 0) return null;
  const latency =
    report.latencyMs !== null && typeof report.latencyMs === 'object'
      ? /** @type {Record<string, unknown>} */ (report.latencyMs)
      : {};
  return {
    runId: typeof report.runId === 'string' ? report.runId : '',
    written: report.written,
    firstEnqueuedAt: numberOrNull(report.firstEnqueuedAt),
    lastWrittenAt: numberOrNull(report.lastWrittenAt),
    drainMs: numberOrNull(report.drainMs),
    latencyMs: {
      p50: numberOrNull(latency.p50),
      p95: numberOrNull(latency.p95),
      p99: numberOrNull(latency.p99),
      max: numberOrNull(latency.max),
    },
  };
}

/**
 * The drain is complete once the table holds an item for every accepted message. Items are keyed by
 * the message's idempotency key (else its SQS MessageId), so neither a redelivered message nor one a
 * retry queued twice counts twice.
 * @param {number} written
 * @param {number} accepted
 * @returns {boolean}
 */
export function isDrainComplete(written, accepted) {
  return written >= accepted;
}

/**
 * @typedef {object} BurstSummary What a burst did, as `--json` prints it and the k6 summary file holds.
 * @property {string} runId
 * @property {number} messages Messages the burst posted.
 * @property {number} accepted
 * @property {number} rejected
 * @property {number} written Items of the run in the table when the wait ended.
 * @property {number | null} drainMs First enqueue → last write, from the run report.
 * @property {LatencyMs} latencyMs
 * @property {boolean} timedOut The wait ended before every accepted message was written.
 */

/**
 * @param {{ runId: string, messages: number, accepted: number, rejected: number, report: RunReport | null }} counts
 *   `report` is the last run report read, null when none could be read.
 * @returns {BurstSummary}
 */
export function summarizeBurst(counts) {
  const report = counts.report;
  const written = report === null ? 0 : report.written;
  return {
    runId: counts.runId,
    messages: counts.messages,
    accepted: counts.accepted,
    rejected: counts.rejected,
    written,
    drainMs: report === null ? null : report.drainMs,
    latencyMs:
      report === null
        ? { p50: null, p95: null, p99: null, max: null }
        : { p50: report.latencyMs.p50, p95: report.latencyMs.p95, p99: report.latencyMs.p99, max: report.latencyMs.max },
    timedOut: !isDrainComplete(written, counts.accepted),
  };
}

/**
 * A burst passes when every message was accepted and every accepted message was written in time (the
 * runner's exit code; the k6 thresholds say the same).
 * @param {BurstSummary} summary
 * @returns {boolean}
 */
export function isBurstSuccessful(summary) {
  return summary.rejected === 0 && !summary.timedOut;
}

/**
 * A duration for people: `850 ms`, `12.3 s`, `2 min 05 s`; `-` when unknown.
 * @param {number | null} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/**
 * @param {BurstSummary} summary
 * @returns {string}
 */
function drainedText(summary) {
  if (summary.accepted === 0) return '-: no message was accepted';
  if (!summary.timedOut) return 'yes';
  const missing = summary.accepted - summary.written;
  return `no: ${missing} accepted message${missing === 1 ? '' : 's'} not written`;
}

/**
 * The short text table both the k6 scripts and the runner print.
 * @param {BurstSummary} summary
 * @returns {string} Lines without a trailing newline.
 */
export function formatSummaryTable(summary) {
  const latency = summary.latencyMs;
  const rows = [
    ['run', summary.runId],
    ['messages', String(summary.messages)],
    ['accepted', String(summary.accepted)],
    ['rejected', String(summary.rejected)],
    ['written', String(summary.written)],
    ['drain', formatDuration(summary.drainMs)],
    [
      'latency',
      `p50 ${formatDuration(latency.p50)} | p95 ${formatDuration(latency.p95)} | p99 ${formatDuration(latency.p99)} | max ${formatDuration(latency.max)}`,
    ],
    ['drained', drainedText(summary)],
  ];
  return rows.map(([label, value]) => `${label.padEnd(10)}${value}`).join('\n');
}
