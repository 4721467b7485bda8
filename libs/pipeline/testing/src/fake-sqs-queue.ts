import {
  BatchEntryIdsNotDistinct,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
  type BatchResultErrorEntry,
  type SendMessageBatchCommandInput,
  type SendMessageBatchResultEntry,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

export interface SqsQueueBehaviour {
  /** Messages (by key1) SQS fails in a batch; senderFault says whose fault it was. */
  fail?: Record<string, { senderFault: boolean; code: string; message?: string }>;
  /** Messages (by key1) SQS neither confirms nor reports failed. */
  unconfirmed?: string[];
  /** Thrown by every call: SQS cannot be reached. */
  down?: Error;
}

/**
 * An SQS queue behind a mocked client, for code that sends: SendMessage, and SendMessageBatch with its
 * rules (at most 10 entries, distinct ids). `bodies` holds every body it accepted, in order; message
 * ids are `sqs-1`, `sqs-2`, … in that order.
 */
export function fakeSqsQueue(behaviour: SqsQueueBehaviour = {}): { client: SQSClient; bodies: string[] } {
  const client = new SQSClient({ region: 'us-east-1' });
  const bodies: string[] = [];
  const accept = (body: string) => {
    bodies.push(body);
    return `sqs-${bodies.length}`;
  };
  const mock = mockClient(client);
  mock.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
    if (behaviour.down) throw behaviour.down;
    return { MessageId: accept(input.MessageBody ?? '') };
  });
  mock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    if (behaviour.down) throw behaviour.down;
    const entries = input.Entries ?? [];
    if (entries.length > 10) throw new TooManyEntriesInBatchRequest({ message: `${entries.length} entries`, $metadata: {} });
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) {
      throw new BatchEntryIdsNotDistinct({ message: 'ids repeat', $metadata: {} });
    }
    const Successful: SendMessageBatchResultEntry[] = [];
    const Failed: BatchResultErrorEntry[] = [];
    for (const entry of entries) {
      const key1 = (JSON.parse(entry.MessageBody ?? '{}') as { key1?: string }).key1 ?? '';
      const failure = behaviour.fail?.[key1];
      if (failure) {
        Failed.push({ Id: entry.Id, SenderFault: failure.senderFault, Code: failure.code, Message: failure.message });
      } else if (!behaviour.unconfirmed?.includes(key1)) {
        Successful.push({ Id: entry.Id, MessageId: accept(entry.MessageBody ?? ''), MD5OfMessageBody: 'x' });
      }
    }
    return { Successful, Failed };
  });
  return { client, bodies };
}
