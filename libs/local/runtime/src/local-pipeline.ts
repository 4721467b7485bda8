import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult, SNSEvent } from 'aws-lambda';
import {
  apiConfig,
  cronConfig,
  functionEnvironments,
  runStatusConfig,
  workerConfig,
  type EnvironmentOverrides,
  type FunctionName,
} from '@fanout/config';
import { seededRandom, startWireProxy, type FaultSpec, type WireProxy } from '@fanout/wire-proxy';
import { FunctionHost, FunctionTimeoutError, invokeAsync } from '@fanout/function-host';
import {
  emulatorClients,
  provisionResources,
  startEmulators,
  subscribeQueueToTopic,
  type ProvisionedResources,
  type RunningEmulators,
} from '@fanout/emulators';
import { matchRoute, readBody, sendJson, sendProxyResult, toProxyEvent, type RouteTarget } from './gateway/index.js';
import { localRuntimeConfig } from './local-runtime-config.js';
import { startSnsBridge } from './sns-bridge.js';

export interface LocalPipelineOptions {
  /** API port; 0 picks a free one. */
  port: number;
  sqsPort: number;
  dynamodbPort: number;
  host?: string;
  dataDir?: string;
  /** test-cron's schedule in ms; 0 runs no schedule (ticks only through POST /_local/tick). */
  tickEveryMs: number;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  /** When set, the API requires it in `x-api-key`, as API Gateway's usage plan does. */
  apiKey?: string;
  workerConcurrency?: number;
  /**
   * Put the wire proxy between the functions and the emulators: it counts every request by API and
   * injects these faults (none: count only). Absent: the functions talk to the emulators directly.
   */
  faults?: FaultSpec;
  /** Override the functions' settings (the benchmark's strategies use this). */
  environmentOverrides?: EnvironmentOverrides;
  /** Override functions' timeouts, ms (the chaos test makes invocations time out in seconds). */
  timeoutsMs?: Partial<Record<FunctionName, number>>;
  /** Folder of the built bundles (dist/apps). */
  functionsDir: string;
  /** lambda-host's execution-environment.cjs. */
  environmentScript: string;
  onLog?: (line: string, functionName: FunctionName) => void;
  onEvent?: (event: PipelineEvent) => void;
  /** Answers requests before the API's routes (the runtime's dashboard); returns false to pass one on. */
  serveLocalRoute?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
  /** Sees each API request a function answered (the dashboard remembers the run ids the API accepted). */
  onApiRequest?: (request: ApiRequest) => void;
}

/** Worker environments the runtime runs at once unless told otherwise: one per core, at most localRuntimeConfig.maxWorkerConcurrency. */
export function defaultWorkerConcurrency(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(localRuntimeConfig.maxWorkerConcurrency, cores));
}

/** The most drain loops a local worker run uses: its environments' share of localRuntimeConfig.sharedDrainLoops. */
export function localLoopsPerRun(workerConcurrency: number): number {
  return Math.max(workerConfig.receiveLoops, Math.ceil(localRuntimeConfig.sharedDrainLoops / Math.max(1, workerConcurrency)));
}

export interface ApiRequest {
  target: RouteTarget;
  body: Buffer;
  statusCode: number;
}

export type PipelineEvent =
  | { type: 'tick'; trigger: 'schedule' | 'manual'; decision: unknown }
  | { type: 'tick-failed'; trigger: 'schedule' | 'manual'; error: string }
  | { type: 'worker-start'; notificationId: string }
  | { type: 'worker-run'; attempts: number; summary: WorkerSummary }
  | { type: 'invoke-failed'; functionName: FunctionName; attempt: number; willRetry: boolean; error: string }
  | { type: 'bridge-error'; error: string };

interface WorkerSummary {
  received: number;
  written: number;
  invalid: number;
  deleted: number;
  retries?: number;
}

export class ApiPortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} for the API is already in use.`);
    this.name = 'ApiPortInUseError';
  }
}

export interface PipelineStatus {
  visible: number;
  inFlight: number;
  deadLetter: number;
  written: number;
  workerRuns: number;
  workerRunsInProgress: number;
  ticks: number;
  /** Notifications the bridge delivered twice (the duplicate-deliveries fault). */
  duplicateDeliveries: number;
  /** Worker runs that failed on every attempt of the async invoke. */
  failedRuns: number;
  /** Writes and deletes the workers retried. */
  retries: number;
}

export interface LocalPipeline {
  apiUrl: string;
  emulators: RunningEmulators;
  resources: ProvisionedResources;
  hosts: Record<FunctionName, FunctionHost>;
  /** The wire proxies, when `faults` was given. */
  wire?: { sqs: WireProxy; dynamodb: WireProxy };
  tick(trigger?: 'schedule' | 'manual'): Promise<unknown>;
  status(): Promise<PipelineStatus>;
  /** The runtime's own counters, without asking the emulators. */
  activity(): Pick<PipelineStatus, 'written' | 'workerRuns' | 'workerRunsInProgress' | 'ticks' | 'duplicateDeliveries' | 'failedRuns' | 'retries'>;
  stop(): Promise<void>;
}

/** Starts the whole pipeline on this machine: emulators, resources, functions, API, schedule, SNS bridge. */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const host = options.host ?? localRuntimeConfig.host;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const emulators = await startEmulators({
    sqsPort: options.sqsPort,
    dynamodbPort: options.dynamodbPort,
    dataDir: options.dataDir,
    host,
  });
  const stopFns: (() => Promise<void>)[] = [() => emulators.stop()];
  const stopAll = async () => {
    for (const stop of stopFns.splice(0).reverse()) await stop().catch(() => undefined);
  };

  try {
    const clients = emulatorClients(emulators);
    const resources = await provisionResources(clients, {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      maxReceiveCount: options.maxReceiveCount,
    });
    const starts = await subscribeQueueToTopic(clients, resources.topicArn, localRuntimeConfig.workerStartsQueue);

    let wire: LocalPipeline['wire'];
    let endpoints = emulators.environment;
    // Bound once the hosts exist: the kill-after-write fault ends the environment that wrote.
    let killEnvironment = (tag: string): boolean => (void tag, false);
    if (options.faults) {
      const [sqsProxy, dynamodbProxy] = await Promise.all([
        startWireProxy({ target: emulators.sqs.endpoint, faults: options.faults, host }),
        startWireProxy({
          target: emulators.dynamodb.endpoint,
          faults: options.faults,
          host,
          killEnvironment: (tag) => killEnvironment(tag),
        }),
      ]);
      wire = { sqs: sqsProxy, dynamodb: dynamodbProxy };
      stopFns.push(async () => {
        await Promise.all([sqsProxy.stop(), dynamodbProxy.stop()]);
      });
      endpoints = {
        ...endpoints,
        AWS_ENDPOINT_URL_SQS: sqsProxy.endpoint,
        AWS_ENDPOINT_URL_SNS: sqsProxy.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodbProxy.endpoint,
      };
    }

    const workerConcurrency = options.workerConcurrency ?? defaultWorkerConcurrency();
    const environments = functionEnvironments(resources, {
      receiveWaitSeconds: localRuntimeConfig.receiveWaitSeconds,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      // The fan-out cap stays in line with the worker's concurrency, as in the stack: starting more
      // workers than can run only queues invocations that find the queue empty.
      maxWorkers: workerConcurrency,
      receiveLoops: localLoopsPerRun(workerConcurrency),
      // The emulator's table takes whatever it is sent: no write capacity to size the fan-out to.
      tableWriteUnits: 0,
      ...options.environmentOverrides,
    });
    const settings: Record<FunctionName, { timeoutSeconds: number; memoryMb: number; concurrency: number }> = {
      'test-api': { ...apiConfig, concurrency: localRuntimeConfig.apiConcurrency },
      'test-cron': { ...cronConfig, concurrency: 2 },
      'test-sqs2ddb': { ...workerConfig, concurrency: workerConcurrency },
      'run-status-api': { ...runStatusConfig, concurrency: 2 },
    };
    const hosts = Object.fromEntries(
      (Object.keys(settings) as FunctionName[]).map((name) => [
        name,
        new FunctionHost({
          name,
          bundlePath: join(options.functionsDir, name, 'index.js'),
          environment: {
            ...environments[name],
            ...endpoints,
            AWS_LAMBDA_FUNCTION_NAME: name,
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings[name].memoryMb),
            // This machine runs Node 20 while Lambda runs 22+: the SDK's reminder is expected here.
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
          timeoutMs: options.timeoutsMs?.[name] ?? settings[name].timeoutSeconds * 1000,
          memoryMb: settings[name].memoryMb,
          concurrency: settings[name].concurrency,
          environmentScript: options.environmentScript,
          onLog: (line) => options.onLog?.(line, name),
        }),
      ]),
    ) as Record<FunctionName, FunctionHost>;
    stopFns.push(async () => {
      await Promise.all(Object.values(hosts).map((functionHost) => functionHost.close(localRuntimeConfig.shutdownGraceMs)));
    });
    killEnvironment = (tag) => Object.values(hosts).some((functionHost) => functionHost.kill(tag));
    const duplicateDice = seededRandom((options.faults?.seed ?? 1) + 1);

    const emit = (event: PipelineEvent) => options.onEvent?.(event);
    const counters = { written: 0, workerRuns: 0, workerRunsInProgress: 0, ticks: 0, duplicateDeliveries: 0, failedRuns: 0, retries: 0 };
    const pendingRuns = new Set<Promise<unknown>>();

    const deliverToWorker = (event: SNSEvent) => {
      counters.workerRunsInProgress++;
      emit({ type: 'worker-start', notificationId: event.Records[0]?.Sns.MessageId ?? '' });
      const run = invokeAsync<WorkerSummary>(hosts['test-sqs2ddb'], event, {
        retries: localRuntimeConfig.asyncRetries,
        retryDelayMs: (retry) => retry * localRuntimeConfig.asyncRetryDelayMs,
        onAttemptFailed: (error, attempt, willRetry) =>
          emit({ type: 'invoke-failed', functionName: 'test-sqs2ddb', attempt, willRetry, error: error.message }),
      }).then((outcome) => {
        counters.workerRunsInProgress--;
        counters.workerRuns++;
        if (!outcome.ok) counters.failedRuns++;
        if (outcome.ok && outcome.result) {
          counters.written += outcome.result.written;
          counters.retries += outcome.result.retries ?? 0;
          emit({ type: 'worker-run', attempts: outcome.attempts, summary: outcome.result });
        }
      });
      pendingRuns.add(run);
      void run.finally(() => pendingRuns.delete(run));
    };
    const bridge = startSnsBridge({
      sqs: clients.sqs,
      queueUrl: starts.queueUrl,
      subscriptionArn: starts.subscriptionArn,
      deliver: (event) => {
        deliverToWorker(event);
        // SNS and Lambda's async queue both deliver at least once: sometimes twice.
        if ((options.faults?.duplicateDeliveries ?? 0) > duplicateDice()) {
          counters.duplicateDeliveries++;
          deliverToWorker(event);
        }
      },
      onError: (error) => emit({ type: 'bridge-error', error: error.message }),
    });
    stopFns.push(async () => {
      await bridge.stop();
      await Promise.race([
        Promise.allSettled([...pendingRuns]),
        new Promise((resolve) => setTimeout(resolve, localRuntimeConfig.shutdownGraceMs).unref()),
      ]);
    });

    const tick = async (trigger: 'schedule' | 'manual' = 'manual') => {
      const event = {
        id: randomUUID(),
        version: '0',
        account: '000000000000',
        region: 'us-east-1',
        source: 'aws.events',
        'detail-type': 'Scheduled Event',
        time: new Date().toISOString(),
        resources: ['arn:aws:events:us-east-1:000000000000:rule/local-tick'],
        detail: {},
      };
      try {
        const decision = await hosts['test-cron'].invoke(event);
        counters.ticks++;
        emit({ type: 'tick', trigger, decision });
        return decision;
      } catch (error) {
        emit({ type: 'tick-failed', trigger, error: (error as Error).message });
        throw error;
      }
    };

    const server = createServer((request, response) => {
      handleRequest(request, response).catch((error: Error) => {
        if (!response.headersSent) sendJson(response, 500, { message: 'Internal server error', error: error.message });
        else response.destroy();
      });
    });
    const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === '/health' && request.method === 'GET') {
        sendJson(response, 200, { status: 'ok' });
        return;
      }
      if (url.pathname === '/_local/tick' && request.method === 'POST') {
        try {
          sendJson(response, 200, await tick('manual'));
        } catch (error) {
          sendJson(response, 502, { message: 'test-cron failed', error: (error as Error).message });
        }
        return;
      }
      if (options.serveLocalRoute?.(request, response, url)) return;
      const route = matchRoute(url.pathname);
      if (!route) {
        sendJson(response, 404, { error: `No route for ${url.pathname}; post messages to /messages.`, details: [] });
        return;
      }
      if (options.apiKey !== undefined && request.headers['x-api-key'] !== options.apiKey) {
        sendJson(response, 403, { message: 'Forbidden' });
        return;
      }
      const body = await readBody(request, localRuntimeConfig.maxRequestBytes);
      if (body === 'too-large') {
        sendJson(response, 413, { message: 'Request Too Long' });
        return;
      }
      const functionHost = hosts[route.target === 'enqueue' ? 'test-api' : 'run-status-api'];
      try {
        const result = await functionHost.invoke<APIGatewayProxyResult>(toProxyEvent(request, body, route));
        sendProxyResult(response, result);
        options.onApiRequest?.({ target: route.target, body, statusCode: result.statusCode });
      } catch (error) {
        if (error instanceof FunctionTimeoutError) sendJson(response, 504, { message: 'Endpoint request timed out' });
        else sendJson(response, 502, { message: 'Internal server error' });
      }
    };
    await listen(server, options.port, host);
    stopFns.push(() => closeServer(server));
    const address = server.address() as { port: number };

    let timer: NodeJS.Timeout | undefined;
    if (options.tickEveryMs > 0) {
      timer = setInterval(() => void tick('schedule').catch(() => undefined), options.tickEveryMs);
      stopFns.push(async () => clearInterval(timer));
    }

    const depth = async (queueUrl: string) => {
      const { Attributes = {} } = await clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    };

    return {
      apiUrl: `http://${host}:${address.port}`,
      emulators,
      resources,
      hosts,
      wire,
      tick,
      status: async () => {
        const [main, dead] = await Promise.all([depth(resources.queueUrl), depth(resources.deadLetterQueueUrl)]);
        return { ...main, deadLetter: dead.visible + dead.inFlight, ...counters };
      },
      activity: () => ({ ...counters }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new ApiPortInUseError(port) : error));
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
