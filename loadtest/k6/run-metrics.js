/**
 * The metrics burst.js and steady.js both record, and how a run report becomes samples of them.
 */
import { Counter, Gauge, Trend } from 'k6/metrics';

/**
 * @typedef {import('../shared/burst-plan.js').RunReport} RunReport
 * @typedef {import('../shared/burst-plan.js').RequestOutcome} RequestOutcome
 */

/**
 * The run's custom metrics. Call it in the init context (at the top of a script): k6 creates custom
 * metrics only there.
 */
export function runMetrics() {
  return {
    accepted: new Counter('accepted'),
    rejected: new Counter('rejected'),
    /** Items of the run in the table when teardown read the report. */
    written: new Gauge('written'),
    /**
     * Enqueue → write per message. The report exposes percentiles, not per-message values, so this trend
     * gets one sample per percentile, tagged `stat` (p50, p95, p99, max): read `message_latency{stat:p95}`,
     * not the trend's own avg or p(95), which would be statistics of those four numbers.
     */
    messageLatency: new Trend('message_latency', true),
  };
}

/**
 * Counts what the API did with one request's messages.
 * @param {ReturnType<typeof runMetrics>} metrics
 * @param {RequestOutcome} outcome
 */
export function recordOutcome(metrics, outcome) {
  metrics.accepted.add(outcome.accepted);
  metrics.rejected.add(outcome.rejected);
}

/**
 * Records what the run report says: the items written, and the latency percentiles it has.
 * @param {ReturnType<typeof runMetrics>} metrics
 * @param {RunReport} report
 */
export function recordRunReport(metrics, report) {
  metrics.written.add(report.written);
  const latency = report.latencyMs;
  for (const [stat, value] of /** @type {const} */ ([
    ['p50', latency.p50],
    ['p95', latency.p95],
    ['p99', latency.p99],
    ['max', latency.max],
  ])) {
    if (value !== null) metrics.messageLatency.add(value, { stat });
  }
}
