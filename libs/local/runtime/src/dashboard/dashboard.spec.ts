import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '@fanout/run-status';
import { Dashboard, DashboardPageMissingError, dashboardPaths, dashboardUrl, type DashboardStatus } from './dashboard.js';
import { FakeResponse } from './fake-response.testing.js';

const pageDir = join(__dirname, 'page');

function status(overrides: Partial<DashboardStatus> = {}): DashboardStatus {
  return {
    trigger: 'fanout',
    mappingConcurrency: null,
    visible: 0,
    inFlight: 0,
    deadLetter: 0,
    written: 0,
    workerRuns: 0,
    workerRunsInProgress: 0,
    ticks: 0,
    duplicateDeliveries: 0,
    failedRuns: 0,
    retries: 0,
    metrics: {},
    ratePerSecond: 0,
    ...overrides,
  };
}

function report(runId: string, written: number): RunReport {
  return {
    runId,
    written,
    firstEnqueuedAt: 1_000,
    lastWrittenAt: 3_000,
    drainMs: 2_000,
    latencyMs: { p50: 900, p95: 1_800, p99: 1_900, max: 2_000 },
  };
}

/** A dashboard on a clock the test moves, whose run reports come from `written`. */
function dashboardWith(written: Map<string, number> = new Map(), options: { historyMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const reads: string[] = [];
  const dashboard = new Dashboard({
    pageDir,
    historyMs: options.historyMs,
    now: () => clock.now,
    readRunReport: async (runId) => {
      reads.push(runId);
      return report(runId, written.get(runId) ?? 0);
    },
  });
  return { dashboard, clock, reads };
}

function get(dashboard: Dashboard, path: string, method = 'GET') {
  const response = new FakeResponse();
  const answered = dashboard.serve({ method }, response, new URL(path, 'http://127.0.0.1:3000'));
  return { answered, response };
}

function openPage(dashboard: Dashboard): FakeResponse {
  return get(dashboard, dashboardPaths.events).response;
}

function enqueued(body: unknown, statusCode = 202) {
  return { target: 'enqueue' as const, body: Buffer.from(JSON.stringify(body)), statusCode };
}

describe('Dashboard: the page', () => {
  it('serves the page, its script and its styles with their content types', () => {
    // Prepare
    const { dashboard } = dashboardWith();

    // Act
    const page = get(dashboard, '/_local/dashboard');
    const script = get(dashboard, '/_local/dashboard/dashboard.js');
    const styles = get(dashboard, '/_local/dashboard/dashboard.css');

    // Assess
    expect(page.response.statusCode).toBe(200);
    expect(page.response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.response.body).toContain('<script src="/_local/dashboard/dashboard.js"');
    expect(page.response.body).toContain('href="/_local/dashboard/dashboard.css"');
    expect(script.response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.response.body).toContain("new EventSource('/_local/events')");
    expect(styles.response.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('loads nothing from another host', () => {
    // Prepare
    const { dashboard } = dashboardWith();

    // Act
    const files = ['/_local/dashboard', '/_local/dashboard/dashboard.js', '/_local/dashboard/dashboard.css'].map(
      (path) => get(dashboard, path).response.body,
    );

    // Assess
    for (const file of files) expect(file).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(files.join('')).not.toMatch(/\bimport\b|fetch\(/);
  });

  it('leaves every other path to the API and refuses methods other than GET', () => {
    // Prepare
    const { dashboard } = dashboardWith();

    // Act
    const api = get(dashboard, '/messages', 'POST');
    const unknown = get(dashboard, '/_local/dashboard/other.js');
    const posted = get(dashboard, '/_local/dashboard', 'POST');

    // Assess
    expect(api.answered).toBe(false);
    expect(unknown.answered).toBe(false);
    expect(posted.answered).toBe(true);
    expect(posted.response.statusCode).toBe(405);
    expect(JSON.parse(posted.response.body)).toEqual({ error: '/_local/dashboard answers GET only.', details: [] });
  });

  it('says how to rebuild when the page files are missing', () => {
    // Prepare
    const emptyDir = mkdtempSync(join(tmpdir(), 'dashboard-'));

    // Act
    const start = () => new Dashboard({ pageDir: emptyDir, readRunReport: async (runId) => report(runId, 0) });

    // Assess
    expect(start).toThrow(DashboardPageMissingError);
    expect(start).toThrow(/dashboard\.html is missing: rebuild the runtime \(npx nx build local-runtime\)/);
  });

  it('lives under the API URL', () => {
    // Act
    const url = dashboardUrl('http://127.0.0.1:3000');

    // Assess
    expect(url).toBe('http://127.0.0.1:3000/_local/dashboard');
  });
});

describe('Dashboard: the event stream', () => {
  it('pushes a status event with the rate for every sample', async () => {
    // Prepare
    const { dashboard, clock } = dashboardWith();
    const page = openPage(dashboard);

    // Act
    await dashboard.publishStatus(status({ visible: 40, inFlight: 10, written: 50, ratePerSecond: 25 }));
    clock.now += 1_000;
    await dashboard.publishStatus(status({ visible: 0, inFlight: 0, written: 100, ratePerSecond: 50 }));

    // Assess
    const samples = page.events().filter((event) => event.event === 'status');
    expect(samples.map((event) => event.data)).toEqual([
      expect.objectContaining({ at: 1_000_000, visible: 40, inFlight: 10, written: 50, ratePerSecond: 25 }),
      expect.objectContaining({ at: 1_001_000, visible: 0, inFlight: 0, written: 100, ratePerSecond: 50 }),
    ]);
  });

  it('pushes a tick event with what test-cron saw and decided, and marks failed ticks', () => {
    // Prepare
    const { dashboard } = dashboardWith();
    const page = openPage(dashboard);

    // Act
    dashboard.recordEvent({ type: 'tick', trigger: 'schedule', decision: { tickId: 't', visible: 100, inFlight: 0, workers: 4 } });
    dashboard.recordEvent({ type: 'tick-failed', trigger: 'manual', error: 'test-cron timed out' });
    dashboard.recordEvent({ type: 'bridge-error', error: 'ignored' });

    // Assess
    expect(page.events()).toEqual([
      { event: 'history', data: expect.anything() },
      { event: 'tick', data: { at: 1_000_000, trigger: 'schedule', visible: 100, inFlight: 0, workers: 4 } },
      {
        event: 'tick',
        data: { at: 1_000_000, trigger: 'manual', visible: null, inFlight: null, workers: null, error: 'test-cron timed out' },
      },
    ]);
  });

  it('greets a page opened later with the history of the last minutes, and forgets what is older', async () => {
    // Prepare
    const { dashboard, clock } = dashboardWith(new Map(), { historyMs: 60_000 });
    await dashboard.publishStatus(status({ written: 1 }));
    dashboard.recordEvent({ type: 'tick', trigger: 'schedule', decision: { visible: 5, inFlight: 0, workers: 1 } });
    clock.now += 30_000;
    await dashboard.publishStatus(status({ written: 2 }));
    clock.now += 40_000;
    await dashboard.publishStatus(status({ written: 3 }));

    // Act
    const page = openPage(dashboard);

    // Assess
    const [history] = page.events();
    expect(history.event).toBe('history');
    const data = history.data as { historyMs: number; samples: { written: number }[]; ticks: unknown[] };
    expect(data.historyMs).toBe(60_000);
    expect(data.samples.map((sample) => sample.written)).toEqual([2, 3]);
    expect(data.ticks).toEqual([]);
  });
});

describe('Dashboard: recent runs', () => {
  it('reports the runs the API accepted, the most recently posted first', async () => {
    // Prepare
    const written = new Map([
      ['burst-a', 100],
      ['burst-b', 30],
    ]);
    const { dashboard } = dashboardWith(written);
    const page = openPage(dashboard);

    // Act
    dashboard.recordApiRequest(enqueued(Array.from({ length: 10 }, () => ({ key1: 'a', key2: 'b', key3: 'c', runId: 'burst-a' }))));
    dashboard.recordApiRequest(enqueued({ key1: 'a', key2: 'b', key3: 'c', runId: 'burst-b' }));
    await dashboard.publishStatus(status({ written: 130 }));

    // Assess
    const runs = page.events().filter((event) => event.event === 'runs');
    expect(runs).toEqual([{ event: 'runs', data: { at: 1_000_000, runs: [report('burst-b', 30), report('burst-a', 100)] } }]);
  });

  it('ignores run ids of requests the API refused and of run-status requests', async () => {
    // Prepare
    const { dashboard } = dashboardWith();
    const page = openPage(dashboard);

    // Act
    dashboard.recordApiRequest(enqueued({ key1: 'a', runId: 'refused' }, 400));
    dashboard.recordApiRequest({ target: 'run-status', body: Buffer.from('{"runId":"looked-up"}'), statusCode: 200 });
    await dashboard.publishStatus(status({ written: 5 }));

    // Assess
    expect(page.events().filter((event) => event.event === 'runs')).toEqual([]);
  });

  it('reads the reports again only when items were written or a run was posted', async () => {
    // Prepare
    const { dashboard, clock } = dashboardWith(new Map([['r', 10]]));
    const page = openPage(dashboard);
    dashboard.recordApiRequest(enqueued({ runId: 'r' }));

    // Act
    for (const written of [10, 10, 10, 20]) {
      await dashboard.publishStatus(status({ written }));
      clock.now += 1_000;
    }

    // Assess
    const runs = page.events().filter((event) => event.event === 'runs');
    expect(runs.map((event) => (event.data as { at: number }).at)).toEqual([1_000_000, 1_003_000]);
  });

  it('keeps the last reports and says why when the table cannot be read', async () => {
    // Prepare
    let failing = false;
    const dashboard = new Dashboard({
      pageDir,
      now: () => 5_000,
      readRunReport: async (runId) => {
        if (failing) throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
        return report(runId, 7);
      },
    });
    const page = openPage(dashboard);
    dashboard.recordApiRequest(enqueued({ runId: 'r' }));
    await dashboard.publishStatus(status({ written: 7 }));
    failing = true;

    // Act
    await dashboard.publishStatus(status({ written: 8 }));

    // Assess
    const runs = page.events().filter((event) => event.event === 'runs');
    expect(runs[1].data).toEqual({
      at: 5_000,
      runs: [report('r', 7)],
      error: 'Could not read the run reports: connect ECONNREFUSED 127.0.0.1:8000',
    });
  });

  it('greets a page opened later with the last reports', async () => {
    // Prepare
    const { dashboard } = dashboardWith(new Map([['late', 3]]));
    dashboard.recordApiRequest(enqueued({ runId: 'late' }));
    await dashboard.publishStatus(status({ written: 3 }));

    // Act
    const page = openPage(dashboard);

    // Assess
    expect(page.events().map((event) => event.event)).toEqual(['history', 'runs']);
    expect((page.events()[1].data as { runs: RunReport[] }).runs).toEqual([report('late', 3)]);
  });
});
