/**
 * k6 steady load: RATE requests per second for DURATION (an open model: requests keep arriving on
 * schedule even when the API slows down), all tagged with one run id. teardown then reads the run's
 * report: the enqueue → write lag of the messages written while the load kept coming.
 *
 *   k6 run -e API_URL=http://127.0.0.1:3000 -e RATE=10 -e DURATION=3m loadtest/steady.js
 *
 * Settings (all optional): API_URL (default http://127.0.0.1:3000), API_KEY (sent as x-api-key),
 * RATE requests per second (10), BATCH messages per request (1, a single object; up to 10 as an
 * array), DURATION (3m), REQUEST_TIMEOUT and ATTEMPTS (as in burst.js: 429, 503 and unanswered tries
 * are sent again with the same idempotency keys), MAX_P95_LATENCY_MS (adds a threshold on the p95 lag), SUMMARY_FILE (default
 * loadtest/results/<runId>.json). Messages per second = RATE × BATCH.
 *
 * teardown does not wait for the tail: messages still queued at the end have no write time yet and are
 * not in the percentiles; the summary shows them as accepted but not written. The drain of a whole
 * burst is what burst.js measures.
 */
import exec from 'k6/execution';
import { makeRunId, readBurstSettings, readWholeNumber, summarizeBurst } from './shared/burst-plan.js';
import { finalRunReport, postRequest, readRunReport } from './k6/pipeline-api.js';
import { recordOutcome, recordRunReport, runMetrics } from './k6/run-metrics.js';
import { metricValue, runIdFromSetup, summaryOutputs } from './k6/summary-data.js';

const settings = readBurstSettings(
  {
    apiUrl: __ENV.API_URL,
    apiKey: __ENV.API_KEY,
    batch: __ENV.BATCH || '1',
    requestTimeout: __ENV.REQUEST_TIMEOUT,
    attempts: __ENV.ATTEMPTS,
  },
  {
    apiUrl: 'API_URL',
    messages: 'MESSAGES',
    batch: 'BATCH',
    drainTimeout: 'DRAIN_TIMEOUT',
    concurrency: 'VUS',
    requestTimeout: 'REQUEST_TIMEOUT',
    attempts: 'ATTEMPTS',
  },
);
const rate = readWholeNumber(__ENV.RATE, 'RATE', 10, 1, 10000);
const duration = __ENV.DURATION || '3m';
const maxP95LatencyMs = readWholeNumber(__ENV.MAX_P95_LATENCY_MS, 'MAX_P95_LATENCY_MS', 0, 0, 86400000);

// Custom metrics must be created in the init context.
const metrics = runMetrics();

/** @type {Record<string, string[]>} */
const thresholds = { rejected: ['count==0'] };
if (maxP95LatencyMs > 0) thresholds['message_latency{stat:p95}'] = [`max<${maxP95LatencyMs}`];

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration,
      // One second's worth of VUs up front, more if requests slow down (k6 counts dropped_iterations
      // when even these are busy: the API could not keep up).
      preAllocatedVUs: rate,
      maxVUs: Math.max(10, rate * 5),
    },
  },
  thresholds,
};

/** @returns {{ runId: string }} */
export function setup() {
  const runId = makeRunId(Date.now(), Math.random, 'steady');
  console.log(
    `steady ${runId}: ${rate} requests/s of ${settings.batch} message(s) for ${duration} to ${settings.apiUrl}`,
  );
  return { runId };
}

/** @param {{ runId: string }} data */
export default function postSteadyRequest(data) {
  const index = exec.scenario.iterationInTest;
  recordOutcome(metrics, postRequest(settings, data.runId, { index, first: index * settings.batch, count: settings.batch }));
}

/**
 * Reads the run report once, right after the load: the lag while messages kept coming.
 * @param {{ runId: string }} data
 */
export function teardown(data) {
  const report = readRunReport(settings, data.runId);
  if (report !== null) recordRunReport(metrics, report);
}

/**
 * Prints the short table and the thresholds, and writes the JSON summary (see burst.js).
 * @param {import('./k6/summary-data.js').SummaryData} data
 */
export function handleSummary(data) {
  const runId = runIdFromSetup(data.setup_data);
  if (runId === null) return { stdout: 'steady: setup() did not finish, so nothing was posted.\n' };
  const acceptedCount = metricValue(data, 'accepted', 'count');
  const rejectedCount = metricValue(data, 'rejected', 'count');
  const summary = summarizeBurst({
    runId,
    messages: acceptedCount + rejectedCount,
    accepted: acceptedCount,
    rejected: rejectedCount,
    // Read again right after teardown (moments later, so the same lag); teardown's metrics if that fails.
    report: finalRunReport(settings, data, runId),
  });
  const droppedIterations = metricValue(data, 'dropped_iterations', 'count');
  return summaryOutputs(
    summary,
    data,
    { apiUrl: settings.apiUrl, rate, batch: settings.batch, duration, droppedIterations },
    __ENV.SUMMARY_FILE,
  );
}
