/**
 * The pipeline's API as the k6 scripts call it: post one planned request, read a run's report. The
 * rules (bodies, counting, report shape) come from shared/burst-plan.js, which the Node runner uses too.
 */
import http from 'k6/http';
import { sleep } from 'k6';
import {
  countOutcome,
  isRetryable,
  messagesUrl,
  parseJsonBody,
  parseRetryAfter,
  parseRunReport,
  postHeaders,
  requestBody,
  requestHeaders,
  retryDelayMs,
  runReportUrl,
} from '../shared/burst-plan.js';
import { reportFromMetrics } from './summary-data.js';

/**
 * @typedef {import('../shared/burst-plan.js').BurstSettings} BurstSettings
 * @typedef {import('../shared/burst-plan.js').PlannedRequest} PlannedRequest
 * @typedef {import('../shared/burst-plan.js').RequestOutcome} RequestOutcome
 * @typedef {import('../shared/burst-plan.js').RunReport} RunReport
 */

/**
 * @param {import('k6/http').RefinedResponse<import('k6/http').ResponseType | undefined>} response
 * @returns {string | null}
 */
function bodyText(response) {
  return typeof response.body === 'string' ? response.body : null;
}

/**
 * Posts one request of a run and says how many of its messages were enqueued. A try that is
 * throttled (429), unavailable (503), timed out (504) or unanswered within REQUEST_TIMEOUT is sent again after
 * Retry-After (or a backoff), up to ATTEMPTS tries, with the same idempotency keys: a message queued
 * by a try that timed out is still one item. Logs what the API said when it refused some in the end,
 * so that a failed run shows why (403: wrong key, 429: throttled, 503: SQS).
 * @param {Pick<BurstSettings, 'apiUrl' | 'apiKey' | 'batch' | 'requestTimeoutSeconds' | 'attempts'>} settings
 * @param {string} runId
 * @param {PlannedRequest} request
 * @returns {RequestOutcome}
 */
export function postRequest(settings, runId, request) {
  const body = JSON.stringify(requestBody(runId, request, settings.batch));
  const params = {
    headers: postHeaders(settings.apiKey, runId, request, settings.batch),
    timeout: `${settings.requestTimeoutSeconds}s`,
    tags: { name: 'POST /messages' },
  };
  let response = http.post(messagesUrl(settings.apiUrl), body, params);
  for (let attempt = 1; attempt < settings.attempts && isRetryable(response.status); attempt++) {
    sleep(retryDelayMs(attempt, parseRetryAfter(response.headers['Retry-After'], Date.now()), Math.random) / 1000);
    response = http.post(messagesUrl(settings.apiUrl), body, params);
  }
  const text = bodyText(response);
  const outcome = countOutcome(response.status, parseJsonBody(text), request.count);
  if (outcome.rejected > 0) {
    const answer = response.status === 0 ? response.error : `HTTP ${response.status} ${text === null ? '' : text.slice(0, 200)}`;
    console.warn(`request ${request.index}: ${outcome.rejected} of ${request.count} messages not enqueued (${answer})`);
  }
  return outcome;
}

/**
 * The run's drain report, or null when the API did not answer with one.
 * @param {Pick<BurstSettings, 'apiUrl' | 'apiKey'>} settings
 * @param {string} runId
 * @returns {RunReport | null}
 */
export function readRunReport(settings, runId) {
  const response = http.get(runReportUrl(settings.apiUrl, runId), {
    headers: requestHeaders(settings.apiKey),
    tags: { name: 'GET /runs/{runId}' },
  });
  return response.status === 200 ? parseRunReport(parseJsonBody(bodyText(response))) : null;
}

/**
 * The run's report for handleSummary: read once more from the API, else what teardown recorded in
 * metrics (null when it recorded nothing).
 * @param {Pick<BurstSettings, 'apiUrl' | 'apiKey'>} settings
 * @param {import('./summary-data.js').SummaryData} data
 * @param {string} runId
 * @returns {RunReport | null}
 */
export function finalRunReport(settings, data, runId) {
  const report = readRunReport(settings, runId);
  return report === null ? reportFromMetrics(data, runId) : report;
}
