/// <reference types="jest" />
// Runs only under jest: it loads the bundles through jest's module registry (jest.isolateModules).
import { resolve } from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, SNSEvent } from 'aws-lambda';
import { functionEnvironments, type EnvironmentOverrides } from '@fanout/config';
import {
  emulatorClients,
  provisionResources,
  startEmulators,
  subscribeQueueToTopic,
  type ProvisionedResources,
  type ResourceOverrides,
  type RunningEmulators,
} from '@fanout/emulators';

/** The built bundles, as they ship to Lambda. */
const distFolder = resolve(__dirname, '../../../dist/apps');

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

export interface Pipeline {
  emulators: RunningEmulators;
  clients: ReturnType<typeof emulatorClients>;
  resources: ProvisionedResources;
  /** A queue subscribed to the topic: where the worker starts land, since fauxqs never invokes functions. */
  workerStartsQueueUrl: string;
  api: Handler<APIGatewayProxyEvent, APIGatewayProxyResult>;
  cron: Handler<{ id: string }, { visible: number; workers: number; published: number }>;
  worker: Handler<SNSEvent, { received: number; written: number; invalid: number; deleted: number }>;
  stop(): Promise<void>;
}

export function lambdaContext(timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as Context;
}

/**
 * Starts the emulators, creates the stack's resources, gives the functions the environments the
 * stack gives them (functionEnvironments), pointed at those resources, and loads the three bundles
 * from dist/ (built by the test target's dependencies).
 */
export async function startPipeline(resourceOverrides: ResourceOverrides, environmentOverrides: EnvironmentOverrides = {}): Promise<Pipeline> {
  const emulators = await startEmulators();
  const clients = emulatorClients(emulators);
  const resources = await provisionResources(clients, resourceOverrides);
  const starts = await subscribeQueueToTopic(clients, resources.topicArn, 'worker-starts');
  const environments = functionEnvironments(resources, {
    // An idle run ends after a second, not the deployed wait.
    receiveWaitSeconds: 1,
    // The emulator's table takes whatever it is sent: no write capacity to size the fan-out to (as the local runtime).
    tableWriteUnits: 0,
    visibilityTimeoutSeconds: resourceOverrides.visibilityTimeoutSeconds,
    ...environmentOverrides,
  });
  // The functions share this process, so their environments are merged. Each sets its own Logger's
  // service name, the one variable whose value differs between them.
  Object.assign(process.env, emulators.environment, environments['test-api'], environments['test-cron'], environments['test-sqs2ddb'], {
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  // Loaded afresh for each pipeline: a bundle makes its clients when it loads, from the environment
  // of that moment, so a second pipeline in the same file must not get the first one's.
  const handlers: Pick<Pipeline, 'api' | 'cron' | 'worker'> = {} as never;
  jest.isolateModules(() => {
    const load = (name: string) => require(resolve(distFolder, name, 'index.js')).handler;
    Object.assign(handlers, { api: load('test-api'), cron: load('test-cron'), worker: load('test-sqs2ddb') });
  });
  return {
    emulators,
    clients,
    resources,
    workerStartsQueueUrl: starts.queueUrl,
    ...handlers,
    stop: () => emulators.stop(),
  };
}

export function postEvent(body: unknown, path = '/messages'): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    path,
    resource: path,
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent;
}

/** The worker starts test-cron published, as SNS events: one record each, as SNS invokes Lambda. */
export async function takeWorkerStarts(pipeline: Pipeline): Promise<SNSEvent[]> {
  const events: SNSEvent[] = [];
  for (;;) {
    const { Messages = [] } = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: pipeline.workerStartsQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return events;
    for (const message of Messages) {
      const envelope = JSON.parse(message.Body ?? '{}');
      events.push({
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `${pipeline.resources.topicArn}:local`,
            Sns: { ...envelope, MessageAttributes: envelope.MessageAttributes ?? {} },
          },
        ],
      } as SNSEvent);
    }
    await pipeline.clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: pipeline.workerStartsQueueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
}

export async function queueCounts(pipeline: Pipeline, queueUrl = pipeline.resources.queueUrl) {
  const { Attributes = {} } = await pipeline.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

/** A run's items, straight from the table's run index. */
export async function itemsOfRun(pipeline: Pipeline, runId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await pipeline.clients.documents.send(
      new QueryCommand({
        TableName: pipeline.resources.tableName,
        IndexName: pipeline.resources.runIndexName,
        KeyConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':runId': runId },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Every item in the table, read with a full scan (the index projects only some attributes). */
export async function allItems(pipeline: Pipeline): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await pipeline.clients.documents.send(new ScanCommand({ TableName: pipeline.resources.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
