import { constantLatency } from './latency.js';
import { LambdaService, type FunctionDefinition, type LambdaLimits } from './lambda-service.js';
import { createRandom } from './random.js';
import type { Caller } from './simulated-aws.js';
import { inVirtualTime } from './testing/virtual-time.js';

const limits: LambdaLimits = {
  accountConcurrency: 1_000,
  scaleUpPer10Seconds: 1_000,
  asyncRetries: 2,
  asyncRetryDelayMs: 60_000,
  throttleRetryMinMs: 1_000,
  throttleRetryMaxMs: 300_000,
  maxEventAgeMs: 6 * 3_600_000,
  queueWhenBusy: false,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A function whose invocations take `handle`; it records when each started and which environment ran it. */
function definitionOf(handle: (event: number, caller: Caller) => Promise<unknown>, overrides: Partial<FunctionDefinition<number, unknown>> = {}) {
  const starts: { event: number; at: number; environment: number }[] = [];
  let environments = 0;
  const definition: FunctionDefinition<number, unknown> = {
    name: 'worker',
    memoryMb: 1_024,
    timeoutMs: 60_000,
    reservedConcurrency: 0,
    coldStartMs: constantLatency(300),
    invokeOverheadMs: constantLatency(0),
    createEnvironment: (caller) => {
      const environment = ++environments;
      return {
        handle: (event) => {
          starts.push({ event, at: Date.now(), environment });
          return handle(event, caller);
        },
      };
    },
    ...overrides,
  };
  return { definition, starts };
}

describe('LambdaService', () => {
  it('starts a new environment cold, once, and reuses it warm', async () => {
    // Prepare
    const { definition, starts } = definitionOf(() => sleep(100));
    // Act
    const { value: fn } = await inVirtualTime(async () => {
      const lambda = new LambdaService(limits, createRandom(1), () => Date.now());
      const fn = lambda.define(definition);
      await fn.invokeSync(1);
      await fn.invokeSync(2);
      return fn;
    });
    // Assess: the first waited 300 ms for its start, the second none
    expect(starts).toEqual([
      { event: 1, at: 300, environment: 1 },
      { event: 2, at: 400, environment: 1 },
    ]);
    expect(fn.stats).toMatchObject({ invocations: 2, coldStarts: 1, billedMs: 500 });
  });

  it('ends an invocation its answer time after the handler: the environment is not free before', async () => {
    // Prepare
    const { definition, starts } = definitionOf(() => sleep(100), { coldStartMs: constantLatency(0), answerMs: constantLatency(7), reservedConcurrency: 1 });
    // Act
    const { value: endedAt } = await inVirtualTime(async () => {
      const lambda = new LambdaService(limits, createRandom(1), () => Date.now());
      const fn = lambda.define(definition);
      await fn.invokeSync(1);
      const ended = Date.now();
      await fn.invokeSync(2);
      return ended;
    });
    // Assess: the handler took 100 ms, the answer 7 more; the second began after both
    expect(endedAt).toBe(107);
    expect(starts.map((start) => start.at)).toEqual([0, 107]);
  });

  it('holds a function to its reserved concurrency: asynchronous events past it wait, retried from 1 s on', async () => {
    // Prepare
    const { definition, starts } = definitionOf(() => sleep(5_000), { reservedConcurrency: 2, coldStartMs: constantLatency(0) });
    // Act
    await inVirtualTime(async () => {
      const lambda = new LambdaService(limits, createRandom(1), () => Date.now());
      const fn = lambda.define(definition);
      for (let event = 1; event <= 3; event++) fn.invokeAsync(event);
      while (fn.busy()) await sleep(1_000);
    });
    // Assess: the third was throttled at 0, 1 s, 3 s (1 s, 2 s waits) and ran at 7 s, once one had finished at 5 s
    expect(starts.map((start) => [start.event, start.at])).toEqual([
      [1, 0],
      [2, 0],
      [3, 7_000],
    ]);
  });

  it('adds at most 1,000 new environments every 10 s, refilling continuously', async () => {
    // Prepare
    const { definition, starts } = definitionOf(() => sleep(60_000), { coldStartMs: constantLatency(0) });
    // Act
    await inVirtualTime(async () => {
      const lambda = new LambdaService({ ...limits, accountConcurrency: 5_000 }, createRandom(1), () => Date.now());
      const fn = lambda.define(definition);
      const outcomes = Array.from({ length: 1_500 }, (_, event) => fn.invokeSync(event).then(() => 'ran', () => 'throttled'));
      await sleep(5_000);
      const later = Array.from({ length: 1_000 }, (_, event) => fn.invokeSync(2_000 + event).then(() => 'ran', () => 'throttled'));
      return Promise.all([...outcomes, ...later]);
    });
    // Assess: 1,000 at once, then 500 refilled in the next 5 s
    expect(starts.filter((start) => start.at === 0)).toHaveLength(1_000);
    expect(starts.filter((start) => start.at === 5_000)).toHaveLength(500);
  });

  it('kills an invocation at its timeout: the environment goes, and what it still waits for never answers', async () => {
    // Prepare
    let answered = false;
    const { definition, starts } = definitionOf(
      async (event, caller) => {
        if (event === 1) {
          await sleep(90_000);
          if (caller.alive()) answered = true;
        }
      },
      { timeoutMs: 60_000, coldStartMs: constantLatency(0) },
    );
    // Act
    const { value } = await inVirtualTime(async () => {
      const lambda = new LambdaService(limits, createRandom(1), () => Date.now());
      const fn = lambda.define(definition);
      const outcome = await fn.invokeSync(1).then(
        () => 'ok',
        (error: Error) => error.message,
      );
      await fn.invokeSync(2);
      await sleep(60_000);
      return { outcome, stats: fn.stats };
    });
    // Assess
    expect(value.outcome).toBe('Task timed out after 60 seconds');
    expect(answered).toBe(false);
    expect(value.stats).toMatchObject({ timeouts: 1, coldStarts: 2 });
    expect(starts.map((start) => start.environment)).toEqual([1, 2]);
  });

  it('retries a failed asynchronous event twice, 1 and then 2 minutes later, and drops it after', async () => {
    // Prepare
    const { definition, starts } = definitionOf(async () => {
      throw new Error('boom');
    }, { coldStartMs: constantLatency(0) });
    // Act
    const { value: stats } = await inVirtualTime(async () => {
      const lambda = new LambdaService(limits, createRandom(1), () => Date.now());
      const fn = lambda.define(definition);
      fn.invokeAsync(7);
      while (fn.busy()) await sleep(1_000);
      return fn.stats;
    });
    // Assess
    expect(starts.map((start) => start.at)).toEqual([0, 60_000, 180_000]);
    expect(stats).toMatchObject({ invocations: 3, errors: 3, droppedEvents: 1 });
  });
});
