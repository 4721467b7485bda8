/**
 * The one place for every name, limit and timeout of the pipeline. The functions' environment
 * contract, the CDK stack and the local runtime all read this module, so local and cloud agree.
 */

/** Resource names as the original design named them (cloud stacks prefix them per stage). */
export const resourceNames = {
  queue: 'test',
  deadLetterQueue: 'test-dlq',
  topic: 'test',
  table: 'Test',
  /** Global secondary index that finds a run's items by `runId`. */
  runIndex: 'runId-index',
} as const;

/** The table's keys and the index that finds a run's items, as both the stack and the local runtime create them. */
export const tableDesign = {
  partitionKey: 'uuid',
  runIndex: {
    name: resourceNames.runIndex,
    partitionKey: 'runId',
    sortKey: 'writtenAt',
    /** What a drain report reads besides the keys. */
    nonKeyAttributes: ['enqueuedAt', 'messageId'],
  },
} as const;

/** AWS service limits the design rests on (see docs/aws-facts in shared notes). */
export const awsLimits = {
  /** ReceiveMessage MaxNumberOfMessages, SendMessageBatch and DeleteMessageBatch entries. */
  sqsBatchSize: 10,
  /** BatchWriteItem puts per call. */
  dynamoBatchWriteSize: 25,
  /** SNS PublishBatch entries. */
  snsPublishBatchSize: 10,
  /** Longest long poll SQS allows. */
  maxReceiveWaitSeconds: 20,
  /** Largest request body API Gateway (REST) takes: 10 MB. */
  apiGatewayMaxPayloadBytes: 10 * 1024 * 1024,
} as const;

export const workerConfig = {
  /** Lambda timeout of test-sqs2ddb. */
  timeoutSeconds: 60,
  memoryMb: 256,
  /** Long-poll wait of each receive: short, so an emptied queue ends the run quickly. */
  receiveWaitSeconds: 2,
  /** At most this many messages in one run, so one run cannot hog the queue forever. */
  messageBudget: 5_000,
  /**
   * Valid messages a drain loop holds at most before it writes them: two full BatchWriteItem calls.
   * A loop writes sooner once it has what its start said to expect, or when a receive comes back short.
   */
  flushAt: 2 * awsLimits.dynamoBatchWriteSize,
  /**
   * Most drain loops side by side in one run on AWS (the local runtime may give a run more);
   * test-cron asks for fewer when the queue is shallow. A loop spends most of its time waiting on
   * SQS or DynamoDB, so a few keep a run busy where one would leave it idle.
   */
  receiveLoops: 4,
  /**
   * Longest a drain loop's flush waits for the run's other loops to join it, so that their receives
   * of 10 go out together in full BatchWriteItem calls (25) rather than one call of 10 a loop. It
   * waits only while another loop holds an answer it has not acted on yet, or has its first receive
   * on its way back while the run has not yet received what its start said to expect; a few ms, as
   * the loops send their first receives together and get the answers together. 0: each loop writes alone.
   */
  flushJoinWaitMs: 5,
  /** Stop receiving when less than this much invocation time is left. */
  safetyMarginMs: 10_000,
  /** BatchWriteItem attempts for items that keep coming back unprocessed. */
  writeAttempts: 6,
  /** DeleteMessageBatch attempts for entries that keep failing. */
  deleteAttempts: 4,
  /** First backoff delay; doubled each attempt, with full jitter. */
  retryBaseDelayMs: 50,
  retryMaxDelayMs: 2_000,
} as const;

export const fanOutConfig = {
  /** One worker per this many visible messages (one full receive). */
  messagesPerWorker: awsLimits.sqsBatchSize,
  /** Most workers one tick starts; the worker's reserved concurrency matches it. */
  maxWorkers: 100,
  /**
   * Messages that make one more drain loop in a worker worth it: a full receive, as for a worker.
   * Past the cap, each worker gets ⌈visible / (workers × this)⌉ loops, at most the worker's own most
   * (WORKER_RECEIVE_LOOPS: workerConfig.receiveLoops on AWS), so a shallow queue is not drained by
   * loops that end on an empty receive.
   */
  messagesPerLoop: awsLimits.sqsBatchSize,
} as const;

export const queueConfig = {
  /** AWS advises at least 6 × the consuming function's timeout. */
  visibilityTimeoutSeconds: 6 * workerConfig.timeoutSeconds,
  /** Receives before a message that keeps failing moves to the dead-letter queue. */
  maxReceiveCount: 5,
  retentionDays: 4,
  deadLetterRetentionDays: 14,
} as const;

export const scheduleConfig = {
  /** test-cron runs at this rate in the cloud, as in the original design. */
  rateMinutes: 5,
} as const;

export const apiConfig = {
  /** Largest request body test-api accepts (SQS's classic message limit). */
  maxBodyBytes: 256 * 1024,
  /** Longest `key1`/`key2`/`key3` value, in characters. */
  maxKeyLength: 1_024,
  /** Most messages in one array request: one SendMessageBatch. */
  maxMessagesPerRequest: awsLimits.sqsBatchSize,
  timeoutSeconds: 10,
  memoryMb: 256,
  /** Usage-plan throttling of the cloud API. */
  throttle: { rateLimit: 500, burstLimit: 1_000, quotaPerDay: 5_000_000 },
} as const;

/**
 * The functions' SDK clients, here and on AWS: a call that hangs fails and is retried by the SDK
 * instead of holding its invocation until the function's timeout.
 */
export const sdkClientConfig = {
  /** TCP connect: an endpoint in the region (or a local emulator) connects in milliseconds. */
  connectionTimeoutMs: 2_000,
  /**
   * Whole request and response of one call. The SDK retries a call that timed out (3 attempts), so
   * test-api's SendMessage still answers within its 10 s timeout when one attempt hangs.
   */
  requestTimeoutMs: 3_000,
  /** A long poll's answer may take its whole wait: its call gets this much on top of the wait. */
  longPollMarginMs: 3_000,
} as const;

export const cronConfig = {
  timeoutSeconds: 30,
  memoryMb: 256,
} as const;

export const runStatusConfig = {
  /** Just under API Gateway's 29 s integration timeout: a run of a million items takes seconds to read. */
  timeoutSeconds: 28,
  /** Lambda gives a function one full vCPU at 1,769 MB; reading a large run is parsing and sorting. */
  memoryMb: 1_769,
  /** Slices of a run's writtenAt range read side by side (readRunItems). */
  parallelReads: 16,
} as const;

/** Settings only the cloud stack (infra/) uses. */
export const cloudConfig = {
  /** Days CloudWatch keeps function and API access logs (must be a value CloudWatch accepts). */
  logRetentionDays: 30,
  /** API Gateway stage that serves the API: the URL ends in `/v1/`. */
  apiStageName: 'v1',
  /** CloudWatch alarms. */
  alarms: {
    /** Messages waiting in a dead-letter queue that raise the alarm. */
    deadLetterMessages: 1,
    /**
     * The drain is stalled when messages stay visible and none is deleted for this many periods
     * (cron ticks): a poison message waiting out its redrives is in flight most of that time, so it
     * does not set this one off.
     */
    stalledDrainPeriods: 2,
    /**
     * The oldest message may be this many cron ticks older than a poison message can wait while it
     * is redriven (maxReceiveCount × the visibility timeout) before the alarm goes off.
     */
    oldestMessageAgeTicks: 2,
    /** Errors (or throttles) within one period that raise the alarm, per function. */
    functionErrors: 1,
    workerThrottles: 1,
    /** API Gateway 5XX answers within one period that raise the alarm. */
    api5xxErrors: 1,
    /** Valid messages a worker left unwritten within one period that raise the alarm. */
    unwrittenMessages: 1,
    periodMinutes: 5,
  },
  /**
   * The worker's reserved concurrency unless `-c workerReservedConcurrency` says otherwise: the
   * fan-out cap, since a start beyond it only queues an invocation. Lambda keeps 100 of the account's
   * concurrency unreserved, so reserving needs an account quota of at least this + 100; 0 reserves
   * none (the cron's cap and the mapping's MaximumConcurrency still bound the workers).
   */
  workerReservedConcurrency: fanOutConfig.maxWorkers,
} as const;

export const pipelineConfig = {
  resourceNames,
  tableDesign,
  awsLimits,
  worker: workerConfig,
  fanOut: fanOutConfig,
  queue: queueConfig,
  schedule: scheduleConfig,
  api: apiConfig,
  sdkClient: sdkClientConfig,
  cron: cronConfig,
  runStatus: runStatusConfig,
  cloud: cloudConfig,
} as const;

export type PipelineConfig = typeof pipelineConfig;
