import { formatParameterValue } from './parameter-values.js';
import { awsParameters, parameterInfo, type ParameterName } from './parameters.js';
import type { StrategyFigures } from './run-simulation.js';
import type { ScaleStudy, StudyRun } from './scale-study.js';
import { drainAfterTickMs, figuresTable, formatDuration, requestsTable, writeLimitRatio } from './simulation-report.js';

const count = (n: number) => n.toLocaleString('en-US');
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/**
 * What fanout-drain at 1,000,000 messages on a new table did before #16's changes and after each,
 * recorded with the commit each ran at (the earlier code is gone; check it out to run it again).
 */
export const history = [
  {
    commit: '83f62a7',
    what: 'before: test-cron starts ⌈n/10⌉ workers up to 100, each with 4 loops; runs end at their budget or time; the SDK retries throttled writes too (modelled then with 3 attempts, where the DynamoDB client makes 4)',
    figures:
      'not drained: 895,799 written in 83 min of virtual time; 104,201 good messages in the dead-letter queue; 4,387 runs failed with OverLimit (120,000 messages in flight); 12,079,402 items throttled; 0.59 BatchWriteItem calls a message; 17 ticks',
  },
  {
    commit: '23cff82',
    what: 'a tick sized to the table (4 loops for 4,000 write units, less the loops already draining), runs that shed loops when throttled hard and give back what they could not write, and hand over to a successor when they stop with messages waiting',
    figures: 'drained: 1,000,000 written, 0 lost, 0 in the dead-letter queue, 0 written twice; drain after the tick 1.10 × the write limit at seed 1, 1.17 × once a constant latency was sampled as a constant (commit 91ef77b)',
  },
  {
    commit: 'df694f0',
    what: 'the worker\'s DynamoDB client makes one attempt a call: its own write policy retries (from 50 ms); the SDK\'s throttling backoff (up to 1 s, then 2 s) had held the loops idle',
    figures: 'drained: 0 lost, 0 in the dead-letter queue, 0 written twice; 1.05 × the write limit (seeds 2 and 3: 1.12 ×, 1.04 ×)',
  },
];

function parameterTable(): string {
  const lines = ['| parameter | default | what | source |', '| --- | --- | --- | --- |'];
  for (const name of Object.keys(awsParameters) as ParameterName[]) {
    const info = parameterInfo[name];
    lines.push(`| \`${name}\` | ${formatParameterValue(awsParameters[name])} | ${info.what} | ${info.source.replace(/\|/g, '/')} |`);
  }
  return lines.join('\n');
}

function runOf(study: ScaleStudy, strategy: string, messages: number): StudyRun | undefined {
  return study.runs.find((run) => run.figures.strategy === strategy && run.figures.messages === messages);
}

function speedTable(study: ScaleStudy, messages: number): string {
  const lines = ['| strategy | simulated time | real time | CPU time | simulated events behind it |', '| --- | --- | --- | --- | --- |'];
  for (const run of study.runs.filter((r) => r.figures.messages === messages)) {
    const requests = Object.values(run.figures.requestsPerMessage).reduce((a, b) => a + b, 0) * messages;
    lines.push(
      `| ${run.figures.strategy} | ${formatDuration(run.details.virtualMs)} | ${formatDuration(run.details.realMs)} | ${formatDuration(run.cpuMs)} | ${count(Math.round(requests))} AWS requests, ${count(run.figures.invocations)} invocations |`,
    );
  }
  return lines.join('\n');
}

function targetLine(figures: StrategyFigures | undefined): string {
  if (!figures) return 'not run';
  const after = drainAfterTickMs(figures);
  const ratio = writeLimitRatio(figures);
  const ok = figures.lost === 0 && figures.goodInDlq === 0 && ratio !== null && ratio <= 1.15;
  return `${ok ? '✅' : '❌'} lost ${count(figures.lost)}, good messages in the dead-letter queue ${count(figures.goodInDlq)}, written twice ${count(figures.duplicates)}; drain after the tick ${formatDuration(after)} = ${ratio?.toFixed(2) ?? '—'} × the write limit (${formatDuration(figures.writeLimitMs)}; target ≤ 1.15)`;
}

/** docs/scale.md, from a real run of the study. */
export function scaleDocument(study: ScaleStudy, command: string): string {
  const p = awsParameters;
  const million = runOf(study, 'fanout-drain', 1_000_000)?.figures;
  const rows = study.runs.map((run) => run.figures);
  const localRows = study.local?.predictions ?? [];
  const b = study.boundary;
  const perMessage = (cost: { receive: number; deleteBatch: number; batchWrite: number }) => cost.receive / 10 + cost.deleteBatch / 10 + cost.batchWrite / 25;
  const [five, one] = study.schedule;
  return `# Drains at AWS scale, simulated

This machine drains 10,000 messages in seconds on emulators (docs/benchmarks.md). On AWS other
things decide a drain of 100,000 to 10,000,000: the wait for test-cron's schedule, Lambda's scaling
rate, the event source mapping's ramp, per-call latencies, SQS's short polls, and above all
DynamoDB's write ceiling. \`npm run simulate\` runs our own functions against simulated AWS services
in virtual time, under AWS's published limits, and answers how long a backlog takes on AWS under
each design, what it costs, and whether good messages end in the dead-letter queue.

\`\`\`sh
npm run simulate -- --strategy all --messages 1000000 --seed 1            # a table of every strategy
npm run -s simulate -- --strategy fanout-drain --messages 1000000 --json  # {"parameters":{…},"strategies":[…]}
npm run simulate -- --strategy esm --messages 100000 --set esm.maxConcurrency=0 --set lambda.workerReservedConcurrency=0
npm run simulate -- --help                                                 # every parameter, its default and its source
${command.padEnd(74)} # this page and its two pictures
\`\`\`

Measured ${study.date} on this machine (${study.machine.cpus} cores, Node ${study.machine.node}). The same seed gives
byte-identical results.

## How it works

- **Virtual time.** \`@sinonjs/fake-timers\` (15.5.0) replaces the global timers and \`Date\` while a
  simulation runs; the driver fires one timer at a time and lets the promises it settles run before
  the next (a \`process.nextTick\` turn, a real \`setImmediate\` every 1,000 timers for output). Our
  code's own waits (retry backoffs, the run writer's join wait, long polls) take virtual time and
  none of it is waited for. One timer is outstanding per simulated call in progress, so the clock's
  heap stays small with hundreds of loops.
- **One seeded generator** (the fault proxy's mulberry32) makes every random choice: latencies,
  short-poll samples, the schedule's second within its minute, the worker's retry jitter (its retry
  policies take \`random\`), the SDK's. Simulations run one at a time in a process (the clock is global).
- **Our code runs unchanged.** test-cron's \`fanOutTick\` (depth read, PublishBatch), the worker's
  \`drainRun\` with its loops, shared \`RunWriter\`, \`awsDrainPorts\` (\`receiveMessages\`, \`writeItems\`
  with \`sendInBatchesWithRetry\`, \`deleteMessages\`, \`releaseMessages\`), \`successorRun\` and
  \`publishWorkerStart\`, and the event source mapping's entry \`writeBatch(ports.write, records.map(batchMessageOf))\`.
  What \`apps/test-sqs2ddb\`'s handler adds around them (one run per notification, the partial batch
  response, the successor) is repeated in a few lines: a lib cannot import an app. Settings come from
  the functions' own environment contract (\`functionEnvironments\` → \`readWorkerEnvironment\` /
  \`readCronEnvironment\`), strategies from the bench's (\`libs/local/bench/src/strategies.ts\`), the
  short-poll model from the wire proxy's (\`sampledReceiveCount\`).

### The boundary: the SDK client's \`send\`

Our code builds real SDK command objects and hands them to clients whose \`send\` the simulation
answers, after the call's latency, from its model of the service. Measured here, CPU a call:

| call | the SDK's request handler answers (serialize, sign, middleware, parse) | the client's \`send\` answers |
| --- | ---: | ---: |
| ReceiveMessage of 10 | ${b.requestHandler.receive} µs | ${b.send.receive} µs |
| DeleteMessageBatch of 10 | ${b.requestHandler.deleteBatch} µs | ${b.send.deleteBatch} µs |
| BatchWriteItem of 25 (document client) | ${b.requestHandler.batchWrite} µs | ${b.send.batchWrite} µs |

At the request handler the SDK alone costs about ${Math.round(perMessage(b.requestHandler))} µs a message drained,
${Math.round(perMessage(b.requestHandler))} s of CPU for 1,000,000 messages before anything is simulated: past the 2-minute budget on
this machine with the rest. At \`send\` it costs ${perMessage(b.send).toFixed(1)} µs. The drain ports would be cheaper still, but
then \`writeItems\`, \`deleteMessages\` and \`sendInBatchesWithRetry\` would not run. What \`send\` skips
is the SDK's middleware, and of that only its retries change a drain: they are modelled, as the SDK
3.1169.0 / @smithy/core 3.41.1 in node_modules implements its standard mode (\`sdk.*\` parameters):
3 attempts (4 for DynamoDB), a retry after random × min(base × 2^retry, 20 s) with base 1,000 ms for throttling and
50 ms otherwise, a quota of 500 tokens per client (a throttling retry costs 5, another 14, a success
refunds). Each function environment has its own clients and quotas, as \`main.ts\` makes them. The
SDK's retries multiply the worker's: a BatchWriteItem refused whole was sent 4 times per attempt of
the worker's policy (6), 24 calls; the worker's client now makes one attempt a call (below).

## The models

- **SQS standard queue** (\`sqs-queue.ts\`): messages leave roughly in the order they became visible;
  a receive hides them for the visibility timeout and counts a receive; a message whose visibility
  ends after maxReceiveCount receives moves to the dead-letter queue; a delete with an older receipt
  handle succeeds and deletes nothing; ChangeMessageVisibility; retention; past 120,000 in flight a
  receive fails with OverLimit. A long poll returns what is visible at once, or waits for the first
  message up to its wait; a short poll finds each visible message with probability 0.2 and returns
  min(asked, found), so below about 1,000 messages it returns fewer than asked. Depth attributes are
  exact (AWS's are approximate and may lag a minute; a drain of minutes does not feel it).
- **DynamoDB on demand** (\`dynamodb-table.ts\`, \`on-demand-capacity.ts\`): BatchWriteItem writes each
  item the table, the run index and the item's run id have capacity for now, returns the rest in
  \`UnprocessedItems\`, and fails whole with ProvisionedThroughputExceededException only when it could
  write none. Capacity is a token bucket refilled at the rate allowed, holding ${p['dynamodb.burstMs']} ms of it.
  - *Growth.* AWS: a new on-demand table "can immediately drive up to 4,000 write request units";
    it "instantly accommodates up to double the previous peak traffic"; and "if you exceed double
    your previous traffic's peak within 30 minutes, then you might experience throttling". Our
    reading, the strict one: the rate allowed at t is max(4,000, 2 × the busiest second up to
    t − 30 min), at most the table quota (40,000). A new table stays at 4,000 for its first 30
    minutes however hard it is driven, then doubles each half hour it is kept busy. The factor and
    the window are parameters.
  - *Index writes.* Every item carries a runId, so it lands in the run index too: 2 write units an
    item. By default the index's units count against the table's 4,000 (#16's reckoning, and what
    test-cron assumes); AWS's note that a throttled index puts back pressure on its base table suggests
    the index has capacity of its own (\`dynamodb.indexSharesTableCapacity=0\`); the variants below show both.
  - *One run's partition.* Every item of a run has the same runId, the index's partition key, and
    its sort key (writtenAt) only grows. One partition takes 1,000 write units a second, and a split
    for heat cannot spread writes whose sort key keeps increasing: each new item lands past the split
    point. So a burst tagged with one run id, as \`npm run burst\`, k6 and the bench send it, is written
    at most 1,000 items a second whatever the table takes. The simulation holds each run id to its
    own 1,000 (\`workload.runIds\`, 1 by default; 0: no run id, nothing in the index). The real service
    would do the same, or worse: the base table's and the index's partitions are not modelled one by
    one (random UUID keys spread evenly, so the table's rate binds first).
- **Lambda** (\`lambda-service.ts\`): the account's concurrency (1,000) and the worker's reserved
  concurrency (100); at most 1,000 new environments per 10 s per function, refilling continuously;
  warm environments reused, new ones started cold (${formatParameterValue(p['lambda.coldStartMs'])} ms, our bundle's measured start,
  billed); an invocation past its timeout is killed with its environment, and whatever it still
  waits for never answers; asynchronous events (SNS, EventBridge) refused for concurrency are retried
  from 1 s doubling to 5 min for up to 6 h, failed ones retried twice, 1 and 2 minutes later;
  billed per invocation and per GB-second.
- **EventBridge** (\`rate-schedule.ts\`): a rate schedule fires every rate, somewhere within the first
  60 s of its minute, on a grid the first message meets at a random phase; then EventBridge → Lambda
  delivery (${formatParameterValue(p['schedule.deliveryLatencyMs'])} ms). **SNS → Lambda**: ${formatParameterValue(p['sns.deliveryLatencyMs'])} ms.
- **The SQS event source mapping** (\`event-source-mapping.ts\`): pollers long-poll the queue, gather
  a batch (batch size, batching window), invoke the worker synchronously and delete what its answer
  does not name as failed; throttled or failed batches wait out their visibility timeout. Standard
  mode starts at ${p['esm.initialConcurrency']} and adds ${p['esm.scaleUpPerMinute']} a minute while messages wait, up to 1,250 or the mapping's
  MaximumConcurrency (${p['esm.maxConcurrency']} as infra/ deploys it); provisioned mode starts at minimum pollers × 10 and
  adds 1,000 a minute up to maximum pollers × 10. It does not scale back down (a drain never needs it).
- **Costs** are a calculation from list prices: Lambda requests and GB-seconds (init included), SQS
  requests (producers' SendMessageBatch and the mapping's polls included), SNS publishes, DynamoDB
  write units (the index's included). The schedule's rule is free; provisioned pollers' hourly
  charge is not included.

## Every parameter, with its source

${parameterTable()}

## Every strategy at N = ${study.sizes.map(count).join(' / ')}

A burst of N at once, seed 1, every parameter at its default. "Drain" runs from the first message to
the last item written; "wait for the 1st tick" is the schedule's part of it (0 for the mapping);
"× write limit" sets the drain after the tick against the time writing N items takes at the table's
capacity, the floor no consumer can beat (1,000 items a second here: one run id).${study.sizes.includes(10_000_000) ? ' The original fan-out is not run at 10,000,000: it publishes a million worker starts, about a quarter of an hour to simulate.' : ' 10,000,000 is left out of the study: each strategy takes 3 to 6 minutes of CPU to simulate at that size (fanout-drain 187 s, esm 367 s on this machine), an hour more for the whole study; `npm run simulate -- --strategy fanout-drain --messages 10000000` runs one (it drained in 10,288 s, esm in 10,353 s: both held to the table\'s 1,000 items a second).'}

${figuresTable(rows)}

AWS requests per message, by API:

${requestsTable(rows)}

![Queue depth over time at N = ${count(study.depth.messages)}, one line per strategy](scale-depth.svg)

![Drain time against N, one line per strategy, the write limit dashed](scale-drain-time.svg)

What the pictures say: the 2015 designs lose to their schedule (serial does not finish in the
queue's 4 days of retention past about 11,500 messages; the original fan-out takes ticks for the
last messages its short polls miss); the mapping starts at once and wins small bursts; from about
100,000 messages every design meets the table's ceiling, and what matters is how close it drains to
it without redelivering or dead-lettering good messages.

## The seed's figures and AWS's

- The original fan-out drained "about 80 of 100" in its first tick. Simulated over 10 seeds:
  ${study.seed.fanoutShares.map((s) => `${Math.round(s * 100)} %`).join(', ')} (mean ${Math.round(mean(study.seed.fanoutShares) * 100)} %). Its ⌈100/10⌉ = 10 workers each
  make one short poll: each finds a message with probability 0.2, so a poll of 100 visible messages
  returns 10, but the later ones, over fewer messages, come back short.
- The design before it counts 10 ticks for 100 (50 minutes) when every receive returns 10:
  simulated with every receive full, ${study.seed.serialTicksFull.join(', ')} ticks. With short polls it needs more:
  ${study.seed.serialTicksShort.join(', ')} ticks over 10 seeds (mean ${mean(study.seed.serialTicksShort).toFixed(1)}). One worker a tick makes one short poll: while
  more than about 50 messages are visible it finds its 10 (50 × 0.2), below that it finds fewer
  (the expected find is 0.2 × visible), and the last messages take a tick or more each.
- AWS wrote that before Nov 2023 the mapping reached "a maximum of 1,250 concurrent executions in
  approximately 20 minutes" at +60 a minute. Simulated with nothing else in the way (no maximum or
  reserved concurrency, room in the account, slow messages so that the backlog outlasts the ramp):
  ${formatDuration(study.esmRamp.pre2023Ms)}; at today's +300 a minute, ${formatDuration(study.esmRamp.todayMs)}.

## The local prediction: the bench measures, the simulation predicts

${
  localRows.length === 0
    ? 'Not run this time (the function bundles were not built).'
    : `With this machine's measured parameters the simulation predicts the local bench's rows. The
inputs, measured in the same run: each call's time alone over the bench's wire to the emulators
(receive ${study.local?.inputs.callMs.receive.p50} ms, BatchWriteItem of 25 ${study.local?.inputs.callMs.batchWrite.p50} ms, delete ${study.local?.inputs.callMs.delete.p50} ms at p50), a worker run's
own time beyond its calls' (the host's, its logs and metrics, the wire's depth read for a short poll: ${study.local?.inputs.invokeOverheadMs.toFixed(2)} ms), a tick's start (${study.local?.inputs.tickStartMs.toFixed(1)} ms to the first worker run; test-cron's whole invocation ${study.local?.inputs.cronTickMs.toFixed(1)} ms), the bench's look for a tick's
end (every ${study.local?.inputs.tickPollMs.toFixed(1)} ms from test-cron's return), the worker's CPU a message (${((study.local?.inputs.cpuMsPerMessage ?? 0) * 1000).toFixed(1)} µs). On this
machine a call's time is nearly all CPU (the SDK, the wire proxy, the emulator), so the simulation
runs it on the ${study.local?.inputs.cores} cores it shares (processor sharing), scaled by a CPU scale measured beside each of the
bench's drains by a raw drain of N with 16 loops (the local limit's): its time × the cores, spread
over its calls by their times alone. The load of a shared machine drifts; pairing keeps both sides in
the same state. Locally: two warm worker environments that queue what they cannot take yet, the
fan-out capped at them, 8 loops a run, the SNS bridge's 10 notifications a round, compressed ticks.
One figure is not the pipeline's and is not predicted: after each tick the bench counts the run's
items in the table before it ticks again, so a drain of many ticks waits for its counts. The
simulation waits as long as the bench's counts took in the same drains (their median, in the table).

| strategy | N | bench: median drain after the first tick (each drain) | simulated: median (each drain's, at its scale) | simulated / bench (median of each drain's) | ticks: bench / simulated (medians) | the bench's count after a tick |
| --- | --- | --- | --- | --- | --- | --- |
${localRows.map((r) => `| ${r.strategy} | ${count(r.messages)} | ${r.benchMs} ms (${r.benchSamples.join(' / ')}) | ${r.predictedMs} ms (${r.predictedSamples.join(' / ')}) | ${r.ratio.toFixed(2)} | ${r.benchTicks} / ${r.predictedTicks} | ${r.benchCountMs.toFixed(1)} ms |`).join('\n')}

The ticks say whether the model drains the way the bench does: \`fanout\`'s short polls sample, so its
last messages take tick after tick, each paying test-cron, the bridge, the runs and the bench's count.

Target ±25 %: ${localRows.every((r) => r.ratio >= 0.75 && r.ratio <= 1.25) ? '✅ every row' : `❌ ${localRows.filter((r) => r.ratio < 0.75 || r.ratio > 1.25).length} rows outside`}. The same comparison runs in \`npm test\`
(\`loadtest/src/simulate-local.e2e.spec.ts\`) with a factor of 3 as its bound: other suites share the
cores there, and what it must catch is a model with wrong units or a missing rule, not a busy machine.

The prediction is for a machine the bench has to itself. With two busy loops beside the same
comparison (measured once, at commit 66acb14) fanout-drain's rows came out at 1.76 and 1.95 and
fanout's at 0.85 and 1.16: the CPU scale is measured by a raw drain on one thread, while the bench's
runs are spread over two worker threads and the main thread, which win a larger share of cores that
other processes want too; a probe laid out as the bench is, is the likely fix.`
}

## What the 1,000,000 run found, and what changed

fanout-drain at 1,000,000 messages on a new on-demand table, run after run of the simulation:

${history.map((h) => `- **${h.commit}**, ${h.what}: ${h.figures}.`).join('\n')}

Before, the fan-out overran the write ceiling: 100 workers of 4 loops asked for about 50 times
what one run id's partition takes. Writes were refused whole, the SDK retried each with backoffs of
up to 1, 2 and 4 s, the worker's policy six times over that, and the items it gave up on
left their messages in flight for the 6-minute visibility timeout. In-flight messages piled past
SQS's 120,000, receives failed with OverLimit and failed their runs, and messages received five
times went to the dead-letter queue. Runs ended at their 50 s of invocation time and the drain
waited 5 minutes for the next tick.

What the drain does now (shipped code, \`libs/pipeline/*\`, settings in \`libs/pipeline/config\`):

1. **test-cron sizes the fan-out to the table** (\`fanOutPlan\`): no more loops than the write capacity
   it can expect keeps busy (\`FAN_OUT_TABLE_WRITE_UNITS\`, default ${'4,000'}, a new on-demand table; 2
   units an item; 500 items a second a loop, as simulated), less the loops already draining (the
   messages in flight over 10). 0 means no limit: the local runtime's emulator, and the original
   designs the bench runs.
2. **A run hands over to its successor** (\`successorRun\`, \`successorStart\`, \`publishWorkerStart\`): a
   run that stopped at its message budget or its time with messages still waiting publishes its own
   start to the workers' topic, with the loops it kept (one more if it shed none). The drain goes on
   at once instead of at the next tick. The worker's role may publish to the topic.
3. **Runs shed loops when their writes are throttled hard** (\`RunPace\`): more than 2 retries a batch,
   or items given up, sheds a loop, at most one a second, never the last. Light throttling is what
   a drain at the table's pace looks like: its retries get through and slow each loop by themselves.
4. **What the table would not take goes back sooner** (\`releaseMessages\`, ChangeMessageVisibility):
   at once after a message's first receive, then 30 s doubling with each further receive, never
   later than the visibility timeout; a table that keeps refusing does not spend a message's five
   receives in seconds. The worker's role may change visibility.
5. **The worker's writes are retried by its own policy alone**: its DynamoDB client makes one attempt
   a call (\`workerConfig.writeSdkAttempts\`).

Now, at seed 1: ${targetLine(million)}.

The same code on other tables (fanout-drain, 1,000,000):

| table | drain after the tick | write limit | × write limit | good in DLQ | written twice | lost |
| --- | --- | --- | --- | --- | --- | --- |
${study.variants.map((v) => `| ${v.label} (\`${v.settings.join(' ')}\`) | ${formatDuration(drainAfterTickMs(v.run.figures))} | ${formatDuration(v.run.figures.writeLimitMs)} | ${writeLimitRatio(v.run.figures)?.toFixed(2) ?? '—'} | ${count(v.run.figures.goodInDlq)} | ${count(v.run.figures.duplicates)} | ${count(v.run.figures.lost)} |`).join('\n')}

A table that takes far more than test-cron expects (the index on capacity of its own, or a warmed
table) is drained by the loops the tick sized, up to 4 a run: say so with \`FAN_OUT_TABLE_WRITE_UNITS\`.
On this machine none of it engages: the local runtime gives test-cron no table limit and dynalite
never throttles, so the bench runs the same loops as before (docs/benchmarks.md, measured just before
this code landed: fanout-drain 134 / 1,500 / 5,930 ms from the first enqueue at N = 100 / 1,000 / 10,000).

## The wait for the tick

The schedule is the design's own cost: a burst waits for the next tick, up to the rate plus the
minute the rule fires within, then EventBridge's delivery. fanout-drain at 1,000, over 10 seeds:

| rate | wait for the first tick: mean (max) | test-cron invocations a month | what they cost a month |
| --- | --- | --- | --- |
${study.schedule.map((s) => `| ${s.rateMinutes} min | ${formatDuration(mean(s.tickWaitMs))} (${formatDuration(Math.max(...s.tickWaitMs))}) | ${count(s.cronInvocationsPerMonth)} | $${s.cronUsdPerMonth.toFixed(3)} |`).join('\n')}

A 1-minute schedule (EventBridge's shortest) saves ${five && one ? formatDuration(mean(five.tickWaitMs) - mean(one.tickWaitMs)) : '—'} of waiting on average and costs
${five && one ? `$${(one.cronUsdPerMonth - five.cronUsdPerMonth).toFixed(3)}` : '—'} a month more (each tick is one invocation of about 100 ms at 256 MB and one GetQueueAttributes;
ticks that find nothing start nothing). It does not change the drain once it has started: runs now
hand over to their successors instead of waiting for the next tick. The event source mapping has
no wait at all, and polls the queue all the time instead (its ReceiveMessage calls, billed).

## Speed

Simulating 1,000,000 messages, one strategy at a time, on this machine:

${speedTable(study, 1_000_000)}

Each simulated call is two timers of the fake clock and a turn of the microtask queue; our code
runs for real (validation, item keys by SHA-1, the writer's bookkeeping), and every SDK command
object is built. What limits it is the number of calls and invocations: the original fan-out
publishes 100,000 worker starts and invokes the worker as often; fanout-drain makes about 0.25 calls
a message. Memory: typed arrays of a few bytes per message.
`;
}
