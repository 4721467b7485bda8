import { fanOutConfig, queueConfig, workerConfig } from './pipeline-config.js';

/**
 * The environment contract of the functions: the variable names each one reads. The CDK stack and
 * the local runtime set exactly these, from the same values.
 */
export const environmentVariables = {
  queueUrl: 'QUEUE_URL',
  topicArn: 'TOPIC_ARN',
  tableName: 'TABLE_NAME',
  runIndexName: 'RUN_INDEX_NAME',
  maxWorkers: 'FAN_OUT_MAX_WORKERS',
  receiveWaitSeconds: 'WORKER_RECEIVE_WAIT_SECONDS',
  messageBudget: 'WORKER_MESSAGE_BUDGET',
  receiveLoops: 'WORKER_RECEIVE_LOOPS',
  safetyMarginMs: 'WORKER_SAFETY_MARGIN_MS',
  visibilityTimeoutSeconds: 'QUEUE_VISIBILITY_TIMEOUT_SECONDS',
  maxReceives: 'WORKER_MAX_RECEIVES',
  flushJoinWaitMs: 'WORKER_FLUSH_JOIN_WAIT_MS',
  tableWriteUnits: 'FAN_OUT_TABLE_WRITE_UNITS',
} as const;

type Env = Record<string, string | undefined>;

/** Raised at cold start when the deployment left out a variable the function needs. */
export class MissingEnvironmentVariableError extends Error {
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is not set; deploy the function with the stack in infra/ or start it with the local runtime.`);
    this.name = 'MissingEnvironmentVariableError';
  }
}

export class InvalidEnvironmentVariableError extends Error {
  constructor(readonly variable: string, value: string, expected = 'a non-negative integer') {
    super(`Environment variable ${variable}=${JSON.stringify(value)} is not ${expected}.`);
    this.name = 'InvalidEnvironmentVariableError';
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingEnvironmentVariableError(name);
  return value;
}

function integer(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new InvalidEnvironmentVariableError(name, value);
  return Number(value);
}

/** A variable in whole seconds, as SQS counts them, read as ms. */
function milliseconds(env: Env, name: string, fallbackMs: number): number {
  return integer(env, name, fallbackMs / 1000) * 1000;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value === 0) throw new InvalidEnvironmentVariableError(name, '0', 'a positive integer');
  return value;
}

export interface ApiEnvironment {
  queueUrl: string;
}

export interface CronEnvironment {
  queueUrl: string;
  topicArn: string;
  maxWorkers: number;
  /** The worker's most drain loops a run, which the cron sizes each start within. */
  maxLoops: number;
  /** Write units a second the table can be expected to take (fanOutConfig.tableWriteUnitsPerSecond); 0: no limit. */
  tableWriteUnitsPerSecond: number;
}

/**
 * How a worker run paces itself and where it stops, every duration in ms: what `drainRun`
 * (@fanout/worker) takes. The environment gives whole seconds where AWS counts them.
 */
export interface WorkerSettings {
  /** Stop after this many messages received in one run, so that one run cannot hog the queue. */
  messageBudget: number;
  /** Most drain loops side by side in one run (at least 1); a worker start may ask for fewer. */
  receiveLoops: number;
  /** Stop receiving when less invocation time than this is left. */
  safetyMarginMs: number;
  /**
   * The queue's visibility timeout. A received message is written and deleted within half of it,
   * so it never reappears for another worker while this one still holds it.
   */
  visibilityTimeoutMs: number;
  /** The long-poll wait of one receive, counted against the visibility timeout. */
  receiveWaitMs: number;
  /** Receive calls per run; 0: until the queue is empty (1 is the original design's worker). */
  maxReceives: number;
  /**
   * Longest a loop's flush waits for the run's other loops to join it, counted against the
   * visibility timeout as well; 0: each loop writes alone.
   */
  flushJoinWaitMs: number;
  /** Valid messages a loop holds at most before it writes them (workerConfig.flushAt). */
  flushAt: number;
  /** A run sheds at most one loop per this long while its writes are throttled hard (workerConfig.shedIntervalMs). */
  shedIntervalMs: number;
  /** Retries a batch past which a flush's writes count as throttled hard (workerConfig.shedAtRetriesPerBatch). */
  shedAtRetriesPerBatch: number;
}

/** The worker's settings where the environment sets none: the shared config's. */
export const defaultWorkerSettings: WorkerSettings = {
  messageBudget: workerConfig.messageBudget,
  receiveLoops: workerConfig.receiveLoops,
  safetyMarginMs: workerConfig.safetyMarginMs,
  visibilityTimeoutMs: queueConfig.visibilityTimeoutSeconds * 1000,
  receiveWaitMs: workerConfig.receiveWaitSeconds * 1000,
  maxReceives: 0,
  flushJoinWaitMs: workerConfig.flushJoinWaitMs,
  flushAt: workerConfig.flushAt,
  shedIntervalMs: workerConfig.shedIntervalMs,
  shedAtRetriesPerBatch: workerConfig.shedAtRetriesPerBatch,
};

export interface WorkerEnvironment {
  queueUrl: string;
  tableName: string;
  /**
   * Where a run that stopped with messages still waiting (its budget or its time spent) starts its
   * successor; absent when the worker has no topic (the event source mapping starts it).
   */
  topicArn?: string;
  settings: WorkerSettings;
}

export interface RunStatusEnvironment {
  tableName: string;
  runIndexName: string;
}

const names = environmentVariables;

export function readApiEnvironment(env: Env = process.env): ApiEnvironment {
  return { queueUrl: required(env, names.queueUrl) };
}

export function readCronEnvironment(env: Env = process.env): CronEnvironment {
  return {
    queueUrl: required(env, names.queueUrl),
    topicArn: required(env, names.topicArn),
    maxWorkers: integer(env, names.maxWorkers, fanOutConfig.maxWorkers),
    maxLoops: positiveInteger(env, names.receiveLoops, workerConfig.receiveLoops),
    tableWriteUnitsPerSecond: integer(env, names.tableWriteUnits, fanOutConfig.tableWriteUnitsPerSecond),
  };
}

export function readWorkerEnvironment(env: Env = process.env): WorkerEnvironment {
  const defaults = defaultWorkerSettings;
  const topicArn = env[names.topicArn];
  return {
    queueUrl: required(env, names.queueUrl),
    tableName: required(env, names.tableName),
    ...(topicArn ? { topicArn } : {}),
    settings: {
      messageBudget: integer(env, names.messageBudget, defaults.messageBudget),
      receiveLoops: positiveInteger(env, names.receiveLoops, defaults.receiveLoops),
      safetyMarginMs: integer(env, names.safetyMarginMs, defaults.safetyMarginMs),
      visibilityTimeoutMs: milliseconds(env, names.visibilityTimeoutSeconds, defaults.visibilityTimeoutMs),
      receiveWaitMs: milliseconds(env, names.receiveWaitSeconds, defaults.receiveWaitMs),
      maxReceives: integer(env, names.maxReceives, defaults.maxReceives),
      flushJoinWaitMs: integer(env, names.flushJoinWaitMs, defaults.flushJoinWaitMs),
      flushAt: defaults.flushAt,
      shedIntervalMs: defaults.shedIntervalMs,
      shedAtRetriesPerBatch: defaults.shedAtRetriesPerBatch,
    },
  };
}

export function readRunStatusEnvironment(env: Env = process.env): RunStatusEnvironment {
  return {
    tableName: required(env, names.tableName),
    runIndexName: required(env, names.runIndexName),
  };
}

/** The functions of the pipeline, by the names of their Nx apps and bundles (dist/apps/<name>). */
export const functionNames = ['test-api', 'test-cron', 'test-sqs2ddb', 'run-status-api'] as const;
export type FunctionName = (typeof functionNames)[number];

/** Where the resources are: real ARNs and URLs locally, CloudFormation tokens in the stack. */
export interface ResourceRefs {
  queueUrl: string;
  topicArn: string;
  tableName: string;
  runIndexName: string;
}

export interface EnvironmentOverrides {
  receiveWaitSeconds?: number;
  visibilityTimeoutSeconds?: number;
  maxWorkers?: number;
  maxReceives?: number;
  receiveLoops?: number;
  safetyMarginMs?: number;
  flushJoinWaitMs?: number;
  /** The cron's expected table write units a second; 0: no limit. */
  tableWriteUnits?: number;
}

/**
 * Each function's environment variables, exactly the ones its read*Environment() reads. The CDK
 * stack and the local runtime both build them here, so they cannot drift apart.
 */
export function functionEnvironments(
  refs: ResourceRefs,
  overrides: EnvironmentOverrides = {},
): Record<FunctionName, Record<string, string>> {
  return {
    'test-api': {
      [names.queueUrl]: refs.queueUrl,
      POWERTOOLS_SERVICE_NAME: 'test-api',
    },
    'test-cron': {
      [names.queueUrl]: refs.queueUrl,
      [names.topicArn]: refs.topicArn,
      [names.maxWorkers]: String(overrides.maxWorkers ?? fanOutConfig.maxWorkers),
      [names.receiveLoops]: String(overrides.receiveLoops ?? workerConfig.receiveLoops),
      [names.tableWriteUnits]: String(overrides.tableWriteUnits ?? fanOutConfig.tableWriteUnitsPerSecond),
      POWERTOOLS_SERVICE_NAME: 'test-cron',
    },
    'test-sqs2ddb': {
      [names.queueUrl]: refs.queueUrl,
      [names.tableName]: refs.tableName,
      // A run hands over to its successor through the workers' topic; none with the event source mapping.
      ...(refs.topicArn ? { [names.topicArn]: refs.topicArn } : {}),
      [names.receiveWaitSeconds]: String(overrides.receiveWaitSeconds ?? workerConfig.receiveWaitSeconds),
      [names.messageBudget]: String(workerConfig.messageBudget),
      [names.receiveLoops]: String(overrides.receiveLoops ?? workerConfig.receiveLoops),
      [names.safetyMarginMs]: String(overrides.safetyMarginMs ?? workerConfig.safetyMarginMs),
      [names.visibilityTimeoutSeconds]: String(overrides.visibilityTimeoutSeconds ?? queueConfig.visibilityTimeoutSeconds),
      [names.flushJoinWaitMs]: String(overrides.flushJoinWaitMs ?? workerConfig.flushJoinWaitMs),
      ...(overrides.maxReceives ? { [names.maxReceives]: String(overrides.maxReceives) } : {}),
      POWERTOOLS_SERVICE_NAME: 'test-sqs2ddb',
    },
    'run-status-api': {
      [names.tableName]: refs.tableName,
      [names.runIndexName]: refs.runIndexName,
      POWERTOOLS_SERVICE_NAME: 'run-status-api',
    },
  };
}
