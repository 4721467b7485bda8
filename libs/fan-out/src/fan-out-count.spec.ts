import { fanOutConfig } from '@fanout/config';
import { fanOutCount } from './fan-out-count.js';

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
