import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiRequest } from '../api-server.js';
import type { PipelineEvent } from '../pipeline-events.js';
import type { PipelineStatus } from '../pipeline-status.js';
import type { RunReport } from '@fanout/run-status';
import { dashboardTokenFor } from '../gateway/access.js';
import { EventStream, type EventStreamResponse, type ServerSentEvent } from './event-stream.js';
import { RecentRuns, runIdsInBody } from './recent-runs.js';

export const dashboardPaths = {
  page: '/_local/dashboard',
  script: '/_local/dashboard/dashboard.js',
  styles: '/_local/dashboard/dashboard.css',
  events: '/_local/events',
} as const;

/**
 * Where a browser opens the dashboard. With an API key the URL carries a token derived from it: the
 * runtime answers it with a cookie that opens the page, its files and its event stream.
 */
export function dashboardUrl(apiUrl: string, apiKey?: string): string {
  const page = `${apiUrl}${dashboardPaths.page}`;
  return apiKey === undefined ? page : `${page}?token=${dashboardTokenFor(apiKey)}`;
}

/** The page's files, as they sit in `pageDir` (src/page in the repo, dashboard/ beside the runtime's bundle). */
const pageFiles: Record<string, { file: string; contentType: string }> = {
  [dashboardPaths.page]: { file: 'dashboard.html', contentType: 'text/html; charset=utf-8' },
  [dashboardPaths.script]: { file: 'dashboard.js', contentType: 'text/javascript; charset=utf-8' },
  [dashboardPaths.styles]: { file: 'dashboard.css', contentType: 'text/css; charset=utf-8' },
};

export class DashboardPageMissingError extends Error {
  constructor(readonly path: string) {
    super(`The dashboard's page file ${path} is missing: rebuild the runtime (npx nx build local-runtime).`);
    this.name = 'DashboardPageMissingError';
  }
}

/** A status sample as the console's status line shows it: the pipeline's status and the drain rate. */
export interface DashboardStatus extends PipelineStatus {
  /** Items written per second since the previous sample. */
  ratePerSecond: number;
}

/** The `status` event: one a sample, about once a second. */
export interface StatusEventData extends DashboardStatus {
  at: number;
}

/** The `tick` event: one a cron tick, with what test-cron saw and decided. */
export interface TickEventData {
  at: number;
  trigger: 'schedule' | 'manual';
  visible: number | null;
  inFlight: number | null;
  workers: number | null;
  error?: string;
}

/** The `runs` event: the reports of the recent runs, the most recently posted first. */
export interface RunsEventData {
  at: number;
  runs: RunReport[];
  /** Why the last refresh failed; the reports are then those of the refresh before. */
  error?: string;
}

/** The `history` event, first on every stream: what the chart shows from before the page opened. */
export interface HistoryEventData {
  historyMs: number;
  samples: StatusEventData[];
  ticks: TickEventData[];
}

export interface DashboardRequest {
  method?: string;
}

export interface DashboardResponse extends EventStreamResponse {
  end(body?: string | Buffer): unknown;
}

export interface DashboardOptions {
  /** The folder with dashboard.html, dashboard.js and dashboard.css. */
  pageDir: string;
  /** A run's report from the table (`summarizeRun` over `readRunItems`). */
  readRunReport: (runId: string) => Promise<RunReport>;
  /** How far back the chart reaches for a page opened later; default 5 minutes. */
  historyMs?: number;
  /** How many runs the table shows; default 10. */
  recentRunLimit?: number;
  now?: () => number;
}

/**
 * The live drain dashboard: serves the page and `GET /_local/events`, and pushes to every open page
 * a `status` event a sample, a `tick` event a cron tick and a `runs` event when the recent runs change.
 */
export class Dashboard {
  private readonly stream = new EventStream();
  private readonly recentRuns: RecentRuns;
  private readonly files = new Map<string, { body: Buffer; contentType: string }>();
  private readonly historyMs: number;
  private readonly now: () => number;
  private readonly samples: StatusEventData[] = [];
  private readonly ticks: TickEventData[] = [];
  private reports: RunsEventData = { at: 0, runs: [] };
  private runsStale = false;
  private refreshing = false;
  private lastWritten = 0;
  private nextRefreshAt = 0;

  constructor(private readonly options: DashboardOptions) {
    this.historyMs = options.historyMs ?? 5 * 60_000;
    this.recentRuns = new RecentRuns(options.recentRunLimit ?? 10);
    this.now = options.now ?? Date.now;
    // Read once at start: a runtime built without its page fails now, not at the first visit.
    for (const [path, { file, contentType }] of Object.entries(pageFiles)) {
      const filePath = join(options.pageDir, file);
      try {
        this.files.set(path, { body: readFileSync(filePath), contentType });
      } catch {
        throw new DashboardPageMissingError(filePath);
      }
    }
  }

  get openStreams(): number {
    return this.stream.clientCount;
  }

  /** The runtime's route hook: answers the dashboard's paths and returns false for every other. */
  serve(request: DashboardRequest, response: DashboardResponse, url: URL): boolean {
    const pathname = url.pathname === `${dashboardPaths.page}/` ? dashboardPaths.page : url.pathname;
    const file = this.files.get(pathname);
    if (!file && pathname !== dashboardPaths.events) return false;
    if (request.method !== 'GET') {
      response.writeHead(405, { 'content-type': 'application/json', allow: 'GET' });
      response.end(JSON.stringify({ error: `${pathname} answers GET only.`, details: [] }));
      return true;
    }
    if (!file) {
      this.stream.open(response, this.greeting());
      return true;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(file.body.length),
      'cache-control': 'no-store',
    });
    response.end(file.body);
    return true;
  }

  /** Remembers the run ids of messages the API accepted. */
  recordApiRequest(request: ApiRequest): void {
    if (request.target !== 'enqueue' || request.statusCode < 200 || request.statusCode >= 300) return;
    if (this.recentRuns.remember(runIdsInBody(request.body))) this.runsStale = true;
  }

  recordEvent(event: PipelineEvent): void {
    if (event.type !== 'tick' && event.type !== 'tick-failed') return;
    const decision = (event.type === 'tick' ? event.decision : {}) as Partial<Record<'visible' | 'inFlight' | 'workers', number>>;
    const tick: TickEventData = {
      at: this.now(),
      trigger: event.trigger,
      visible: decision.visible ?? null,
      inFlight: decision.inFlight ?? null,
      workers: decision.workers ?? null,
      ...(event.type === 'tick-failed' ? { error: event.error } : {}),
    };
    this.ticks.push(tick);
    this.forget(this.ticks);
    this.stream.send({ event: 'tick', data: tick });
  }

  /** Pushes a sample; refreshes the run reports when items were written or a new run was posted. */
  async publishStatus(status: DashboardStatus): Promise<void> {
    const sample: StatusEventData = { at: this.now(), ...status };
    this.samples.push(sample);
    this.forget(this.samples);
    this.forget(this.ticks);
    this.stream.send({ event: 'status', data: sample });
    if (status.written !== this.lastWritten) {
      this.lastWritten = status.written;
      this.runsStale = true;
    }
    await this.refreshRuns();
  }

  close(): void {
    this.stream.close();
  }

  private async refreshRuns(): Promise<void> {
    if (!this.runsStale || this.refreshing || this.now() < this.nextRefreshAt) return;
    const runIds = [...this.recentRuns.runIds];
    if (runIds.length === 0) return;
    this.refreshing = true;
    this.runsStale = false;
    const started = this.now();
    try {
      this.reports = { at: this.now(), runs: await Promise.all(runIds.map((runId) => this.options.readRunReport(runId))) };
    } catch (error) {
      this.reports = { ...this.reports, error: `Could not read the run reports: ${(error as Error).message}` };
      this.runsStale = true;
    } finally {
      this.refreshing = false;
      // Long runs take long to read: never spend more than a third of the time reading them.
      this.nextRefreshAt = this.now() + 2 * (this.now() - started);
    }
    this.stream.send({ event: 'runs', data: this.reports });
  }

  private greeting(): ServerSentEvent[] {
    const history: HistoryEventData = { historyMs: this.historyMs, samples: this.samples, ticks: this.ticks };
    return [{ event: 'history', data: history }, ...(this.reports.at > 0 ? [{ event: 'runs', data: this.reports }] : [])];
  }

  private forget(entries: { at: number }[]): void {
    const oldest = this.now() - this.historyMs;
    let drop = 0;
    while (drop < entries.length && entries[drop].at < oldest) drop++;
    entries.splice(0, drop);
  }
}
