/**
 * k6 burst: post MESSAGES messages tagged with one run id as fast as VUS virtual users can, then wait
 * until the pipeline has written every one of them (GET /runs/{runId}) or DRAIN_TIMEOUT seconds pass.
 *
 *   k6 run -e API_URL=http://127.0.0.1:3000 -e API_KEY=… -e MESSAGES=100 -e BATCH=10 -e DRAIN_TIMEOUT=120 loadtest/burst.js
 *
 * Settings (all optional): API_URL (default http://127.0.0.1:3000), API_KEY (sent as x-api-key),
 * MESSAGES (100), BATCH messages per request (10; 1 posts single objects), DRAIN_TIMEOUT seconds (120),
 * VUS requests in flight (8), REQUEST_TIMEOUT seconds before a request is given up (30), ATTEMPTS
 * tries of a request that is throttled (429, after Retry-After), unavailable (503), timed out (504) or unanswered (5;
 * every try sends the same idempotency keys), SUMMARY_FILE (default loadtest/results/<runId>.json).
 * The run fails (exit code 99) when any message was rejected or the drain did not finish in time.
 */
import exec from 'k6/execution';
import { sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import {
  drainPollIntervalMs,
  isDrainComplete,
  readBurstSettings,
  makeRunId,
  requestAt,
  requestCount,
  summarizeBurst,
} from './shared/burst-plan.js';
import { finalRunReport, postRequest, readRunReport } from './k6/pipeline-api.js';
import { recordOutcome, recordRunReport, runMetrics } from './k6/run-metrics.js';
import { metricValue, runIdFromSetup, summaryOutputs } from './k6/summary-data.js';

const settings = readBurstSettings(
  {
    apiUrl: __ENV.API_URL,
    apiKey: __ENV.API_KEY,
    messages: __ENV.MESSAGES,
    batch: __ENV.BATCH,
    drainTimeout: __ENV.DRAIN_TIMEOUT,
    concurrency: __ENV.VUS,
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
const requests = requestCount(settings.messages, settings.batch);
const vus = Math.min(settings.concurrency, requests);

// Custom metrics must be created in the init context.
const metrics = runMetrics();
/** The run report's drainMs: first enqueue → last write (one sample). */
const drainTime = new Trend('drain_time', true);
/** 1 when DRAIN_TIMEOUT passed before every posted message was written. */
const drainTimedOut = new Counter('drain_timed_out');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    burst: {
      // Exactly `requests` iterations between the VUs: iteration i posts request i, so the requests cover
      // each message once.
      executor: 'shared-iterations',
      vus,
      iterations: requests,
      maxDuration: '30m',
    },
  },
  // teardown waits up to DRAIN_TIMEOUT for the drain; k6's default teardown timeout is 60 s.
  teardownTimeout: `${settings.drainTimeoutSeconds + 30}s`,
  thresholds: {
    rejected: ['count==0'],
    drain_timed_out: ['count==0'],
  },
};

/** @returns {{ runId: string }} */
export function setup() {
  const runId = makeRunId(Date.now(), Math.random, 'burst');
  console.log(
    `burst ${runId}: ${settings.messages} messages in ${requests} requests of up to ${settings.batch} to ${settings.apiUrl}`,
  );
  return { runId };
}

/** @param {{ runId: string }} data */
export default function postBurstRequest(data) {
  recordOutcome(metrics, postRequest(settings, data.runId, requestAt(exec.scenario.iterationInTest, settings.messages, settings.batch)));
}

/**
 * Waits for the drain, then records what the run report says.
 *
 * How teardown knows what to wait for: VUs share no memory and k6 lets no script read a metric, so the
 * `accepted` counter is out of reach here. teardown waits for all MESSAGES instead, the number that must
 * be accepted for the run to pass. When some were rejected the run has failed already (threshold on
 * `rejected`) and this wait simply ends at DRAIN_TIMEOUT; handleSummary, which does see `accepted`,
 * applies the exact rule (written ≥ accepted) to the summary it prints.
 * @param {{ runId: string }} data
 */
export function teardown(data) {
  const deadline = Date.now() + settings.drainTimeoutSeconds * 1000;
  let report = readRunReport(settings, data.runId);
  while (!(report !== null && isDrainComplete(report.written, settings.messages)) && Date.now() < deadline) {
    sleep(drainPollIntervalMs / 1000);
    report = readRunReport(settings, data.runId);
  }
  drainTimedOut.add(report !== null && isDrainComplete(report.written, settings.messages) ? 0 : 1);
  if (report === null) return;
  recordRunReport(metrics, report);
  if (report.drainMs !== null) drainTime.add(report.drainMs);
}

/**
 * Prints the short table and the thresholds, and writes the JSON summary. `accepted` and `rejected`
 * come from the counters (summed over all VUs); the report is read once more (handleSummary may call
 * the API), falling back to what teardown recorded.
 * @param {import('./k6/summary-data.js').SummaryData} data
 */
export function handleSummary(data) {
  const runId = runIdFromSetup(data.setup_data);
  if (runId === null) return { stdout: 'burst: setup() did not finish, so nothing was posted.\n' };
  const summary = summarizeBurst({
    runId,
    messages: settings.messages,
    accepted: metricValue(data, 'accepted', 'count'),
    rejected: metricValue(data, 'rejected', 'count'),
    report: finalRunReport(settings, data, runId),
  });
  return summaryOutputs(summary, data, { apiUrl: settings.apiUrl, batch: settings.batch, vus }, __ENV.SUMMARY_FILE);
}
