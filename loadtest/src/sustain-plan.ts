import { percentile } from '@fanout/run-status';
import { parseFlags, UsageError } from '@fanout/runtime-process';
import {
  BurstSettingError,
  burstDefaults,
  countOutcome,
  formatDuration,
  maxBatchSize,
  readWholeNumber,
  type LatencyMs,
  type RunReport,
} from '../shared/burst-plan.js';

/**
 * The sustained load (`npm run sustain`): what it does on which schedule, how it counts, when it
 * passes, and how it searches for the highest clean rate. No I/O here; sustain.ts does the sending,
 * the clocks and the processes.
 */

export const sustainDefaults = Object.freeze({
  apiUrl: burstDefaults.apiUrl,
  /** Requests per second. */
  rate: 200,
  durationSeconds: 60,
  batch: 1,
  /** Requests in flight at once; a request due while this many are open is not sent and counts as an error. */
  maxInFlight: 256,
  /**
   * Seconds after the load for every accepted message to be written; the rest count as lost. 30 s
   * leaves room for npm start's 10 s schedule.
   */
  drainTimeoutSeconds: 30,
  /**
   * --find-max runs the schedule every second, so a pipeline that keeps pace writes its last message
   * within about 2 s of the load. A backlog that needs more than 5 s is one that grew during the
   * hold: after 60 s, the pipeline was more than 5/60 (8 %) behind the API, which is not a rate it
   * can sustain, and the messages still unwritten count as lost.
   */
  findMaxDrainTimeoutSeconds: 5,
  requestTimeoutSeconds: 30,
  /** --find-max: holds to try at most, retries included. */
  maxSteps: 16,
  /** --find-max: a failed hold is run once more before the rate counts as failed. */
  retries: 1,
  /** --find-max: the search stops when the highest clean and lowest failed rate are this close (fraction). */
  resolution: 0.1,
});

/** --find-max starts at about 100 messages per second, whatever the batch size. */
export function defaultStartRate(batch: number): number {
  return Math.max(1, Math.ceil(100 / batch));
}

export interface SustainOptions {
  apiUrl: string;
  apiKey: string | undefined;
  /** Requests started per second (each carries `batch` messages). */
  rate: number;
  durationSeconds: number;
  batch: number;
  maxInFlight: number;
  drainTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  json: boolean;
  findMax: boolean;
  /** --find-max: first rate tried, requests per second. */
  startRate: number;
  maxSteps: number;
  retries: number;
}

export const sustainUsage = `Usage: npm run sustain -- [options]

Holds the API at a fixed request rate (an open model: requests start on schedule, whether or not
earlier ones have answered), tags every message with one run id, waits for the drain
(GET /runs/{runId}) and prints what happened. Exit 1 on any error or any lost message.

Options:
  --url <url>              the API (default ${sustainDefaults.apiUrl})
  --rate <n>               requests started per second (default ${sustainDefaults.rate}); messages/s = rate × batch
  --duration <s>           seconds to hold the rate (default ${sustainDefaults.durationSeconds})
  --batch <n>              messages per request, 1-${maxBatchSize} (default ${sustainDefaults.batch}; 1 posts single objects)
  --api-key <key>          sent as x-api-key
  --max-in-flight <n>      open requests at most (default ${sustainDefaults.maxInFlight}); a request due
                           while the cap is reached is not sent and counts as an error
  --drain-timeout <s>      seconds after the load for every accepted message to be written
                           (default ${sustainDefaults.drainTimeoutSeconds}, with --find-max ${sustainDefaults.findMaxDrainTimeoutSeconds}); the rest count as lost
  --request-timeout <s>    a request open this long counts as a network error (default ${sustainDefaults.requestTimeoutSeconds})
  --json                   print one JSON object on stdout instead of the table
  --help                   this text

  --find-max               start the built local runtime (--rate 1s) for each hold, step the rate up
                           from --start, doubling until a hold fails, then bisect; report the highest
                           rate with zero errors and zero lost, and the CPU each process spent
  --start <n>              first rate tried, requests/s (default: about 100 messages/s, ⌈100 / batch⌉)
  --max-steps <n>          holds at most, retries included (default ${sustainDefaults.maxSteps})
  --retries <n>            runs of a failed hold before its rate counts as failed (default ${sustainDefaults.retries})

Exit code: 0 clean (or --find-max found a clean rate), 1 errors or lost messages, 2 on a wrong flag.`;

/** A command line the runner cannot run: the message says what to change. */
export class SustainUsageError extends UsageError {
  override readonly name = 'SustainUsageError';
}

function whole(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  try {
    return readWholeNumber(text, flag, fallback, min, max);
  } catch (error) {
    if (error instanceof BurstSettingError) throw new SustainUsageError(error.message);
    throw error;
  }
}

/** Parses the flags; `help` when the user asked for the usage text. */
export function parseSustainOptions(argv: string[]): SustainOptions | 'help' {
  const values = parseFlags(
    argv,
    {
      url: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      batch: { type: 'string' },
      'api-key': { type: 'string' },
      'max-in-flight': { type: 'string' },
      'drain-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      json: { type: 'boolean' },
      'find-max': { type: 'boolean' },
      start: { type: 'string' },
      'max-steps': { type: 'string' },
      retries: { type: 'string' },
    },
    SustainUsageError,
  );
  if (values === 'help') return 'help';
  const findMax = values['find-max'] ?? false;
  if (findMax && values.url !== undefined) {
    throw new SustainUsageError('--find-max starts its own local runtime: leave out --url (or drop --find-max to load a running API).');
  }
  if (findMax && values.rate !== undefined) {
    throw new SustainUsageError('--find-max chooses the rates itself: use --start for the first one instead of --rate.');
  }
  if (!findMax) {
    for (const flag of ['start', 'max-steps', 'retries'] as const) {
      if (values[flag] !== undefined) throw new SustainUsageError(`--${flag} only applies with --find-max.`);
    }
  }
  if (values['api-key'] === '') throw new SustainUsageError('--api-key must not be empty.');
  const apiUrl = (values.url ?? sustainDefaults.apiUrl).trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(apiUrl)) {
    throw new SustainUsageError(`--url must be an http:// or https:// URL such as ${sustainDefaults.apiUrl}, got ${JSON.stringify(values.url)}.`);
  }
  const batch = whole(values.batch, '--batch', sustainDefaults.batch, 1, maxBatchSize);
  return {
    apiUrl,
    apiKey: values['api-key'],
    rate: whole(values.rate, '--rate', sustainDefaults.rate, 1, 100_000),
    durationSeconds: whole(values.duration, '--duration', sustainDefaults.durationSeconds, 1, 3_600),
    batch,
    maxInFlight: whole(values['max-in-flight'], '--max-in-flight', sustainDefaults.maxInFlight, 1, 10_000),
    drainTimeoutSeconds: whole(
      values['drain-timeout'],
      '--drain-timeout',
      findMax ? sustainDefaults.findMaxDrainTimeoutSeconds : sustainDefaults.drainTimeoutSeconds,
      0,
      86_400,
    ),
    requestTimeoutSeconds: whole(values['request-timeout'], '--request-timeout', sustainDefaults.requestTimeoutSeconds, 1, 600),
    json: values.json ?? false,
    findMax,
    startRate: whole(values.start, '--start', defaultStartRate(batch), 1, 100_000),
    maxSteps: whole(values['max-steps'], '--max-steps', sustainDefaults.maxSteps, 1, 100),
    retries: whole(values.retries, '--retries', sustainDefaults.retries, 0, 5),
  };
}

// ---- The schedule ------------------------------------------------------------------------------

/** Requests a hold of `durationSeconds` at `rate` requests per second starts. */
export function plannedRequestCount(rate: number, durationSeconds: number): number {
  return Math.round(rate * durationSeconds);
}

/** When request `index` (0-based) is due, in milliseconds after the hold starts. */
export function plannedStartMs(index: number, rate: number): number {
  return (index * 1000) / rate;
}

/** How many of the `total` requests are due `elapsedMs` into the hold (their planned start has come). */
export function dueCount(elapsedMs: number, rate: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
}

// ---- Counting ----------------------------------------------------------------------------------

export function latencySummary(values: readonly number[]): LatencyMs {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length === 0 ? null : sorted[sorted.length - 1]),
  };
}

export interface SustainErrors {
  /** Requests answered with a status other than 2xx, by status. */
  nonSuccess: Record<string, number>;
  /** 2xx answers (207) that left some of their messages out. */
  partial: number;
  /** Requests that got no answer: refused, reset, timed out. */
  network: number;
  /** Requests not sent because --max-in-flight requests were open when they were due. */
  cap: number;
  total: number;
}

/** Everything one hold counts as its requests answer. */
export class SustainTally {
  sent = 0;
  answered = 0;
  acceptedMessages = 0;
  sentMessages = 0;
  readonly errors: SustainErrors = { nonSuccess: {}, partial: 0, network: 0, cap: 0, total: 0 };
  readonly httpLatenciesMs: number[] = [];
  /** Actual start − planned start of each sent request: how far the load generator fell behind. */
  readonly scheduleLagsMs: number[] = [];
  firstStartMs: number | null = null;
  lastStartMs: number | null = null;

  started(atMs: number, plannedMs: number, messages: number): void {
    this.sent++;
    this.sentMessages += messages;
    this.firstStartMs ??= atMs;
    this.lastStartMs = atMs;
    this.scheduleLagsMs.push(Math.max(0, atMs - plannedMs));
  }

  /** When each request over the cap was due, in ms after the hold started. */
  readonly cappedAtMs: number[] = [];

  capped(atMs: number): void {
    this.cappedAtMs.push(atMs);
    this.errors.cap++;
    this.errors.total++;
  }

  /** An answer: counts its accepted messages; any message left out is an error of the request. */
  answer(status: number, body: unknown, messages: number, latencyMs: number): void {
    this.answered++;
    this.httpLatenciesMs.push(latencyMs);
    const outcome = countOutcome(status, body, messages);
    this.acceptedMessages += outcome.accepted;
    if (status < 200 || status > 299) {
      this.errors.nonSuccess[String(status)] = (this.errors.nonSuccess[String(status)] ?? 0) + 1;
      this.errors.total++;
    } else if (outcome.rejected > 0) {
      this.errors.partial++;
      this.errors.total++;
    }
  }

  networkError(latencyMs: number): void {
    this.answered++;
    this.httpLatenciesMs.push(latencyMs);
    this.errors.network++;
    this.errors.total++;
  }
}

// ---- The summary and the verdict ---------------------------------------------------------------

export interface SustainSummary {
  runId: string;
  batch: number;
  durationSeconds: number;
  rateAsked: { requestsPerSecond: number; messagesPerSecond: number };
  /** Requests started per second over the hold, and messages accepted per second. */
  rateAchieved: { requestsPerSecond: number; messagesPerSecond: number };
  requests: { planned: number; sent: number; answered: number };
  errors: SustainErrors;
  messages: {
    sent: number;
    accepted: number;
    /** Written when the last request had answered: what the pipeline had not caught up with yet is accepted − this. */
    writtenAtLoadEnd: number | null;
    written: number;
    /** Accepted − written once the drain wait ended. */
    lost: number;
  };
  /** Last answer → last item written (the run report's lastWrittenAt); null when the wait ended first. */
  drainAfterLoadMs: number | null;
  /** How long the wait for the drain could last. */
  drainTimeoutSeconds: number;
  httpLatencyMs: LatencyMs;
  scheduleLagMs: { p99: number | null; max: number | null };
  /** Enqueue → write per message, from the run report. */
  writeLatencyMs: LatencyMs;
  /** CPU seconds this process (the load generator) spent from the first request to the end of the drain wait. */
  loadGeneratorCpuSeconds: number;
  clean: boolean;
}

export interface SustainFacts {
  runId: string;
  batch: number;
  rate: number;
  durationSeconds: number;
  tally: SustainTally;
  /** The first run report read after the load, null when none was. */
  reportAtLoadEnd: RunReport | null;
  /** The last run report read, null when none was. */
  finalReport: RunReport | null;
  drainAfterLoadMs: number | null;
  drainTimeoutSeconds: number;
  loadGeneratorCpuSeconds: number;
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/**
 * A hold is clean when every request was sent and answered 2xx with all its messages, and all of them
 * were written within the drain timeout (by the pipeline's own clock: a report read just before the
 * deadline may still see items written just after it).
 */
export function isSustainClean(errors: SustainErrors, lost: number, drainAfterLoadMs: number | null, drainTimeoutSeconds: number): boolean {
  return errors.total === 0 && lost === 0 && (drainAfterLoadMs === null || drainAfterLoadMs <= drainTimeoutSeconds * 1000);
}

export function summarizeSustain(facts: SustainFacts): SustainSummary {
  const { tally } = facts;
  const written = facts.finalReport?.written ?? 0;
  const lost = Math.max(0, tally.acceptedMessages - written);
  // The requests went out over [first start, last start + one interval].
  const windowSeconds =
    tally.firstStartMs === null || tally.lastStartMs === null ? 0 : (tally.lastStartMs - tally.firstStartMs + 1000 / facts.rate) / 1000;
  const lags = [...tally.scheduleLagsMs].sort((a, b) => a - b);
  return {
    runId: facts.runId,
    batch: facts.batch,
    durationSeconds: facts.durationSeconds,
    rateAsked: { requestsPerSecond: facts.rate, messagesPerSecond: facts.rate * facts.batch },
    rateAchieved:
      windowSeconds === 0
        ? { requestsPerSecond: 0, messagesPerSecond: 0 }
        : { requestsPerSecond: oneDecimal(tally.sent / windowSeconds), messagesPerSecond: oneDecimal(tally.acceptedMessages / windowSeconds) },
    requests: { planned: plannedRequestCount(facts.rate, facts.durationSeconds), sent: tally.sent, answered: tally.answered },
    errors: { ...tally.errors, nonSuccess: { ...tally.errors.nonSuccess } },
    messages: {
      sent: tally.sentMessages,
      accepted: tally.acceptedMessages,
      writtenAtLoadEnd: facts.reportAtLoadEnd?.written ?? null,
      written,
      lost,
    },
    drainAfterLoadMs: facts.drainAfterLoadMs,
    drainTimeoutSeconds: facts.drainTimeoutSeconds,
    httpLatencyMs: latencySummary(tally.httpLatenciesMs),
    scheduleLagMs: { p99: lags.length === 0 ? null : oneDecimal(percentile(lags, 99) ?? 0), max: lags.length === 0 ? null : oneDecimal(lags[lags.length - 1]) },
    writeLatencyMs: facts.finalReport?.latencyMs ?? { p50: null, p95: null, p99: null, max: null },
    loadGeneratorCpuSeconds: Math.round(facts.loadGeneratorCpuSeconds * 100) / 100,
    clean: isSustainClean(tally.errors, lost, facts.drainAfterLoadMs, facts.drainTimeoutSeconds),
  };
}

/** `3 × 503, 2 network, 1 cap`, or `none`. */
export function describeErrors(errors: SustainErrors): string {
  const parts = Object.entries(errors.nonSuccess)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${count} × ${status}`);
  if (errors.partial > 0) parts.push(`${errors.partial} partial (207)`);
  if (errors.network > 0) parts.push(`${errors.network} network`);
  if (errors.cap > 0) parts.push(`${errors.cap} cap`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function latencyText(latency: LatencyMs): string {
  return `p50 ${formatDuration(latency.p50)} | p95 ${formatDuration(latency.p95)} | p99 ${formatDuration(latency.p99)}`;
}

/** The text table `npm run sustain` prints. */
export function formatSustainTable(summary: SustainSummary): string {
  const { messages } = summary;
  const rows: [string, string][] = [
    ['run', summary.runId],
    [
      'rate asked',
      `${summary.rateAsked.requestsPerSecond} requests/s × ${summary.batch} = ${summary.rateAsked.messagesPerSecond} messages/s for ${summary.durationSeconds} s`,
    ],
    ['achieved', `${summary.rateAchieved.requestsPerSecond} requests/s, ${summary.rateAchieved.messagesPerSecond} messages/s accepted`],
    ['requests', `${summary.requests.sent} sent of ${summary.requests.planned} planned, ${summary.requests.answered} answered`],
    ['errors', `${summary.errors.total}: ${describeErrors(summary.errors)}`],
    ['accepted', String(messages.accepted)],
    ['written', `${messages.written}${messages.writtenAtLoadEnd === null ? '' : ` (${messages.writtenAtLoadEnd} when the load ended)`}`],
    ['lost', `${messages.lost}${messages.lost > 0 ? ` (accepted, not written within ${summary.drainTimeoutSeconds} s after the load)` : ''}`],
    [
      'drain',
      summary.drainAfterLoadMs === null
        ? `not finished within ${summary.drainTimeoutSeconds} s`
        : `${formatDuration(summary.drainAfterLoadMs)} after the last answer${summary.drainAfterLoadMs > summary.drainTimeoutSeconds * 1000 ? ` (over the ${summary.drainTimeoutSeconds} s timeout)` : ''}`,
    ],
    ['http', latencyText(summary.httpLatencyMs)],
    ['behind', `schedule lag p99 ${formatDuration(summary.scheduleLagMs.p99)} | max ${formatDuration(summary.scheduleLagMs.max)}`],
    ['write', `enqueue → write ${latencyText(summary.writeLatencyMs)}`],
    ['cpu', `${summary.loadGeneratorCpuSeconds.toFixed(2)} s (this process)`],
    ['verdict', summary.clean ? 'clean' : 'FAILED'],
  ];
  return rows.map(([label, value]) => `${label.padEnd(11)}${value}`).join('\n');
}

// ---- Where the CPU time goes -------------------------------------------------------------------

/** The fields of a `/proc/<pid>/stat` (or `/proc/<pid>/task/<tid>/stat`) line this tool reads. */
export interface ProcessTimes {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** Parses `/proc/<pid>/stat`; the name in parentheses may itself hold spaces and parentheses. */
export function parseProcessStat(text: string): ProcessTimes {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf('(')).trim());
  // After the name: state(3) ppid(4) … utime(14) stime(15).
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const ppid = Number(fields[1]);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (close < 0 || ![pid, ppid, utime, stime].every(Number.isFinite)) {
    throw new Error(`Not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return { pid, ppid, cpuTicks: utime + stime };
}

/** Busy clock ticks of the whole machine, all cores, from the `cpu` line of `/proc/stat`. */
export function parseMachineBusyTicks(procStat: string): number {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no "cpu" line.');
  // user nice system idle iowait irq softirq steal …: all but idle and iowait were busy.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + (steal ?? 0);
}

export type EmulatorName = 'fauxqs' | 'dynalite';

/** Which emulator a child process of the runtime is, from its command line. */
export function emulatorOf(commandLine: string): EmulatorName | undefined {
  if (commandLine.includes('fauxqs')) return 'fauxqs';
  if (commandLine.includes('dynalite')) return 'dynalite';
  return undefined;
}

/**
 * What a thread of the runtime process does. Every execution environment is a worker thread, all
 * named `node`; sustain.ts tells them apart by when they appeared during the warm-up.
 */
export const runtimeThreadParts = [
  'main thread (HTTP server, invocations, SNS bridge)',
  'test-api environments',
  'test-sqs2ddb environments',
  'run-status-api environments',
  'V8 and libuv helper threads, test-cron',
  'threads started during the hold',
] as const;
export type RuntimeThreadPart = (typeof runtimeThreadParts)[number];

/** CPU clock ticks spent so far by each part of the system under test, plus the generator and the machine. */
export interface CpuSnapshot {
  atMs: number;
  /** The whole runtime process: all its threads, also those that have ended. */
  runtimeTicks: number;
  runtimeThreadTicks: Record<RuntimeThreadPart, number>;
  emulatorTicks: Record<EmulatorName, number>;
  /** Other children of the runtime, if any. */
  otherChildTicks: number;
  loadGeneratorMicros: number;
  machineBusyTicks: number;
}

export function emptyThreadTicks(): Record<RuntimeThreadPart, number> {
  return Object.fromEntries(runtimeThreadParts.map((part) => [part, 0])) as Record<RuntimeThreadPart, number>;
}

export interface CpuRow {
  part: string;
  /** A share of the row above it (a thread of the runtime), not a part of its own in the total. */
  detail: boolean;
  cpuSeconds: number;
  /** CPU seconds ÷ wall seconds: 1 is one core busy all the time. */
  cores: number;
  /** CPU seconds per 1,000 messages (accepted in the window); null when none were. */
  perThousandMessages: number | null;
}

/**
 * What each part spent between two snapshots, and per 1,000 messages. `rest of the machine` is what
 * everything else used meanwhile (other sessions' tests, the kernel): it competes for the same cores.
 */
export function cpuBreakdown(before: CpuSnapshot, after: CpuSnapshot, messages: number, ticksPerSecond: number): CpuRow[] {
  const wallSeconds = Math.max(0.001, (after.atMs - before.atMs) / 1000);
  const seconds = (ticks: number) => ticks / ticksPerSecond;
  const row = (part: string, cpuSeconds: number, detail = false): CpuRow => ({
    part,
    detail,
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    cores: Math.round((cpuSeconds / wallSeconds) * 100) / 100,
    perThousandMessages: messages === 0 ? null : Math.round((cpuSeconds / messages) * 1000 * 1000) / 1000,
  });
  const runtime = seconds(after.runtimeTicks - before.runtimeTicks);
  const fauxqs = seconds(after.emulatorTicks.fauxqs - before.emulatorTicks.fauxqs);
  const dynalite = seconds(after.emulatorTicks.dynalite - before.emulatorTicks.dynalite);
  const otherChildren = seconds(after.otherChildTicks - before.otherChildTicks);
  const generator = (after.loadGeneratorMicros - before.loadGeneratorMicros) / 1e6;
  const machine = seconds(after.machineBusyTicks - before.machineBusyTicks);
  const ours = runtime + fauxqs + dynalite + otherChildren + generator;
  const rows = [row('runtime process (main + worker threads)', runtime)];
  for (const part of runtimeThreadParts) {
    const spent = seconds(after.runtimeThreadTicks[part] - before.runtimeThreadTicks[part]);
    if (spent > 0 || part !== 'threads started during the hold') rows.push(row(part, spent, true));
  }
  rows.push(row('fauxqs (SQS + SNS)', fauxqs), row('dynalite (DynamoDB)', dynalite));
  if (otherChildren > 0) rows.push(row('other runtime children', otherChildren));
  rows.push(
    row('load generator (this process)', generator),
    row('all of the above', ours),
    row('rest of the machine (other processes)', Math.max(0, machine - ours)),
  );
  return rows;
}

/** Busy ticks of the machine and of the system under test + generator, `atMs` after the hold started. */
export interface MachineSample {
  atMs: number;
  machineBusyTicks: number;
  oursTicks: number;
}

export interface ContentionFigures {
  /** Most cores the rest of the machine used in one sampling interval (about 1 s) of the hold. */
  restMaxCores: number | null;
  /** Seconds of the hold in which requests went over the cap. */
  cappedSeconds: number;
  /**
   * Most cores the rest of the machine used in an interval with requests over the cap, or in the one
   * before it (the open requests pile up for a while before they reach the cap); null without any.
   */
  restCoresNearCaps: number | null;
  /** Most cores the system under test + generator used in one interval. */
  oursMaxCores: number | null;
  /** Most cores the system under test + generator used in an interval near cap errors (as `restCoresNearCaps`). */
  oursCoresNearCaps: number | null;
}

/** Whether other processes were busy when the hold went over its cap: what a reader needs to judge a failure. */
export function contentionFigures(samples: readonly MachineSample[], cappedAtMs: readonly number[], ticksPerSecond: number): ContentionFigures {
  const intervals: { from: number; to: number; rest: number; ours: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    const seconds = Math.max(0.001, (samples[i].atMs - samples[i - 1].atMs) / 1000);
    const ours = (samples[i].oursTicks - samples[i - 1].oursTicks) / ticksPerSecond;
    const machine = (samples[i].machineBusyTicks - samples[i - 1].machineBusyTicks) / ticksPerSecond;
    intervals.push({ from: samples[i - 1].atMs, to: samples[i].atMs, rest: Math.max(0, machine - ours) / seconds, ours: ours / seconds });
  }
  const round = (value: number) => Math.round(value * 100) / 100;
  const near = new Set<number>();
  for (const at of cappedAtMs) {
    const index = intervals.findIndex((interval) => at >= interval.from && at < interval.to);
    if (index < 0) continue;
    near.add(index);
    if (index > 0) near.add(index - 1);
  }
  const nearRest = [...near].map((index) => intervals[index].rest);
  const nearOurs = [...near].map((index) => intervals[index].ours);
  return {
    restMaxCores: intervals.length === 0 ? null : round(Math.max(...intervals.map((interval) => interval.rest))),
    cappedSeconds: new Set(cappedAtMs.map((at) => Math.floor(at / 1000))).size,
    restCoresNearCaps: nearRest.length === 0 ? null : round(Math.max(...nearRest)),
    oursMaxCores: intervals.length === 0 ? null : round(Math.max(...intervals.map((interval) => interval.ours))),
    oursCoresNearCaps: nearOurs.length === 0 ? null : round(Math.max(...nearOurs)),
  };
}

// ---- --find-max --------------------------------------------------------------------------------

export interface RateOutcome {
  rate: number;
  clean: boolean;
}

/**
 * The next rate to hold, or null when the search is done: double while every rate held is clean;
 * halve while none is; then bisect between the highest clean rate and the lowest failed rate above it
 * until they are within `resolution` (a fraction of the clean rate, at least 1 request/s).
 */
export function nextRate(outcomes: readonly RateOutcome[], start: number, resolution: number = sustainDefaults.resolution): number | null {
  if (outcomes.length === 0) return start;
  const highestClean = Math.max(0, ...outcomes.filter((outcome) => outcome.clean).map((outcome) => outcome.rate));
  const failedAbove = outcomes.filter((outcome) => !outcome.clean && outcome.rate > highestClean).map((outcome) => outcome.rate);
  const lowestFailed = failedAbove.length === 0 ? Infinity : Math.min(...failedAbove);
  if (lowestFailed === Infinity) return highestClean * 2;
  if (highestClean === 0) {
    const lower = Math.floor(lowestFailed / 2);
    return lower >= 1 ? lower : null;
  }
  if (lowestFailed - highestClean <= Math.max(1, highestClean * resolution)) return null;
  return Math.round((highestClean + lowestFailed) / 2);
}

/** One hold of the search, as --find-max reports it. */
export interface FindMaxStep {
  rate: number;
  attempt: number;
  summary: SustainSummary;
  cpu: CpuRow[];
  /** Accepted messages not yet written when the last request had answered (the first run report read then). */
  backlogAtLoadEnd: number | null;
  contention: ContentionFigures;
  /** Only when messages were lost: what became of them in the minute after the deadline. */
  late?: LateMessages;
}

export interface LateMessages {
  /** Load end → last item written, when they all turned up within the watch; null when not. */
  drainAfterLoadMs: number | null;
  watchedSeconds: number;
  /** Accepted − written when the watch ended. */
  missingAfterWatch: number;
  /** The runtime's queue at the deadline (its status line of that second). */
  queueAtDeadline: { visible: number; inFlight: number } | null;
}

/** `all written 7.2 s after the load (queue at the deadline: 0 visible, 1 in flight)` */
export function describeLate(late: LateMessages): string {
  const queue = late.queueAtDeadline === null ? '' : ` (queue at the deadline: ${late.queueAtDeadline.visible} visible, ${late.queueAtDeadline.inFlight} in flight)`;
  return late.drainAfterLoadMs === null
    ? `${late.missingAfterWatch} still not written ${late.watchedSeconds} s after the deadline${queue}`
    : `all written ${(late.drainAfterLoadMs / 1000).toFixed(1)} s after the load${queue}`;
}

/** The highest rate that had a clean hold, with that hold; null when none was clean. */
export function highestClean(steps: readonly FindMaxStep[]): FindMaxStep | null {
  let best: FindMaxStep | null = null;
  for (const step of steps) if (step.summary.clean && (best === null || step.rate > best.rate)) best = step;
  return best;
}

/** A rate's outcome over its attempts: clean when one of them was. */
export function rateOutcomes(steps: readonly FindMaxStep[]): RateOutcome[] {
  const byRate = new Map<number, boolean>();
  for (const step of steps) byRate.set(step.rate, (byRate.get(step.rate) ?? false) || step.summary.clean);
  return [...byRate].map(([rate, clean]) => ({ rate, clean }));
}

const ms = (value: number | null) => (value === null ? '-' : String(Math.round(value)));
const cores = (value: number | null) => (value === null ? '-' : value.toFixed(2));

function coresOf(step: FindMaxStep, prefix: string): string {
  const row = step.cpu.find((candidate) => candidate.part.startsWith(prefix));
  return row === undefined ? '-' : row.cores.toFixed(2);
}

/** The steps as a Markdown table, in the order they ran. */
export function formatStepsMarkdown(steps: readonly FindMaxStep[]): string {
  const header = [
    '| # | requests/s | messages/s | attempt | achieved req/s | errors | seconds with cap errors | accepted | lost | backlog at load end | drain after load | HTTP p50 / p99 ms | enqueue→write p50 / p99 ms | cores, mean: ours / rest of machine | cores, busiest second: ours / rest of machine | cores near cap errors: ours / rest of machine | outcome |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const rows = steps.map((step, index) => {
    const s = step.summary;
    const backlog = step.backlogAtLoadEnd ?? (s.messages.writtenAtLoadEnd === null ? null : s.messages.accepted - s.messages.writtenAtLoadEnd);
    return `| ${index + 1} | ${step.rate} | ${s.rateAsked.messagesPerSecond} | ${step.attempt} | ${s.rateAchieved.requestsPerSecond} | ${describeErrors(s.errors)} | ${step.contention.cappedSeconds} | ${s.messages.accepted} | ${s.messages.lost}${step.late === undefined ? '' : ` (${describeLate(step.late)})`} | ${backlog ?? '-'} | ${s.drainAfterLoadMs === null ? 'timed out' : `${(s.drainAfterLoadMs / 1000).toFixed(1)} s`} | ${ms(s.httpLatencyMs.p50)} / ${ms(s.httpLatencyMs.p99)} | ${ms(s.writeLatencyMs.p50)} / ${ms(s.writeLatencyMs.p99)} | ${coresOf(step, 'all of the above')} / ${coresOf(step, 'rest of the machine')} | ${cores(step.contention.oursMaxCores)} / ${cores(step.contention.restMaxCores)} | ${cores(step.contention.oursCoresNearCaps)} / ${cores(step.contention.restCoresNearCaps)} | ${s.clean ? 'clean' : 'failed'} |`;
  });
  return [...header, ...rows].join('\n');
}

/** A CPU breakdown as a Markdown table; the runtime's threads are shown as shares of the runtime. */
export function formatCpuMarkdown(rows: readonly CpuRow[]): string {
  const number = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));
  return [
    '| part | CPU s | cores | CPU s per 1,000 messages |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.detail ? `↳ ${row.part}` : `**${row.part}**`} | ${number(row.cpuSeconds, 2)} | ${number(row.cores, 2)} | ${number(row.perThousandMessages, 3)} |`,
    ),
  ].join('\n');
}
