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
  /** The data folder a stop that lost queued messages suggests (git ignores it). */
  suggestedDataDir: '.fanout-data',
  /** Running invocations get this long to finish on Ctrl-C. */
  shutdownGraceMs: 10_000,
  /**
   * How long a request's body may take to arrive after its headers before the API answers 408 and
   * closes the connection. A body of at most apiConfig.maxBodyBytes crosses loopback in milliseconds;
   * this only ends bodies that stall or drip, which would otherwise hold a connection for Node's
   * default of five minutes.
   */
  requestBodyTimeoutMs: 10_000,
  /**
   * After a 413 or 408 the API discards what the client still sends for this long before it cuts
   * the connection, so that a client busy sending reads the answer rather than a reset (a lingering
   * close, as nginx's lingering_time). Discarded bytes are never held: memory stays bounded.
   */
  refusedBodyLingerMs: 5_000,
  /**
   * API requests that may wait for a busy function (test-api, run-status-api) beyond its
   * concurrency; one more is answered 429 with Retry-After, as Lambda throttles past its
   * concurrency. Small, so that a flood is answered fast: every request let in costs the others CPU
   * on a small machine, and 16 waiting behind 4 running clear in well under a second even at the
   * ~40 requests a second test-api managed on 2 cores under a flood with the machine fully loaded
   * (docs/reliability.md).
   */
  apiMaxWaiting: 16,
  /** The Retry-After of a 429: the wait queue clears in well under a second. */
  retryAfterSeconds: 1,
  /**
   * Connections the kernel holds for the API before it accepts them. Node's default (511) overflows
   * when 2,000 clients connect at once, and a dropped connection is retried by its client only a
   * second or more later.
   */
  apiConnectionBacklog: 4_096,
  /** The queue fauxqs delivers worker starts to, since it never invokes a function itself. */
  workerStartsQueue: 'test-worker-starts',
} as const;
