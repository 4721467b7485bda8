import { cloudConfig, cronConfig, esmConfig, fanOutConfig, queueConfig, scheduleConfig, workerConfig } from '@fanout/config';
import { shortPollSampleShare } from '@fanout/wire-proxy';
import { benchConditions } from '@fanout/bench';
import { constantLatency, type Latency } from './latency.js';

/**
 * Every figure the simulation uses: latencies, rates, limits and prices, one place, each with where
 * it comes from and when it was checked. [AWS] is AWS's documentation or blog, [3P] a third party's
 * measurement, [ours] this repository's configuration or measurement, [assumed] a figure no source
 * gives, chosen and said so. All are overridable with `--set name=value`.
 */
export interface ParameterInfo {
  /** What the figure is, in a few words. */
  what: string;
  source: string;
  kind: 'integer' | 'number' | 'share' | 'latency' | 'switch';
  min?: number;
  max?: number;
}

const latency = (p10: number, p50: number, p90: number, p99: number): Latency => ({ p10, p50, p90, p99 });

/** The parameters of AWS as its documentation and published measurements describe it (us-east-1 prices). */
export const awsParameters = {
  // SQS
  'sqs.receiveLatencyMs': latency(5, 8, 15, 40),
  'sqs.deleteLatencyMs': latency(5, 8, 15, 40),
  'sqs.changeVisibilityLatencyMs': latency(5, 8, 15, 40),
  'sqs.attributesLatencyMs': latency(5, 8, 15, 40),
  'sqs.shortPollSampleShare': shortPollSampleShare,
  'sqs.visibilityTimeoutMs': queueConfig.visibilityTimeoutSeconds * 1000,
  'sqs.maxReceiveCount': queueConfig.maxReceiveCount,
  'sqs.inFlightLimit': 120_000,
  'sqs.retentionMs': queueConfig.retentionDays * 24 * 3_600_000,
  // DynamoDB, on demand
  'dynamodb.batchWriteLatencyMs': latency(7, 10.2, 16, 27.6),
  'dynamodb.initialWriteUnits': 4_000,
  'dynamodb.growthFactor': 2,
  'dynamodb.growthWindowMinutes': 30,
  'dynamodb.tableMaxWriteUnits': 40_000,
  'dynamodb.partitionWriteUnits': 1_000,
  'dynamodb.writeUnitsPerItem': 1,
  'dynamodb.indexSharesTableCapacity': 1,
  'dynamodb.burstMs': 100,
  // What is written
  'workload.runIds': 1,
  'workload.poisonMessages': 0,
  // Lambda
  'lambda.accountConcurrency': 1_000,
  'lambda.workerReservedConcurrency': cloudConfig.workerReservedConcurrency,
  'lambda.scaleUpPer10Seconds': 1_000,
  'lambda.coldStartMs': constantLatency(338),
  'lambda.invokeOverheadMs': constantLatency(1),
  'lambda.cronAnswerMs': constantLatency(0),
  'lambda.workerMemoryMb': workerConfig.memoryMb,
  'lambda.workerTimeoutMs': workerConfig.timeoutSeconds * 1000,
  'lambda.cronMemoryMb': cronConfig.memoryMb,
  'lambda.cronTimeoutMs': cronConfig.timeoutSeconds * 1000,
  'lambda.asyncRetries': 2,
  'lambda.asyncRetryDelayMs': 60_000,
  'lambda.throttleRetryMinMs': 1_000,
  'lambda.throttleRetryMaxMs': 300_000,
  'lambda.maxEventAgeMs': 6 * 3_600_000,
  'lambda.workMsPerMessage': 0,
  'lambda.queueWhenBusy': 0,
  // SNS
  'sns.publishLatencyMs': latency(5, 8, 15, 40),
  'sns.deliveryLatencyMs': latency(62, 73, 125, 225),
  'sns.localBridge': 0,
  // EventBridge rate schedule
  'schedule.rateMinutes': scheduleConfig.rateMinutes,
  'schedule.fireWithinMs': 60_000,
  'schedule.deliveryLatencyMs': latency(113, 148, 241, 387),
  'schedule.compressed': 0,
  'schedule.compressedPollMs': benchConditions.tickPollMs,
  'schedule.compressedCountMs': 0,
  // The SQS event source mapping
  'esm.initialConcurrency': esmConfig.standardScaling.initialConcurrency,
  'esm.scaleUpPerMinute': esmConfig.standardScaling.scaleUpPerMinute,
  'esm.standardCeiling': esmConfig.standardScaling.maxConcurrency,
  'esm.maxConcurrency': esmConfig.maxConcurrency,
  'esm.batchSize': esmConfig.batchSize,
  'esm.batchingWindowMs': esmConfig.batchingWindowSeconds * 1000,
  'esm.pollWaitMs': 20_000,
  'esm.minimumPollers': esmConfig.pollers.least,
  'esm.maximumPollers': 10,
  'esm.invokesPerPoller': 10,
  'esm.provisionedScaleUpPerMinute': 1_000,
  // test-cron
  'fanout.maxWorkers': fanOutConfig.maxWorkers,
  // The AWS SDK's standard retry strategy, which every call of the functions goes through
  'sdk.maxAttempts': 3,
  'sdk.dynamodbMaxAttempts': 4,
  'sdk.retryBaseMs': 50,
  'sdk.throttlingRetryBaseMs': 1_000,
  'sdk.maxRetryDelayMs': 20_000,
  'sdk.retryQuota': 500,
  'sdk.retryCost': 14,
  'sdk.throttlingRetryCost': 5,
  // List prices, us-east-1
  'price.lambdaRequestsUsdPerMillion': 0.2,
  'price.lambdaGbSecondUsd': 0.0000133334,
  'price.sqsRequestsUsdPerMillion': 0.4,
  'price.snsPublishesUsdPerMillion': 0.5,
  'price.dynamodbWriteUnitsUsdPerMillion': 0.625,
  // This machine, for predicting the local benchmark (0 cores: no shared CPU, as on AWS)
  'local.cores': 0,
  'local.cpuPerCallMs': 1,
  'local.cpuMsPerMessage': 0,
  // The simulation itself
  'simulation.maxHours': queueConfig.retentionDays * 24,
} satisfies Record<string, number | Latency>;

export type ParameterName = keyof typeof awsParameters;

type Widened<T> = { [K in keyof T]: T[K] extends Latency ? Latency : number };

export type SimulationParameters = Widened<typeof awsParameters>;

const sqsLatency =
  '[assumed] no published per-call figure found; bounded by [3P] bitesizedserverless.com (eu-west-1, Sep 2022): send → handler through the event source mapping p10/p50/p90/p99 13.7/16.2/33.8/105 ms, which holds one receive answer and an invoke';

/** What each parameter is and where its default comes from. */
export const parameterInfo: Record<ParameterName, ParameterInfo> = {
  'sqs.receiveLatencyMs': { what: 'ReceiveMessage round trip (before any long-poll wait)', source: sqsLatency, kind: 'latency' },
  'sqs.deleteLatencyMs': { what: 'DeleteMessageBatch round trip', source: sqsLatency, kind: 'latency' },
  'sqs.changeVisibilityLatencyMs': { what: 'ChangeMessageVisibilityBatch round trip', source: sqsLatency, kind: 'latency' },
  'sqs.attributesLatencyMs': { what: 'GetQueueAttributes round trip', source: sqsLatency, kind: 'latency' },
  'sqs.shortPollSampleShare': {
    what: 'share of the visible messages a short poll (WaitTimeSeconds 0) sees',
    source:
      '[AWS] SQS developer guide, short and long polling: a short poll samples a weighted random subset of servers and with fewer than ~1,000 messages most likely returns fewer than asked; [ours] libs/local/wire-proxy short-poll-model.ts, 0.2 reproduces the seed\'s ~80 of 100 in its first tick',
    kind: 'share',
    min: 0.001,
    max: 1,
  },
  'sqs.visibilityTimeoutMs': { what: 'the queue\'s visibility timeout', source: '[ours] libs/pipeline/config queueConfig: 6 × the worker\'s 60 s timeout, as [AWS] advises', kind: 'integer', min: 0, max: 43_200_000 },
  'sqs.maxReceiveCount': { what: 'receives before redrive to the dead-letter queue', source: '[ours] libs/pipeline/config queueConfig', kind: 'integer', min: 1, max: 1_000 },
  'sqs.inFlightLimit': { what: 'most in-flight messages of a standard queue (OverLimit past it)', source: '[AWS] SQS quotas: about 120,000 in flight per standard queue', kind: 'integer', min: 1 },
  'sqs.retentionMs': { what: 'message retention (older messages are dropped)', source: '[ours] libs/pipeline/config queueConfig: 4 days (the SQS default)', kind: 'integer', min: 60_000 },
  'dynamodb.batchWriteLatencyMs': {
    what: 'BatchWriteItem of up to 25 items, round trip',
    source: '[3P] Alex DeBrie, dynamodb-performance-testing (us-east-1, 2020), from Lambda: p50 10.2, p90 16, p99 27.6 ms; p10 [assumed]',
    kind: 'latency',
  },
  'dynamodb.initialWriteUnits': {
    what: 'write request units a second a new on-demand table (and its index) takes at once',
    source: '[AWS] DynamoDB developer guide, on-demand capacity mode, and knowledge center "on-demand table throttling" (checked 2026-12): "For new on-demand tables, you can immediately drive up to 4,000 write request units"',
    kind: 'integer',
    min: 1,
  },
  'dynamodb.growthFactor': {
    what: 'a table takes this × its previous peak (see growthWindowMinutes)',
    source: '[AWS] developer guide: "instantly accommodates up to double the previous peak traffic"',
    kind: 'number',
    min: 1,
  },
  'dynamodb.growthWindowMinutes': {
    what: 'a new peak becomes the base of that doubling only once it is this old',
    source: '[AWS] knowledge center: "If you exceed double your previous traffic\'s peak within 30 minutes, then you might experience throttling"; our strict reading, see docs/scale.md',
    kind: 'number',
    min: 0,
  },
  'dynamodb.tableMaxWriteUnits': { what: 'per-table write quota of an on-demand table', source: '[AWS] DynamoDB service quotas: 40,000 write request units per table by default', kind: 'integer', min: 1 },
  'dynamodb.partitionWriteUnits': {
    what: 'write units a second one partition takes, and so one run id in the run index',
    source: '[AWS] developer guide, partition key design: 1,000 write units a second per partition, the same for global secondary indexes; a run\'s index writes share one partition key and increasing sort keys (writtenAt), which split for heat cannot spread ([AWS] Database Blog, "Scaling DynamoDB", part 3)',
    kind: 'integer',
    min: 1,
  },
  'dynamodb.writeUnitsPerItem': { what: 'write units per item in the table (and again in the index)', source: '[AWS] a write of up to 1 KB costs 1 WRU, plus 1 for each index it lands in; our items are about 250 bytes', kind: 'integer', min: 1 },
  'dynamodb.indexSharesTableCapacity': {
    what: '1: the run index\'s writes count against the table\'s capacity (each item 2 of its 4,000, as #16 reckons); 0: the index has capacity of its own, growing alike',
    source:
      '[ours] #16\'s reading, and what the cron assumes (fanOutConfig.writeUnitsPerItem 2); [AWS] knowledge center "on-demand table throttling" says a throttled global secondary index puts back pressure on its base table, which suggests capacity of its own (0): docs/scale.md shows both; billing counts 1 WRU in the table and 1 in the index either way',
    kind: 'switch',
  },
  'dynamodb.burstMs': { what: 'capacity a quiet table or key may spend at once, in ms of its rate', source: '[assumed] DynamoDB publishes no burst for on-demand; short, so that a second never takes much more than its rate', kind: 'integer', min: 1, max: 300_000 },
  'workload.runIds': {
    what: 'distinct runId values among the messages (0: none has one, nothing lands in the run index)',
    source: '[ours] npm run burst, k6 and the bench tag a burst with one run id',
    kind: 'integer',
    min: 0,
  },
  'workload.poisonMessages': { what: 'messages among the N that fail validation (the worker leaves them for the dead-letter queue)', source: '[ours] a workload choice', kind: 'integer', min: 0 },
  'lambda.accountConcurrency': { what: 'concurrent executions in the account and Region', source: '[AWS] Lambda quotas: 1,000 by default', kind: 'integer', min: 1 },
  'lambda.workerReservedConcurrency': {
    what: 'the worker\'s reserved concurrency (0: unreserved)',
    source: '[ours] libs/pipeline/config cloudConfig.workerReservedConcurrency, what infra/ deploys',
    kind: 'integer',
    min: 0,
  },
  'lambda.scaleUpPer10Seconds': {
    what: 'new execution environments a function may add every 10 s (refills continuously, never accumulates past it)',
    source: '[AWS] Lambda developer guide, "Lambda scaling behavior": 1,000 every 10 seconds per function',
    kind: 'integer',
    min: 1,
  },
  'lambda.coldStartMs': {
    what: 'a new execution environment\'s start, before its first invocation (billed)',
    source: '[ours] docs/benchmarks.md (2026-12-02): a fresh environment loads the 635 KB test-sqs2ddb bundle and finishes a first invocation in 338 ms; [3P] maxday/lambda-perf (2025-12): a hello-world nodejs22.x init is 102–139 ms; INIT is billed since 2025-08-01 ([AWS] compute blog)',
    kind: 'latency',
  },
  'lambda.invokeOverheadMs': { what: 'Lambda\'s own time around a handler (start and answer)', source: '[assumed] a few ms at most; measured locally for the local prediction', kind: 'latency' },
  'lambda.cronAnswerMs': {
    what: 'test-cron\'s time after its last call until its invocation ends (its logs and metrics, the answer on its way back)',
    source: '[assumed] 0 on AWS, where lambda.invokeOverheadMs holds it; measured locally for the local prediction (a tick\'s time less test-cron\'s calls and the host\'s overhead)',
    kind: 'latency',
  },
  'lambda.workerMemoryMb': { what: 'test-sqs2ddb\'s memory (GB-seconds)', source: '[ours] libs/pipeline/config workerConfig', kind: 'integer', min: 128, max: 10_240 },
  'lambda.workerTimeoutMs': { what: 'test-sqs2ddb\'s timeout: an invocation past it is killed', source: '[ours] libs/pipeline/config workerConfig', kind: 'integer', min: 1_000, max: 900_000 },
  'lambda.cronMemoryMb': { what: 'test-cron\'s memory', source: '[ours] libs/pipeline/config cronConfig', kind: 'integer', min: 128, max: 10_240 },
  'lambda.cronTimeoutMs': { what: 'test-cron\'s timeout', source: '[ours] libs/pipeline/config cronConfig', kind: 'integer', min: 1_000, max: 900_000 },
  'lambda.asyncRetries': { what: 'retries of an asynchronous invocation that failed', source: '[AWS] Lambda developer guide, asynchronous invocation: two retries by default', kind: 'integer', min: 0, max: 2 },
  'lambda.asyncRetryDelayMs': {
    what: 'wait before the first retry of a failed asynchronous invocation (twice that before the second)',
    source: '[AWS] "a one-minute wait between the first two attempts, and two minutes between the second and third"',
    kind: 'integer',
    min: 0,
  },
  'lambda.throttleRetryMinMs': { what: 'first retry of a throttled asynchronous event', source: '[AWS] "the retry interval increases exponentially from 1 second … to a maximum of 5 minutes"', kind: 'integer', min: 1 },
  'lambda.throttleRetryMaxMs': { what: 'longest wait between retries of a throttled asynchronous event', source: '[AWS] as above: 5 minutes', kind: 'integer', min: 1 },
  'lambda.maxEventAgeMs': { what: 'an asynchronous event still throttled after this is dropped', source: '[AWS] up to 6 hours', kind: 'integer', min: 60_000 },
  'lambda.workMsPerMessage': { what: 'extra processing time per message in the worker', source: '[ours] 0: the worker only validates and writes; set it to model heavier work', kind: 'number', min: 0 },
  'lambda.queueWhenBusy': {
    what: '1: invocations beyond the concurrency wait in line (the local function host) instead of being throttled',
    source: '[ours] libs/local/function-host queues; Lambda throttles (0)',
    kind: 'switch',
  },
  'sns.publishLatencyMs': { what: 'PublishBatch round trip', source: '[assumed] as SQS', kind: 'latency' },
  'sns.deliveryLatencyMs': {
    what: 'SNS → Lambda: publish to handler start',
    source: '[3P] bitesizedserverless.com (eu-west-1, Sep 2022, 1,024 messages): p10/p50/p90/p99 62/73/125/225 ms',
    kind: 'latency',
  },
  'sns.localBridge': {
    what: '1: notifications reach the worker as the local runtime\'s SNS bridge hands them over, up to 10 a round, a round taking sns.deliveryLatencyMs',
    source: '[ours] libs/local/runtime sns-bridge.ts (fauxqs never invokes a function); SNS itself delivers each on its own (0)',
    kind: 'switch',
  },
  'schedule.rateMinutes': { what: 'test-cron\'s rate', source: '[ours] libs/pipeline/config scheduleConfig, as in the 2015 design', kind: 'number', min: 1 },
  'schedule.fireWithinMs': {
    what: 'a rate schedule fires somewhere within this much of its minute',
    source: '[AWS] EventBridge: one-minute precision; [3P] Trek10 (2016, ~4,700 events): 25 s average delay within the minute, all under 60 s',
    kind: 'integer',
    min: 0,
  },
  'schedule.deliveryLatencyMs': {
    what: 'EventBridge → Lambda delivery',
    source: '[3P] bitesizedserverless.com (2023, after EventBridge\'s Feb 2023 improvement): p10/p50/p90/p99 113/148/241/387 ms',
    kind: 'latency',
  },
  'schedule.compressed': { what: '1: the next tick fires as soon as the previous tick\'s runs have ended (the local bench)', source: '[ours] libs/local/bench', kind: 'switch' },
  'schedule.compressedPollMs': {
    what: 'with compressed ticks, how often the bench looks, once test-cron\'s tick has returned, whether the tick\'s runs have ended',
    source: '[ours] libs/local/bench benchConditions.tickPollMs; for the local prediction, the wait its timer takes here, measured',
    kind: 'number',
    min: 0,
  },
  'schedule.compressedCountMs': { what: 'with compressed ticks, the bench\'s count of the run\'s items between seeing a tick\'s runs end and the next tick', source: '[ours] measured locally for the local prediction', kind: 'number', min: 0 },
  'esm.initialConcurrency': { what: 'standard mode: concurrent invocations a mapping starts with', source: '[AWS] Lambda developer guide, "Scaling and processing" for SQS: 5', kind: 'integer', min: 1 },
  'esm.scaleUpPerMinute': {
    what: 'standard mode: concurrent invocations added a minute while messages wait',
    source: '[AWS] 300 a minute since Nov 2023 ([AWS] compute blog: 60 a minute before, "1,250 concurrent executions in approximately 20 minutes")',
    kind: 'integer',
    min: 1,
  },
  'esm.standardCeiling': { what: 'standard mode: most concurrent invocations of one mapping', source: '[AWS] 1,250 (another AWS page says 1,000 concurrent batches)', kind: 'integer', min: 1 },
  'esm.maxConcurrency': {
    what: 'the mapping\'s MaximumConcurrency (0: none set; AWS takes 2–1,000)',
    source: '[ours] libs/pipeline/config esmConfig.maxConcurrency, what infra/ deploys: the fan-out cap',
    kind: 'integer',
    min: 0,
    max: 1_000,
  },
  'esm.batchSize': { what: 'messages per invocation', source: '[ours] esmConfig.batchSize; [AWS] up to 10 without a batching window, 10,000 with one', kind: 'integer', min: 1, max: 10_000 },
  'esm.batchingWindowMs': { what: 'longest a mapping gathers a batch', source: '[ours] esmConfig (0); [AWS] up to 300 s', kind: 'integer', min: 0, max: 300_000 },
  'esm.pollWaitMs': { what: 'the mapping\'s long-poll wait', source: '[AWS] Lambda polls SQS with long polling (20 s)', kind: 'integer', min: 0, max: 20_000 },
  'esm.minimumPollers': { what: 'provisioned mode: minimum pollers (billed while idle)', source: '[AWS] news blog, Nov 2025: 2–200, default 2', kind: 'integer', min: 1 },
  'esm.maximumPollers': { what: 'provisioned mode: maximum pollers', source: '[ours] 10 pollers × 10 invokes: the fan-out cap of 100 concurrent; [AWS] 2–2,000', kind: 'integer', min: 1 },
  'esm.invokesPerPoller': { what: 'provisioned mode: concurrent invokes per poller', source: '[AWS] news blog, Nov 2025: up to 10 concurrent invokes per poller', kind: 'integer', min: 1 },
  'esm.provisionedScaleUpPerMinute': { what: 'provisioned mode: concurrent invocations added a minute', source: '[AWS] news blog, Nov 2025: up to 1,000 a minute', kind: 'integer', min: 1 },
  'fanout.maxWorkers': { what: 'the most workers one tick of fanout-drain starts', source: '[ours] libs/pipeline/config fanOutConfig.maxWorkers', kind: 'integer', min: 0 },
  'sdk.maxAttempts': {
    what: 'attempts of one SDK call (the SDK\'s own retries, under the worker\'s)',
    source: '[ours] @aws-sdk/* 3.1169.0 with @smithy/core 3.41.1, standard retry mode: DEFAULT_MAX_ATTEMPTS 3',
    kind: 'integer',
    min: 1,
  },
  'sdk.dynamodbMaxAttempts': {
    what: 'attempts of one DynamoDB call unless its client says otherwise (the worker\'s says 1: workerConfig.writeSdkAttempts)',
    source: '[ours] @aws-sdk/client-dynamodb 3.1169.0 runtimeConfig: maxAttempts default 4',
    kind: 'integer',
    min: 1,
  },
  'sdk.retryBaseMs': { what: 'SDK backoff base of a transient error: a retry waits random × base × 2^retry', source: '[ours] @smithy/core 3.41.1 Retry.delay(): 50', kind: 'integer', min: 0 },
  'sdk.throttlingRetryBaseMs': { what: 'SDK backoff base of a throttling error', source: '[ours] @smithy/core 3.41.1 Retry.throttlingDelay(): 1,000', kind: 'integer', min: 0 },
  'sdk.maxRetryDelayMs': { what: 'SDK longest backoff', source: '[ours] @smithy/core 3.41.1 MAXIMUM_RETRY_DELAY: 20 s', kind: 'integer', min: 0 },
  'sdk.retryQuota': { what: 'SDK retry tokens per client (a retry spends some, a success refunds)', source: '[ours] @smithy/core 3.41.1 INITIAL_RETRY_TOKENS: 500', kind: 'integer', min: 0 },
  'sdk.retryCost': { what: 'tokens a retry of a transient error spends', source: '[ours] @smithy/core 3.41.1 Retry.cost(): 14', kind: 'integer', min: 0 },
  'sdk.throttlingRetryCost': { what: 'tokens a retry of a throttling error spends', source: '[ours] @smithy/core 3.41.1 Retry.throttlingCost(): 5', kind: 'integer', min: 0 },
  'price.lambdaRequestsUsdPerMillion': { what: 'Lambda, per million invocations', source: '[AWS] price list, us-east-1 (checked 2026-12)', kind: 'number', min: 0 },
  'price.lambdaGbSecondUsd': { what: 'Lambda arm64, per GB-second', source: '[AWS] price list, us-east-1, first tier (checked 2026-12)', kind: 'number', min: 0 },
  'price.sqsRequestsUsdPerMillion': { what: 'SQS standard, per million requests', source: '[AWS] price list, us-east-1 (checked 2026-12)', kind: 'number', min: 0 },
  'price.snsPublishesUsdPerMillion': { what: 'SNS, per million publishes (deliveries to Lambda are free)', source: '[AWS] price list, us-east-1 (checked 2026-12)', kind: 'number', min: 0 },
  'price.dynamodbWriteUnitsUsdPerMillion': { what: 'DynamoDB on demand, per million write request units', source: '[AWS] price list, us-east-1, after the Nov 2024 cut (checked 2026-12)', kind: 'number', min: 0 },
  'local.cores': {
    what: 'cores the local emulators and functions share (0: none, as on AWS); with cores, each call\'s latency is CPU run on them',
    source: '[ours] this machine, for the local prediction',
    kind: 'integer',
    min: 0,
  },
  'local.cpuPerCallMs': {
    what: 'with cores: CPU ms on them per ms of a call\'s time alone (past 1, a call costs more CPU in a crowd than its time alone shows; below, part of it is hops between processes, which overlap)',
    source: '[ours] measured locally: the local limit\'s drain keeps the cores busy, its time × the cores spread over its calls by their times alone',
    kind: 'number',
    min: 0.001,
  },
  'local.cpuMsPerMessage': { what: 'CPU ms the worker spends per message on this machine', source: '[ours] measured locally for the local prediction', kind: 'number', min: 0 },
  'simulation.maxHours': { what: 'virtual hours after which a drain that has not finished is given up', source: '[ours] the queue\'s retention: a message older than that is gone anyway', kind: 'number', min: 0.01 },
};
