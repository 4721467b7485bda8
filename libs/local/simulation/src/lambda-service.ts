import { sampleLatency, type Latency } from './latency.js';
import type { Random } from './random.js';
import type { Caller } from './simulated-aws.js';
import { sleep } from './sleep.js';

/** What a handler sees of its invocation. */
export interface InvocationContext {
  /** Lambda's context.getRemainingTimeInMillis(). */
  remainingTimeMs(): number;
}

/** One execution environment: initialised once, then invoked one event at a time. */
export interface Environment<E, R> {
  handle(event: E, context: InvocationContext): Promise<R>;
}

export interface FunctionDefinition<E, R> {
  name: string;
  memoryMb: number;
  timeoutMs: number;
  /** 0: the function has no reserved concurrency and shares the account's. */
  reservedConcurrency: number;
  coldStartMs: Latency;
  invokeOverheadMs: Latency;
  /** After the handler, before the invocation ends (its logs and metrics, the answer on its way back); none when absent. */
  answerMs?: Latency;
  /** A new environment, with its own SDK clients made for `caller` (dead once the environment is killed). */
  createEnvironment(caller: Caller): Environment<E, R>;
}

export interface LambdaLimits {
  accountConcurrency: number;
  scaleUpPer10Seconds: number;
  asyncRetries: number;
  asyncRetryDelayMs: number;
  throttleRetryMinMs: number;
  throttleRetryMaxMs: number;
  maxEventAgeMs: number;
  /** Invocations past the concurrency wait in line (the local function host) instead of being throttled. */
  queueWhenBusy: boolean;
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  peakConcurrency: number;
  /** Billed duration, init included, in ms (each invocation rounded up to 1 ms). */
  billedMs: number;
  errors: number;
  timeouts: number;
  /** Attempts refused for concurrency or scaling rate. */
  throttles: number;
  /** Asynchronous events dropped: still throttled past their maximum age, or failed after every retry. */
  droppedEvents: number;
}

interface EnvironmentRecord<E, R> {
  environment: Environment<E, R>;
  dead: boolean;
}

/** Lambda's answer to an invoke it throttles (the name the Lambda API gives it). */
export class TooManyRequestsException extends Error {
  constructor(functionName: string) {
    super(`Rate exceeded for ${functionName}.`);
    this.name = 'TooManyRequestsException';
  }
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown; timedOut: boolean };

interface AsyncEvent<E> {
  event: E;
  /** Failed invocations so far (a function error or a timeout). */
  failures: number;
  throttled: number;
  acceptedAt: number;
}

/**
 * Lambda as far as a drain needs it: the account's concurrency and each function's reserved
 * concurrency, 1,000 new environments per 10 s per function (refilling continuously, never
 * accumulating past that), warm environments reused and new ones started cold (the start billed),
 * invocations killed at their timeout (the environment with them), asynchronous events retried
 * when throttled (1 s doubling to 5 min, for up to 6 h) and twice after a function error
 * (1 and 2 minutes later). Billed by invocation and by GB-second.
 */
export class LambdaService {
  active = 0;
  private readonly functions: SimulatedFunction<never, unknown>[] = [];

  constructor(
    readonly limits: LambdaLimits,
    readonly random: Random,
    readonly now: () => number,
  ) {}

  define<E, R>(definition: FunctionDefinition<E, R>): SimulatedFunction<E, R> {
    const fn = new SimulatedFunction(definition, this);
    this.functions.push(fn as unknown as SimulatedFunction<never, unknown>);
    return fn;
  }

  /** Whether any function runs, or holds an event it has accepted and not finished. */
  busy(): boolean {
    return this.functions.some((fn) => fn.busy());
  }

  /** Tells each function that a slot of the account may have freed. */
  released(): void {
    for (const fn of this.functions) fn.startWaiting();
  }
}

export class SimulatedFunction<E, R> {
  readonly stats: FunctionStats = { invocations: 0, coldStarts: 0, peakConcurrency: 0, billedMs: 0, errors: 0, timeouts: 0, throttles: 0, droppedEvents: 0 };
  private active = 0;
  private readonly idle: EnvironmentRecord<E, R>[] = [];
  private readonly waiting: AsyncEvent<E>[] = [];
  private pendingEvents = 0;
  private scaleTokens: number;
  private tokensAt: number;
  /** Told when an invocation ends (compressed ticks and the end of a drain watch this). */
  onIdle?: () => void;

  constructor(
    readonly definition: FunctionDefinition<E, R>,
    private readonly service: LambdaService,
  ) {
    this.scaleTokens = service.limits.scaleUpPer10Seconds;
    this.tokensAt = service.now();
  }

  get concurrency(): number {
    return this.active;
  }

  busy(): boolean {
    return this.active > 0 || this.pendingEvents > 0;
  }

  /** An asynchronous invoke (SNS, EventBridge): accepted at once, run when Lambda can. */
  invokeAsync(event: E): void {
    this.pendingEvents++;
    this.tryEvent({ event, failures: 0, throttled: 0, acceptedAt: this.service.now() });
  }

  /** A synchronous invoke (the event source mapping's): its result, or the error; TooManyRequestsException when throttled. */
  async invokeSync(event: E): Promise<R> {
    const record = this.claim();
    if (!record) {
      this.stats.throttles++;
      throw new TooManyRequestsException(this.definition.name);
    }
    const outcome = await this.run(record.environment, record.cold, event);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Starts events waiting in line, while there is room (queueWhenBusy only). */
  startWaiting(): void {
    while (this.waiting.length > 0) {
      const record = this.claim();
      if (!record) return;
      this.runEvent(this.waiting.shift() as AsyncEvent<E>, record);
    }
  }

  private tryEvent(job: AsyncEvent<E>): void {
    const limits = this.service.limits;
    if (limits.queueWhenBusy && this.waiting.length > 0) {
      this.waiting.push(job);
      return;
    }
    const record = this.claim();
    if (record) {
      this.runEvent(job, record);
      return;
    }
    if (limits.queueWhenBusy) {
      this.waiting.push(job);
      return;
    }
    this.stats.throttles++;
    const delay = Math.min(limits.throttleRetryMaxMs, limits.throttleRetryMinMs * 2 ** job.throttled);
    if (this.service.now() + delay - job.acceptedAt > limits.maxEventAgeMs) {
      this.drop();
      return;
    }
    job.throttled++;
    setTimeout(() => this.tryEvent(job), delay);
  }

  private runEvent(job: AsyncEvent<E>, record: { environment: EnvironmentRecord<E, R>; cold: boolean }): void {
    void this.run(record.environment, record.cold, job.event).then((outcome) => {
      if (outcome.ok) {
        this.pendingEvents--;
        this.onIdle?.();
        return;
      }
      if (job.failures < this.service.limits.asyncRetries) {
        job.failures++;
        setTimeout(() => this.tryEvent(job), this.service.limits.asyncRetryDelayMs * job.failures);
        return;
      }
      this.drop();
    });
  }

  private drop(): void {
    this.stats.droppedEvents++;
    this.pendingEvents--;
    this.onIdle?.();
  }

  /** A warm environment, or a new one if the scaling rate allows; undefined when Lambda would throttle. */
  private claim(): { environment: EnvironmentRecord<E, R>; cold: boolean } | undefined {
    const reserved = this.definition.reservedConcurrency;
    if (reserved > 0 && this.active >= reserved) return undefined;
    if (this.service.active >= this.service.limits.accountConcurrency) return undefined;
    const warm = this.idle.pop();
    if (warm) return { environment: warm, cold: false };
    const now = this.service.now();
    const perTenSeconds = this.service.limits.scaleUpPer10Seconds;
    this.scaleTokens = Math.min(perTenSeconds, this.scaleTokens + ((now - this.tokensAt) * perTenSeconds) / 10_000);
    this.tokensAt = now;
    if (this.scaleTokens < 1) return undefined;
    this.scaleTokens--;
    const record: EnvironmentRecord<E, R> = { dead: false, environment: undefined as unknown as Environment<E, R> };
    record.environment = this.definition.createEnvironment({ alive: () => !record.dead });
    return { environment: record, cold: true };
  }

  private async run(record: EnvironmentRecord<E, R>, cold: boolean, event: E): Promise<Outcome<R>> {
    const { random, now } = this.service;
    this.active++;
    this.service.active++;
    this.stats.invocations++;
    this.stats.peakConcurrency = Math.max(this.stats.peakConcurrency, this.active);
    const startedAt = now();
    if (cold) {
      this.stats.coldStarts++;
      await sleep(sampleLatency(this.definition.coldStartMs, random));
    }
    await sleep(sampleLatency(this.definition.invokeOverheadMs, random));
    const handlerStart = now();
    const deadline = handlerStart + this.definition.timeoutMs;
    const outcome = await new Promise<Outcome<R>>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        // Lambda stops the environment: whatever its handler still has in flight is never answered.
        record.dead = true;
        resolve({ ok: false, error: new Error(`Task timed out after ${this.definition.timeoutMs / 1000} seconds`), timedOut: true });
      }, this.definition.timeoutMs);
      record.environment.handle(event, { remainingTimeMs: () => deadline - now() }).then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ok: false, error, timedOut: false });
        },
      );
    });
    if (!outcome.ok) {
      if (outcome.timedOut) this.stats.timeouts++;
      else this.stats.errors++;
    }
    if (this.definition.answerMs && !record.dead) await sleep(sampleLatency(this.definition.answerMs, random));
    this.stats.billedMs += Math.ceil(now() - startedAt);
    this.active--;
    this.service.active--;
    if (!record.dead) this.idle.push(record);
    this.service.released();
    return outcome;
  }
}

