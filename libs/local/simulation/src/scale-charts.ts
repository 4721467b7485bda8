import type { DepthPoint } from './drain-metrics.js';

/** One colour per strategy, the same in both charts (and close to docs/drain.svg's). */
const palette: Record<string, string> = {
  serial: '#d62728',
  fanout: '#ff7f0e',
  'fanout-drain': '#2ca02c',
  esm: '#1f77b4',
  'esm-provisioned': '#9467bd',
  'write limit': '#555555',
};

const width = 760;
const height = 400;
const margin = { left: 72, right: 170, top: 40, bottom: 52 };
const plotW = width - margin.left - margin.right;
const plotH = height - margin.top - margin.bottom;

function frame(title: string, xLabel: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="22" font-size="14" font-weight="600">${title}</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${xLabel}</text>`,
  ];
}

function legend(names: readonly string[], dashed: ReadonlySet<string> = new Set()): string[] {
  return names.flatMap((name, index) => {
    const y = margin.top + 16 + index * 20;
    const color = palette[name] ?? '#000';
    return [
      `<line x1="${margin.left + plotW + 16}" y1="${y - 4}" x2="${margin.left + plotW + 36}" y2="${y - 4}" stroke="${color}" stroke-width="3"${dashed.has(name) ? ' stroke-dasharray="5,4"' : ''}/>`,
      `<text x="${margin.left + plotW + 42}" y="${y}">${name}</text>`,
    ];
  });
}

const minutes = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 60_000)} min`);

/**
 * Messages on the queue (visible or in flight) over time from the first message, one line per
 * strategy, up to `horizonMs` (a strategy still draining then runs off the right edge).
 */
export function depthOverTimeSvg(series: readonly { strategy: string; points: readonly DepthPoint[] }[], messages: number, horizonMs: number): string {
  const x = (t: number) => margin.left + (Math.min(t, horizonMs) / horizonMs) * plotW;
  const y = (depth: number) => margin.top + plotH - (depth / Math.max(1, messages)) * plotH;
  const parts = frame(`Queue depth over time, N = ${messages.toLocaleString('en-US')}, simulated on AWS`, 'time since the first message (the original designs wait for their tick; the mapping starts at once)');
  for (let i = 0; i <= 5; i++) {
    const t = (horizonMs / 5) * i;
    const depth = (messages / 5) * i;
    parts.push(`<text x="${x(t)}" y="${margin.top + plotH + 18}" text-anchor="middle">${minutes(t)}</text>`);
    parts.push(`<text x="${margin.left - 8}" y="${y(depth) + 4}" text-anchor="end">${Math.round(depth).toLocaleString('en-US')}</text>`);
    parts.push(`<line x1="${margin.left}" y1="${y(depth)}" x2="${margin.left + plotW}" y2="${y(depth)}" stroke="#eee"/>`);
  }
  for (const s of series) {
    const points = s.points.filter((p, i) => p.t <= horizonMs || (s.points[i - 1]?.t ?? 0) <= horizonMs);
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.depth).toFixed(1)}`).join(' ');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${palette[s.strategy] ?? '#000'}" stroke-width="2"/>`);
  }
  parts.push(...legend(series.map((s) => s.strategy)), '</svg>');
  return parts.join('\n');
}

/**
 * Drain time (first message → last item written) against N, both on log scales, one line per
 * strategy, and the write limit dashed: where each design wins, and how close it comes to the floor.
 */
export function drainTimeSvg(series: readonly { strategy: string; points: readonly { messages: number; drainMs: number | null }[] }[]): string {
  const all = series.flatMap((s) => s.points);
  const ns = all.map((p) => p.messages);
  const times = all.flatMap((p) => (p.drainMs === null ? [] : [p.drainMs]));
  const nMin = Math.min(...ns);
  const nMax = Math.max(...ns);
  const tMin = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...times))));
  const tMax = 10 ** Math.ceil(Math.log10(Math.max(...times)));
  const x = (n: number) => margin.left + ((Math.log10(n) - Math.log10(nMin)) / Math.max(1e-9, Math.log10(nMax) - Math.log10(nMin))) * plotW;
  const y = (ms: number) => margin.top + plotH - ((Math.log10(ms) - Math.log10(tMin)) / (Math.log10(tMax) - Math.log10(tMin))) * plotH;
  const parts = frame('Drain time against N, simulated on AWS (log scales)', 'messages in the burst (N)');
  for (let n = nMin; n <= nMax; n *= 10) parts.push(`<text x="${x(n)}" y="${margin.top + plotH + 18}" text-anchor="middle">${n.toLocaleString('en-US')}</text>`);
  for (let t = tMin; t <= tMax; t *= 10) {
    const label = t < 1_000 ? `${t} ms` : t < 60_000 ? `${t / 1_000} s` : t < 3_600_000 ? `${Math.round(t / 60_000)} min` : `${Math.round(t / 3_600_000)} h`;
    parts.push(`<text x="${margin.left - 8}" y="${y(t) + 4}" text-anchor="end">${label}</text>`);
    parts.push(`<line x1="${margin.left}" y1="${y(t)}" x2="${margin.left + plotW}" y2="${y(t)}" stroke="#eee"/>`);
  }
  for (const s of series) {
    const drained = s.points.filter((p): p is { messages: number; drainMs: number } => p.drainMs !== null);
    const color = palette[s.strategy] ?? '#000';
    const d = drained.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.messages).toFixed(1)},${y(p.drainMs).toFixed(1)}`).join(' ');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.strategy === 'write limit' ? ' stroke-dasharray="5,4"' : ''}/>`);
    for (const p of drained) parts.push(`<circle cx="${x(p.messages).toFixed(1)}" cy="${y(p.drainMs).toFixed(1)}" r="3" fill="${color}"/>`);
    // Not drained within the simulation's hours: an arrow at the top.
    for (const p of s.points.filter((q) => q.drainMs === null)) parts.push(`<text x="${x(p.messages).toFixed(1)}" y="${margin.top - 4}" text-anchor="middle" fill="${color}">▲</text>`);
  }
  parts.push(...legend(series.map((s) => s.strategy), new Set(['write limit'])), '</svg>');
  return parts.join('\n');
}
