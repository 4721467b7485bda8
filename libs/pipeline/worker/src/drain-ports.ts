import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from '@fanout/message-schema';
import { deleteMessages, receiveMessages, type ReceivedMessage } from './queue-messages.js';
import type { RetryPolicy } from './retry-policy.js';
import { writeItems } from './write-items.js';

/** What the drain loop needs from the queue and the table; awsDrainPorts below are the AWS ones. */
export interface DrainPorts {
  /**
   * One receive of at most `maxMessages`: a long poll, or a short one (`'short'`) while the run holds
   * messages it has not written yet, so that an emptying queue never keeps them waiting.
   */
  receive(maxMessages: number, poll: 'long' | 'short'): Promise<ReceivedMessage[]>;
  /**
   * Items may repeat a key (a message redelivered to two loops of a run): each key is written once.
   * `onWritten`, when the port can tell, hears of items as their call succeeds, while others are
   * still being retried.
   */
  write(items: Item[], onWritten?: (items: Item[]) => void): Promise<{ unwritten: Item[]; calls: number; retries: number }>;
  remove(messages: ReceivedMessage[]): Promise<{ failed: ReceivedMessage[]; calls: number; retries: number }>;
}

export interface AwsDrainTarget {
  sqs: SQSClient;
  dynamo: DynamoDBDocumentClient;
  queueUrl: string;
  tableName: string;
  receiveWaitSeconds: number;
  writePolicy?: RetryPolicy;
  deletePolicy?: RetryPolicy;
}

/** The drain loop's ports on the real SQS queue and DynamoDB table. */
export function awsDrainPorts(target: AwsDrainTarget): DrainPorts {
  return {
    receive: (maxMessages, poll) =>
      receiveMessages(target.sqs, target.queueUrl, { maxMessages, waitSeconds: poll === 'long' ? target.receiveWaitSeconds : 0 }),
    write: (items, onWritten) => writeItems(target.dynamo, target.tableName, items, target.writePolicy, onWritten),
    remove: (messages) => deleteMessages(target.sqs, target.queueUrl, messages, target.deletePolicy),
  };
}
