import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { queueConfig } from '@fanout/config';

/** A queue of the stack: encrypted at rest with the SQS-managed key, and reachable over TLS only. */
export function encryptedQueue(scope: Construct, id: string, props: Omit<QueueProps, 'encryption' | 'enforceSSL'>): Queue {
  return new Queue(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });
}

/** A dead-letter queue of the stack: every one keeps its messages as long as the others. */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return encryptedQueue(scope, id, { retentionPeriod: Duration.days(queueConfig.deadLetterRetentionDays) });
}
