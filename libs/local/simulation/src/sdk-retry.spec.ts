import { SdkRetries } from './sdk-retry.js';
import { inVirtualTime } from './testing/virtual-time.js';

const settings = { maxAttempts: 3, retryBaseMs: 50, throttlingRetryBaseMs: 1_000, maxRetryDelayMs: 20_000, retryQuota: 500, retryCost: 14, throttlingRetryCost: 5 };
const throttled = () => Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });

describe('SdkRetries (the SDK standard retry strategy)', () => {
  it('sends a throttled call three times in all, waiting up to 1 s and then up to 2 s', async () => {
    // Prepare
    const attempts: number[] = [];
    // Act
    const { value, endedAtMs } = await inVirtualTime(async (clock) => {
      const retries = new SdkRetries(settings, () => 0.999);
      return retries
        .send(async () => {
          attempts.push(clock.now());
          throw throttled();
        })
        .catch((error: Error) => error.name);
    });
    // Assess
    expect(value).toBe('ProvisionedThroughputExceededException');
    expect(attempts).toEqual([0, 999, 2_997]);
    expect(endedAtMs).toBe(2_997);
  });

  it('does not retry an error that no retry fixes', async () => {
    // Prepare
    let attempts = 0;
    // Act
    const { value } = await inVirtualTime(() =>
      new SdkRetries(settings, () => 0.5)
        .send(async () => {
          attempts++;
          throw Object.assign(new Error('no'), { name: 'AccessDeniedException' });
        })
        .catch((error: Error) => error.name),
    );
    // Assess
    expect(value).toBe('AccessDeniedException');
    expect(attempts).toBe(1);
  });

  it('stops retrying once the client has spent its retry quota, and earns it back with successes', async () => {
    // Prepare: a quota of 10 pays for two throttling retries
    const retries = new SdkRetries({ ...settings, retryQuota: 10 }, () => 0);
    let calls = 0;
    const alwaysThrottled = () =>
      retries
        .send(async () => {
          calls++;
          throw throttled();
        })
        .catch(() => undefined);
    // Act
    await inVirtualTime(async () => {
      await alwaysThrottled();
      await alwaysThrottled();
    });
    // Assess: 3 attempts, then 1 (nothing left in the quota)
    expect(calls).toBe(4);
    expect(retries.retries).toBe(2);
  });
});
