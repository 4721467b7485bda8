import { benchConditions } from './bench-conditions.js';
import { benchmarkDocument, checkTargets } from './benchmark-document.js';
import type { BenchmarkResult, BenchmarkRow } from './benchmark-report.js';

function row(overrides: Partial<BenchmarkRow>): BenchmarkRow {
  return {
    strategy: 'fanout-drain',
    trigger: 'fanout',
    messages: 1_000,
    enqueueBatch: 10,
    ticksToDrain: 1,
    firstTickShare: 1,
    drainMs: 500,
    firstWriteMs: 20,
    enqueueMs: 100,
    firstStartMs: 8,
    ratioToLimit: 1.2,
    ratioToLimitAlone: 1.1,
    limitMs: 50,
    limitMsSamples: [50],
    requestsPerMessage: 0.35,
    requestsPerMessageByApi: {},
    invocationsPerMessage: 0.1,
    latencyMs: { p50: 1, p95: 2, p99: 3 },
    drainMsSamples: [500],
    ...overrides,
  };
}

function result(rows: BenchmarkRow[]): BenchmarkResult {
  return {
    machine: { cpus: 2, cpuModel: 'test cpu', memoryGiB: 24, node: 'v20', platform: 'linux-x64' },
    tick: 'compressed',
    limit: {},
    pipeline: { workerEnvironments: 2, receiveLoops: 4 },
    measuring: benchConditions.measuring,
    rows,
    bundles: [],
  };
}

describe('checkTargets', () => {
  it('passes each target the rows meet and names the figures', () => {
    // Prepare
    const rows = [
      row({ strategy: 'fanout', messages: 100, firstTickShare: 0.83 }),
      row({ messages: 100 }),
      row({ messages: 1_000 }),
      row({ strategy: 'fanout-drain (1 msg/request)', enqueueBatch: 1, requestsPerMessage: 1.25 }),
    ];
    // Act
    const checks = checkTargets(result(rows));
    // Assess
    expect(checks.map((check) => check.met)).toEqual([true, true, true, true, true]);
    expect(checks[1].detail).toBe('83 %');
    expect(checks[2].detail).toBe('N=100: 1.20 × (1.10 × the limit measured alone), N=1000: 1.20 × (1.10 × the limit measured alone)');
  });

  it('fails a target a single row misses', () => {
    const checks = checkTargets(
      result([
        row({ strategy: 'fanout', messages: 100, firstTickShare: 0.5 }),
        row({ messages: 10_000, firstTickShare: 0.4, ratioToLimit: 2.5, requestsPerMessage: 0.45 }),
        row({ strategy: 'fanout-drain (1 msg/request)', enqueueBatch: 1, requestsPerMessage: 1.4 }),
      ]),
    );
    expect(checks.map((check) => check.met)).toEqual([false, false, false, false, false]);
  });
});

describe('benchmarkDocument', () => {
  it('states the command, the machine, the short-poll model and the targets', () => {
    const text = benchmarkDocument(result([row({ strategy: 'fanout', messages: 100, firstTickShare: 0.8 }), row({})]), 'npm run bench', new Date('2026-11-28T12:00:00Z'));
    expect(text).toContain('`npm run bench`');
    expect(text).toContain('on 2026-11-28');
    expect(text).toContain('2 × test cpu, 24 GiB');
    expect(text).toContain('found with probability\n  0.2');
    expect(text).toContain('threads: 2 worker environments, one per core, each run draining with up to\n  4 loops side by side, as the tick asks;');
    expect(text).toContain('configuration then drains up to 10 unmeasured bursts of N itself (for 10 s at most)');
    expect(text).toContain('Then it measures at least 5 drains of N, and more, up to 25, while they have taken less\n  than 15 s');
    expect(text).toContain('unmeasured burst of 5,000 messages');
    expect(text).toMatch(/✅ fanout-drain drains 100 % in the first tick/);
    expect(text).toContain('![Queue depth over time, one line per strategy](drain.svg)');
    expect(text).toContain("## The tick's start\n");
    expect(text).toContain('| N | local limit alongside: drain (ms) | fanout-drain: drain after the tick (ms) | of which the start: tick → first worker start (ms) |');
    expect(text).toContain('**Paired with the limit**');
  });

  it('sets the two triggers side by side from the first enqueue, says which drained sooner here, and why the tick wait decides on AWS', () => {
    // Prepare
    const rows = [
      row({ messages: 1_000, enqueueMs: 400, drainMs: 900 }),
      row({ strategy: 'esm', trigger: 'esm', ticksToDrain: 0, firstTickShare: null, messages: 1_000, drainMs: 1_000 }),
    ];
    // Act
    const text = benchmarkDocument(result(rows), 'npm run bench', new Date('2026-12-06T02:00:00Z'));
    // Assess
    expect(text).toContain('## The two triggers: fan-out or the event source mapping');
    expect(text).toContain('| 1,000 | 50 | 400 + 900 = 1,300 | 1,000 | 0.77 |');
    expect(text).toContain('- N = 1,000: esm (1,000 ms from the first enqueue) beats fanout-drain (1,300 ms) by 23 %.');
    expect(text).toContain('up to 5 minutes after a burst arrives');
    expect(text).toContain("reaches the fan-out's 100 workers in about 19 s");
    // The fan-out rows say what their drain time leaves out.
    expect(text).toContain('leaves out the wait for the tick');
  });
});
