import {
  SustainTally,
  SustainUsageError,
  contentionFigures,
  cpuBreakdown,
  defaultStartRate,
  describeErrors,
  dueCount,
  emptyThreadTicks,
  emulatorOf,
  formatCpuMarkdown,
  formatStepsMarkdown,
  formatSustainTable,
  highestClean,
  latencySummary,
  nextRate,
  parseMachineBusyTicks,
  parseProcessStat,
  parseSustainOptions,
  plannedRequestCount,
  plannedStartMs,
  rateOutcomes,
  summarizeSustain,
  type CpuSnapshot,
  type FindMaxStep,
  type MachineSample,
  type RateOutcome,
  type SustainFacts,
  type SustainOptions,
} from './sustain-plan.js';
import type { RunReport } from '../shared/burst-plan.js';

const enqueued = (count: number) => ({ messages: Array.from({ length: count }, (_, index) => ({ index, status: 'enqueued', messageId: `m-${index}` })) });

function report(written: number, latencyMs = { p50: 40, p95: 90, p99: 120, max: 300 }): RunReport {
  return { runId: 'sustain-x', written, firstEnqueuedAt: 1, lastWrittenAt: 2, drainMs: 1, latencyMs };
}

/** A hold of 10 requests/s × 2 for 1 s in which every request was answered 202 after `latencyMs`. */
function cleanTally(requests = 10, batch = 2, latencyMs = 5): SustainTally {
  const tally = new SustainTally();
  for (let i = 0; i < requests; i++) {
    tally.started(i * 100, i * 100, batch);
    tally.answer(202, enqueued(batch), batch, latencyMs);
  }
  return tally;
}

function facts(overrides: Partial<SustainFacts> = {}): SustainFacts {
  return {
    runId: 'sustain-x',
    batch: 2,
    rate: 10,
    durationSeconds: 1,
    tally: cleanTally(),
    reportAtLoadEnd: report(14),
    finalReport: report(20),
    drainAfterLoadMs: 1_200,
    drainTimeoutSeconds: 30,
    loadGeneratorCpuSeconds: 0.123,
    ...overrides,
  };
}

describe('parseSustainOptions', () => {
  it('holds 200 single-message requests a second for 60 s against the local API by default', () => {
    // Act
    const options = parseSustainOptions([]) as SustainOptions;

    // Assess
    expect(options).toMatchObject({
      apiUrl: 'http://127.0.0.1:3000',
      apiKey: undefined,
      rate: 200,
      durationSeconds: 60,
      batch: 1,
      maxInFlight: 256,
      drainTimeoutSeconds: 30,
      json: false,
      findMax: false,
    });
  });

  it('reads every flag', () => {
    // Act
    const options = parseSustainOptions([
      '--url', 'http://127.0.0.1:3100/',
      '--rate', '40',
      '--duration', '5',
      '--batch', '10',
      '--api-key', 'K',
      '--max-in-flight', '32',
      '--drain-timeout', '9',
      '--request-timeout', '3',
      '--json',
    ]);

    // Assess
    expect(options).toMatchObject({
      apiUrl: 'http://127.0.0.1:3100',
      apiKey: 'K',
      rate: 40,
      durationSeconds: 5,
      batch: 10,
      maxInFlight: 32,
      drainTimeoutSeconds: 9,
      requestTimeoutSeconds: 3,
      json: true,
    });
  });

  it('starts --find-max at about 100 messages a second whatever the batch, unless --start says otherwise', () => {
    expect(parseSustainOptions(['--find-max'])).toMatchObject({ findMax: true, startRate: 100, maxSteps: 16, retries: 1 });
    expect(parseSustainOptions(['--find-max', '--batch', '10'])).toMatchObject({ startRate: 10 });
    expect(parseSustainOptions(['--find-max', '--batch', '3'])).toMatchObject({ startRate: 34 });
    expect(parseSustainOptions(['--find-max', '--start', '250', '--max-steps', '4', '--retries', '0'])).toMatchObject({
      startRate: 250,
      maxSteps: 4,
      retries: 0,
    });
    expect(defaultStartRate(1)).toBe(100);
  });

  it.each([
    [['--rat', '10'], "Unknown option '--rat'"],
    [['--rate', '0'], '--rate must be a whole number from 1 to 100000, got "0".'],
    [['--rate', '2.5'], '--rate must be a whole number'],
    [['--batch', '11'], '--batch must be a whole number from 1 to 10'],
    [['--url', 'localhost:3000'], '--url must be an http:// or https:// URL'],
    [['--api-key', ''], '--api-key must not be empty.'],
    [['--find-max', '--url', 'http://127.0.0.1:3000'], '--find-max starts its own local runtime'],
    [['--find-max', '--rate', '100'], 'use --start for the first one'],
    [['--start', '100'], '--start only applies with --find-max.'],
    [['--retries', '1'], '--retries only applies with --find-max.'],
  ])('refuses %j, saying what to change', (argv, message) => {
    // Act
    const parse = () => parseSustainOptions(argv);

    // Assess
    expect(parse).toThrow(SustainUsageError);
    expect(parse).toThrow(message);
  });

  it('gives --find-max holds 5 s to drain (the runtime ticks every second there), unless --drain-timeout says otherwise', () => {
    expect(parseSustainOptions(['--find-max'])).toMatchObject({ drainTimeoutSeconds: 5 });
    expect(parseSustainOptions(['--find-max', '--drain-timeout', '12'])).toMatchObject({ drainTimeoutSeconds: 12 });
    expect(parseSustainOptions([])).toMatchObject({ drainTimeoutSeconds: 30 });
  });

  it('answers help for --help', () => {
    expect(parseSustainOptions(['--help'])).toBe('help');
  });
});

describe('the schedule', () => {
  it('plans rate × duration requests, request i due i / rate seconds after the start', () => {
    expect(plannedRequestCount(200, 60)).toBe(12_000);
    expect(plannedRequestCount(3, 1.5)).toBe(5);
    expect(plannedStartMs(0, 200)).toBe(0);
    expect(plannedStartMs(199, 200)).toBe(995);
    expect(plannedStartMs(400, 200)).toBe(2_000);
  });

  it('makes a request due once its planned start has come, never more than planned', () => {
    // 4 requests a second: due at 0, 250, 500, 750 ms
    expect(dueCount(-1, 4, 4)).toBe(0);
    expect(dueCount(0, 4, 4)).toBe(1);
    expect(dueCount(249.9, 4, 4)).toBe(1);
    expect(dueCount(250, 4, 4)).toBe(2);
    expect(dueCount(760, 4, 4)).toBe(4);
    expect(dueCount(60_000, 4, 4)).toBe(4);
  });

  it('lets a generator that woke late start everything it owes at once (an open model)', () => {
    // 1,000 requests a second, woken 50 ms late after request 0
    expect(dueCount(50, 1_000, 60_000) - 1).toBe(50);
  });
});

describe('percentiles', () => {
  it('uses the nearest rank, as the run report does', () => {
    expect(latencySummary([100, 90, 80, 70, 60, 50, 40, 30, 20, 10])).toEqual({ p50: 50, p95: 100, p99: 100, max: 100 });
    expect(latencySummary([10, 20, 30, 40])).toEqual({ p50: 20, p95: 40, p99: 40, max: 40 });
  });

  it('summarises unsorted latencies to a tenth of a millisecond', () => {
    expect(latencySummary([3.04, 1, 2, 100.26])).toEqual({ p50: 2, p95: 100.3, p99: 100.3, max: 100.3 });
    expect(latencySummary([])).toEqual({ p50: null, p95: null, p99: null, max: null });
  });
});

describe('SustainTally', () => {
  it('counts accepted messages from 202 answers, single and batched', () => {
    // Prepare
    const tally = new SustainTally();

    // Act
    tally.started(0, 0, 1);
    tally.answer(202, { messageId: 'm-1' }, 1, 4);
    tally.started(5, 5, 10);
    tally.answer(202, enqueued(10), 10, 6);

    // Assess
    expect(tally).toMatchObject({ sent: 2, answered: 2, sentMessages: 11, acceptedMessages: 11 });
    expect(tally.errors.total).toBe(0);
  });

  it('counts a non-2xx answer by status, a partial 207, a request without an answer and one over the cap as errors', () => {
    // Prepare
    const tally = new SustainTally();
    const partial = { messages: [...enqueued(7).messages, ...[7, 8, 9].map((index) => ({ index, status: 'failed' }))] };

    // Act
    tally.answer(503, { error: 'SQS did not take it' }, 1, 30);
    tally.answer(503, null, 1, 30);
    tally.answer(400, { error: 'bad' }, 1, 2);
    tally.answer(207, partial, 10, 8);
    tally.networkError(30_000);
    tally.capped(950);

    // Assess
    expect(tally.errors).toEqual({ nonSuccess: { '400': 1, '503': 2 }, partial: 1, network: 1, cap: 1, total: 6 });
    expect(tally.acceptedMessages).toBe(7);
    expect(tally.answered).toBe(5);
    expect(describeErrors(tally.errors)).toBe('1 × 400, 2 × 503, 1 partial (207), 1 network, 1 cap');
  });

  it('records how far behind schedule each request started', () => {
    // Prepare
    const tally = new SustainTally();

    // Act
    tally.started(0.5, 0, 1);
    tally.started(12, 5, 1);
    tally.started(9, 10, 1); // early timers do happen: no negative lag

    // Assess
    expect(tally.scheduleLagsMs).toEqual([0.5, 7, 0]);
    expect(tally.firstStartMs).toBe(0.5);
    expect(tally.lastStartMs).toBe(9);
  });
});

describe('summarizeSustain', () => {
  it('passes a hold whose requests were all accepted and whose messages were all written', () => {
    // Act
    const summary = summarizeSustain(facts());

    // Assess
    expect(summary).toMatchObject({
      runId: 'sustain-x',
      rateAsked: { requestsPerSecond: 10, messagesPerSecond: 20 },
      // 10 requests over 0 … 900 ms plus one interval: 1 s
      rateAchieved: { requestsPerSecond: 10, messagesPerSecond: 20 },
      requests: { planned: 10, sent: 10, answered: 10 },
      messages: { sent: 20, accepted: 20, writtenAtLoadEnd: 14, written: 20, lost: 0 },
      drainAfterLoadMs: 1_200,
      httpLatencyMs: { p50: 5, p95: 5, p99: 5, max: 5 },
      writeLatencyMs: { p50: 40, p95: 90, p99: 120, max: 300 },
      loadGeneratorCpuSeconds: 0.12,
      clean: true,
    });
  });

  it('counts accepted messages still unwritten when the drain wait ended as lost, and fails the hold', () => {
    // Act
    const summary = summarizeSustain(facts({ finalReport: report(17), drainAfterLoadMs: null }));

    // Assess
    expect(summary.messages).toMatchObject({ accepted: 20, written: 17, lost: 3 });
    expect(summary.clean).toBe(false);
  });

  it('fails a hold whose last message was written after the drain timeout, even if a read just before it saw them all', () => {
    const summary = summarizeSustain(facts({ drainAfterLoadMs: 30_400 }));

    expect(summary.messages.lost).toBe(0);
    expect(summary.clean).toBe(false);
  });

  it('counts every accepted message as lost when no run report could be read', () => {
    const summary = summarizeSustain(facts({ reportAtLoadEnd: null, finalReport: null }));

    expect(summary.messages).toMatchObject({ written: 0, writtenAtLoadEnd: null, lost: 20 });
    expect(summary.writeLatencyMs).toEqual({ p50: null, p95: null, p99: null, max: null });
    expect(summary.clean).toBe(false);
  });

  it('fails a hold with one error even when nothing was lost', () => {
    // Prepare
    const tally = cleanTally();
    tally.capped(950);

    // Act
    const summary = summarizeSustain(facts({ tally }));

    // Assess
    expect(summary.messages.lost).toBe(0);
    expect(summary.errors).toMatchObject({ cap: 1, total: 1 });
    expect(summary.clean).toBe(false);
    expect(summary.requests).toEqual({ planned: 10, sent: 10, answered: 10 });
  });

  it('reports a lower achieved rate when the requests went out late', () => {
    // Prepare: 10 requests meant for 1 s went out over 1.9 s
    const tally = new SustainTally();
    for (let i = 0; i < 10; i++) {
      tally.started(i * 200, i * 100, 1);
      tally.answer(202, {}, 1, 1);
    }

    // Act
    const summary = summarizeSustain(facts({ tally, batch: 1 }));

    // Assess
    expect(summary.rateAchieved).toEqual({ requestsPerSecond: 5.3, messagesPerSecond: 5.3 });
    expect(summary.scheduleLagMs).toEqual({ p99: 900, max: 900 });
  });

  it('prints the figures a reader needs in the table', () => {
    // Act
    const table = formatSustainTable(summarizeSustain(facts({ finalReport: report(18), drainAfterLoadMs: null })));

    // Assess
    expect(table).toContain('rate asked 10 requests/s × 2 = 20 messages/s for 1 s');
    expect(table).toContain('errors     0: none');
    expect(table).toContain('written    18 (14 when the load ended)');
    expect(table).toContain('lost       2 (accepted, not written within 30 s after the load)');
    expect(table).toContain('drain      not finished within 30 s');
    expect(table).toContain('write      enqueue → write p50 40 ms | p95 90 ms | p99 120 ms');
    expect(table).toContain('verdict    FAILED');
  });
});

describe('reading /proc', () => {
  it('reads pid, ppid and utime + stime, even when the name holds spaces and parentheses', () => {
    // Prepare: fields 3-15 of a real line, ticks utime 4171 and stime 512
    const line = '4242 (node (worker) x) S 4200 4242 4200 0 -1 4194560 51234 0 0 0 4171 512 0 0 20 0 11 0 425167 1184844 19762';

    // Act
    const times = parseProcessStat(line);

    // Assess
    expect(times).toEqual({ pid: 4242, ppid: 4200, cpuTicks: 4683 });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcessStat('')).toThrow('Not a /proc/<pid>/stat line');
  });

  it('counts the machine busy for everything but idle and iowait', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const procStat = 'cpu  100 5 40 9000 70 3 2 1 0 0\ncpu0 50 2 20 4500 35 1 1 0 0 0\nintr 123\n';

    expect(parseMachineBusyTicks(procStat)).toBe(151);
  });

  it('tells the emulators apart by their command line', () => {
    expect(emulatorOf("/usr/bin/node --input-type=module -e const { startFauxqs } = await import('fauxqs');")).toBe('fauxqs');
    expect(emulatorOf("/usr/bin/node -e const dynalite = require('dynalite');")).toBe('dynalite');
    expect(emulatorOf('/usr/bin/node something-else.js')).toBeUndefined();
  });
});

describe('cpuBreakdown', () => {
  function snapshot(atMs: number, ticks: number): CpuSnapshot {
    const runtimeThreadTicks = emptyThreadTicks();
    runtimeThreadTicks['main thread (HTTP server, invocations, SNS bridge)'] = ticks;
    runtimeThreadTicks['test-api environments'] = 3 * ticks;
    return {
      atMs,
      runtimeTicks: 5 * ticks,
      runtimeThreadTicks,
      emulatorTicks: { fauxqs: 2 * ticks, dynalite: ticks },
      otherChildTicks: 0,
      loadGeneratorMicros: ticks * 10_000,
      machineBusyTicks: 12 * ticks,
    };
  }

  it('gives each part its CPU seconds, cores and CPU seconds per 1,000 messages, and what the rest of the machine used', () => {
    // Act: 10 s in which the runtime spent 5 s … of 12 s busy on the whole machine; 2,000 messages written
    const rows = cpuBreakdown(snapshot(0, 0), snapshot(10_000, 100), 2_000, 100);

    // Assess
    const byPart = Object.fromEntries(rows.map((row) => [row.part, row]));
    expect(byPart['runtime process (main + worker threads)']).toEqual({
      part: 'runtime process (main + worker threads)',
      detail: false,
      cpuSeconds: 5,
      cores: 0.5,
      perThousandMessages: 2.5,
    });
    expect(byPart['test-api environments']).toMatchObject({ detail: true, cpuSeconds: 3, perThousandMessages: 1.5 });
    expect(byPart['main thread (HTTP server, invocations, SNS bridge)']).toMatchObject({ cpuSeconds: 1 });
    expect(byPart['fauxqs (SQS + SNS)']).toMatchObject({ cpuSeconds: 2, cores: 0.2 });
    expect(byPart['dynalite (DynamoDB)']).toMatchObject({ cpuSeconds: 1 });
    expect(byPart['load generator (this process)']).toMatchObject({ cpuSeconds: 1 });
    expect(byPart['all of the above']).toMatchObject({ cpuSeconds: 9, cores: 0.9, perThousandMessages: 4.5 });
    expect(byPart['rest of the machine (other processes)']).toMatchObject({ cpuSeconds: 3, cores: 0.3 });
    // No thread started during the hold: no row for them
    expect(byPart['threads started during the hold']).toBeUndefined();
  });

  it('has no per-message figure when nothing was written', () => {
    const rows = cpuBreakdown(snapshot(0, 0), snapshot(1_000, 10), 0, 100);

    expect(rows.every((row) => row.perThousandMessages === null)).toBe(true);
  });

  it('prints the runtime threads as shares under the runtime', () => {
    const table = formatCpuMarkdown(cpuBreakdown(snapshot(0, 0), snapshot(10_000, 100), 2_000, 100));

    expect(table).toContain('| **runtime process (main + worker threads)** | 5.00 | 0.50 | 2.500 |');
    expect(table).toContain('| ↳ test-api environments | 3.00 | 0.30 | 1.500 |');
    expect(table).toContain('| **rest of the machine (other processes)** | 3.00 | 0.30 | 1.500 |');
  });
});

describe('contentionFigures', () => {
  /** One sample a second: the machine busy for `machine` cores and the system under test for `ours` in each second. */
  function samples(perSecond: { machine: number; ours: number }[]): MachineSample[] {
    const result: MachineSample[] = [{ atMs: 0, machineBusyTicks: 0, oursTicks: 0 }];
    for (const [i, second] of perSecond.entries()) {
      const previous = result[i];
      result.push({
        atMs: (i + 1) * 1000,
        machineBusyTicks: previous.machineBusyTicks + second.machine * 100,
        oursTicks: previous.oursTicks + second.ours * 100,
      });
    }
    return result;
  }

  it('names what the rest of the machine used around the cap errors, and its busiest second', () => {
    // Prepare: a neighbour takes 1.2 cores in second 2; requests go over the cap in second 3
    const timeline = samples([
      { machine: 1.5, ours: 1.4 },
      { machine: 2, ours: 0.8 },
      { machine: 1.9, ours: 1.8 },
      { machine: 1.6, ours: 1.5 },
    ]);

    // Act
    const figures = contentionFigures(timeline, [2_100, 2_400, 2_900], 100);

    // Assess
    expect(figures).toEqual({ restMaxCores: 1.2, cappedSeconds: 1, restCoresNearCaps: 1.2, oursMaxCores: 1.8, oursCoresNearCaps: 1.8 });
  });

  it('shows a failure of our own: cap errors while the rest of the machine was idle', () => {
    const timeline = samples([
      { machine: 0.1, ours: 0.1 },
      { machine: 1.9, ours: 1.9 },
      { machine: 1.9, ours: 1.9 },
    ]);

    const figures = contentionFigures(timeline, [1_500, 2_200], 100);

    expect(figures).toMatchObject({ cappedSeconds: 2, restCoresNearCaps: 0, restMaxCores: 0, oursCoresNearCaps: 1.9 });
  });

  it('has nothing near the cap errors when there were none', () => {
    expect(contentionFigures(samples([{ machine: 1, ours: 0.5 }]), [], 100)).toEqual({
      restMaxCores: 0.5,
      cappedSeconds: 0,
      restCoresNearCaps: null,
      oursMaxCores: 0.5,
      oursCoresNearCaps: null,
    });
    expect(contentionFigures([], [], 100).restMaxCores).toBeNull();
  });
});

describe('nextRate', () => {
  /** Runs the search against a system that is clean up to `capacity` requests/s. */
  function search(capacity: number, start: number, limit = 30): number[] {
    const outcomes: RateOutcome[] = [];
    for (let rate = nextRate(outcomes, start); rate !== null && outcomes.length < limit; rate = nextRate(outcomes, start)) {
      outcomes.push({ rate, clean: rate <= capacity });
    }
    return outcomes.map((outcome) => outcome.rate);
  }

  it('doubles while clean, then bisects until the gap is within 10 % of the clean rate', () => {
    expect(search(730, 100)).toEqual([100, 200, 400, 800, 600, 700, 750]);
  });

  it('halves while nothing is clean, then bisects', () => {
    expect(search(30, 100)).toEqual([100, 50, 25, 38, 32, 29, 31]);
  });

  it('stops when even 1 request/s fails', () => {
    expect(search(0, 4)).toEqual([4, 2, 1]);
  });

  it('ends within a few steps and never reports a rate above the capacity', () => {
    for (const capacity of [1, 7, 99, 100, 101, 333, 1_000, 4_321]) {
      const tried = search(capacity, 100);
      const best = Math.max(0, ...tried.filter((rate) => rate <= capacity));
      expect(tried.length).toBeLessThanOrEqual(14);
      expect(best).toBeLessThanOrEqual(capacity);
      expect(best).toBeGreaterThanOrEqual(Math.floor(capacity * 0.9) - 1);
    }
  });

  it('bisects between the highest clean rate and the lowest failed rate above it, ignoring a failure below', () => {
    // 300 failed once (noise), 400 was clean, 800 failed
    const outcomes = [
      { rate: 300, clean: false },
      { rate: 400, clean: true },
      { rate: 800, clean: false },
    ];

    expect(nextRate(outcomes, 100)).toBe(600);
  });
});

describe('find-max steps', () => {
  function step(rate: number, attempt: number, clean: boolean): FindMaxStep {
    const tally = cleanTally(10, 1, 3);
    if (!clean) tally.capped(950);
    const summary = summarizeSustain(facts({ tally, batch: 1, rate, finalReport: report(10) }));
    const contention = { restMaxCores: 0.25, cappedSeconds: clean ? 0 : 1, restCoresNearCaps: clean ? null : 0.1, oursMaxCores: 1.5, oursCoresNearCaps: clean ? null : 1.9 };
    return { rate, attempt, summary, cpu: [], backlogAtLoadEnd: 2, contention };
  }

  it('counts a rate clean when one of its attempts was, and reports the highest clean rate', () => {
    // Prepare: 400 failed, then passed on its retry; 800 failed twice
    const steps = [step(200, 1, true), step(400, 1, false), step(400, 2, true), step(800, 1, false), step(800, 2, false)];

    // Act + Assess
    expect(rateOutcomes(steps)).toEqual([
      { rate: 200, clean: true },
      { rate: 400, clean: true },
      { rate: 800, clean: false },
    ]);
    expect(highestClean(steps)).toBe(steps[2]);
    expect(highestClean([step(100, 1, false)])).toBeNull();
  });

  it('says in the lost column what became of lost messages in the minute after the deadline', () => {
    // Prepare
    const late = step(80, 1, false);
    late.late = { drainAfterLoadMs: 7_240, watchedSeconds: 60, missingAfterWatch: 0, queueAtDeadline: { visible: 0, inFlight: 1 } };
    const missing = step(80, 2, false);
    missing.late = { drainAfterLoadMs: null, watchedSeconds: 60, missingAfterWatch: 1, queueAtDeadline: null };

    // Act
    const rows = formatStepsMarkdown([late, missing]).split('\n');

    // Assess
    expect(rows[2]).toContain('| 0 (all written 7.2 s after the load (queue at the deadline: 0 visible, 1 in flight)) |');
    expect(rows[3]).toContain('| 0 (1 still not written 60 s after the deadline) |');
  });

  it('prints one table row a hold, in the order they ran', () => {
    // Act
    const table = formatStepsMarkdown([step(200, 1, true), step(400, 1, false)]);

    // Assess
    const rows = table.split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[2]).toMatch(/^\| 1 \| 200 \| 200 \| 1 \| .* \| none \| 0 \| 10 \| 0 \| 2 \| 1\.2 s \| 3 \/ 3 \| 40 \/ 120 \| - \/ - \| 1\.50 \/ 0\.25 \| - \/ - \| clean \|$/);
    expect(rows[3]).toMatch(/^\| 2 \| 400 \| 400 \| 1 \| .* \| 1 cap \| 1 \| .* \| 1\.50 \/ 0\.25 \| 1\.90 \/ 0\.10 \| failed \|$/);
  });
});
