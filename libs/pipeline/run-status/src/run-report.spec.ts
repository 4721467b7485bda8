import { percentile, summarizeRun } from './run-report.js';
import { sliceRange } from './read-run-items.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ⌈p/100 × n⌉', () => {
    // Prepare
    const values = [10, 20, 30, 40, 50];

    // Act
    const picked = [0, 20, 21, 50, 95, 99, 100].map((p) => percentile(values, p));

    // Assess
    expect(picked).toEqual([10, 10, 20, 30, 50, 50, 50]);
  });

  it('reads p50, p95 and p99 of 1..100 as 50, 95 and 99', () => {
    // Prepare
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    // Act
    const picked = [50, 95, 99].map((p) => percentile(values, p));

    // Assess
    expect(picked).toEqual([50, 95, 99]);
  });

  it('gives the only value of a single sample for every p', () => {
    // Prepare / Act
    const picked = [1, 50, 100].map((p) => percentile([7], p));

    // Assess
    expect(picked).toEqual([7, 7, 7]);
  });

  it('has no percentile of nothing', () => {
    // Prepare / Act
    const picked = percentile([], 50);

    // Assess
    expect(picked).toBeNull();
  });
});

describe('summarizeRun', () => {
  it('reports the drain time and the latency percentiles of a run', () => {
    // Prepare: latencies 100, 300, 200, 400 ms
    const items = [
      { enqueuedAt: 1_000, writtenAt: 1_100 },
      { enqueuedAt: 1_010, writtenAt: 1_310 },
      { enqueuedAt: 1_005, writtenAt: 1_205 },
      { enqueuedAt: 1_020, writtenAt: 1_420 },
    ];

    // Act
    const report = summarizeRun('run-1', items);

    // Assess
    expect(report).toEqual({
      runId: 'run-1',
      written: 4,
      firstEnqueuedAt: 1_000,
      lastWrittenAt: 1_420,
      drainMs: 420,
      latencyMs: { p50: 200, p95: 400, p99: 400, max: 400 },
    });
  });

  it('reads the percentiles of 20 latencies by nearest rank', () => {
    // Prepare: latencies 10, 20, …, 200 ms, in no particular order
    const items = Array.from({ length: 20 }, (_, i) => ({ enqueuedAt: 5_000 + i, writtenAt: 5_000 + i + ((i * 7) % 20 + 1) * 10 }));

    // Act
    const report = summarizeRun('run-2', items);

    // Assess
    expect(report.latencyMs).toEqual({ p50: 100, p95: 190, p99: 200, max: 200 });
    expect(report.written).toBe(20);
  });

  it('reports a run with no items as written 0 and no times', () => {
    // Prepare / Act
    const report = summarizeRun('empty', []);

    // Assess
    expect(report).toEqual({
      runId: 'empty',
      written: 0,
      firstEnqueuedAt: null,
      lastWrittenAt: null,
      drainMs: null,
      latencyMs: { p50: null, p95: null, p99: null, max: null },
    });
  });
});

describe('sliceRange', () => {
  it('cuts a range into whole-millisecond slices that hold every value exactly once', () => {
    // Act
    const slices = sliceRange(100, 1_000, 16);
    // Assess
    const covered = slices.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
    expect(covered).toEqual(Array.from({ length: 901 }, (_, i) => 100 + i));
    expect(slices.length).toBeLessThanOrEqual(16);
  });

  it('gives one slice for a run written in one moment, and no more slices than values', () => {
    expect(sliceRange(5, 5, 16)).toEqual([[5, 5]]);
    expect(sliceRange(5, 7, 16)).toEqual([
      [5, 5],
      [6, 6],
      [7, 7],
    ]);
  });
});
