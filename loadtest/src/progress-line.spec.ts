import { ProgressLine, renderProgress } from './progress-line.js';

describe('renderProgress', () => {
  it('fills the bar in proportion to what is done', () => {
    // Assess
    expect(renderProgress({ phase: 'posting', done: 500, total: 1000, elapsedMs: 2_100 }, 10)).toBe(
      'posting   [#####-----]  500/1000  2.1 s',
    );
    expect(renderProgress({ phase: 'draining', done: 0, total: 200, elapsedMs: 0 }, 4)).toBe('draining  [----]  0/200  0 ms');
    expect(renderProgress({ phase: 'draining', done: 200, total: 200, elapsedMs: 61_000 }, 4)).toBe(
      'draining  [####]  200/200  1 min 01 s',
    );
  });
});

/** What a terminal shows once \r and erase-line have done their work. */
function screenOf(written: string): string[] {
  return written
    .split('\n')
    .map((row) => row.split('\r').at(-1)?.replace('\x1b[K', ''))
    .filter((row): row is string => row !== undefined && row !== '');
}

describe('ProgressLine', () => {
  it('redraws one line per phase and ends it before the summary', () => {
    // Prepare
    let written = '';
    const stream = { write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream;
    const line = new ProgressLine(stream);

    // Act
    line.update({ phase: 'posting', done: 10, total: 20, elapsedMs: 5 });
    line.update({ phase: 'posting', done: 20, total: 20, elapsedMs: 9 });
    line.update({ phase: 'draining', done: 20, total: 20, elapsedMs: 1_000 });
    line.finish();

    // Assess
    expect(screenOf(written)).toEqual([
      `posting   [${'#'.repeat(30)}]  20/20  9 ms`,
      `draining  [${'#'.repeat(30)}]  20/20  1.0 s`,
    ]);
  });
});

describe('ProgressLine throttling', () => {
  it('redraws at most every 100 ms, but always the start and the end of a phase', () => {
    // Prepare
    let clock = 0;
    const draws: string[] = [];
    const stream = { write: (text: string) => (text.startsWith('\r') && draws.push(text), true) } as unknown as NodeJS.WriteStream;
    const line = new ProgressLine(stream, () => clock);

    // Act: 100 requests answered 10 ms apart
    for (let done = 1; done <= 100; done++) {
      line.update({ phase: 'posting', done, total: 100, elapsedMs: clock });
      clock += 10;
    }

    // Assess: the first, one every 100 ms after it, and the last
    expect(draws).toHaveLength(11);
    expect(screenOf(draws.at(-1) ?? '')).toEqual([`posting   [${'#'.repeat(30)}]  100/100  990 ms`]);
  });
});
