import type { StrategyFigures } from './run-simulation.js';
import type { SimulationParameters } from './parameters.js';

/** A duration for people: ms, s, min or h. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'not drained';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const seconds = Math.round(ms / 1_000);
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** drainMs − tickWaitMs: the drain after the first tick (from the first message for an event source mapping). */
export function drainAfterTickMs(figures: StrategyFigures): number | null {
  return figures.drainMs === null ? null : figures.drainMs - figures.tickWaitMs;
}

/** The drain after the first tick over the write limit: 1 is the table's own pace. */
export function writeLimitRatio(figures: StrategyFigures): number | null {
  const after = drainAfterTickMs(figures);
  return after === null ? null : Math.round((after / figures.writeLimitMs) * 100) / 100;
}

/** One markdown table row per strategy, every figure of `--json` in words and numbers. */
export function figuresTable(rows: readonly StrategyFigures[]): string {
  const header = [
    'strategy',
    'N',
    'drain',
    'wait for the 1st tick',
    'drain after it',
    '× write limit',
    'write limit',
    '1st write',
    'ticks',
    '1st tick share',
    'latency p50 / p95 / p99',
    'peak concurrency',
    'cold starts',
    'invocations',
    'AWS requests / msg',
    '$ / million msgs',
    'good msgs in DLQ',
    'written twice',
    'lost',
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const f of rows) {
    const requests = Object.values(f.requestsPerMessage).reduce((a, b) => a + b, 0);
    const { p50, p95, p99 } = f.latencyMs;
    lines.push(
      `| ${[
        f.strategy,
        count(f.messages),
        formatDuration(f.drainMs),
        formatDuration(f.tickWaitMs),
        formatDuration(drainAfterTickMs(f)),
        writeLimitRatio(f)?.toFixed(2) ?? '—',
        formatDuration(f.writeLimitMs),
        formatDuration(f.firstWriteMs),
        count(f.ticks),
        f.firstTickShare === null ? '—' : `${Math.round(f.firstTickShare * 100)} %`,
        `${formatDuration(p50)} / ${formatDuration(p95)} / ${formatDuration(p99)}`,
        count(f.peakConcurrency),
        count(f.coldStarts),
        count(f.invocations),
        requests.toFixed(3),
        f.costPerMillionUsd.toFixed(2),
        count(f.goodInDlq),
        count(f.duplicates),
        count(f.lost) + (f.notDrained > 0 ? ` (${count(f.notDrained)} not drained)` : ''),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** AWS requests per message, by API, one row per strategy. */
export function requestsTable(rows: readonly StrategyFigures[]): string {
  const apis = [...new Set(rows.flatMap((row) => Object.keys(row.requestsPerMessage)))].sort();
  const lines = [`| strategy | N | ${apis.join(' | ')} |`, `| --- | --- | ${apis.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.strategy} | ${count(row.messages)} | ${apis.map((api) => (row.requestsPerMessage[api] ?? 0).toFixed(3)).join(' | ')} |`);
  return lines.join('\n');
}

/** `--json`: the parameters the run used and each strategy's figures. */
export function simulationJson(parameters: SimulationParameters, strategies: readonly StrategyFigures[]): string {
  return JSON.stringify({ parameters, strategies });
}
