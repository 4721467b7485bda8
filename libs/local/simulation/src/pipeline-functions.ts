import type { SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { workerConfig, type CronEnvironment, type WorkerSettings } from '@fanout/config';
import { fanOutTick, publishWorkerStart, type FanOutDecision } from '@fanout/fan-out';
import { readRunShape, successorStart } from '@fanout/message-schema';
import { awsDrainPorts, batchMessageOf, drainRun, successorRun, writeBatch, type DrainPorts, type RunSummary } from '@fanout/worker';
import type { Environment, FunctionDefinition } from './lambda-service.js';
import type { SimulationParameters } from './parameters.js';
import type { Random } from './random.js';
import type { SharedCpu } from './shared-cpu.js';
import type { SimulatedAws } from './simulated-aws.js';
import { sleep } from './sleep.js';

/** What starts the worker: a test-cron notification through SNS, or a batch of the event source mapping. */
export type WorkerEvent = SNSEvent | SQSEvent;

export interface PipelineFunctionsOptions {
  aws: SimulatedAws;
  parameters: SimulationParameters;
  random: Random;
  queueUrl: string;
  tableName: string;
  /** The workers' topic, where a run starts its successor; none with the event source mapping. */
  topicArn?: string;
  /** The worker's settings, read from its environment as the deployed function reads them. */
  workerSettings: WorkerSettings;
  cpu?: SharedCpu;
  /** Told of each worker run's summary, or of the error that failed it. */
  onRun?: (outcome: { summary?: RunSummary; error?: unknown }) => void;
}


/**
 * The drain ports with the worker's own processing time: each received message costs
 * lambda.workMsPerMessage (and locally its CPU on the shared cores) before the loop goes on.
 */
function withProcessingTime(ports: DrainPorts, options: PipelineFunctionsOptions): DrainPorts {
  const workMs = options.parameters['lambda.workMsPerMessage'];
  const cpuMs = options.parameters['local.cpuMsPerMessage'];
  if (workMs <= 0 && (cpuMs <= 0 || !options.cpu)) return ports;
  return {
    ...ports,
    receive: async (maxMessages, waitMs) => {
      const messages = await ports.receive(maxMessages, waitMs);
      await processing(messages.length, options);
      return messages;
    },
  };
}

async function processing(messages: number, options: PipelineFunctionsOptions): Promise<void> {
  const workMs = options.parameters['lambda.workMsPerMessage'];
  const cpuMs = options.parameters['local.cpuMsPerMessage'];
  if (messages === 0) return;
  if (workMs > 0) await sleep(messages * workMs);
  if (cpuMs > 0 && options.cpu) await options.cpu.run(messages * cpuMs);
}

const isMappedBatch = (event: WorkerEvent): event is SQSEvent => (event.Records[0] as { eventSource?: string } | undefined)?.eventSource === 'aws:sqs';

/**
 * test-sqs2ddb in the simulation: the worker's own drainRun, awsDrainPorts and writeBatch on SDK
 * clients answered by the simulated services. Each environment makes its clients once, as the
 * function's main.ts does, with the worker's retry policies drawing from the simulation's seeded
 * random. What apps/test-sqs2ddb's handler adds around them (one run per notification, the
 * partial batch response) is repeated here in a few lines: a lib cannot import an app.
 */
export function workerFunction(options: PipelineFunctionsOptions): FunctionDefinition<WorkerEvent, unknown> {
  const p = options.parameters;
  const policy = (attempts: number) => ({ attempts, baseDelayMs: workerConfig.retryBaseDelayMs, maxDelayMs: workerConfig.retryMaxDelayMs, random: options.random });
  return {
    name: 'test-sqs2ddb',
    memoryMb: p['lambda.workerMemoryMb'],
    timeoutMs: p['lambda.workerTimeoutMs'],
    reservedConcurrency: p['lambda.workerReservedConcurrency'],
    coldStartMs: p['lambda.coldStartMs'],
    invokeOverheadMs: p['lambda.invokeOverheadMs'],
    createEnvironment: (caller): Environment<WorkerEvent, unknown> => {
      // As apps/test-sqs2ddb's main.ts makes them: its write policy retries, the SDK does not.
      const { sqs, sns, dynamo } = options.aws.clientsFor(caller, { dynamoMaxAttempts: workerConfig.writeSdkAttempts });
      const topicArn = options.topicArn;
      const ports = withProcessingTime(
        awsDrainPorts({
          sqs,
          dynamo,
          queueUrl: options.queueUrl,
          tableName: options.tableName,
          writePolicy: policy(workerConfig.writeAttempts),
          deletePolicy: policy(workerConfig.deleteAttempts),
          visibilityTimeoutSeconds: options.workerSettings.visibilityTimeoutMs / 1000,
        }),
        options,
      );
      const settings = options.workerSettings;
      return {
        handle: async (event, context) => {
          if (isMappedBatch(event)) {
            await processing(event.Records.length, options);
            const { failedMessageIds } = await writeBatch(ports.write, event.Records.map(batchMessageOf));
            return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) } satisfies SQSBatchResponse;
          }
          const runs: RunSummary[] = [];
          for (const record of event.Records) {
            const shape = readRunShape(record.Sns.Message, settings.receiveLoops);
            let summary: RunSummary;
            try {
              summary = await drainRun(ports, settings, { ...shape, remainingTimeMs: () => context.remainingTimeMs() });
            } catch (error) {
              options.onRun?.({ error });
              throw error;
            }
            options.onRun?.({ summary });
            runs.push(summary);
            const successor = successorRun(summary, shape, settings.receiveLoops);
            if (successor && topicArn) await publishWorkerStart(sns, topicArn, successorStart(record.Sns.Message, successor.loops)).catch(() => undefined);
          }
          return runs;
        },
      };
    },
  };
}

/** test-cron in the simulation: the real fanOutTick on simulated SQS and SNS clients. */
export function cronFunction(options: PipelineFunctionsOptions & { cron: CronEnvironment; onTick?: (decision: FanOutDecision) => void }): FunctionDefinition<{ tickId: string }, FanOutDecision> {
  const p = options.parameters;
  return {
    name: 'test-cron',
    memoryMb: p['lambda.cronMemoryMb'],
    timeoutMs: p['lambda.cronTimeoutMs'],
    reservedConcurrency: 0,
    coldStartMs: p['lambda.coldStartMs'],
    invokeOverheadMs: p['lambda.invokeOverheadMs'],
    answerMs: p['lambda.cronAnswerMs'],
    createEnvironment: (caller) => {
      const { sqs, sns } = options.aws.clientsFor(caller);
      return {
        handle: async (event) => {
          const decision = await fanOutTick({ ...options.cron, sqs, sns }, event.tickId);
          options.onTick?.(decision);
          return decision;
        },
      };
    },
  };
}
