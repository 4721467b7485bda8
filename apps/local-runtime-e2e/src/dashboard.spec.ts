import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { postJson, startRuntime, type RuntimeProcess } from './runtime-process.js';

// Debian's Chromium, never a browser that a test tool downloads.
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling hosts this machine cannot reach.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** `UPDATE_SCREENSHOT=1 npx nx test local-runtime-e2e` refreshes the README's picture; `npm test` leaves it. */
const screenshotPath = process.env['UPDATE_SCREENSHOT'] === '1' ? resolve(__dirname, '../../../docs/dashboard.png') : undefined;

function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  // playwright-core gives every launch a fresh, empty profile of its own.
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

describe('the live drain dashboard, in Chromium', () => {
  let browser: Browser | undefined;
  let runtime: RuntimeProcess | undefined;

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('shows a burst of 100 drain live behind the API key, opened from the printed URL: written rises to 100, the queue falls to 0, the run and the chart appear', async () => {
    // Prepare: the API needs a key, which a browser cannot send; the printed URL carries a token instead
    browser = await launchChromium();
    const apiKey = 'dashboard-e2e-key';
    runtime = await startRuntime(['--rate', '1s', '--api-key', apiKey]);
    const { apiUrl, dashboardUrl } = runtime.started;
    const pageUrl = `${apiUrl}/_local/dashboard`;
    expect(dashboardUrl).toMatch(/\/_local\/dashboard\?token=[A-Za-z0-9_-]{43}$/);
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(dashboardUrl);
    // The token leaves the address bar at once.
    expect(page.url()).toBe(pageUrl);
    await page.locator('#connection[data-state="live"]').waitFor();
    // The idle pipeline first, so that the chart shows the burst arrive.
    await page.locator('#written', { hasText: /^0$/ }).waitFor({ timeout: 10_000 });
    await page.locator('#queueLine:not([data-points="0"]):not([data-points="1"])').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await page.locator('#visible').textContent()).toBe('0');
    const runId = 'dashboard-burst';

    // Act: 10 batches of 10, as one client would post a burst
    for (let batch = 0; batch < 10; batch++) {
      const messages = Array.from({ length: 10 }, (_, i) => ({ key1: `k${batch}-${i}`, key2: 'v', key3: 'w', runId }));
      expect((await postJson(`${apiUrl}/messages`, messages, { 'x-api-key': apiKey })).status).toBe(202);
    }

    // Assess: what a person watching the page sees, pushed to it without a reload
    await page.locator('#written', { hasText: /^100$/ }).waitFor({ timeout: 60_000 });
    await page.locator('#visible', { hasText: /^0$/ }).waitFor({ timeout: 10_000 });
    await page.locator('#inFlight', { hasText: /^0$/ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#deadLetter').textContent()).toBe('0');
    const run = page.locator(`#runs tbody tr[data-run-id="${runId}"]`);
    await run.locator('td.written', { hasText: /^100$/ }).waitFor({ timeout: 10_000 });
    expect(await run.locator('td.drain').textContent()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    for (const percentile of ['p50', 'p95', 'p99']) {
      expect(await run.locator(`td.${percentile}`).textContent()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    }
    // A second of samples after the drain, so that the chart's lines end at the drained state.
    await page.waitForTimeout(1_500);
    // Both lines read in one go: a sample arriving between two reads would redraw them in between.
    const { points, writtenPath } = await page
      .locator('#queueLine')
      .evaluate((queueLine) => ({
        points: Number(queueLine.getAttribute('data-points')),
        writtenPath: queueLine.ownerDocument.querySelector('#writtenLine')?.getAttribute('d') ?? '',
      }));
    const pathCommands = writtenPath.match(/[ML]/g) ?? [];
    expect(points).toBeGreaterThan(3);
    expect(pathCommands).toHaveLength(points);
    // The tick that saw the burst is marked, with the workers it started.
    const workersStarted = await page.locator('#tickMarks line').evaluateAll((lines) =>
      lines.map((line) => Number(line.getAttribute('data-workers') || 0)),
    );
    expect(Math.max(...workersStarted)).toBeGreaterThan(0);
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('live');
    // One page load (the token's, then the page it leads to) and one event stream: the numbers were
    // pushed, not polled; nothing came from elsewhere.
    expect(requested.filter((url) => url === dashboardUrl)).toHaveLength(1);
    expect(requested.filter((url) => url === pageUrl)).toHaveLength(1);
    expect(requested.filter((url) => url === `${apiUrl}/_local/events`)).toHaveLength(1);
    expect(requested.every((url) => url.startsWith(`${apiUrl}/`))).toBe(true);

    if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
  });
});
