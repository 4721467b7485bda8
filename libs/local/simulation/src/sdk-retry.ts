import type { Random } from './random.js';

/** The AWS SDK's standard retry strategy, as @smithy/core 3.41.1 implements it (see parameters `sdk.*`). */
export interface SdkRetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
  throttlingRetryBaseMs: number;
  maxRetryDelayMs: number;
  retryQuota: number;
  retryCost: number;
  throttlingRetryCost: number;
}

// As @smithy/core's THROTTLING_ERROR_CODES and transient ones: what the SDK retries on its own.
const throttlingErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
]);
const transientErrors = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'ServiceUnavailable']);

export function sdkErrorType(error: unknown): 'throttling' | 'transient' | undefined {
  const name = (error as { name?: string } | null)?.name;
  if (name && throttlingErrors.has(name)) return 'throttling';
  if (name && transientErrors.has(name)) return 'transient';
  return undefined;
}

/**
 * One SDK client's retries: each client (one per function environment) holds its own retry quota.
 * A throttled or transient failure is sent again up to maxAttempts in all, after
 * random × min(base × 2^retry, maxRetryDelayMs) ms (base 1,000 ms for throttling, 50 otherwise),
 * while the quota has the retry's cost; a success refunds the cost of the retry that succeeded, or 1.
 */
export class SdkRetries {
  private capacity: number;
  retries = 0;

  constructor(
    private readonly settings: SdkRetrySettings,
    private readonly random: Random,
  ) {
    this.capacity = settings.retryQuota;
  }

  async send<T>(attempt: () => Promise<T>): Promise<T> {
    let retryCount = 0;
    let lastCost: number | undefined;
    for (;;) {
      try {
        const result = await attempt();
        this.capacity = Math.min(this.settings.retryQuota, this.capacity + (lastCost ?? 1));
        return result;
      } catch (error) {
        const type = sdkErrorType(error);
        if (type === undefined || retryCount + 1 >= this.settings.maxAttempts) throw error;
        const cost = type === 'throttling' ? this.settings.throttlingRetryCost : this.settings.retryCost;
        if (this.capacity < cost) throw error;
        this.capacity -= cost;
        lastCost = cost;
        const base = type === 'throttling' ? this.settings.throttlingRetryBaseMs : this.settings.retryBaseMs;
        const delay = Math.floor(this.random() * Math.min(base * 2 ** retryCount, this.settings.maxRetryDelayMs));
        retryCount++;
        this.retries++;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
