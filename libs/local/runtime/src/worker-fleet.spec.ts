import { defaultWorkerConcurrency, localLoopsPerRun } from './worker-fleet.js';

describe('the local worker fleet', () => {
  it('runs one worker environment per core, at most 4', () => {
    expect([1, 2, 4, 16].map((cores) => defaultWorkerConcurrency(cores))).toEqual([1, 2, 4, 4]);
  });

  it('shares 16 drain loops between its environments, never fewer than 4 a run as on AWS', () => {
    expect([1, 2, 3, 4, 8].map((environments) => localLoopsPerRun(environments))).toEqual([16, 8, 6, 4, 4]);
  });
});
