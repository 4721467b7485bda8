import { CompressedSchedule } from './rate-schedule.js';

describe('CompressedSchedule, the local bench\'s ticks', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  function schedule() {
    const fired: { tick: number; at: number }[] = [];
    const compressed = new CompressedSchedule({ pollMs: 10, countMs: 20, now: () => Date.now(), fire: (tick) => fired.push({ tick, at: Date.now() }), maxIdleTicks: 3 });
    return { compressed, fired };
  }

  it('fires the next tick at the first look after the runs end, plus the count: looks start when test-cron returns', () => {
    // Prepare
    const { compressed, fired } = schedule();
    compressed.start();
    // Act: test-cron returns at 4 ms, its runs end at 13 ms; the bench looks at 4, 14, 24…
    jest.advanceTimersByTime(4);
    compressed.cronReturned();
    jest.advanceTimersByTime(9);
    compressed.settled(1);
    jest.advanceTimersByTime(100);
    // Assess: seen at 14, counted until 34
    expect(fired).toEqual([
      { tick: 1, at: 0 },
      { tick: 2, at: 34 },
    ]);
  });

  it('sees at once a tick that started nothing, and gives up after maxIdleTicks of them', () => {
    // Prepare
    const { compressed, fired } = schedule();
    compressed.start();
    // Act: each tick's test-cron returns at once having started no worker
    for (let round = 0; round < 5; round++) {
      compressed.cronReturned();
      compressed.settled(0);
      jest.advanceTimersByTime(20);
    }
    // Assess: looked at once, counted 20 ms; the third idle tick is the last
    expect(fired.map((f) => f.at)).toEqual([0, 20, 40]);
  });

  it('does not settle a tick before test-cron has returned', () => {
    // Prepare
    const { compressed, fired } = schedule();
    compressed.start();
    // Act: a run's end is told while test-cron still runs, then test-cron returns at 7 ms and the runs are over
    compressed.settled(1);
    jest.advanceTimersByTime(7);
    compressed.cronReturned();
    compressed.settled(1);
    jest.advanceTimersByTime(100);
    // Assess: the look at 7 ms sees it; the next tick at 27 ms, once
    expect(fired).toEqual([
      { tick: 1, at: 0 },
      { tick: 2, at: 27 },
    ]);
  });
});
