/**
 * The pipeline's API as the k6 scripts call it: post one planned request, read a run's report. The
 * rules (bodies, counting, report shape) come from shared/burst-plan.js, which the Node runner uses too.
 */
import http from 'k6/http';
import {
  countOutcome,
  messagesUrl,
  parseJsonBody,
  parseRunReport,
  requestBody,
  requestHeaders,
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
 * Posts one request of a run and says how many of its messages were enqueued; logs what the API said
 * when it refused some, so that a failed run shows why (403: wrong key, 429: throttled, 503: SQS).
 * @param {Pick<BurstSettings, 'apiUrl' | 'apiKey' | 'batch'>} settings
 * @param {string} runId
 * @param {PlannedRequest} request
 * @returns {RequestOutcome}
 */
export function postRequest(settings, runId, request) {
  const response = http.post(messagesUrl(settings.apiUrl), JSON.stringify(requestBody(runId, request, settings.batch)), {
    headers: requestHeaders(settings.apiKey),
    tags: { name: 'POST /messages' },
  });
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
