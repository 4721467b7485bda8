import { RunPace } from './run-pace.js';

const settings = { shedIntervalMs: 1_000, shedAtRetriesPerBatch: 2 };

describe('RunPace', () => {
  it('keeps every loop while the table throttles only lightly: the retries get through', () => {
    // Prepare
    const pace = new RunPace(4, settings, () => 0);
    // Act: two batches, each retried twice, nothing given up
    pace.observe({ calls: 6, retries: 4, unwritten: 0 });
    // Assess
    expect(pace.activeLoops).toBe(4);
    expect(pace.throttledWrites).toBe(1);
    expect(pace.sheds).toBe(0);
  });

  it('sheds a loop when the writes are throttled hard, the highest-numbered first', () => {
    // Prepare
    const pace = new RunPace(4, settings, () => 5_000);
    // Act: one batch retried three times
    pace.observe({ calls: 4, retries: 3, unwritten: 0 });
    // Assess
    expect(pace.activeLoops).toBe(3);
    expect(pace.isShed(3)).toBe(true);
    expect(pace.isShed(2)).toBe(false);
  });

  it('sheds a loop when the writes gave items up, however few retries they took', () => {
    // Prepare
    const pace = new RunPace(2, settings, () => 5_000);
    // Act
    pace.observe({ calls: 1, retries: 0, unwritten: 3 });
    // Assess
    expect(pace.activeLoops).toBe(1);
  });

  it('sheds at most one loop a shed interval, and never the last one', () => {
    // Prepare
    let now = 10_000;
    const pace = new RunPace(3, settings, () => now);
    const hard = { calls: 10, retries: 9, unwritten: 0 };
    // Act
    pace.observe(hard);
    pace.observe(hard);
    const withinInterval = pace.activeLoops;
    now += 1_000;
    pace.observe(hard);
    now += 1_000;
    pace.observe(hard);
    // Assess
    expect(withinInterval).toBe(2);
    expect(pace.activeLoops).toBe(1);
    expect(pace.sheds).toBe(2);
    expect(pace.throttledWrites).toBe(4);
  });
});
