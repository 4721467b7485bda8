import { fanOutConfig } from '@fanout/config';
import { busyLoops, expectedMessagesPerWorker, fanOutCount, loopsForTable, loopsPerWorker } from './fan-out-count.js';

describe('fanOutCount', () => {
  it.each([
    [0, 0],
    [1, 1],
    [10, 1],
    [11, 2],
    [95, 10],
    [100, 10],
    [101, 11],
    [999, 100],
  ])('starts one worker per full receive: %i visible → %i workers', (visible, workers) => {
    // Prepare / Act
    const count = fanOutCount(visible);

    // Assess
    expect(count).toBe(workers);
  });

  it('never starts more than the default cap, the worker\'s reserved concurrency', () => {
    // Prepare
    const backlog = 50_000;

    // Act
    const count = fanOutCount(backlog);

    // Assess
    expect(count).toBe(fanOutConfig.maxWorkers);
    expect(count).toBe(100);
  });

  it('never starts more than a cap it is given', () => {
    // Prepare / Act
    const counts = [fanOutCount(95, 4), fanOutCount(95, 10), fanOutCount(95, 0), fanOutCount(95, -3)];

    // Assess
    expect(counts).toEqual([4, 10, 0, 0]);
  });

  it('divides by the messages per worker it is given', () => {
    // Prepare / Act
    const count = fanOutCount(95, 100, 25);

    // Assess
    expect(count).toBe(4);
  });

  it.each([-5, Number.NaN, Number.POSITIVE_INFINITY])('starts nothing for a depth of %d', (visible) => {
    // Prepare / Act
    const count = fanOutCount(visible);

    // Assess
    expect(count).toBe(0);
  });
});

describe('loopsPerWorker', () => {
  it.each([
    // visible, workers, loops: below the cap every worker expects one receive.
    [95, 10, 1],
    [1_000, 100, 1],
    // Past the cap (100 on AWS), one loop per full receive a worker can expect, at most 4.
    [1_001, 100, 2],
    [2_500, 100, 3],
    [10_000, 100, 4],
    [1_000_000, 100, 4],
    // The local runtime's cap of 2 on 2 cores.
    [20, 2, 1],
    [21, 2, 2],
    [100, 2, 4],
  ])('%i visible over %i workers → %i loops each', (visible, workers, loops) => {
    expect(loopsPerWorker(visible, workers, 4)).toBe(loops);
  });

  it('asks for one loop when it starts no worker or sees no message', () => {
    expect(loopsPerWorker(0, 0, 4)).toBe(1);
    expect(loopsPerWorker(500, 0, 4)).toBe(1);
    expect(loopsPerWorker(Number.NaN, 4, 4)).toBe(1);
  });
});

describe('expectedMessagesPerWorker', () => {
  it.each([
    // visible, workers, messages each run can expect
    [95, 10, 10],
    [1_000, 100, 10],
    [100, 2, 50],
    [1_001, 2, 501],
    [3, 1, 3],
  ])('%i visible over %i workers → %i each', (visible, workers, expected) => {
    expect(expectedMessagesPerWorker(visible, workers)).toBe(expected);
  });

  it('expects nothing when it starts no worker or sees no message', () => {
    expect(expectedMessagesPerWorker(0, 2)).toBe(0);
    expect(expectedMessagesPerWorker(500, 0)).toBe(0);
    expect(expectedMessagesPerWorker(Number.NaN, 2)).toBe(0);
  });
});

describe('loopsForTable', () => {
  it.each([
    // write units a second, loops: 2 units an item, 500 items a second a loop
    [4_000, 4],
    [40_000, 40],
    [1_000, 1],
    [1, 1],
  ])('%i write units a second keep %i loops busy', (units, loops) => {
    expect(loopsForTable(units)).toBe(loops);
  });

  it('sets no bound for a table without a limit', () => {
    expect(loopsForTable(0)).toBe(Infinity);
  });
});

describe('busyLoops', () => {
  it.each([
    [0, 0],
    [9, 0],
    [10, 1],
    [125, 12],
    [Number.NaN, 0],
  ])('%i messages in flight show %i loops draining', (inFlight, loops) => {
    expect(busyLoops(inFlight)).toBe(loops);
  });
});
