import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queueConfig } from '@fanout/config';
import type { DrainPorts } from './drain-ports.js';
import { deleteMessages, receiveMessages, releaseMessages } from './queue-messages.js';
import type { RetryPolicy } from './retry-policy.js';
import { writeItems } from './write-items.js';

export interface AwsDrainTarget {
  sqs: SQSClient;
  dynamo: DynamoDBDocumentClient;
  queueUrl: string;
  tableName: string;
  writePolicy?: RetryPolicy;
  deletePolicy?: RetryPolicy;
  /** The queue's visibility timeout: no message given back waits longer than it would have anyway. */
  visibilityTimeoutSeconds?: number;
}

/** The drain run's ports on the real SQS queue and DynamoDB table. */
export function awsDrainPorts(target: AwsDrainTarget): DrainPorts {
  return {
    receive: (maxMessages, waitMs) => receiveMessages(target.sqs, target.queueUrl, { maxMessages, waitMs }),
    write: (items, onWritten) => writeItems(target.dynamo, target.tableName, items, target.writePolicy, onWritten),
    remove: (messages) => deleteMessages(target.sqs, target.queueUrl, messages, target.deletePolicy),
    release: (messages) => releaseMessages(target.sqs, target.queueUrl, messages, target.visibilityTimeoutSeconds ?? queueConfig.visibilityTimeoutSeconds),
  };
}
