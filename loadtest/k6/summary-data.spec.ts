import { formatSummaryTable, summarizeBurst } from '../shared/burst-plan.js';
import {
  formatThresholds,
  metricValue,
  reportFromMetrics,
  runIdFromSetup,
  summaryFilePath,
  summaryOutputs,
  thresholdResults,
  type SummaryData,
} from './summary-data.js';

/** The part of handleSummary's argument a burst produces, as k6 shapes it. */
function burstData(overrides: Partial<SummaryData['metrics']> = {}): SummaryData {
  return {
    setup_data: { runId: 'burst-20250102T030405Z-abc123' },
    metrics: {
      accepted: { type: 'counter', values: { count: 195, rate: 9.75 } },
      rejected: { type: 'counter', values: { count: 5, rate: 0.25 }, thresholds: { 'count==0': { ok: false } } },
      written: { type: 'gauge', values: { value: 195, min: 195, max: 195 } },
      drain_time: { type: 'trend', values: { avg: 4_200, min: 4_200, med: 4_200, max: 4_200, 'p(90)': 4_200, 'p(95)': 4_200 } },
      drain_timed_out: { type: 'counter', values: { count: 1, rate: 0.05 }, thresholds: { 'count==0': { ok: false } } },
      http_req_duration: { type: 'trend', values: { avg: 12, min: 3, med: 10, max: 80, 'p(90)': 20, 'p(95)': 30 } },
      ...overrides,
    },
  };
}

describe('metricValue', () => {
  it('reads a counter\'s count and a gauge\'s value', () => {
    // Assess
    expect(metricValue(burstData(), 'accepted', 'count')).toBe(195);
    expect(metricValue(burstData(), 'written', 'value')).toBe(195);
  });

  it('reads 0 for a metric k6 left out because nothing was recorded', () => {
    // Prepare
    const data = burstData();
    delete data.metrics['rejected'];

    // Assess
    expect(metricValue(data, 'rejected', 'count')).toBe(0);
    expect(metricValue(data, 'accepted', 'nope')).toBe(0);
  });
});

describe('thresholds', () => {
  it('lists every threshold with its result, by metric name', () => {
    // Act
    const results = thresholdResults(burstData({ accepted: { type: 'counter', values: { count: 195 }, thresholds: { 'count>0': { ok: true } } } }));

    // Assess
    expect(results).toEqual([
      { metric: 'accepted', expression: 'count>0', ok: true },
      { metric: 'drain_timed_out', expression: 'count==0', ok: false },
      { metric: 'rejected', expression: 'count==0', ok: false },
    ]);
    expect(formatThresholds(results)).toBe(
      ['ok    accepted count>0', 'FAIL  drain_timed_out count==0', 'FAIL  rejected count==0'].join('\n'),
    );
  });
});

describe('reportFromMetrics', () => {
  it('rebuilds written and the drain time teardown recorded, without percentiles', () => {
    // Act
    const report = reportFromMetrics(burstData(), 'burst-1');

    // Assess
    expect(report).toEqual({
      runId: 'burst-1',
      written: 195,
      firstEnqueuedAt: null,
      lastWrittenAt: null,
      drainMs: 4_200,
      latencyMs: { p50: null, p95: null, p99: null, max: null },
    });
  });

  it('has nothing when teardown could not read a report', () => {
    // Prepare
    const data = burstData();
    delete data.metrics['written'];

    // Assess
    expect(reportFromMetrics(data, 'burst-1')).toBeNull();
  });
});

describe('runIdFromSetup', () => {
  it('reads the run id setup() returned, or null when setup did not finish', () => {
    // Assess
    expect(runIdFromSetup(burstData().setup_data)).toBe('burst-20250102T030405Z-abc123');
    expect(runIdFromSetup(undefined)).toBeNull();
    expect(runIdFromSetup({ runId: '' })).toBeNull();
    expect(runIdFromSetup({ runId: 7 })).toBeNull();
  });
});

describe('summaryFilePath', () => {
  it('names the file after the run, unless SUMMARY_FILE says otherwise', () => {
    // Assess
    expect(summaryFilePath('burst-20250102T030405Z-abc123', undefined)).toBe('loadtest/results/burst-20250102T030405Z-abc123.json');
    expect(summaryFilePath('steady-1', '')).toBe('loadtest/results/steady-1.json');
    expect(summaryFilePath('burst-1', '/tmp/summary.json')).toBe('/tmp/summary.json');
  });
});

describe('summaryOutputs', () => {
  it('prints the table and the thresholds, and writes the summary, the settings and the thresholds as JSON', () => {
    // Prepare
    const data = burstData();
    const runId = runIdFromSetup(data.setup_data) ?? '';
    const summary = summarizeBurst({ runId, messages: 200, accepted: 195, rejected: 5, report: reportFromMetrics(data, runId) });

    // Act
    const outputs = summaryOutputs(summary, data, { apiUrl: 'http://127.0.0.1:3000', batch: 10, vus: 8 }, undefined);

    // Assess
    expect(Object.keys(outputs)).toEqual(['stdout', `loadtest/results/${runId}.json`]);
    expect(outputs['stdout']).toBe(
      `\n${formatSummaryTable(summary)}\n\nthresholds\nFAIL  drain_timed_out count==0\nFAIL  rejected count==0\n`,
    );
    const written = outputs[`loadtest/results/${runId}.json`];
    expect(written.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(written))).toEqual([...Object.keys(summary), 'apiUrl', 'batch', 'vus', 'thresholds']);
    expect(JSON.parse(written)).toMatchObject({ runId, accepted: 195, written: 195, vus: 8, thresholds: thresholdResults(data) });
  });

  it('writes the summary where SUMMARY_FILE says', () => {
    // Prepare / Act
    const outputs = summaryOutputs(summarizeBurst({ runId: 'steady-1', messages: 1, accepted: 1, rejected: 0, report: null }), burstData(), {}, '/tmp/s.json');

    // Assess
    expect(Object.keys(outputs)).toEqual(['stdout', '/tmp/s.json']);
  });
});
