/**
 * Reading k6's end-of-test data (the argument of `handleSummary`) in the k6 scripts, and what
 * handleSummary answers. Plain JavaScript that imports only shared/burst-plan.js (plain too), so that
 * jest can test it without k6.
 */
import { formatSummaryTable } from '../shared/burst-plan.js';

/**
 * @typedef {object} SummaryMetric One metric as k6 hands it to handleSummary.
 * @property {string} type `counter`, `gauge`, `rate` or `trend`.
 * @property {Record<string, number>} values e.g. `count` and `rate` for a counter, `value` for a gauge.
 * @property {Record<string, { ok: boolean }>} [thresholds] Each threshold expression and whether it passed.
 */

/**
 * @typedef {object} SummaryData The part of handleSummary's argument the scripts read.
 * @property {Record<string, SummaryMetric>} metrics
 * @property {unknown} [setup_data] What setup() returned.
 */

/**
 * A metric's statistic, 0 when k6 recorded no sample for it (k6 leaves such metrics out).
 * @param {SummaryData} data
 * @param {string} name
 * @param {string} stat
 * @returns {number}
 */
export function metricValue(data, name, stat) {
  const metric = data.metrics[name];
  if (metric === undefined) return 0;
  const value = metric.values[stat];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * @typedef {object} ThresholdResult
 * @property {string} metric
 * @property {string} expression
 * @property {boolean} ok
 */

/**
 * Every threshold of the run and whether it passed, sorted by metric.
 * @param {SummaryData} data
 * @returns {ThresholdResult[]}
 */
export function thresholdResults(data) {
  /** @type {ThresholdResult[]} */
  const results = [];
  for (const name of Object.keys(data.metrics).sort()) {
    const thresholds = data.metrics[name].thresholds;
    if (thresholds === undefined) continue;
    for (const expression of Object.keys(thresholds)) {
      results.push({ metric: name, expression, ok: thresholds[expression].ok });
    }
  }
  return results;
}

/**
 * One line per threshold, e.g. `ok    rejected count==0`, `FAIL  drain_timed_out count==0`.
 * @param {ThresholdResult[]} results
 * @returns {string}
 */
export function formatThresholds(results) {
  return results.map((result) => `${result.ok ? 'ok  ' : 'FAIL'}  ${result.metric} ${result.expression}`).join('\n');
}

/**
 * Where handleSummary writes the JSON summary: `SUMMARY_FILE` when given, else
 * `loadtest/results/<runId>.json` (the run id starts with `burst-` or `steady-`). The path is relative to
 * where k6 runs, and k6 does not create folders: loadtest/results exists in the repo.
 * @param {string} runId
 * @param {string | undefined} override
 * @returns {string}
 */
export function summaryFilePath(runId, override) {
  if (override !== undefined && override !== '') return override;
  return `loadtest/results/${runId}.json`;
}

/**
 * @typedef {import('../shared/burst-plan.js').RunReport} RunReport
 */

/**
 * The run report as teardown recorded it in metrics (`written` gauge, `drain_time` trend), for when
 * handleSummary cannot read the report itself; null when teardown recorded nothing. The metrics keep
 * no percentiles, so the latency is unknown here.
 * @param {SummaryData} data
 * @param {string} runId
 * @returns {RunReport | null}
 */
export function reportFromMetrics(data, runId) {
  if (data.metrics['written'] === undefined) return null;
  return {
    runId,
    written: metricValue(data, 'written', 'value'),
    firstEnqueuedAt: null,
    lastWrittenAt: null,
    drainMs: data.metrics['drain_time'] === undefined ? null : metricValue(data, 'drain_time', 'max'),
    latencyMs: { p50: null, p95: null, p99: null, max: null },
  };
}

/**
 * The run id setup() returned, or null when setup did not finish (then there is no run to report).
 * @param {unknown} setupData
 * @returns {string | null}
 */
export function runIdFromSetup(setupData) {
  if (setupData === null || typeof setupData !== 'object') return null;
  const runId = /** @type {Record<string, unknown>} */ (setupData).runId;
  return typeof runId === 'string' && runId !== '' ? runId : null;
}

/**
 * What handleSummary answers: the short table and the thresholds on stdout, and the JSON summary (the
 * summary, then the script's `settings`, then the thresholds) in the summary file.
 * @param {import('../shared/burst-plan.js').BurstSummary} summary
 * @param {SummaryData} data
 * @param {Record<string, unknown>} settings
 * @param {string | undefined} summaryFile `SUMMARY_FILE`, see {@link summaryFilePath}.
 * @returns {Record<string, string>}
 */
export function summaryOutputs(summary, data, settings, summaryFile) {
  const thresholds = thresholdResults(data);
  return {
    stdout: `\n${formatSummaryTable(summary)}\n\nthresholds\n${formatThresholds(thresholds)}\n`,
    [summaryFilePath(summary.runId, summaryFile)]: `${JSON.stringify({ ...summary, ...settings, thresholds }, null, 2)}\n`,
  };
}
