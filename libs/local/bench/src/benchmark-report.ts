import type { WorkerTrigger } from '@fanout/config';
import type { MeasuringPlan } from './bench-conditions.js';
import type { BundleFigures } from './cold-starts.js';
import { medianOf } from './median.js';
import type { LocalLimit } from './local-limit.js';
import type { DepthPoint, StrategyRun } from './run-strategy.js';

/** One row of the benchmark, as `--json` prints it. */
export interface BenchmarkRow {
  strategy: string;
  /** What started the worker: test-cron's ticks, or the event source mapping. */
  trigger: WorkerTrigger;
  messages: number;
  enqueueBatch: number;
  /** 0 with `esm`, which has no tick. */
  ticksToDrain: number | null;
  /** null with `esm`, which has no tick. */
  firstTickShare: number | null;
  /**
   * First tick → last item written (the wait for the tick left out: up to the schedule's period on
   * AWS); `esm`: the burst's first enqueue → last item written.
   */
  drainMs: number | null;
  /** First tick (`esm`: first enqueue) → first item written. */
  firstWriteMs: number | null;
  /** Posting the burst through the API: before the first tick with fan-out, inside the drain with `esm`. */
  enqueueMs: number;
  /** First tick → the first worker run it started: what every drain pays before a worker can receive. */
  firstStartMs: number | null;
  /** drainMs over limitMs. */
  ratioToLimit: number | null;
  /** drainMs over the limit table's own median at its best loop count, measured before the rows, alone. */
  ratioToLimitAlone: number | null;
  /**
   * The local limit's median drain at its best loop count, measured in alternation with this row's
   * bursts (the limit table's own median when there were none).
   */
  limitMs: number;
  /** Those drains of the limit, in order. */
  limitMsSamples: number[];
  requestsPerMessage: number;
  requestsPerMessageByApi: Record<string, number>;
  invocationsPerMessage: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  /** Every measured burst's drain time; the row is the one with the median. */
  drainMsSamples: (number | null)[];
}

/** The local limit of one N, as `--json` prints it. */
export interface LimitFigures {
  messages: number;
  /** The best loop count over the benchmark's wire, and its median drain time. */
  workers: number;
  drainMs: number;
  /** Start → the first write sent, in the best loop count's median drain. */
  firstWriteMs: number;
  messagesPerSecond: number;
  samples: { workers: number; drainMs: number; messagesPerSecond: number; drainMsSamples: number[] }[];
  /** The best loop count again, straight to the emulators. */
  direct: { workers: number; drainMs: number; drainMsSamples: number[] };
  /** The best loop count again, over the wire, writing as a worker run does (one shared writer). */
  batched: { workers: number; drainMs: number; drainMsSamples: number[] };
  requestsPerMessage: Record<string, number>;
}

/** How the local runtime ran the functions. */
export interface PipelineShape {
  /** Worker execution environments at once. */
  workerEnvironments: number;
  /** Most drain loops side by side in one worker run. */
  receiveLoops: number;
}

export interface BenchmarkResult {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  tick: string;
  limit: Record<string, LimitFigures>;
  pipeline: PipelineShape;
  /** How many drains each configuration ran; each figure is the median of the measured ones. */
  measuring: MeasuringPlan;
  rows: BenchmarkRow[];
  bundles: BundleFigures[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function toRow(run: StrategyRun, limit: LocalLimit, pairedLimitMs: readonly number[] = []): BenchmarkRow {
  const perMessage = (count: number) => round(count / run.messages, 3);
  const limitMs = pairedLimitMs.length > 0 ? medianOf(pairedLimitMs, (ms) => ms) : limit.best.drainMs;
  return {
    strategy: run.enqueueBatch === 1 ? `${run.strategy} (1 msg/request)` : run.strategy,
    trigger: run.trigger,
    messages: run.messages,
    enqueueBatch: run.enqueueBatch,
    ticksToDrain: run.ticksToDrain,
    firstTickShare: run.firstTickShare === null ? null : round(run.firstTickShare, 3),
    drainMs: run.drainMs === null ? null : Math.round(run.drainMs),
    firstWriteMs: run.firstWriteMs === null ? null : Math.round(run.firstWriteMs),
    enqueueMs: Math.round(run.enqueueMs),
    firstStartMs: run.firstStartMs === null ? null : Math.round(run.firstStartMs),
    ratioToLimit: run.drainMs === null ? null : round(run.drainMs / limitMs),
    ratioToLimitAlone: run.drainMs === null ? null : round(run.drainMs / limit.best.drainMs),
    limitMs: Math.round(limitMs),
    limitMsSamples: pairedLimitMs.map((ms) => Math.round(ms)),
    requestsPerMessage: perMessage(run.requests),
    requestsPerMessageByApi: Object.fromEntries(Object.entries(run.requestsByApi).map(([api, count]) => [api, perMessage(count)])),
    invocationsPerMessage: perMessage(run.invocations.api + run.invocations.cron + run.invocations.worker),
    latencyMs: run.latencyMs,
    drainMsSamples: (run.drainMsSamples ?? [run.drainMs]).map((ms) => (ms === null ? null : Math.round(ms))),
  };
}

export function limitFigures(limit: LocalLimit): LimitFigures {
  const rounded = (values: number[]) => values.map((ms) => Math.round(ms));
  return {
    messages: limit.messages,
    workers: limit.best.workers,
    drainMs: Math.round(limit.best.drainMs),
    firstWriteMs: Math.round(limit.best.firstWriteMs),
    messagesPerSecond: Math.round(limit.best.messagesPerSecond),
    samples: limit.samples.map((s) => ({
      workers: s.workers,
      drainMs: Math.round(s.drainMs),
      messagesPerSecond: Math.round(s.messagesPerSecond),
      drainMsSamples: rounded(s.drainMsSamples),
    })),
    direct: { workers: limit.direct.workers, drainMs: Math.round(limit.direct.drainMs), drainMsSamples: rounded(limit.direct.drainMsSamples) },
    batched: { workers: limit.batched.workers, drainMs: Math.round(limit.batched.drainMs), drainMsSamples: rounded(limit.batched.drainMsSamples) },
    requestsPerMessage: Object.fromEntries(Object.entries(limit.requestsPerMessage).map(([api, perMessage]) => [api, round(perMessage, 3)])),
  };
}

const apiColumns = ['SendMessage', 'SendMessageBatch', 'GetQueueAttributes', 'PublishBatch', 'ReceiveMessage', 'BatchWriteItem', 'DeleteMessageBatch'];
const fmt = (value: number | null, unit = '') => (value === null ? '—' : `${value.toLocaleString('en-US')}${unit}`);

export function markdownTable(result: BenchmarkResult): string {
  const header =
    '| strategy | N | ticks to drain | drained in 1st tick | drain (ms), from the 1st tick (esm: 1st enqueue) | × local limit | local limit alongside (ms) | × local limit alone | AWS requests / msg | ' +
    apiColumns.join(' | ') +
    ' | invocations / msg | latency p50 / p95 / p99 (ms) |';
  const rule = `|${' --- |'.repeat(header.split('|').length - 2)}`;
  const lines = result.rows.map((row) =>
    [
      '',
      ` ${row.strategy} `,
      ` ${fmt(row.messages)} `,
      ` ${row.trigger === 'esm' ? 'no tick' : fmt(row.ticksToDrain)} `,
      ` ${row.firstTickShare === null ? '—' : `${Math.round(row.firstTickShare * 100)} %`} `,
      ` ${fmt(row.drainMs)} `,
      ` ${row.ratioToLimit === null ? '—' : row.ratioToLimit.toFixed(2)} `,
      ` ${fmt(row.limitMs)} `,
      ` ${row.ratioToLimitAlone === null ? '—' : row.ratioToLimitAlone.toFixed(2)} `,
      ` ${row.requestsPerMessage.toFixed(3)} `,
      ...apiColumns.map((api) => ` ${(row.requestsPerMessageByApi[api] ?? 0).toFixed(3)} `),
      ` ${row.invocationsPerMessage.toFixed(3)} `,
      ` ${fmt(row.latencyMs.p50)} / ${fmt(row.latencyMs.p95)} / ${fmt(row.latencyMs.p99)} `,
      '',
    ].join('|'),
  );
  return [header, rule, ...lines].join('\n');
}

/** The loop counts the limit tried, as measured. */
export function limitLoopsOf(result: BenchmarkResult): number[] {
  return (Object.values(result.limit)[0]?.samples ?? []).map((sample) => sample.workers);
}

export function limitTable(result: BenchmarkResult): string {
  const loops = limitLoopsOf(result).join(' / ');
  const lines = [
    `| N | loops ${loops}: drain ms | best | msg/s | AWS requests / msg | best loops straight to the emulators: drain ms | the wire's share | best loops writing as a worker run does: drain ms |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const limit of Object.values(result.limit)) {
    const requests = Object.values(limit.requestsPerMessage).reduce((a, b) => a + b, 0);
    const wireShare = limit.drainMs > 0 ? Math.round(((limit.drainMs - limit.direct.drainMs) / limit.drainMs) * 100) : 0;
    lines.push(
      `| ${fmt(limit.messages)} | ${limit.samples.map((s) => fmt(s.drainMs)).join(' / ')} | ${limit.workers} ${limit.workers === 1 ? 'loop' : 'loops'}, ${fmt(limit.drainMs)} ms | ${fmt(limit.messagesPerSecond)} | ${requests.toFixed(3)} | ${fmt(limit.direct.drainMs)} | ${wireShare} % | ${fmt(limit.batched.drainMs)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * fanout-drain's drain time against the limit's, with and without the tick's start (tick → first
 * worker start): the part of the ratio that is the tick's fixed start rather than the drain itself.
 */
export function startCostTable(result: BenchmarkResult): string {
  const lines = [
    '| N | local limit alongside: drain (ms) | fanout-drain: drain after the tick (ms) | of which the start: tick → first worker start (ms) | drain after the start, × limit |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of result.rows.filter((candidate) => candidate.strategy === 'fanout-drain')) {
    if (row.firstStartMs === null || row.drainMs === null) continue;
    lines.push(
      `| ${fmt(row.messages)} | ${fmt(row.limitMs)} | ${fmt(row.drainMs)} | ${fmt(row.firstStartMs)} | ${((row.drainMs - row.firstStartMs) / row.limitMs).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The two triggers side by side for each N, both timed from the burst's first enqueue: fanout-drain's
 * posting plus its drain from the tick (the tick fired as soon as the posting ended, which AWS's
 * schedule does not do), against esm's drain, which overlaps the posting.
 */
export function triggerTable(result: BenchmarkResult): string {
  const lines = [
    '| N | local limit alongside esm (ms) | fanout-drain: posting + drain from the tick (ms) | esm: drain from the 1st enqueue (ms) | esm ÷ fanout-drain | esm × local limit | AWS requests / msg: fanout-drain, esm | invocations / msg: fanout-drain, esm |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const esm of result.rows.filter((row) => row.strategy === 'esm')) {
    const ours = result.rows.find((row) => row.strategy === 'fanout-drain' && row.messages === esm.messages);
    const oursFromEnqueue = ours?.drainMs == null ? null : ours.enqueueMs + ours.drainMs;
    lines.push(
      `| ${fmt(esm.messages)} | ${fmt(esm.limitMs)} | ${ours ? `${fmt(ours.enqueueMs)} + ${fmt(ours.drainMs)} = ${fmt(oursFromEnqueue)}` : '—'} | ${fmt(esm.drainMs)} | ` +
        `${esm.drainMs !== null && oursFromEnqueue ? (esm.drainMs / oursFromEnqueue).toFixed(2) : '—'} | ${esm.ratioToLimit === null ? '—' : esm.ratioToLimit.toFixed(2)} | ` +
        `${ours ? ours.requestsPerMessage.toFixed(3) : '—'}, ${esm.requestsPerMessage.toFixed(3)} | ${ours ? ours.invocationsPerMessage.toFixed(3) : '—'}, ${esm.invocationsPerMessage.toFixed(3)} |`,
    );
  }
  return lines.join('\n');
}

/** Which trigger drained each N sooner here, from the first enqueue, in one sentence per N. */
export function triggerVerdicts(result: BenchmarkResult): string[] {
  return result.rows
    .filter((row) => row.strategy === 'esm')
    .map((esm) => {
      const ours = result.rows.find((row) => row.strategy === 'fanout-drain' && row.messages === esm.messages);
      if (!ours || ours.drainMs === null || esm.drainMs === null) return `N = ${fmt(esm.messages)}: not both drained, no verdict.`;
      const oursMs = ours.enqueueMs + ours.drainMs;
      const [winner, loser, fast, slow] = esm.drainMs <= oursMs ? ['esm', 'fanout-drain', esm.drainMs, oursMs] : ['fanout-drain', 'esm', oursMs, esm.drainMs];
      return `N = ${fmt(esm.messages)}: ${winner} (${fmt(fast)} ms from the first enqueue) beats ${loser} (${fmt(slow)} ms) by ${Math.round((1 - fast / slow) * 100)} %.`;
    });
}

export function bundleTable(bundles: BundleFigures[]): string {
  const lines = ['| function | bundle (bytes) | gzip | cold start (ms) | warm (ms) |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const bundle of bundles) {
    lines.push(`| ${bundle.name} | ${fmt(bundle.bytes)} | ${fmt(bundle.gzipBytes)} | ${Math.round(bundle.coldStartMs)} | ${round(bundle.warmMs, 1)} |`);
  }
  return lines.join('\n');
}

const palette: Record<string, string> = { serial: '#d62728', fanout: '#ff7f0e', 'fanout-drain': '#2ca02c', 'fanout-drain-alone': '#9467bd', esm: '#1f77b4' };

/** Queue depth over time, one line per strategy: a small self-contained SVG. */
export function depthSvg(series: { strategy: string; points: DepthPoint[] }[], messages: number, horizonMs?: number): string {
  const width = 720;
  const height = 360;
  const margin = { left: 64, right: 160, top: 36, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const maxT = horizonMs ?? Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.t)));
  const x = (t: number) => margin.left + (Math.min(t, maxT) / maxT) * plotW;
  const y = (depth: number) => margin.top + plotH - (depth / Math.max(1, messages)) * plotH;
  const ticks = 5;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="20" font-size="14" font-weight="600">Queue depth during the drain, N = ${messages.toLocaleString('en-US')}</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}" stroke="#333"/>`,
  ];
  for (let i = 0; i <= ticks; i++) {
    const t = (maxT / ticks) * i;
    const depth = (messages / ticks) * i;
    parts.push(`<text x="${x(t)}" y="${margin.top + plotH + 18}" text-anchor="middle">${(t / 1000).toFixed(1)} s</text>`);
    parts.push(`<text x="${margin.left - 8}" y="${y(depth) + 4}" text-anchor="end">${Math.round(depth)}</text>`);
    parts.push(`<line x1="${margin.left}" y1="${y(depth)}" x2="${margin.left + plotW}" y2="${y(depth)}" stroke="#eee"/>`);
  }
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">time since the first tick (ticks fire as soon as the previous tick's runs end; esm: since the first message is posted)</text>`);
  series.forEach((s, index) => {
    const color = palette[s.strategy] ?? '#1f77b4';
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.depth).toFixed(1)}`).join(' ');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = margin.top + 16 + index * 20;
    parts.push(`<line x1="${margin.left + plotW + 16}" y1="${ly - 4}" x2="${margin.left + plotW + 36}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${margin.left + plotW + 42}" y="${ly}">${s.strategy}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
