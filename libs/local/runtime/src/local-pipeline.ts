import type { IncomingMessage, ServerResponse } from 'node:http';
import { esmConfig, type EnvironmentOverrides, type FunctionName, type TriggerSettings } from '@fanout/config';
import {
  emulatorClients,
  provisionResources,
  startEmulators,
  subscribeQueueToTopic,
  type ProvisionedResources,
  type RunningEmulators,
} from '@fanout/emulators';
import type { FaultSpec } from '@fanout/wire-proxy';
import { noScheduleError, startApiServer, type ApiRequest } from './api-server.js';
import { ensurePortsFree } from './busy-ports.js';
import { CronTicks } from './cron-ticks.js';
import { functionEndpoints, startFaultWire, stopFaultWire, type FaultWire } from './fault-wire.js';
import {
  closeFunctionHosts,
  functionSettings,
  killEnvironment,
  localFunctionEnvironments,
  startFunctionHosts,
  type FunctionHosts,
} from './function-hosts.js';
import { localRuntimeConfig } from './local-runtime-config.js';
import type { PipelineEvent, TickTrigger } from './pipeline-events.js';
import {
  countTableItems,
  pipelineActivity,
  readPipelineStatus,
  readQueueDepths,
  type PipelineActivity,
  type PipelineStatus,
  type QueueDepths,
} from './pipeline-status.js';
import { EmfTotals } from './emf-metrics.js';
import { startSnsBridge } from './sns-bridge.js';
import { startEsmPoller } from './esm-poller.js';
import { MappedBatchDelivery } from './mapped-batch-delivery.js';
import { StopSteps } from './stop-steps.js';
import { parseTriggerFlags } from './trigger-flags.js';
import { WorkerDelivery } from './worker-delivery.js';
import { defaultWorkerConcurrency } from './worker-fleet.js';

export interface LocalPipelineOptions {
  /** API port; 0 picks a free one. */
  port: number;
  sqsPort: number;
  dynamodbPort: number;
  host?: string;
  /** Keep the queues and the table here across restarts (see @fanout/emulators' prepareDataDir); in memory when absent. */
  dataDir?: string;
  /** test-cron's schedule in ms; 0 runs no schedule (ticks only through POST /_local/tick). Unused with the `esm` trigger. */
  tickEveryMs: number;
  /**
   * What starts the worker (default `fanout`, esmConfig.defaultTrigger): test-cron's schedule and the
   * SNS bridge, or (`esm`) the event source mapping's poller with its batch size and window.
   */
  trigger?: TriggerSettings;
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
  /** function-host's execution-environment.cjs. */
  environmentScript: string;
  onLog?: (line: string, functionName: FunctionName) => void;
  onEvent?: (event: PipelineEvent) => void;
  /** Answers requests before the API's routes (the runtime's dashboard); returns false to pass one on. */
  serveLocalRoute?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
  /** Sees each API request a function answered (the dashboard remembers the run ids the API accepted). */
  onApiRequest?: (request: ApiRequest) => void;
}

export interface LocalPipeline {
  apiUrl: string;
  emulators: RunningEmulators;
  resources: ProvisionedResources;
  hosts: FunctionHosts;
  /** The wire proxies, when `faults` was given. */
  wire?: FaultWire;
  /** What starts the worker. */
  trigger: TriggerSettings;
  /** `esm`: the most invocations the mapping runs at once here (its MaximumConcurrency, at most the worker environments). */
  mappingMaxConcurrency?: number;
  /** One tick of test-cron; rejects with the `esm` trigger, which runs no schedule. */
  tick(trigger?: TickTrigger): Promise<unknown>;
  status(): Promise<PipelineStatus>;
  /** The runtime's own counters, without asking the emulators. */
  activity(): PipelineActivity;
  /**
   * Stops the schedule and the API, lets running invocations finish (up to the shutdown grace),
   * then stops the emulators. Resolves with what the queues still held just before the emulators
   * stopped: lost without a `dataDir`, kept with one; undefined when they could not be read.
   */
  stop(): Promise<QueueDepths | undefined>;
}

/** The worker's mapping's most invocations at once here: its MaximumConcurrency, at most the worker environments there are. */
export function localMappingConcurrency(workerConcurrency: number): number {
  return Math.min(esmConfig.maxConcurrency, esmConfig.standardScaling.maxConcurrency, workerConcurrency);
}

/**
 * Starts the whole pipeline on this machine: emulators, resources, functions, API, and what starts
 * the worker: the schedule and the SNS bridge, or the event source mapping's poller.
 */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const host = options.host ?? localRuntimeConfig.host;
  await ensurePortsFree(host, [
    { service: 'API', port: options.port },
    { service: 'SQS/SNS', port: options.sqsPort },
    { service: 'DynamoDB', port: options.dynamodbPort },
  ]);
  const emulators = await startEmulators({ sqsPort: options.sqsPort, dynamodbPort: options.dynamodbPort, dataDir: options.dataDir, host });
  const stops = new StopSteps();
  stops.add(() => emulators.stop());

  try {
    const clients = emulatorClients(emulators);
    const resources = await provisionResources(clients, {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      maxReceiveCount: options.maxReceiveCount,
    });
    // Read once every invocation is done with the queues, just before the emulators stop.
    let leftOnQueues: QueueDepths | undefined;
    stops.add(async () => {
      leftOnQueues = await readQueueDepths(clients.sqs, resources);
    });
    // A table kept in a data folder already holds items: the counts start from them.
    const writtenBefore = options.dataDir === undefined ? 0 : await countTableItems(clients.dynamodb, resources.tableName);

    // Bound once the hosts exist: the kill-after-write fault ends the environment that wrote.
    let killEnvironmentIn = (tag: string): boolean => (void tag, false);
    const wire = options.faults ? await startFaultWire(emulators, options.faults, host, (tag) => killEnvironmentIn(tag)) : undefined;
    if (wire) stops.add(() => stopFaultWire(wire));

    const workerConcurrency = options.workerConcurrency ?? defaultWorkerConcurrency();
    // The functions' metrics, read from their log lines as CloudWatch reads them.
    const metricTotals = new EmfTotals();
    const hosts = startFunctionHosts({
      environments: localFunctionEnvironments(resources, workerConcurrency, options),
      endpoints: functionEndpoints(emulators, wire),
      settings: functionSettings(workerConcurrency),
      functionsDir: options.functionsDir,
      environmentScript: options.environmentScript,
      timeoutsMs: options.timeoutsMs,
      onLog: (line, functionName) => {
        metricTotals.add(line);
        options.onLog?.(line, functionName);
      },
    });
    stops.add(() => closeFunctionHosts(hosts, localRuntimeConfig.shutdownGraceMs));
    killEnvironmentIn = (tag) => killEnvironment(hosts, tag);

    const emit = (event: PipelineEvent) => options.onEvent?.(event);
    const trigger = options.trigger ?? parseTriggerFlags();
    const cron = new CronTicks(hosts['test-cron'], emit);
    let activity: () => PipelineActivity;
    let mappingMaxConcurrency: number | undefined;
    if (trigger.trigger === 'esm') {
      mappingMaxConcurrency = localMappingConcurrency(workerConcurrency);
      const batches = new MappedBatchDelivery(hosts['test-sqs2ddb'], emit, options.faults);
      // The mapping's receives and deletes are SQS requests on AWS too: they go over the wire, counted.
      const mappingSqs = wire ? emulatorClients({ sqs: wire.sqs, dynamodb: wire.dynamodb }).sqs : clients.sqs;
      const poller = startEsmPoller({
        sqs: mappingSqs,
        queueUrl: resources.queueUrl,
        queueArn: resources.queueArn,
        batchSize: trigger.batchSize,
        batchingWindowMs: trigger.batchingWindowSeconds * 1000,
        receiveWaitSeconds: localRuntimeConfig.receiveWaitSeconds,
        maxConcurrency: mappingMaxConcurrency,
        scaling: esmConfig.standardScaling,
        invoke: (event) => batches.invoke(event),
        onBatch: (outcome) => batches.record(outcome),
        onError: (error) => emit({ type: 'poller-error', error: error.message }),
      });
      stops.add(async () => {
        await Promise.race([poller.stop(), new Promise((resolve) => setTimeout(resolve, localRuntimeConfig.shutdownGraceMs).unref())]);
        await batches.settle(localRuntimeConfig.shutdownGraceMs);
      });
      activity = () => pipelineActivity({ trigger: 'esm', mappingConcurrency: () => poller.concurrency() }, batches.counts, 0, writtenBefore);
    } else {
      const workerStarts = await subscribeQueueToTopic(clients, resources.topicArn, localRuntimeConfig.workerStartsQueue);
      const delivery = new WorkerDelivery(hosts['test-sqs2ddb'], emit, options.faults);
      const bridge = startSnsBridge({
        sqs: clients.sqs,
        queueUrl: workerStarts.queueUrl,
        subscriptionArn: workerStarts.subscriptionArn,
        deliver: (event) => delivery.deliver(event),
        onError: (error) => emit({ type: 'bridge-error', error: error.message }),
      });
      stops.add(async () => {
        await bridge.stop();
        await delivery.settle(localRuntimeConfig.shutdownGraceMs);
      });
      activity = () => pipelineActivity({ trigger: 'fanout' }, delivery.counts, cron.ticks, writtenBefore);
    }

    const ticking = trigger.trigger === 'fanout';
    const tick = async (tickTrigger?: TickTrigger) => {
      if (!ticking) throw new Error(noScheduleError);
      return cron.tick(tickTrigger);
    };
    const api = await startApiServer({
      port: options.port,
      host,
      apiKey: options.apiKey,
      hosts,
      tick: ticking ? tick : undefined,
      serveLocalRoute: options.serveLocalRoute,
      onApiRequest: options.onApiRequest,
    });
    stops.add(() => api.close());
    if (ticking && options.tickEveryMs > 0) stops.add(cron.runEvery(options.tickEveryMs));

    return {
      apiUrl: api.url,
      emulators,
      resources,
      hosts,
      wire,
      trigger,
      mappingMaxConcurrency,
      tick,
      status: () => readPipelineStatus(clients.sqs, resources, activity, () => metricTotals.totals),
      activity,
      stop: async () => {
        await stops.runAll();
        return leftOnQueues;
      },
    };
  } catch (error) {
    await stops.runAll();
    throw error;
  }
}
