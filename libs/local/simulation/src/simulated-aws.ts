import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoTable, TableItem } from './dynamodb-table.js';
import { sampleLatency, type Latency } from './latency.js';
import type { SimulationParameters } from './parameters.js';
import type { Random } from './random.js';
import { SdkRetries } from './sdk-retry.js';
import type { SharedCpu } from './shared-cpu.js';
import type { ReceivedView, SqsQueue } from './sqs-queue.js';
import { sleep } from './sleep.js';

/** The AWS APIs the simulation answers; requests are counted by these names. */
export type ApiName =
  | 'ReceiveMessage'
  | 'DeleteMessageBatch'
  | 'ChangeMessageVisibilityBatch'
  | 'GetQueueAttributes'
  | 'SendMessageBatch'
  | 'PublishBatch'
  | 'Publish'
  | 'BatchWriteItem';

/** Whoever makes the calls: an execution environment, dead once Lambda has killed it. */
export interface Caller {
  alive(): boolean;
}

export const alwaysAlive: Caller = { alive: () => true };

/** A call whose answer would reach a killed environment: it never settles. */
const never = <T>() => new Promise<T>(() => undefined);

export interface SimulatedAwsOptions {
  parameters: SimulationParameters;
  queue: SqsQueue;
  queueUrl: string;
  table: DynamoTable;
  tableName: string;
  random: Random;
  now: () => number;
  /** Each SNS notification published, as SNS hands it to the subscribed function. */
  deliver: (message: string) => void;
  /** This machine's cores, when predicting the local bench (local.cores > 0). */
  cpu?: SharedCpu;
}

/** A simulated service error, made without capturing a stack: a throttled drain makes hundreds of thousands. */
function withoutStack<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}


/**
 * The simulated AWS endpoints behind the SDK clients of every simulated function. Each call is
 * counted, takes its API's latency (it takes effect halfway, as the request reaches the service,
 * and its answer arrives at the end), goes through the SDK's standard retries like a real client's,
 * and is never answered if the calling environment was killed meanwhile.
 */
export class SimulatedAws {
  readonly requests: Record<ApiName, number> = {
    ReceiveMessage: 0,
    DeleteMessageBatch: 0,
    ChangeMessageVisibilityBatch: 0,
    GetQueueAttributes: 0,
    SendMessageBatch: 0,
    PublishBatch: 0,
    Publish: 0,
    BatchWriteItem: 0,
  };
  sdkRetries = 0;
  snsPublishes = 0;

  constructor(readonly options: SimulatedAwsOptions) {}

  /**
   * The three SDK clients of one function environment, each with its own retry quota, as the
   * functions' @fanout/aws-clients makes them (`dynamoMaxAttempts` as the worker's main.ts asks for).
   * Only `send` is answered: our code uses nothing else.
   */
  clientsFor(caller: Caller, options: { dynamoMaxAttempts?: number } = {}): { sqs: SQSClient; sns: SNSClient; dynamo: DynamoDBDocumentClient } {
    const client = (answer: (command: unknown) => Promise<unknown>, maxAttempts?: number) => {
      const settings = this.sdkSettings();
      const retries = new SdkRetries(maxAttempts === undefined ? settings : { ...settings, maxAttempts }, this.options.random);
      return {
        send: async (command: unknown) => {
          const before = retries.retries;
          try {
            return await retries.send(() => answer(command));
          } finally {
            this.sdkRetries += retries.retries - before;
          }
        },
      };
    };
    return {
      sqs: client((command) => this.answerSqs(command, caller)) as unknown as SQSClient,
      sns: client((command) => this.answerSns(command, caller)) as unknown as SNSClient,
      dynamo: client((command) => this.answerDynamo(command, caller), options.dynamoMaxAttempts ?? this.options.parameters['sdk.dynamodbMaxAttempts']) as unknown as DynamoDBDocumentClient,
    };
  }

  /** A receive as the event source mapping's pollers make it (they are Lambda's, not an SDK client of ours). */
  receiveForMapping(max: number, waitMs: number): Promise<ReceivedView[]> {
    return this.call('ReceiveMessage', this.options.parameters['sqs.receiveLatencyMs'], alwaysAlive, () => this.receive(max, waitMs));
  }

  /** The mapping's delete of the messages a batch wrote. */
  deleteForMapping(receiptHandles: readonly string[]): Promise<void> {
    return this.call('DeleteMessageBatch', this.options.parameters['sqs.deleteLatencyMs'], alwaysAlive, () => {
      for (const handle of receiptHandles) this.options.queue.delete(handle);
    });
  }

  /** Producers' SendMessageBatch calls, counted (they put messages on the queue at once: see arrivals). */
  countSends(calls: number): void {
    this.requests.SendMessageBatch += calls;
  }

  private sdkSettings() {
    const p = this.options.parameters;
    return {
      maxAttempts: p['sdk.maxAttempts'],
      retryBaseMs: p['sdk.retryBaseMs'],
      throttlingRetryBaseMs: p['sdk.throttlingRetryBaseMs'],
      maxRetryDelayMs: p['sdk.maxRetryDelayMs'],
      retryQuota: p['sdk.retryQuota'],
      retryCost: p['sdk.retryCost'],
      throttlingRetryCost: p['sdk.throttlingRetryCost'],
    };
  }

  /**
   * One attempt of one call: counted, half its latency on the way, `serve` at the service, the other
   * half back; locally (local.cores), its time is run as CPU on the machine's shared cores instead.
   */
  private async call<T>(api: ApiName, latency: Latency, caller: Caller, serve: () => T | Promise<T>): Promise<T> {
    this.requests[api]++;
    const total = sampleLatency(latency, this.options.random);
    // Locally most of a call's time is CPU (the SDK, the wire, the emulator) on cores it shares; the
    // rest, hops between processes, waits as on AWS.
    const cpuShare = this.options.cpu ? this.options.parameters['local.cpuPerCallMs'] : 0;
    await sleep((Math.max(0, 1 - cpuShare) * total) / 2);
    if (this.options.cpu) await this.options.cpu.run(cpuShare * total);
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await serve() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await sleep((Math.max(0, 1 - cpuShare) * total) / 2);
    if (!caller.alive()) return never();
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private answerSqs(command: unknown, caller: Caller): Promise<unknown> {
    const p = this.options.parameters;
    const queue = this.options.queue;
    if (command instanceof ReceiveMessageCommand) {
      const { MaxNumberOfMessages = 1, WaitTimeSeconds = 0 } = command.input;
      return this.call('ReceiveMessage', p['sqs.receiveLatencyMs'], caller, async () => ({
        Messages: (await this.receive(MaxNumberOfMessages, WaitTimeSeconds * 1000)).map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          Body: message.body,
          Attributes: { SentTimestamp: String(message.sentTimestamp), ApproximateReceiveCount: String(message.receiveCount) },
        })),
      }));
    }
    if (command instanceof DeleteMessageBatchCommand) {
      const entries = command.input.Entries ?? [];
      return this.call('DeleteMessageBatch', p['sqs.deleteLatencyMs'], caller, () => {
        // An older receipt handle succeeds and may delete nothing, as in SQS.
        for (const entry of entries) queue.delete(entry.ReceiptHandle ?? '');
        return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
      });
    }
    if (command instanceof ChangeMessageVisibilityBatchCommand) {
      const entries = command.input.Entries ?? [];
      return this.call('ChangeMessageVisibilityBatch', p['sqs.changeVisibilityLatencyMs'], caller, () => {
        const Successful: { Id: string | undefined }[] = [];
        const Failed: { Id: string | undefined; Code: string; SenderFault: boolean }[] = [];
        for (const entry of entries) {
          if (queue.changeVisibility(entry.ReceiptHandle ?? '', (entry.VisibilityTimeout ?? 0) * 1000)) Successful.push({ Id: entry.Id });
          else Failed.push({ Id: entry.Id, Code: 'MessageNotInflight', SenderFault: true });
        }
        return { Successful, Failed };
      });
    }
    if (command instanceof GetQueueAttributesCommand) {
      return this.call('GetQueueAttributes', p['sqs.attributesLatencyMs'], caller, () => {
        const { visible, inFlight } = queue.depth();
        return { Attributes: { ApproximateNumberOfMessages: String(visible), ApproximateNumberOfMessagesNotVisible: String(inFlight) } };
      });
    }
    return Promise.reject(new Error(`The simulated SQS does not answer ${(command as object).constructor.name}.`));
  }

  private answerSns(command: unknown, caller: Caller): Promise<unknown> {
    const latency = this.options.parameters['sns.publishLatencyMs'];
    if (command instanceof PublishBatchCommand) {
      const entries = command.input.PublishBatchRequestEntries ?? [];
      return this.call('PublishBatch', latency, caller, () => {
        this.snsPublishes += entries.length;
        for (const entry of entries) this.options.deliver(entry.Message ?? '');
        return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: `sns-${this.snsPublishes}-${entry.Id}` })), Failed: [] };
      });
    }
    if (command instanceof PublishCommand) {
      const message = command.input.Message ?? '';
      return this.call('Publish', latency, caller, () => {
        this.snsPublishes++;
        this.options.deliver(message);
        return { MessageId: `sns-${this.snsPublishes}` };
      });
    }
    return Promise.reject(new Error(`The simulated SNS does not answer ${(command as object).constructor.name}.`));
  }

  private answerDynamo(command: unknown, caller: Caller): Promise<unknown> {
    if (!(command instanceof BatchWriteCommand)) {
      return Promise.reject(new Error(`The simulated DynamoDB does not answer ${(command as object).constructor.name}.`));
    }
    const tableName = this.options.tableName;
    const requests = command.input.RequestItems?.[tableName] ?? [];
    const items = requests.map((request) => request.PutRequest?.Item as TableItem);
    return this.call('BatchWriteItem', this.options.parameters['dynamodb.batchWriteLatencyMs'], caller, () => {
      const unprocessed = this.options.table.batchWrite(items);
      // Only when none of the items could be written does the whole call fail.
      if (unprocessed.length > 0 && unprocessed.length === items.length) {
        throw withoutStack(() => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: {} }));
      }
      return { UnprocessedItems: unprocessed.length === 0 ? {} : { [tableName]: unprocessed.map((Item) => ({ PutRequest: { Item } })) } };
    });
  }

  /** What a receive takes: now, or for a long poll the first messages to become visible within its wait. */
  private async receive(max: number, waitMs: number): Promise<ReceivedView[]> {
    const queue = this.options.queue;
    let messages = queue.receive(max, waitMs === 0);
    const deadline = this.options.now() + waitMs;
    while (messages.length === 0 && this.options.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiting.cancel();
          resolve();
        }, deadline - this.options.now());
        const waiting = queue.whenVisible(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      messages = queue.receive(max, false);
    }
    return messages;
  }
}
