/** The local runtime (`npm start`): the same pipeline, compressed in time to fit a demo. */
export const localRuntimeConfig = {
  apiPort: 3000,
  sqsPort: 4566,
  dynamodbPort: 8000,
  host: '127.0.0.1',
  /** test-cron's rate here; the cloud keeps scheduleConfig.rateMinutes. */
  tickRate: '10s',
  /**
   * Worker environments at once: one per core of the machine, at most this many (a laptop is not
   * Lambda's fleet, and more threads than cores only contend).
   */
  maxWorkerConcurrency: 4,
  /**
   * Drain loops the local worker environments run side by side at most, shared between them: each
   * run may use this many ÷ the environments, rounded up (8 a run on 2 cores), never fewer than
   * workerConfig.receiveLoops. On AWS up to 100 workers drain side by side; here one to four
   * environments stand in for that fleet. More loops drain faster but cost more requests a message
   * (each loop's closing empty receive, smaller writes), past the benchmark's targets.
   */
  sharedDrainLoops: 16,
  apiConcurrency: 4,
  /** Long-poll wait of the worker here: short, so idle runs end quickly. */
  receiveWaitSeconds: 1,
  /** Lambda retries a failed asynchronous invocation twice, after about 1 and 2 minutes; seconds here. */
  asyncRetries: 2,
  asyncRetryDelayMs: 1_000,
  /** Running invocations get this long to finish on Ctrl-C. */
  shutdownGraceMs: 10_000,
  /** Largest request the local API reads (API Gateway's payload limit). */
  maxRequestBytes: 10 * 1024 * 1024,
  /** The queue fauxqs delivers worker starts to, since it never invokes a function itself. */
  workerStartsQueue: 'test-worker-starts',
} as const;
