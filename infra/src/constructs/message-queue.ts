import { Duration } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueConfig } from '@fanout/config';
import { deadLetterQueue, encryptedQueue } from './encrypted-queue.js';

/** The queue test-api fills and the workers drain, and the dead-letter queue for messages that keep failing. */
export class MessageQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.queue = encryptedQueue(this, 'Queue', {
      retentionPeriod: Duration.days(queueConfig.retentionDays),
      visibilityTimeout: Duration.seconds(queueConfig.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: queueConfig.maxReceiveCount },
    });
  }
}
