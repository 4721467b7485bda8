import { benchConditions } from './bench-conditions.js';
import {
  bundleTable,
  depthSvg,
  limitFigures,
  limitTable,
  markdownTable,
  startCostTable,
  toRow,
  triggerTable,
  triggerVerdicts,
  type BenchmarkResult,
  type BenchmarkRow,
} from './benchmark-report.js';
import type { LocalLimit } from './local-limit.js';
import type { StrategyRun } from './run-strategy.js';

const apis = ['SendMessage', 'SendMessageBatch', 'GetQueueAttributes', 'PublishBatch', 'ReceiveMessage', 'BatchWriteItem', 'DeleteMessageBatch'];

function strategyRun(overrides: Partial<StrategyRun> = {}): StrategyRun {
  return {
    strategy: 'fanout',
    trigger: 'fanout',
    messages: 300,
    enqueueBatch: 10,
    ticksToDrain: 3,
    firstTickShare: 0.82666,
    drainMs: 1_234.6,
    firstWriteMs: 41.7,
    enqueueMs: 250.4,
    firstStartMs: 8.4,
    requestsByApi: { SendMessageBatch: 30, GetQueueAttributes: 3, PublishBatch: 4, ReceiveMessage: 100, BatchWriteItem: 12, DeleteMessageBatch: 31 },
    requests: 180,
    invocations: { api: 30, cron: 3, worker: 31 },
    latencyMs: { p50: 812, p95: 1_140, p99: 1_205 },
    depthSeries: [],
    wallMs: 4_000,
    ...overrides,
  };
}

const limit: LocalLimit = {
  messages: 300,
  best: { workers: 4, drainMs: 600, firstWriteMs: 12.4, messagesPerSecond: 500, drainMsSamples: [640.2, 600, 580.7] },
  samples: [
    { workers: 1, drainMs: 900.4, firstWriteMs: 3.1, messagesPerSecond: 333.2, drainMsSamples: [900.4, 950, 880] },
    { workers: 4, drainMs: 600, firstWriteMs: 12.4, messagesPerSecond: 500, drainMsSamples: [640.2, 600, 580.7] },
    { workers: 16, drainMs: 1_650.5, firstWriteMs: 30, messagesPerSecond: 181.8, drainMsSamples: [1_650.5, 1_700, 1_600] },
  ],
  direct: { workers: 4, drainMs: 480.4, firstWriteMs: 10, messagesPerSecond: 624.5, drainMsSamples: [480.4, 470, 500] },
  batched: { workers: 4, drainMs: 420.6, firstWriteMs: 30, messagesPerSecond: 713.3, drainMsSamples: [420.6, 440, 400] },
  requestsPerMessage: { ReceiveMessage: 0.1163, BatchWriteItem: 0.1, DeleteMessageBatch: 0.1 },
};

function row(overrides: Partial<BenchmarkRow> = {}): BenchmarkRow {
  return { ...toRow(strategyRun(), limit), ...overrides };
}

function result(rows: BenchmarkRow[]): BenchmarkResult {
  return {
    machine: { cpus: 2, cpuModel: 'test cpu', memoryGiB: 8, node: 'v20.19.0', platform: 'linux-x64' },
    tick: 'compressed',
    limit: {
      '300': limitFigures(limit),
      '10000': {
        messages: 10_000,
        workers: 16,
        drainMs: 6_543,
        firstWriteMs: 20,
        messagesPerSecond: 1_528,
        samples: [
          { workers: 1, drainMs: 7_200, messagesPerSecond: 1_389, drainMsSamples: [7_200] },
          { workers: 4, drainMs: 6_600, messagesPerSecond: 1_515, drainMsSamples: [6_600] },
          { workers: 16, drainMs: 6_543, messagesPerSecond: 1_528, drainMsSamples: [6_543] },
        ],
        direct: { workers: 16, drainMs: 5_234, drainMsSamples: [5_234] },
        batched: { workers: 16, drainMs: 4_321, drainMsSamples: [4_321] },
        requestsPerMessage: { ReceiveMessage: 0.101, BatchWriteItem: 0.1, DeleteMessageBatch: 0.1 },
      },
    },
    pipeline: { workerEnvironments: 2, receiveLoops: 4 },
    measuring: benchConditions.measuring,
    rows,
    bundles: [],
  };
}

/** A markdown table as rows of trimmed cells, the header first. */
function cellsOf(table: string): string[][] {
  return table.split('\n').map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

describe('toRow', () => {
  it('shows the run per message and against the local limit, rounded for reading', () => {
    // Act
    const shown = toRow(strategyRun(), limit);
    // Assess
    expect(shown).toEqual({
      strategy: 'fanout',
      trigger: 'fanout',
      messages: 300,
      enqueueBatch: 10,
      ticksToDrain: 3,
      firstTickShare: 0.827,
      drainMs: 1_235,
      firstWriteMs: 42,
      enqueueMs: 250,
      firstStartMs: 8,
      ratioToLimit: 2.06,
      ratioToLimitAlone: 2.06,
      limitMs: 600,
      limitMsSamples: [],
      requestsPerMessage: 0.6,
      requestsPerMessageByApi: {
        SendMessageBatch: 0.1,
        GetQueueAttributes: 0.01,
        PublishBatch: 0.013,
        ReceiveMessage: 0.333,
        BatchWriteItem: 0.04,
        DeleteMessageBatch: 0.103,
      },
      invocationsPerMessage: 0.213,
      latencyMs: { p50: 812, p95: 1_140, p99: 1_205 },
      drainMsSamples: [1_235],
    });
  });

  it('keeps every repeat’s drain time, rounded, with a burst that never drained as null', () => {
    expect(toRow(strategyRun({ drainMsSamples: [1_234.6, null, 999.2] }), limit).drainMsSamples).toEqual([1_235, null, 999]);
  });

  it('labels a run that posted one message per request', () => {
    expect(toRow(strategyRun({ strategy: 'fanout-drain', enqueueBatch: 1 }), limit).strategy).toBe('fanout-drain (1 msg/request)');
    expect(toRow(strategyRun({ strategy: 'fanout-drain', enqueueBatch: 10 }), limit).strategy).toBe('fanout-drain');
  });

  it('has no drain time and no ratio for a run that never drained', () => {
    // Act
    const shown = toRow(strategyRun({ drainMs: null, ticksToDrain: null, latencyMs: { p50: null, p95: null, p99: null } }), limit);
    // Assess
    expect(shown).toMatchObject({ drainMs: null, ratioToLimit: null, ratioToLimitAlone: null, ticksToDrain: null });
  });

  it('puts a run exactly as fast as the limit at 1', () => {
    expect(toRow(strategyRun({ drainMs: 600 }), limit).ratioToLimit).toBe(1);
  });

  it('sets the run against the limit’s drains measured alongside it, when there were any', () => {
    // Act: the limit's drains between the run's bursts, median 500 (the limit table says 600)
    const shown = toRow(strategyRun({ drainMs: 600 }), limit, [520.4, 480, 500.2, 700]);
    // Assess
    expect(shown).toMatchObject({ ratioToLimit: 1.2, ratioToLimitAlone: 1, limitMs: 500, limitMsSamples: [520, 480, 500, 700] });
  });
});

describe('markdownTable', () => {
  it('has a column for every API the pipeline calls, and a separator under each header cell', () => {
    // Act
    const [header, rule] = cellsOf(markdownTable(result([row()])));
    // Assess
    expect(header).toEqual([
      'strategy',
      'N',
      'ticks to drain',
      'drained in 1st tick',
      'drain (ms), from the 1st tick (esm: 1st enqueue)',
      '× local limit',
      'local limit alongside (ms)',
      '× local limit alone',
      'AWS requests / msg',
      ...apis,
      'invocations / msg',
      'latency p50 / p95 / p99 (ms)',
    ]);
    expect(rule).toEqual(header.map(() => '---'));
  });

  it('writes one row per run, with numbers as a person reads them', () => {
    // Prepare
    const rows = [
      toRow(strategyRun({ messages: 10_000, requestsByApi: { ReceiveMessage: 1_500 }, requests: 1_500, drainMs: 12_345.4, latencyMs: { p50: 2_500, p95: 9_999, p99: 11_000 } }), limit, [500]),
      toRow(strategyRun({ strategy: 'fanout-drain', enqueueBatch: 1, firstTickShare: 1 }), limit),
      toRow(strategyRun({ strategy: 'serial', drainMs: null, ticksToDrain: null, firstTickShare: 0.033, latencyMs: { p50: null, p95: null, p99: null } }), limit),
    ];
    // Act
    const [header, , ...lines] = cellsOf(markdownTable(result(rows)));
    // Assess
    expect(lines).toHaveLength(3);
    const byHeader = lines.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index]])));
    expect(lines.every((cells) => cells.length === header.length)).toBe(true);
    expect(byHeader[0]).toMatchObject({
      strategy: 'fanout',
      N: '10,000',
      'ticks to drain': '3',
      'drained in 1st tick': '83 %',
      'drain (ms), from the 1st tick (esm: 1st enqueue)': '12,345',
      '× local limit': '24.69',
      'local limit alongside (ms)': '500',
      '× local limit alone': '20.58',
      'AWS requests / msg': '0.150',
      ReceiveMessage: '0.150',
      SendMessage: '0.000',
      BatchWriteItem: '0.000',
      'latency p50 / p95 / p99 (ms)': '2,500 / 9,999 / 11,000',
    });
    expect(byHeader[1]).toMatchObject({ strategy: 'fanout-drain (1 msg/request)', N: '300', 'drained in 1st tick': '100 %', ReceiveMessage: '0.333' });
    expect(byHeader[2]).toMatchObject({
      strategy: 'serial',
      'ticks to drain': '—',
      'drained in 1st tick': '3 %',
      'drain (ms), from the 1st tick (esm: 1st enqueue)': '—',
      '× local limit': '—',
      'latency p50 / p95 / p99 (ms)': '— / — / —',
    });
  });

  it('shows an esm row with no tick: its drain runs from the first enqueue, and nothing is drained "in a tick"', () => {
    // Prepare
    const esm = toRow(strategyRun({ strategy: 'esm', trigger: 'esm', ticksToDrain: 0, firstTickShare: null, drainMs: 900, invocations: { api: 30, cron: 0, worker: 31 } }), limit, [600]);
    // Act
    const [header, , cells] = cellsOf(markdownTable(result([esm])));
    // Assess
    expect(esm).toMatchObject({ strategy: 'esm', trigger: 'esm', ticksToDrain: 0, firstTickShare: null, drainMs: 900, ratioToLimit: 1.5 });
    expect(Object.fromEntries(header.map((name, index) => [name, cells[index]]))).toMatchObject({
      strategy: 'esm',
      'ticks to drain': 'no tick',
      'drained in 1st tick': '—',
      'drain (ms), from the 1st tick (esm: 1st enqueue)': '900',
      '× local limit': '1.50',
    });
  });

  it('is only the header and its rule when nothing ran', () => {
    expect(markdownTable(result([])).split('\n')).toHaveLength(2);
  });
});

describe('limitTable', () => {
  it('shows each N with its drain time per worker count and the best of them', () => {
    // Act
    const table = limitTable(result([]));
    // Assess
    expect(cellsOf(table)).toEqual([
      [
        'N',
        'loops 1 / 4 / 16: drain ms',
        'best',
        'msg/s',
        'AWS requests / msg',
        'best loops straight to the emulators: drain ms',
        "the wire's share",
        'best loops writing as a worker run does: drain ms',
      ],
      ['---', '---', '---', '---', '---', '---', '---', '---'],
      ['300', '900 / 600 / 1,651', '4 loops, 600 ms', '500', '0.316', '480', '20 %', '421'],
      ['10,000', '7,200 / 6,600 / 6,543', '16 loops, 6,543 ms', '1,528', '0.301', '5,234', '20 %', '4,321'],
    ]);
  });
});

describe('limitFigures', () => {
  it('rounds the limit for reading and keeps every drain time behind its medians', () => {
    expect(limitFigures(limit)).toEqual({
      messages: 300,
      workers: 4,
      drainMs: 600,
      firstWriteMs: 12,
      messagesPerSecond: 500,
      samples: [
        { workers: 1, drainMs: 900, messagesPerSecond: 333, drainMsSamples: [900, 950, 880] },
        { workers: 4, drainMs: 600, messagesPerSecond: 500, drainMsSamples: [640, 600, 581] },
        { workers: 16, drainMs: 1_651, messagesPerSecond: 182, drainMsSamples: [1_651, 1_700, 1_600] },
      ],
      direct: { workers: 4, drainMs: 480, drainMsSamples: [480, 470, 500] },
      batched: { workers: 4, drainMs: 421, drainMsSamples: [421, 440, 400] },
      requestsPerMessage: { ReceiveMessage: 0.116, BatchWriteItem: 0.1, DeleteMessageBatch: 0.1 },
    });
  });
});

describe('startCostTable', () => {
  it('sets fanout-drain’s drain and its start beside the limit’s drain, and its drain after the start against the limit', () => {
    // Prepare: the limit alongside drains 300 in 600 ms and 10,000 in 6,543; fanout-drain's workers start 30 and 25 ms after the tick.
    const rows = [
      row({ strategy: 'fanout-drain', messages: 300, firstStartMs: 30, drainMs: 690, limitMs: 600 }),
      row({ strategy: 'fanout', messages: 300 }),
      row({ strategy: 'fanout-drain', messages: 10_000, firstStartMs: 25, drainMs: 6_000, limitMs: 6_543 }),
    ];

    // Act
    const cells = cellsOf(startCostTable(result(rows)));

    // Assess: (690 − 30) / 600 = 1.10, and (6,000 − 25) / 6,543 = 0.91. Only fanout-drain rows.
    expect(cells.slice(2)).toEqual([
      ['300', '600', '690', '30', '1.10'],
      ['10,000', '6,543', '6,000', '25', '0.91'],
    ]);
  });

  it('leaves out a burst that never drained or never started a worker', () => {
    expect(cellsOf(startCostTable(result([row({ strategy: 'fanout-drain', messages: 300, drainMs: null })])))).toHaveLength(2);
    expect(cellsOf(startCostTable(result([row({ strategy: 'fanout-drain', messages: 300, firstStartMs: null })])))).toHaveLength(2);
  });
});

describe('bundleTable', () => {
  it('shows each function’s bundle and start-up times, sizes right-aligned', () => {
    // Act
    const table = bundleTable([
      { name: 'test-api', bytes: 123_456, gzipBytes: 34_567, coldStartMs: 311.6, warmMs: 4.26 },
      { name: 'test-sqs2ddb', bytes: 98_000, gzipBytes: 27_100, coldStartMs: 280.2, warmMs: 12 },
    ]);
    // Assess
    expect(cellsOf(table)).toEqual([
      ['function', 'bundle (bytes)', 'gzip', 'cold start (ms)', 'warm (ms)'],
      ['---', '---:', '---:', '---:', '---:'],
      ['test-api', '123,456', '34,567', '312', '4.3'],
      ['test-sqs2ddb', '98,000', '27,100', '280', '12'],
    ]);
  });
});

/** Checks that every element opened is closed, in order, under one root, and that text holds no raw `<` or `&`. */
function wellFormedElements(svg: string): string[] {
  const open: string[] = [];
  const seen: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let match = tag.exec(svg); match; match = tag.exec(svg)) {
    const text = svg.slice(last, match.index);
    if (/[<]|&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) throw new Error(`Raw markup in text: ${JSON.stringify(text)}`);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      if (open.pop() !== name) throw new Error(`</${name}> closes nothing open`);
      continue;
    }
    if (open.length === 0) roots++;
    seen.push(name);
    if (!selfClosing) open.push(name);
  }
  if (svg.slice(last).trim() !== '') throw new Error('Text after the root element');
  if (open.length > 0) throw new Error(`Unclosed: ${open.join(', ')}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return seen;
}

describe('depthSvg', () => {
  const series = [
    {
      strategy: 'serial',
      points: [
        { t: 0, depth: 1_000 },
        { t: 2_000, depth: 600 },
        { t: 4_000, depth: 0 },
      ],
    },
    {
      strategy: 'fanout',
      points: [
        { t: 0, depth: 1_000 },
        { t: 1_000, depth: 170 },
      ],
    },
    { strategy: 'fanout-drain', points: [] },
  ];

  it('is a standalone SVG document', () => {
    // Act
    const svg = depthSvg(series, 1_000);
    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(wellFormedElements(svg)[0]).toBe('svg');
  });

  it('draws one line per series that has points, in the strategy’s colour, and a legend entry for every series', () => {
    // Act
    const svg = depthSvg(series, 1_000);
    // Assess
    const paths = [...svg.matchAll(/<path d="([^"]*)"[^>]*stroke="([^"]*)"/g)].map((match) => ({ d: match[1], stroke: match[2] }));
    expect(paths.map((path) => path.stroke)).toEqual(['#d62728', '#ff7f0e']);
    // The serial line starts full at the top left and ends empty at the bottom right of the plot.
    expect(paths[0].d).toBe('M64.0,36.0 L312.0,146.4 L560.0,312.0');
    const legend = [...svg.matchAll(/<text [^>]*>(serial|fanout|fanout-drain)<\/text>/g)].map((match) => match[1]);
    expect(legend).toEqual(['serial', 'fanout', 'fanout-drain']);
    expect(svg).toContain('stroke="#2ca02c" stroke-width="3"');
  });

  it('labels both axes and the chart', () => {
    // Act
    const svg = depthSvg(series, 1_000);
    // Assess
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Queue depth during the drain, N = 1,000',
        '0.0 s',
        '4.0 s',
        '0',
        '1000',
        "time since the first tick (ticks fire as soon as the previous tick's runs end; esm: since the first message is posted)",
      ]),
    );
  });

  it('keeps points past the horizon at the right edge', () => {
    // Act
    const svg = depthSvg([{ strategy: 'fanout', points: [{ t: 0, depth: 100 }, { t: 9_000, depth: 0 }] }], 100, 3_000);
    // Assess
    expect(svg).toContain('<path d="M64.0,36.0 L560.0,312.0"');
    expect(svg).toContain('>3.0 s</text>');
  });

  it('draws no line but still a frame for a chart with no points at all', () => {
    // Act
    const svg = depthSvg([{ strategy: 'serial', points: [] }], 0);
    // Assess
    expect(svg).not.toContain('<path');
    expect(svg).not.toContain('NaN');
    expect(wellFormedElements(svg)).toContain('line');
  });
});

describe('triggerTable and triggerVerdicts', () => {
  const esmRow = (overrides: Partial<BenchmarkRow>) => row({ strategy: 'esm', trigger: 'esm', ticksToDrain: 0, firstTickShare: null, ...overrides });

  it('times both triggers from the first enqueue: fanout-drain as posting + drain from the tick, esm as its drain', () => {
    // Prepare
    const rows = [
      row({ strategy: 'fanout-drain', messages: 1_000, enqueueMs: 300, drainMs: 700, requestsPerMessage: 0.24, invocationsPerMessage: 0.12 }),
      esmRow({ messages: 1_000, drainMs: 800, limitMs: 500, ratioToLimit: 1.6, requestsPerMessage: 0.31, invocationsPerMessage: 0.2 }),
      row({ strategy: 'fanout', messages: 1_000 }),
    ];
    // Act
    const [, , cells, ...more] = cellsOf(triggerTable(result(rows)));
    // Assess
    expect(more).toHaveLength(0);
    expect(cells).toEqual(['1,000', '500', '300 + 700 = 1,000', '800', '0.80', '1.60', '0.240, 0.310', '0.120, 0.200']);
  });

  it('names the trigger that drained each N sooner, and by how much', () => {
    // Prepare
    const rows = [
      row({ strategy: 'fanout-drain', messages: 100, enqueueMs: 50, drainMs: 150 }),
      esmRow({ messages: 100, drainMs: 150 }),
      row({ strategy: 'fanout-drain', messages: 10_000, enqueueMs: 2_000, drainMs: 6_000 }),
      esmRow({ messages: 10_000, drainMs: 10_000 }),
      esmRow({ messages: 1_000, drainMs: null }),
    ];
    // Act
    const verdicts = triggerVerdicts(result(rows));
    // Assess
    expect(verdicts).toEqual([
      'N = 100: esm (150 ms from the first enqueue) beats fanout-drain (200 ms) by 25 %.',
      'N = 10,000: fanout-drain (8,000 ms from the first enqueue) beats esm (10,000 ms) by 20 %.',
      'N = 1,000: not both drained, no verdict.',
    ]);
  });
});
