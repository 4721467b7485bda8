import {
  countOutcome,
  drainPollIntervalMs,
  isDrainComplete,
  isRetryable,
  makeRunId,
  messagesUrl,
  parseJsonBody,
  parseRetryAfter,
  parseRunReport,
  planRequests,
  postHeaders,
  requestBody,
  requestHeaders,
  retryDelayMs,
  runReportUrl,
  summarizeBurst,
  type BurstSettings,
  type BurstSummary,
  type PlannedRequest,
  type RunReport,
} from '../shared/burst-plan.js';

export interface BurstProgress {
  phase: 'posting' | 'draining';
  /** Messages answered so far (posting) or written so far (draining). */
  done: number;
  /** Messages to post (posting) or accepted (draining). */
  total: number;
  elapsedMs: number;
}

/** What the burst talks to and how it keeps time: the real ones in main.ts, others in tests. */
export interface BurstPorts {
  fetch: typeof fetch;
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  onProgress?(progress: BurstProgress): void;
}

/** One kind of failure and how many requests met it, with what to do about it when we know. */
export interface BurstProblem {
  what: string;
  requests: number;
  hint?: string;
}

export interface BurstResult {
  summary: BurstSummary;
  problems: BurstProblem[];
  /** Requests sent again, by what the try before answered (`429`, `503`, `no answer`). */
  retries: Record<string, number>;
}

function hintFor(status: number, apiUrl: string): string | undefined {
  if (status === 0) return `Is the API running at ${apiUrl}? Locally, start it with npm start.`;
  if (status === 401 || status === 403) return 'The API wants a key: pass --api-key (the stage\'s key, see docs/deploy.md).';
  if (status === 429) return 'The API throttled the burst past every retry: lower --concurrency, raise --attempts, or raise the usage plan.';
  if (status === 503) return 'SQS did not take the messages, retries included; try again, and see the API\'s log.';
  return undefined;
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** Counts failures by what they were, so that 100 identical 403s print as one line. */
class ProblemLog {
  private readonly problems = new Map<string, BurstProblem>();

  add(what: string, hint: string | undefined): void {
    const known = this.problems.get(what);
    if (known) known.requests++;
    else this.problems.set(what, { what, requests: 1, ...(hint === undefined ? {} : { hint }) });
  }

  list(): BurstProblem[] {
    return [...this.problems.values()];
  }
}

/**
 * Posts a burst of `settings.messages` messages tagged with a fresh run id, `settings.concurrency`
 * requests at a time (each retried after Retry-After while it is throttled or unanswered), then polls the run report until every accepted message is written or the drain
 * timeout passes. Never throws for what the API answers: failures are counted and listed.
 */
export async function runBurst(settings: BurstSettings, ports: BurstPorts): Promise<BurstResult> {
  const runId = makeRunId(ports.now(), ports.random, 'burst');
  const plan = planRequests(settings.messages, settings.batch);
  const headers = requestHeaders(settings.apiKey);
  const problems = new ProblemLog();
  const startedAt = ports.now();
  let accepted = 0;
  let rejected = 0;
  let answered = 0;

  const retries: Record<string, number> = {};

  /** One try of a request: its status (0 without an answer), body and Retry-After. */
  async function postOnce(request: PlannedRequest): Promise<{ status: number; text: string | null; retryAfter: string | null }> {
    try {
      const response = await ports.fetch(messagesUrl(settings.apiUrl), {
        method: 'POST',
        headers: postHeaders(settings.apiKey, runId, request, settings.batch),
        body: JSON.stringify(requestBody(runId, request, settings.batch)),
        signal: AbortSignal.timeout(settings.requestTimeoutSeconds * 1000),
      });
      return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const what = timedOut ? `no answer within ${settings.requestTimeoutSeconds} s` : describeFetchError(error);
      return { status: 0, text: what, retryAfter: null };
    }
  }

  /**
   * Sends a request until it is answered with something no retry changes, or its tries run out. Every
   * try carries the same idempotency keys, so a try that timed out after SQS took its messages and
   * the try after it still make one item per message.
   */
  async function post(request: PlannedRequest): Promise<void> {
    let answer = await postOnce(request);
    for (let attempt = 1; attempt < settings.attempts && isRetryable(answer.status); attempt++) {
      const reason = answer.status === 0 ? 'no answer' : String(answer.status);
      retries[reason] = (retries[reason] ?? 0) + 1;
      await ports.sleep(retryDelayMs(attempt, parseRetryAfter(answer.retryAfter, ports.now()), ports.random));
      answer = await postOnce(request);
    }
    const { status, text } = answer;
    if (status === 0) problems.add(`POST /messages failed: ${text}`, hintFor(0, settings.apiUrl));
    const outcome = countOutcome(status, parseJsonBody(text), request.count);
    if (status !== 0 && outcome.rejected > 0) {
      problems.add(`POST /messages answered ${status} ${(text ?? '').slice(0, 200)}`.trim(), hintFor(status, settings.apiUrl));
    }
    accepted += outcome.accepted;
    rejected += outcome.rejected;
    answered += request.count;
    ports.onProgress?.({ phase: 'posting', done: answered, total: settings.messages, elapsedMs: ports.now() - startedAt });
  }

  let next = 0;
  async function postUntilDone(): Promise<void> {
    while (next < plan.length) await post(plan[next++]);
  }
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, plan.length) }, postUntilDone));

  async function readReport(): Promise<RunReport | null> {
    try {
      const response = await ports.fetch(runReportUrl(settings.apiUrl, runId), { headers });
      const text = await response.text();
      const report = response.status === 200 ? parseRunReport(parseJsonBody(text)) : null;
      if (report === null) problems.add(`GET /runs/${runId} answered ${response.status} ${text.slice(0, 200)}`.trim(), hintFor(response.status, settings.apiUrl));
      return report;
    } catch (error) {
      problems.add(`GET /runs/${runId} failed: ${describeFetchError(error)}`, hintFor(0, settings.apiUrl));
      return null;
    }
  }

  // Nothing accepted, nothing to wait for.
  let report: RunReport | null = null;
  if (accepted > 0) {
    const drainStartedAt = ports.now();
    const deadline = drainStartedAt + settings.drainTimeoutSeconds * 1000;
    for (;;) {
      // A failed poll keeps the last report read: the count only grows.
      report = (await readReport()) ?? report;
      const written = report?.written ?? 0;
      ports.onProgress?.({ phase: 'draining', done: written, total: accepted, elapsedMs: ports.now() - drainStartedAt });
      if (isDrainComplete(written, accepted) || ports.now() >= deadline) break;
      await ports.sleep(Math.min(drainPollIntervalMs, Math.max(0, deadline - ports.now())));
    }
  }

  return {
    summary: summarizeBurst({ runId, messages: settings.messages, accepted, rejected, report }),
    problems: problems.list(),
    retries,
  };
}
