import { queueConfig, workerConfig } from '@fanout/config';
import {
  backoffDelayMs,
  defaultDeletePolicy,
  defaultWritePolicy,
  longestBackoffMs,
  longestCallMs,
  sdkThrottlingRetries,
  waitBeforeRetry,
  type RetryPolicy,
} from './retry-policy.js';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  attempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  ...overrides,
});

describe('backoffDelayMs', () => {
  it('doubles the ceiling with every attempt until it reaches the cap', () => {
    // Prepare: a random source at the top of its range shows the ceiling itself
    const atCeiling = policy({ random: () => 1 });

    // Act
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, atCeiling));

    // Assess
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('waits nothing when the jitter draws zero', () => {
    // Prepare
    const noJitter = policy({ random: () => 0 });

    // Act
    const delays = [1, 3, 6].map((attempt) => backoffDelayMs(attempt, noJitter));

    // Assess
    expect(delays).toEqual([0, 0, 0]);
  });

  it('scales the ceiling by the random draw (full jitter)', () => {
    // Prepare
    const halfway = policy({ random: () => 0.5 });

    // Act
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, halfway));

    // Assess
    expect(delays).toEqual([50, 100, 200, 400, 500]);
  });

  it('keeps every delay within [0, ceiling] with the real random source', () => {
    // Prepare
    const real = policy();
    const ceilings = [100, 200, 400, 800, 1_000, 1_000];

    // Act
    const samples = ceilings.flatMap((ceiling, index) =>
      Array.from({ length: 500 }, () => ({ ceiling, delay: backoffDelayMs(index + 1, real) })),
    );

    // Assess
    const outside = samples.filter(({ ceiling, delay }) => delay < 0 || delay > ceiling || !Number.isInteger(delay));
    expect(outside).toEqual([]);
    // Jitter really spreads the delays: 500 draws of attempt 6 are not all the same number.
    expect(new Set(samples.slice(-500).map((sample) => sample.delay)).size).toBeGreaterThan(10);
  });
});

describe('waitBeforeRetry', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sleeps for the backoff delay through the injected sleep', async () => {
    // Prepare
    const slept: number[] = [];
    const injected = policy({ random: () => 0.5, sleep: async (ms) => void slept.push(ms) });

    // Act
    await waitBeforeRetry(1, injected);
    await waitBeforeRetry(4, injected);

    // Assess
    expect(slept).toEqual([50, 400]);
  });

  it('waits on a real timer when no sleep is injected', async () => {
    // Prepare
    jest.useFakeTimers();
    let done = false;

    // Act
    const waiting = waitBeforeRetry(2, policy({ random: () => 1 })).then(() => {
      done = true;
    });
    await jest.advanceTimersByTimeAsync(199);
    const doneEarly = done;
    await jest.advanceTimersByTimeAsync(1);
    await waiting;

    // Assess
    expect(doneEarly).toBe(false);
    expect(done).toBe(true);
  });
});

describe('the longest a write and a delete can take (docs/reliability.md, "Who retries what")', () => {
  it('adds up the backoff ceilings: 50, 100, … ms doubling to the 2 s cap', () => {
    // Prepare
    const policy = { attempts: 10, baseDelayMs: 50, maxDelayMs: 2_000 };

    // Act
    const longest = longestBackoffMs(policy);

    // Assess: 50 + 100 + 200 + 400 + 800 + 1,600 + 3 × 2,000
    expect(longest).toBe(9_150);
  });

  it('keeps a flush’s write and its delete, at their longest, within half the visibility timeout, so no held message reappears for another worker', () => {
    // Prepare: the write's retries are the worker's own (its DynamoDB client makes 1 attempt); a
    // delete's whole-call failures are the SDK's, and the worker's rounds retry entries an answer failed.
    const write = longestCallMs(defaultWritePolicy);
    const deleteCall = longestCallMs(sdkThrottlingRetries);

    // Act
    const deleteRounds = {
      throttled: deleteCall.throttled,
      stalled: defaultDeletePolicy.attempts * deleteCall.stalled + longestBackoffMs(defaultDeletePolicy),
    };
    const halfVisibilityMs = (queueConfig.visibilityTimeoutSeconds * 1000) / 2;

    // Assess: the figures docs/reliability.md states
    expect(workerConfig.writeSdkAttempts).toBe(1);
    expect(write).toEqual({ throttled: 9_150, stalled: 59_150 });
    expect(deleteRounds).toEqual({ throttled: 3_000, stalled: 72_350 });
    expect(write.stalled + deleteRounds.stalled).toBeLessThan(halfVisibilityMs);
  });
});
