// The live drain dashboard: everything arrives pushed over server-sent events from /_local/events;
// the page never polls. Plain DOM and SVG, no framework, no download.
'use strict';

(function () {
  const svgNs = 'http://www.w3.org/2000/svg';
  const box = { width: 800, height: 240, left: 48, right: 60, top: 14, bottom: 26 };
  // A young runtime's chart spans its whole life, then the last `historyMs` rolling.
  const minimumWindowMs = 10_000;
  const state = { historyMs: 300_000, samples: [], ticks: [] };
  const byId = (id) => document.getElementById(id);

  function count(value) {
    return value === null || value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 1_000) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`;
    return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
  }

  function clock(at) {
    return at === null || at === undefined ? '–' : new Date(at).toLocaleTimeString('en-GB');
  }

  function element(tag, attributes, text) {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Which trigger starts the worker: fan-out runs on the schedule, or the event source mapping's batches. */
  function showTrigger(sample) {
    const esm = sample.trigger === 'esm';
    const trigger = byId('trigger');
    trigger.dataset.trigger = sample.trigger || '';
    trigger.textContent = esm ? 'trigger: esm (event source mapping)' : 'trigger: fanout (schedule + SNS)';
    byId('inProgressLabel').textContent = esm ? 'Batches in progress' : 'Worker runs in progress';
    byId('workerRunsNoun').textContent = esm ? 'batches' : 'worker runs';
    byId('mappingNote').hidden = !esm;
    byId('schedule').hidden = esm;
    byId('noSchedule').hidden = !esm;
  }

  function showStatus(sample) {
    showTrigger(sample);
    for (const key of ['visible', 'inFlight', 'deadLetter', 'written', 'workerRunsInProgress', 'mappingConcurrency', 'ratePerSecond', 'workerRuns', 'failedRuns', 'ticks']) {
      byId(key).textContent = count(sample[key]);
    }
    // Whatever the functions published, by metric name, as the stack's CloudWatch dashboard reads them.
    const metrics = Object.entries(sample.metrics ?? {});
    byId('functionMetrics').textContent =
      metrics.length === 0 ? 'none yet' : metrics.map(([name, value]) => `${name} ${count(Math.round(value))}`).join(' · ');
  }

  function showTick(tick) {
    byId('lastTick').textContent = tick.error
      ? `${clock(tick.at)} failed: ${tick.error}`
      : `${clock(tick.at)} (${tick.trigger}) saw ${count(tick.visible)} visible → started ${count(tick.workers)} workers`;
  }

  /** Keeps what the chart's window shows, measured from the newest sample. */
  function forgetOld() {
    const newest = state.samples.length > 0 ? state.samples[state.samples.length - 1].at : Date.now();
    const oldest = newest - state.historyMs;
    state.samples = state.samples.filter((sample) => sample.at >= oldest);
    state.ticks = state.ticks.filter((tick) => tick.at >= oldest);
  }

  function roundUp(value) {
    const step = 10 ** Math.floor(Math.log10(Math.max(1, value)));
    return Math.ceil(value / step) * step;
  }

  function drawChart() {
    const samples = state.samples;
    const end = samples.length > 0 ? samples[samples.length - 1].at : Date.now();
    const first = samples.length > 0 ? samples[0].at : end;
    const start = Math.min(end - minimumWindowMs, Math.max(first, end - state.historyMs));
    const depth = (sample) => sample.visible + sample.inFlight;
    const queueMax = roundUp(Math.max(10, ...samples.map(depth)));
    const writtenLow = samples.length > 0 ? Math.min(...samples.map((sample) => sample.written)) : 0;
    const writtenHigh = writtenLow + roundUp(Math.max(10, ...samples.map((sample) => sample.written - writtenLow)));
    const plotWidth = box.width - box.left - box.right;
    const plotHeight = box.height - box.top - box.bottom;
    const x = (at) => box.left + ((at - start) / (end - start)) * plotWidth;
    const y = (fraction) => box.top + (1 - fraction) * plotHeight;
    const path = (value) =>
      samples.map((sample, i) => `${i === 0 ? 'M' : 'L'}${x(sample.at).toFixed(1)} ${y(value(sample)).toFixed(1)}`).join(' ');

    const queueLine = byId('queueLine');
    queueLine.setAttribute('d', path((sample) => depth(sample) / queueMax));
    queueLine.setAttribute('data-points', String(samples.length));
    queueLine.setAttribute('data-peak', String(Math.max(0, ...samples.map(depth))));
    const writtenLine = byId('writtenLine');
    writtenLine.setAttribute('d', path((sample) => (sample.written - writtenLow) / (writtenHigh - writtenLow)));
    writtenLine.setAttribute('data-points', String(samples.length));

    const grid = byId('grid');
    const labels = byId('axisLabels');
    grid.replaceChildren();
    labels.replaceChildren();
    for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
      grid.append(element('line', { class: 'grid', x1: box.left, x2: box.width - box.right, y1: y(fraction), y2: y(fraction) }));
      labels.append(element('text', { x: box.left - 6, y: y(fraction) + 4, 'text-anchor': 'end' }, count(fraction * queueMax)));
      labels.append(element('text', { x: box.width - box.right + 6, y: y(fraction) + 4 }, count(writtenLow + fraction * (writtenHigh - writtenLow))));
    }
    const seconds = Math.round((end - start) / 1_000);
    labels.append(element('text', { x: box.left, y: box.height - 8 }, seconds >= 120 ? `−${Math.round(seconds / 60)} min` : `−${seconds} s`));
    labels.append(element('text', { x: box.width - box.right, y: box.height - 8, 'text-anchor': 'end' }, 'now'));

    const tickMarks = byId('tickMarks');
    tickMarks.replaceChildren(
      ...state.ticks
        .filter((tick) => tick.at >= start)
        .map((tick) => {
          const line = element('line', {
            class: tick.error ? 'tick failed' : 'tick',
            x1: x(tick.at),
            x2: x(tick.at),
            y1: box.top,
            y2: box.height - box.bottom,
            'data-visible': tick.visible ?? '',
            'data-workers': tick.workers ?? '',
          });
          line.append(element('title', {}, tick.error ? `tick failed: ${tick.error}` : `tick: ${tick.visible} visible → ${tick.workers} workers`));
          return line;
        }),
    );
    tickMarks.setAttribute('data-ticks', String(tickMarks.childElementCount));
    byId('peakRate').textContent = count(Math.max(0, ...samples.map((sample) => sample.ratePerSecond)));
    byId('queueMax').textContent = count(queueMax);
    byId('writtenMax').textContent = count(writtenHigh);
    byId('window').textContent = `(last ${seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`})`;
  }

  function showRuns(data) {
    const rows = data.runs.map((run) => {
      const row = document.createElement('tr');
      row.dataset.runId = run.runId;
      const cells = [
        ['runId', run.runId],
        ['written', count(run.written)],
        ['drain', duration(run.drainMs)],
        ['p50', duration(run.latencyMs.p50)],
        ['p95', duration(run.latencyMs.p95)],
        ['p99', duration(run.latencyMs.p99)],
        ['lastWritten', clock(run.lastWrittenAt)],
      ];
      for (const [name, text] of cells) {
        const cell = document.createElement('td');
        cell.className = name;
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    });
    if (rows.length > 0) byId('runs').tBodies[0].replaceChildren(...rows);
    const error = byId('runsError');
    error.hidden = !data.error;
    error.textContent = data.error || '';
  }

  const connection = byId('connection');
  const events = new EventSource('/_local/events');
  events.addEventListener('open', () => {
    connection.dataset.state = 'live';
    connection.textContent = 'live';
  });
  events.addEventListener('error', () => {
    connection.dataset.state = 'lost';
    connection.textContent = 'runtime not reachable: reconnecting…';
  });
  events.addEventListener('history', (event) => {
    const history = JSON.parse(event.data);
    state.historyMs = history.historyMs;
    state.samples = history.samples;
    state.ticks = history.ticks;
    if (state.samples.length > 0) showStatus(state.samples[state.samples.length - 1]);
    if (state.ticks.length > 0) showTick(state.ticks[state.ticks.length - 1]);
    drawChart();
  });
  events.addEventListener('status', (event) => {
    const sample = JSON.parse(event.data);
    state.samples.push(sample);
    forgetOld();
    showStatus(sample);
    drawChart();
  });
  events.addEventListener('tick', (event) => {
    const tick = JSON.parse(event.data);
    state.ticks.push(tick);
    showTick(tick);
    drawChart();
  });
  events.addEventListener('runs', (event) => showRuns(JSON.parse(event.data)));
})();
