import { join } from 'node:path';
import {
  apiConfig,
  cronConfig,
  functionEnvironments,
  runStatusConfig,
  workerConfig,
  type EnvironmentOverrides,
  type FunctionName,
} from '@fanout/config';
import type { ProvisionedResources } from '@fanout/emulators';
import { FunctionHost } from '@fanout/function-host';
import { localRuntimeConfig } from './local-runtime-config.js';
import { localLoopsPerRun } from './worker-fleet.js';

export type FunctionHosts = Record<FunctionName, FunctionHost>;

/** A function's Lambda settings, and how many invocations of it run at once here. */
export interface FunctionSettings {
  timeoutSeconds: number;
  memoryMb: number;
  concurrency: number;
  /** Invocations that may wait for a free environment; absent: no bound. */
  maxWaiting?: number;
}

export function functionSettings(workerConcurrency: number): Record<FunctionName, FunctionSettings> {
  return {
    // The API's functions are throttled past a bounded wait, as Lambda throttles a synchronous
    // invoke; the cron and the worker are invoked by the runtime itself, which waits its turn.
    'test-api': { ...apiConfig, concurrency: localRuntimeConfig.apiConcurrency, maxWaiting: localRuntimeConfig.apiMaxWaiting },
    'test-cron': { ...cronConfig, concurrency: 2 },
    'test-sqs2ddb': { ...workerConfig, concurrency: workerConcurrency },
    'run-status-api': { ...runStatusConfig, concurrency: 2, maxWaiting: localRuntimeConfig.apiMaxWaiting },
  };
}

/** The functions' environments as the stack sets them, with the local runtime's own worker settings. */
export function localFunctionEnvironments(
  resources: ProvisionedResources,
  workerConcurrency: number,
  options: { visibilityTimeoutSeconds?: number; environmentOverrides?: EnvironmentOverrides },
): Record<FunctionName, Record<string, string>> {
  return functionEnvironments(resources, {
    receiveWaitSeconds: localRuntimeConfig.receiveWaitSeconds,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    // The fan-out cap stays in line with the worker's concurrency, as in the stack: starting more
    // workers than can run only queues invocations that find the queue empty.
    maxWorkers: workerConcurrency,
    receiveLoops: localLoopsPerRun(workerConcurrency),
    ...options.environmentOverrides,
  });
}

export interface FunctionHostsOptions {
  environments: Record<FunctionName, Record<string, string>>;
  /** The AWS endpoints every function's SDK clients use. */
  endpoints: Record<string, string>;
  settings: Record<FunctionName, FunctionSettings>;
  /** Folder of the built bundles (dist/apps). */
  functionsDir: string;
  environmentScript: string;
  /** Timeouts that replace the functions' own, ms. */
  timeoutsMs?: Partial<Record<FunctionName, number>>;
  onLog?: (line: string, functionName: FunctionName) => void;
}

/** One host per function, each running its built bundle in execution environments of its own. */
export function startFunctionHosts(options: FunctionHostsOptions): FunctionHosts {
  const { settings } = options;
  return Object.fromEntries(
    (Object.keys(settings) as FunctionName[]).map((name) => [
      name,
      new FunctionHost({
        name,
        bundlePath: join(options.functionsDir, name, 'index.js'),
        environment: {
          ...options.environments[name],
          ...options.endpoints,
          AWS_LAMBDA_FUNCTION_NAME: name,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings[name].memoryMb),
        },
        timeoutMs: options.timeoutsMs?.[name] ?? settings[name].timeoutSeconds * 1000,
        memoryMb: settings[name].memoryMb,
        concurrency: settings[name].concurrency,
        maxWaiting: settings[name].maxWaiting,
        environmentScript: options.environmentScript,
        onLog: (line) => options.onLog?.(line, name),
      }),
    ]),
  ) as FunctionHosts;
}

/** Ends the execution environment `tag` names, in whichever host runs it; returns whether one did. */
export function killEnvironment(hosts: FunctionHosts, tag: string): boolean {
  return Object.values(hosts).some((host) => host.kill(tag));
}

export async function closeFunctionHosts(hosts: FunctionHosts, graceMs: number): Promise<void> {
  await Promise.all(Object.values(hosts).map((host) => host.close(graceMs)));
}
