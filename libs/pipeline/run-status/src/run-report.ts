/** What a run's items tell about its drain: read by `GET /runs/{runId}`, the k6 scripts and the runner. */
export interface RunReport {
  runId: string;
  written: number;
  firstEnqueuedAt: number | null;
  lastWrittenAt: number | null;
  /** Last written − first enqueued. */
  drainMs: number | null;
  /** Per message: writtenAt − enqueuedAt. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
}

export interface RunItemTimes {
  enqueuedAt: number;
  writtenAt: number;
}

/** Nearest-rank percentile of ascending values: the value at rank ⌈p/100 × n⌉ (the run report's, the load tests' and the benchmark's medians). */
export function percentile<T>(sortedAscending: readonly T[], p: number): T | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1];
}

export function summarizeRun(runId: string, items: readonly RunItemTimes[]): RunReport {
  if (items.length === 0) {
    return {
      runId,
      written: 0,
      firstEnqueuedAt: null,
      lastWrittenAt: null,
      drainMs: null,
      latencyMs: { p50: null, p95: null, p99: null, max: null },
    };
  }
  let firstEnqueuedAt = Infinity;
  let lastWrittenAt = -Infinity;
  const latencies: number[] = [];
  for (const item of items) {
    firstEnqueuedAt = Math.min(firstEnqueuedAt, item.enqueuedAt);
    lastWrittenAt = Math.max(lastWrittenAt, item.writtenAt);
    latencies.push(item.writtenAt - item.enqueuedAt);
  }
  latencies.sort((a, b) => a - b);
  return {
    runId,
    written: items.length,
    firstEnqueuedAt,
    lastWrittenAt,
    drainMs: lastWrittenAt - firstEnqueuedAt,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
    },
  };
}
