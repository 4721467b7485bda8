import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';

export interface FunctionDefinition {
  name: string;
  /** The built bundle, exporting `handler`. */
  bundlePath: string;
  /** The environment variables of this function only. */
  environment: Record<string, string>;
  timeoutMs: number;
  /** Most invocations at once, like reserved concurrency; more wait their turn. */
  concurrency: number;
  /**
   * Most invocations waiting for a free environment; one more is throttled (FunctionThrottledError)
   * as Lambda throttles past its concurrency. Absent: no bound (asynchronous invocations, which
   * Lambda keeps in a queue of its own).
   */
  maxWaiting?: number;
  memoryMb?: number;
  /** The execution environment script (execution-environment.cjs). */
  environmentScript: string;
  /** Each log line the function prints, as Lambda would send it to CloudWatch. */
  onLog?: (line: string, functionName: string) => void;
}

/** An invocation that ran past its timeout: its environment was abandoned, as Lambda does. */
export class FunctionTimeoutError extends Error {
  constructor(readonly functionName: string, readonly timeoutMs: number) {
    super(`${functionName} timed out after ${timeoutMs} ms`);
    this.name = 'FunctionTimeoutError';
  }
}

/** The function threw, or its bundle failed to load. */
export class FunctionError extends Error {
  constructor(readonly functionName: string, readonly errorName: string, message: string) {
    super(`${functionName} failed: ${errorName}: ${message}`);
    this.name = 'FunctionError';
  }
}

/** Every environment was busy and the wait queue full: Lambda's TooManyRequestsException. */
export class FunctionThrottledError extends Error {
  constructor(readonly functionName: string, readonly concurrency: number, readonly maxWaiting: number) {
    super(`${functionName} is throttled: ${concurrency} invocations run and ${maxWaiting} wait`);
    this.name = 'FunctionThrottledError';
  }
}

/** The caller gave up (its signal aborted) before the invocation started, so it never ran. */
export class InvocationAbandonedError extends Error {
  constructor(functionName: string) {
    super(`${functionName} was not invoked: the caller gave up before an environment was free`);
    this.name = 'InvocationAbandonedError';
  }
}

export class HostClosedError extends Error {
  constructor(functionName: string) {
    super(`${functionName} is shutting down and takes no new invocations`);
    this.name = 'HostClosedError';
  }
}

interface Environment {
  /** Names the environment on the wire: the SDK puts it in its user agent as `app/<tag>`. */
  tag: string;
  worker: Worker;
  ready: Promise<number>;
  busy: boolean;
}

interface Waiting {
  event: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Stops listening to the caller's signal once the invocation starts or ends. */
  release: () => void;
}

export interface InvokeOptions {
  /** Aborted when the caller has gone (the HTTP client disconnected): a waiting invocation is dropped unrun. */
  signal?: AbortSignal;
}

export interface HostStats {
  name: string;
  invocations: number;
  running: number;
  waiting: number;
  errors: number;
  timeouts: number;
  /** Invocations refused because every environment was busy and the wait queue full. */
  throttles: number;
  /** Waiting invocations dropped because their caller gave up. */
  abandoned: number;
  coldStarts: number;
  kills: number;
  environments: number;
}

function pipeLines(stream: Readable | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  });
}

/**
 * Runs one function the way Lambda does: each execution environment is a worker thread with the
 * function's own environment variables, initialised once and reused; at most `concurrency` run at
 * once; an invocation past its timeout is abandoned with its environment.
 */
export class FunctionHost {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly queue: Waiting[] = [];
  private closed = false;
  private readonly counters = { invocations: 0, errors: 0, timeouts: 0, throttles: 0, abandoned: 0, coldStarts: 0, kills: 0, running: 0 };
  private readonly settledListeners = new Set<() => void>();

  constructor(readonly definition: FunctionDefinition) {}

  get stats(): HostStats {
    return {
      name: this.definition.name,
      ...this.counters,
      waiting: this.queue.length,
      environments: this.all.size,
    };
  }

  /**
   * Synchronous invoke: resolves with the handler's result, rejects with its error. Rejects at once
   * with FunctionThrottledError when every environment is busy and `maxWaiting` already wait, and
   * with InvocationAbandonedError when `signal` aborts before an environment is free.
   */
  invoke<T = unknown>(event: unknown, options: InvokeOptions = {}): Promise<T> {
    const { name, concurrency, maxWaiting } = this.definition;
    if (this.closed) return Promise.reject(new HostClosedError(name));
    const { signal } = options;
    if (signal?.aborted) {
      this.counters.abandoned++;
      return Promise.reject(new InvocationAbandonedError(name));
    }
    const allBusy = this.counters.running >= concurrency;
    if (allBusy && maxWaiting !== undefined && this.queue.length >= maxWaiting) {
      this.counters.throttles++;
      return Promise.reject(new FunctionThrottledError(name, concurrency, maxWaiting));
    }
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { event, resolve: resolve as (value: unknown) => void, reject, release: () => undefined };
      if (signal) {
        const abandon = () => {
          const index = this.queue.indexOf(waiting);
          if (index < 0) return;
          this.queue.splice(index, 1);
          this.counters.abandoned++;
          reject(new InvocationAbandonedError(name));
          this.notifyIfSettled();
        };
        signal.addEventListener('abort', abandon, { once: true });
        waiting.release = () => signal.removeEventListener('abort', abandon);
      }
      this.queue.push(waiting);
      this.dispatch();
    });
  }

  private notifyIfSettled(): void {
    if (this.counters.running === 0 && this.queue.length === 0) {
      for (const listener of this.settledListeners) listener();
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.counters.running < this.definition.concurrency) {
      const waiting = this.queue.shift() as Waiting;
      waiting.release();
      this.counters.running++;
      this.counters.invocations++;
      const environment = this.idle.pop() ?? this.createEnvironment();
      environment.busy = true;
      this.run(environment, waiting).finally(() => {
        this.counters.running--;
        this.dispatch();
        this.notifyIfSettled();
      });
    }
  }

  private createEnvironment(): Environment {
    const { definition } = this;
    this.counters.coldStarts++;
    const tag = `${definition.name}.${this.counters.coldStarts}`;
    const worker = new Worker(definition.environmentScript, {
      workerData: { bundlePath: definition.bundlePath, functionName: definition.name, memoryMb: definition.memoryMb ?? 256 },
      env: { ...definition.environment, AWS_SDK_UA_APP_ID: tag },
      stdout: true,
      stderr: true,
    });
    const onLine = (line: string) => definition.onLog?.(line, definition.name);
    pipeLines(worker.stdout, onLine);
    pipeLines(worker.stderr, onLine);
    const ready = new Promise<number>((resolve, reject) => {
      worker.once('message', (message: { type: string; initMs: number }) => resolve(message.initMs));
      worker.once('error', reject);
    });
    ready.catch(() => undefined);
    const environment: Environment = { tag, worker, ready, busy: false };
    this.all.add(environment);
    worker.once('exit', () => {
      this.all.delete(environment);
      const index = this.idle.indexOf(environment);
      if (index >= 0) this.idle.splice(index, 1);
    });
    return environment;
  }

  private async run(environment: Environment, waiting: Waiting): Promise<void> {
    const { definition } = this;
    const id = randomUUID();
    const deadline = Date.now() + definition.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    // An uncaught error or process.exit ends the worker: its environment must not be reused.
    let crashed = false;
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        timer = setTimeout(() => reject(new FunctionTimeoutError(definition.name, definition.timeoutMs)), definition.timeoutMs);
        const onMessage = (message: { type: string; id: string; ok: boolean; result?: unknown; error?: { name: string; message: string } }) => {
          if (message.type !== 'result' || message.id !== id) return;
          environment.worker.off('message', onMessage);
          environment.worker.off('error', onError);
          environment.worker.off('exit', onExit);
          if (message.ok) resolve(message.result);
          else reject(new FunctionError(definition.name, message.error?.name ?? 'Error', message.error?.message ?? ''));
        };
        const onError = (error: Error) => {
          crashed = true;
          reject(new FunctionError(definition.name, error.name, error.message));
        };
        const onExit = (code: number) => {
          crashed = true;
          reject(new FunctionError(definition.name, 'Runtime.ExitError', `the execution environment exited with code ${code}`));
        };
        environment.worker.on('message', onMessage);
        environment.worker.once('error', onError);
        environment.worker.once('exit', onExit);
        environment.worker.postMessage({ id, requestId: id, deadline, event: waiting.event });
      });
      environment.busy = false;
      if (this.closed) await environment.worker.terminate();
      else this.idle.push(environment);
      waiting.resolve(result);
    } catch (error) {
      if (error instanceof FunctionTimeoutError) {
        this.counters.timeouts++;
        // Abandoned mid-flight, as Lambda abandons it: whatever it held comes back on its own.
        await environment.worker.terminate();
      } else {
        this.counters.errors++;
        environment.busy = false;
        if (!crashed && this.all.has(environment) && !this.closed) this.idle.push(environment);
        else await environment.worker.terminate();
      }
      waiting.reject(error as Error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Ends one execution environment at once, as a crash or an out-of-memory kill would: whatever it
   * was doing stops mid-flight. `tag` is the `app/<tag>` its SDK clients send. Returns whether it ran.
   */
  kill(tag: string): boolean {
    const environment = [...this.all].find((candidate) => candidate.tag === tag);
    if (!environment) return false;
    this.counters.kills++;
    void environment.worker.terminate();
    return true;
  }

  /** Resolves once nothing runs or waits. */
  whenSettled(): Promise<void> {
    if (this.counters.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = () => {
        this.settledListeners.delete(listener);
        resolve();
      };
      this.settledListeners.add(listener);
    });
  }

  /**
   * Takes no new invocations, lets running ones finish for up to `graceMs`, then ends every
   * environment. Waiting invocations are refused.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) {
      waiting.release();
      waiting.reject(new HostClosedError(this.definition.name));
    }
    await Promise.race([this.whenSettled(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    await Promise.all([...this.all].map((environment) => environment.worker.terminate()));
  }
}
