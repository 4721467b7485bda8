import { seededRandom } from './fault-spec.js';
import { sampledReceiveCount, shortPollSampleShare } from './short-poll-model.js';

function draws(visible: number, requested: number, times: number, seed = 11): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: times }, () => sampledReceiveCount(visible, requested, random));
}

describe('sampledReceiveCount', () => {
  it('returns nothing from an empty queue and never more than asked for or on the queue', () => {
    // Prepare
    const cases: [number, number][] = [
      [0, 10],
      [1, 10],
      [3, 10],
      [30, 10],
      [100, 10],
      [1_000, 10],
      [100, 1],
      [5, 3],
    ];
    for (const [visible, requested] of cases) {
      // Act
      const counts = draws(visible, requested, 500);
      // Assess
      for (const count of counts) {
        expect(Number.isInteger(count)).toBe(true);
        expect(count).toBeGreaterThanOrEqual(0);
        expect(count).toBeLessThanOrEqual(Math.min(visible, requested));
      }
    }
    expect(draws(0, 10, 100)).toEqual(new Array(100).fill(0));
  });

  it('fills a receive of 10 almost always once a few hundred messages are visible', () => {
    // Act
    const counts = draws(300, 10, 1_000);
    // Assess: P(fewer than 10 of 300 at 0.2) is about 1e-13.
    expect(counts.filter((count) => count === 10).length).toBe(1_000);
  });

  it('often falls short of 10 with 100 visible, and returns about a fifth of a small queue', () => {
    // Act
    const fromHundred = draws(100, 10, 2_000);
    const fromFive = draws(5, 10, 2_000);
    // Assess
    // P(Bin(100, 0.2) < 10) ≈ 0.6 %: rare, but it happens, as on AWS.
    const short = fromHundred.filter((count) => count < 10).length;
    expect(short).toBeGreaterThan(0);
    expect(short).toBeLessThan(60);
    // With 5 visible a short poll finds each with probability 0.2: mean 1, all 5 only 0.03 % of the time.
    const mean = fromFive.reduce((a, b) => a + b, 0) / fromFive.length;
    expect(mean).toBeGreaterThan(5 * shortPollSampleShare - 0.1);
    expect(mean).toBeLessThan(5 * shortPollSampleShare + 0.1);
    expect(fromFive.filter((count) => count === 0).length).toBeGreaterThan(500);
    expect(fromFive.filter((count) => count === 5).length).toBeLessThan(10);
  });

  it('gives ≈ 83 of 100 messages in ten one-shot receives, the figure the model is tuned to', () => {
    // Prepare
    const random = seededRandom(3);
    const totals: number[] = [];
    // Act
    for (let run = 0; run < 200; run++) {
      let visible = 100;
      for (let receive = 0; receive < 10; receive++) visible -= sampledReceiveCount(visible, 10, random);
      totals.push(100 - visible);
    }
    // Assess
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(mean).toBeGreaterThan(79);
    expect(mean).toBeLessThan(87);
  });

  it('is as repeatable as its random source', () => {
    expect(draws(40, 10, 100, 5)).toEqual(draws(40, 10, 100, 5));
  });

  it('returns everything when every message is found (share 1) and nothing when none is (share 0)', () => {
    const random = seededRandom(1);
    expect(sampledReceiveCount(7, 10, random, 1)).toBe(7);
    expect(sampledReceiveCount(70, 10, random, 1)).toBe(10);
    expect(sampledReceiveCount(70, 10, random, 0)).toBe(0);
  });
});
