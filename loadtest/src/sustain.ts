import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { runningRuntimes, startRuntime, waitFor } from '@fanout/runtime-process';
import {
  drainPollIntervalMs,
  makeRunId,
  messagesUrl,
  parseJsonBody,
  parseRunReport,
  requestBody,
  requestHeaders,
  runReportUrl,
  type RunReport,
} from '../shared/burst-plan.js';
import {
  SustainTally,
  SustainUsageError,
  contentionFigures,
  cpuBreakdown,
  describeErrors,
  describeLate,
  emptyThreadTicks,
  dueCount,
  emulatorOf,
  formatCpuMarkdown,
  formatStepsMarkdown,
  formatSustainTable,
  highestClean,
  nextRate,
  parseMachineBusyTicks,
  parseSustainOptions,
  parseProcessStat,
  plannedRequestCount,
  plannedStartMs,
  rateOutcomes,
  summarizeSustain,
  sustainUsage,
  type CpuSnapshot,
  type FindMaxStep,
  type MachineSample,
  type RuntimeThreadPart,
  type SustainOptions,
  type SustainSummary,
} from './sustain-plan.js';

// ---- HTTP ----------------------------------------------------------------------------------------

interface Answer {
  status: number;
  text: string;
}

/**
 * A keep-alive HTTP client: node:http costs the load generator less CPU per request than fetch, and
 * the generator shares this machine's cores with what it measures.
 */
function httpClient(maxSockets: number, timeoutMs: number) {
  // An idle socket is closed after 2 s, before the server's keep-alive timeout (5 s in Node) can close
  // it under a request that is just being sent (an ECONNRESET that would count against the API).
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 2_000 });
  const send = (url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Answer> =>
    new Promise((done, fail) => {
      const target = new URL(url);
      const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = requestFn(
        target,
        {
          method,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          ...(target.protocol === 'https:' ? {} : { agent }),
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => done({ status: response.statusCode ?? 0, text }));
          response.on('error', fail);
        },
      );
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** Counts failures by what they were, so that 1,000 identical 503s print as one line. */
class ProblemLog {
  private readonly counts = new Map<string, number>();
  add(what: string): void {
    // A bounded list: past 20 kinds, the rest are only counted.
    const key = this.counts.has(what) || this.counts.size < 20 ? what : 'other failures';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  lines(): string[] {
    return [...this.counts].map(([what, count]) => `${count} × ${what}`);
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: string }).code;
  return code ? `${code}: ${error.message}` : error.message;
}

// ---- One hold ------------------------------------------------------------------------------------

interface HoldHooks {
  /** Called as the first request is due, with the performance.now() the schedule counts from. */
  onLoadStart?(t0: number): void;
  /** Called once the last request has answered, before the drain wait. */
  onLoadEnd?(): void;
  /**
   * When messages are still unwritten at the drain deadline: called then, and the run report is
   * watched this many seconds longer to tell late messages from missing ones (the verdict stands).
   */
  lateWatch?: { seconds: number; onDeadline(): void };
  log(line: string): void;
}

interface HoldResult {
  summary: SustainSummary;
  problems: string[];
  /** When each request over the cap was due, ms after the hold started. */
  cappedAtMs: number[];
  /** With `lateWatch` and lost messages: when the last one was written after all, null if not within the watch. */
  lateDrainAfterLoadMs?: number | null;
  /** With `lateWatch` and lost messages: accepted − written when the watch ended. */
  missingAfterWatch?: number;
}

/**
 * Holds `options.rate` requests per second for `options.durationSeconds` against `apiUrl`, then waits
 * for every accepted message to be written. Each request starts at its planned time, however many
 * earlier ones are still open (up to `options.maxInFlight`): a slow API cannot slow the load down.
 */
async function holdRate(options: SustainOptions, apiUrl: string, hooks: HoldHooks): Promise<HoldResult> {
  const runId = makeRunId(Date.now(), Math.random, 'sustain');
  const client = httpClient(options.maxInFlight + 4, options.requestTimeoutSeconds * 1000);
  const headers = requestHeaders(options.apiKey);
  const problems = new ProblemLog();
  const tally = new SustainTally();
  const total = plannedRequestCount(options.rate, options.durationSeconds);
  const postUrl = messagesUrl(apiUrl);
  const cpuAtStart = process.cpuUsage();
  let inFlight = 0;
  const open = new Set<Promise<void>>();

  const post = async (index: number, plannedMs: number, t0: number) => {
    const body = JSON.stringify(requestBody(runId, { index, first: index * options.batch, count: options.batch }, options.batch));
    const startedAt = performance.now();
    tally.started(startedAt - t0, plannedMs, options.batch);
    try {
      const answer = await client.send(postUrl, 'POST', headers, body);
      tally.answer(answer.status, parseJsonBody(answer.text), options.batch, performance.now() - startedAt);
      if (answer.status < 200 || answer.status > 299) problems.add(`POST /messages answered ${answer.status} ${answer.text.slice(0, 160)}`.trim());
      else if (answer.status === 207) problems.add('POST /messages answered 207: some messages were not enqueued');
    } catch (error) {
      tally.networkError(performance.now() - startedAt);
      problems.add(`POST /messages failed: ${describeError(error)}`);
    }
  };

  hooks.log(`hold: ${options.rate} requests/s × ${options.batch} for ${options.durationSeconds} s (${total} requests), run ${runId}`);
  const t0 = performance.now();
  hooks.onLoadStart?.(t0);
  let next = 0;
  while (next < total) {
    const due = dueCount(performance.now() - t0, options.rate, total);
    for (; next < due; next++) {
      if (inFlight >= options.maxInFlight) {
        tally.capped(plannedStartMs(next, options.rate));
        continue;
      }
      inFlight++;
      const request = post(next, plannedStartMs(next, options.rate), t0).finally(() => {
        inFlight--;
        open.delete(request);
      });
      open.add(request);
    }
    if (next < total) await sleep(Math.max(0, plannedStartMs(next, options.rate) - (performance.now() - t0)));
  }
  // Bounded: every request ends within --request-timeout.
  await Promise.all([...open]);
  const loadEndedAt = performance.now();
  const loadEndedAtEpochMs = Date.now();
  hooks.onLoadEnd?.();

  const readReport = async (): Promise<RunReport | null> => {
    try {
      const answer = await client.send(runReportUrl(apiUrl, runId), 'GET', headers);
      const report = answer.status === 200 ? parseRunReport(parseJsonBody(answer.text)) : null;
      if (report === null) problems.add(`GET /runs/${runId} answered ${answer.status} ${answer.text.slice(0, 160)}`.trim());
      return report;
    } catch (error) {
      problems.add(`GET /runs/${runId} failed: ${describeError(error)}`);
      return null;
    }
  };

  // Read once as the load ends (how far behind the pipeline was), then every second until every
  // accepted message is written; no read starts after the deadline.
  let reportAtLoadEnd: RunReport | null = null;
  let finalReport: RunReport | null = null;
  let drainAfterLoadMs: number | null = null;
  if (tally.acceptedMessages > 0) {
    const deadline = loadEndedAt + options.drainTimeoutSeconds * 1000;
    reportAtLoadEnd = await readReport();
    finalReport = reportAtLoadEnd;
    for (;;) {
      if (finalReport !== null && finalReport.written >= tally.acceptedMessages) {
        // The pipeline's own clock says when the last item was written.
        drainAfterLoadMs = Math.max(0, (finalReport.lastWrittenAt ?? loadEndedAtEpochMs) - loadEndedAtEpochMs);
        break;
      }
      if (performance.now() >= deadline) break;
      await sleep(Math.min(drainPollIntervalMs, Math.max(0, deadline - performance.now())));
      // A failed poll keeps the last report read: the count only grows.
      finalReport = (await readReport()) ?? finalReport;
    }
  }
  let lateDrainAfterLoadMs: number | null | undefined;
  let missingAfterWatch: number | undefined;
  if (hooks.lateWatch && finalReport !== null && drainAfterLoadMs === null) {
    hooks.lateWatch.onDeadline();
    lateDrainAfterLoadMs = null;
    missingAfterWatch = tally.acceptedMessages - finalReport.written;
    const watchEnd = performance.now() + hooks.lateWatch.seconds * 1000;
    while (performance.now() < watchEnd) {
      await sleep(2_000);
      const report = await readReport();
      if (report !== null) missingAfterWatch = Math.max(0, tally.acceptedMessages - report.written);
      if (report !== null && report.written >= tally.acceptedMessages) {
        lateDrainAfterLoadMs = Math.max(0, (report.lastWrittenAt ?? loadEndedAtEpochMs) - loadEndedAtEpochMs);
        break;
      }
    }
  }
  client.close();
  const cpu = process.cpuUsage(cpuAtStart);

  const summary = summarizeSustain({
    runId,
    batch: options.batch,
    rate: options.rate,
    durationSeconds: options.durationSeconds,
    tally,
    reportAtLoadEnd,
    finalReport,
    drainAfterLoadMs,
    drainTimeoutSeconds: options.drainTimeoutSeconds,
    loadGeneratorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  });
  return {
    summary,
    problems: problems.lines(),
    cappedAtMs: tally.cappedAtMs,
    ...(lateDrainAfterLoadMs === undefined ? {} : { lateDrainAfterLoadMs, missingAfterWatch }),
  };
}

// ---- The local runtime as a child process (--find-max) ----------------------------------------

const runtimeMain = resolve(__dirname, '..', 'apps', 'local-runtime', 'main.js');
const ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).

interface RuntimeStatus {
  visible: number;
  inFlight: number;
  written: number;
}

interface LocalRuntime {
  apiUrl: string;
  pid: number;
  /** Latest status line (one a second). */
  status(): RuntimeStatus | undefined;
  /** Resolves at the next schedule tick. */
  nextTick(): Promise<void>;
  failures(): string[];
  stop(): Promise<void>;
}

/** Starts the built local runtime on free ports, ticking every second, and waits for its `started` line. */
async function startLocalRuntime(log: (line: string) => void): Promise<LocalRuntime> {
  let latest: RuntimeStatus | undefined;
  let tickWaiters: (() => void)[] = [];
  const failures: string[] = [];
  const runtime = await startRuntime({ runtimeMain }, ['--rate', '1s'], {
    startTimeoutMs: 60_000,
    onLine: (record) => {
      const event = record['event'];
      if (event === 'status') {
        latest = { visible: Number(record['visible']), inFlight: Number(record['inFlight']), written: Number(record['written']) };
      } else if (event === 'tick') {
        const waiters = tickWaiters;
        tickWaiters = [];
        for (const waiter of waiters) waiter();
      } else if (event === 'invoke-failed' || event === 'tick-failed' || event === 'bridge-error') {
        if (failures.length < 20) failures.push(`${String(event)}: ${String(record['error'])}`);
      }
    },
  });
  return {
    apiUrl: runtime.started.apiUrl,
    pid: runtime.child.pid as number,
    status: () => latest,
    nextTick: () => new Promise<void>((done) => tickWaiters.push(done)),
    failures: () => [...failures],
    stop: () => runtime.stop(20_000).then(
      () => undefined,
      (error: Error) => log(`  ${error.message}`),
    ),
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process or thread ended between listing and reading
  }
}

/** CPU ticks of each live thread of a process. */
function threadTicks(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return ticks;
  }
  for (const tid of tids) {
    const stat = readText(`/proc/${pid}/task/${tid}/stat`);
    if (stat !== undefined) ticks.set(Number(tid), parseProcessStat(stat).cpuTicks);
  }
  return ticks;
}

/** Names the runtime's threads as they appear: what started them is known from when they started. */
class ThreadParts {
  private readonly parts = new Map<number, RuntimeThreadPart>();

  constructor(private readonly pid: number) {}

  /** Every thread not named yet gets `part`. */
  nameNew(part: RuntimeThreadPart): number {
    let named = 0;
    for (const tid of threadTicks(this.pid).keys()) {
      if (this.parts.has(tid)) continue;
      this.parts.set(tid, tid === this.pid ? 'main thread (HTTP server, invocations, SNS bridge)' : part);
      named++;
    }
    return named;
  }

  ticks(): Record<RuntimeThreadPart, number> {
    const byPart = emptyThreadTicks();
    for (const [tid, ticks] of threadTicks(this.pid)) byPart[this.parts.get(tid) ?? 'threads started during the hold'] += ticks;
    return byPart;
  }
}

/** CPU ticks of the runtime (by thread part), its children by emulator, this process and the machine. */
function cpuSnapshot(runtimePid: number, threads: ThreadParts): CpuSnapshot | null {
  const runtimeStat = readText(`/proc/${runtimePid}/stat`);
  if (runtimeStat === undefined) return null;
  const snapshot: CpuSnapshot = {
    atMs: performance.now(),
    runtimeTicks: parseProcessStat(runtimeStat).cpuTicks,
    runtimeThreadTicks: threads.ticks(),
    emulatorTicks: { fauxqs: 0, dynalite: 0 },
    otherChildTicks: 0,
    loadGeneratorMicros: 0,
    machineBusyTicks: parseMachineBusyTicks(readFileSync('/proc/stat', 'utf8')),
  };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (stat === undefined) continue;
    const times = parseProcessStat(stat);
    if (times.ppid !== runtimePid) continue;
    const emulator = emulatorOf((readText(`/proc/${entry}/cmdline`) ?? '').replace(/\0/g, ' '));
    if (emulator) snapshot.emulatorTicks[emulator] += times.cpuTicks;
    else snapshot.otherChildTicks += times.cpuTicks;
  }
  const usage = process.cpuUsage();
  snapshot.loadGeneratorMicros = usage.user + usage.system;
  return snapshot;
}

/** Ticks of the runtime, its children and this process together. */
function oursTicks(snapshot: CpuSnapshot): number {
  const children = snapshot.emulatorTicks.fauxqs + snapshot.emulatorTicks.dynalite + snapshot.otherChildTicks;
  return snapshot.runtimeTicks + children + (snapshot.loadGeneratorMicros / 1e6) * ticksPerSecond;
}

/**
 * Warms every execution environment before the hold and learns which thread is which: threads
 * present after the first tick are the helpers and test-cron's environment; the threads that appear
 * while the first 8 requests are answered are test-api's (no message is in the queue before they
 * run, so no worker can start yet); those that appear while 80 more messages drain are
 * test-sqs2ddb's; the one that appears for the first GET /runs is run-status-api's.
 */
async function warmUp(runtime: LocalRuntime, log: (line: string) => void): Promise<ThreadParts> {
  const threads = new ThreadParts(runtime.pid);
  const client = httpClient(8, 30_000);
  const runId = makeRunId(Date.now(), Math.random, 'warmup');
  const headers = requestHeaders(undefined);
  const post = (first: number, count: number) =>
    client.send(messagesUrl(runtime.apiUrl), 'POST', headers, JSON.stringify(requestBody(runId, { index: 0, first, count }, count)));
  try {
    await Promise.race([runtime.nextTick(), sleep(5_000)]);
    const helpers = threads.nameNew('V8 and libuv helper threads, test-cron');
    await Promise.all(Array.from({ length: 8 }, (_, i) => post(i, 1)));
    const api = threads.nameNew('test-api environments');
    const writtenBefore = runtime.status()?.written ?? 0;
    await Promise.all(Array.from({ length: 8 }, (_, i) => post(8 + i * 10, 10)));
    const drained = await waitFor(
      async () => {
        const status = runtime.status();
        return status !== undefined && status.written >= writtenBefore + 88 && status.visible === 0 && status.inFlight === 0 ? true : undefined;
      },
      30_000,
      'the 88 warm-up messages to be written',
    ).catch(() => false);
    if (!drained) log('warm-up: the 88 warm-up messages were not all written within 30 s; holding anyway');
    const workers = threads.nameNew('test-sqs2ddb environments');
    await client.send(runReportUrl(runtime.apiUrl, runId), 'GET', headers);
    const runStatus = threads.nameNew('run-status-api environments');
    log(`warm-up: threads ${helpers} main + helpers + test-cron, ${api} test-api, ${workers} test-sqs2ddb, ${runStatus} run-status-api`);
    return threads;
  } finally {
    client.close();
  }
}

/** Cores the whole machine keeps busy over `ms`. */
async function machineCores(ms: number): Promise<number> {
  const before = parseMachineBusyTicks(readFileSync('/proc/stat', 'utf8'));
  const startedAt = performance.now();
  await sleep(ms);
  const after = parseMachineBusyTicks(readFileSync('/proc/stat', 'utf8'));
  return (after - before) / ticksPerSecond / ((performance.now() - startedAt) / 1000);
}

/**
 * Other sessions run their tests on this machine too: before a hold, wait (at most `maxWaitMs`) for
 * a 3 s stretch in which they keep less than `quietCores` busy. The hold's own table says what the
 * rest of the machine used while it ran.
 */
async function waitForQuietMachine(log: (line: string) => void, quietCores = 0.5, maxWaitMs = 120_000): Promise<void> {
  const deadline = performance.now() + maxWaitMs;
  let cores = await machineCores(3_000);
  if (cores < quietCores) return;
  log(`  the machine is busy (${cores.toFixed(2)} cores in use by other processes): waiting up to ${maxWaitMs / 1000} s for it to quiet down`);
  while (cores >= quietCores && performance.now() < deadline) cores = await machineCores(3_000);
  if (cores >= quietCores) log(`  still busy (${cores.toFixed(2)} cores): holding anyway`);
}

/** One step of the search: a fresh runtime, a warm-up, one hold, the CPU of every part. */
async function findMaxStep(options: SustainOptions, rate: number, attempt: number, log: (line: string) => void): Promise<FindMaxStep> {
  await waitForQuietMachine(log);
  const runtime = await startLocalRuntime(log);
  try {
    const threads = await warmUp(runtime, log);
    // The CPU window is the load itself, first request to last answer: the drain that follows and the
    // run report reads (work of their own on a big run) stay out of it. What was still queued at the
    // end (the backlog column) is the share of the messages whose drain falls outside.
    let before: CpuSnapshot | undefined;
    let after: CpuSnapshot | undefined;
    // Once a second during the load: who kept the cores busy, to tell a failure of ours from a
    // neighbour's burst that a mean over the whole hold would hide.
    const samples: MachineSample[] = [];
    let holdStart = 0;
    let sampler: NodeJS.Timeout | undefined;
    const sample = () => {
      const snapshot = cpuSnapshot(runtime.pid, threads);
      if (snapshot === null) return clearInterval(sampler); // the runtime is gone (Ctrl-C)
      samples.push({ atMs: snapshot.atMs - holdStart, machineBusyTicks: snapshot.machineBusyTicks, oursTicks: oursTicks(snapshot) });
      return snapshot;
    };
    let queueAtDeadline: { visible: number; inFlight: number } | null = null;
    const { summary, problems, cappedAtMs, lateDrainAfterLoadMs, missingAfterWatch } = await holdRate({ ...options, rate }, runtime.apiUrl, {
      log,
      // Where are the messages the deadline missed: still queued, held by a worker, or nowhere?
      lateWatch: {
        seconds: 60,
        onDeadline: () => {
          const status = runtime.status();
          queueAtDeadline = status === undefined ? null : { visible: status.visible, inFlight: status.inFlight };
        },
      },
      onLoadStart: (t0) => {
        holdStart = t0;
        before = sample() ?? undefined;
        sampler = setInterval(sample, 1_000);
      },
      onLoadEnd: () => {
        clearInterval(sampler);
        after = sample() ?? undefined;
      },
    });
    for (const line of [...problems, ...runtime.failures()]) log(`  ${line}`);
    if (before === undefined || after === undefined) throw new Error('The local runtime ended during the hold.');
    const { messages } = summary;
    return {
      rate,
      attempt,
      summary,
      cpu: cpuBreakdown(before, after, messages.accepted, ticksPerSecond),
      backlogAtLoadEnd: messages.writtenAtLoadEnd === null ? null : Math.max(0, messages.accepted - messages.writtenAtLoadEnd),
      contention: contentionFigures(samples, cappedAtMs, ticksPerSecond),
      ...(lateDrainAfterLoadMs === undefined ? {} : { late: { drainAfterLoadMs: lateDrainAfterLoadMs, watchedSeconds: 60, missingAfterWatch: missingAfterWatch ?? 0, queueAtDeadline } }),
    };
  } finally {
    await runtime.stop();
  }
}

function stepLine(step: FindMaxStep): string {
  const s = step.summary;
  const cores = (prefix: string) => step.cpu.find((row) => row.part.startsWith(prefix))?.cores ?? '-';
  const c = step.contention;
  const contention = `; rest of machine max ${c.restMaxCores ?? '-'} cores in 1 s${c.cappedSeconds > 0 ? `, cap errors in ${c.cappedSeconds} s, near them ours ≤ ${c.oursCoresNearCaps ?? '-'} and the rest of the machine ≤ ${c.restCoresNearCaps ?? '-'} cores` : ''}`;
  const late = step.late === undefined ? '' : `; ${describeLate(step.late)}`;
  return `  → ${s.clean ? 'clean' : 'FAILED'}: achieved ${s.rateAchieved.requestsPerSecond} req/s, errors ${describeErrors(s.errors)}, accepted ${s.messages.accepted}, lost ${s.messages.lost}, backlog at load end ${step.backlogAtLoadEnd ?? '-'}, http p99 ${s.httpLatencyMs.p99} ms, write p99 ${s.writeLatencyMs.p99} ms; cores: runtime ${cores('runtime')}, fauxqs ${cores('fauxqs')}, dynalite ${cores('dynalite')}, generator ${cores('load generator')}, rest of machine ${cores('rest of the machine')}${contention}${late}`;
}

async function findMax(options: SustainOptions): Promise<number> {
  if (!existsSync(runtimeMain)) {
    process.stderr.write(`${runtimeMain} is missing: build the local runtime first (npx nx build local-runtime).\n`);
    return 1;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the local runtime…`);
    for (const child of runningRuntimes()) child.kill('SIGTERM');
    // The runtime lets running invocations finish; this process waits for it, bounded.
    const deadline = Date.now() + 15_000;
    const wait = setInterval(() => {
      if (runningRuntimes().length === 0 || Date.now() > deadline) {
        clearInterval(wait);
        for (const child of runningRuntimes()) child.kill('SIGKILL');
        process.exit(130);
      }
    }, 100);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const steps: FindMaxStep[] = [];
  const startedAt = Date.now();
  while (steps.length < options.maxSteps) {
    const rate = nextRate(rateOutcomes(steps), options.startRate);
    if (rate === null) break;
    for (let attempt = 1; attempt <= 1 + options.retries && steps.length < options.maxSteps; attempt++) {
      log(`step ${steps.length + 1}: ${rate} requests/s (${rate * options.batch} messages/s)${attempt > 1 ? `, attempt ${attempt}` : ''}`);
      const step = await findMaxStep(options, rate, attempt, log);
      steps.push(step);
      log(stepLine(step));
      if (step.summary.clean) break;
    }
  }
  const best = highestClean(steps);
  const elapsedMinutes = Math.round((Date.now() - startedAt) / 60_000);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({
        batch: options.batch,
        durationSeconds: options.durationSeconds,
        drainTimeoutSeconds: options.drainTimeoutSeconds,
        highest: best === null ? null : { requestsPerSecond: best.rate, messagesPerSecond: best.rate * options.batch, step: steps.indexOf(best) + 1 },
        steps,
        elapsedMinutes,
      })}\n`,
    );
  } else {
    const lines = [
      `## --batch ${options.batch}, ${options.durationSeconds} s holds (${elapsedMinutes} min)`,
      '',
      formatStepsMarkdown(steps),
      '',
      best === null
        ? 'No rate was clean.'
        : `Highest clean rate: ${best.rate} requests/s = ${best.rate * options.batch} messages/s (step ${steps.indexOf(best) + 1}).`,
    ];
    if (best !== null) lines.push('', `CPU during the hold (first request to last answer), step ${steps.indexOf(best) + 1}:`, '', formatCpuMarkdown(best.cpu));
    const lowestFailed = steps.filter((step) => !step.summary.clean && (best === null || step.rate > best.rate)).sort((a, b) => a.rate - b.rate)[0];
    if (lowestFailed !== undefined) lines.push('', `CPU at the lowest failed rate, step ${steps.indexOf(lowestFailed) + 1} (${lowestFailed.rate} requests/s):`, '', formatCpuMarkdown(lowestFailed.cpu));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return best === null ? 1 : 0;
}

// ---- main ----------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseSustainOptions(argv);
  } catch (error) {
    if (!(error instanceof SustainUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${sustainUsage}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${sustainUsage}\n`);
    return 0;
  }
  if (options.findMax) return findMax(options);

  const { summary, problems } = await holdRate(options, options.apiUrl, {
    log: (line) => {
      if (!options.json) process.stderr.write(`${line}\n`);
    },
  });
  process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${formatSustainTable(summary)}\n`);
  for (const line of problems) process.stderr.write(`${line}\n`);
  if (summary.errors.network > 0 && summary.requests.answered === summary.errors.network) {
    process.stderr.write(`No request got an answer: is the API running at ${options.apiUrl}? Locally, start it with npm start.\n`);
  }
  if (summary.errors.cap > 0) {
    process.stderr.write(`${summary.errors.cap} requests were not sent: ${options.maxInFlight} were already open. The API did not keep up with ${options.rate} requests/s.\n`);
  }
  return summary.clean ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sustain failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
