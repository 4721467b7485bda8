import { Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnTopic, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './encrypted-queue.js';
import { onlyResource } from './only-resource.js';

/** The AWS-managed key SNS encrypts with when a topic names no key of its own. */
export const awsManagedSnsKeyAlias = 'alias/aws/sns';

/**
 * The topic test-cron publishes to, one notification per worker to start, and the dead-letter queue
 * for notifications SNS could not deliver to the worker.
 */
export class WorkerTrigger extends Construct {
  readonly topic: Topic;
  readonly deliveryDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    // The AWS-managed SNS key: its key policy already lets this account's publishers use it through
    // SNS, so test-cron needs no KMS permission, and it has no monthly cost. Named by its alias name,
    // not an alias ARN: SNS creates the key on first use, so the ARN need not exist yet in a new account.
    (this.topic.node.defaultChild as CfnTopic).kmsMasterKeyId = awsManagedSnsKeyAlias;
    this.deliveryDeadLetterQueue = deadLetterQueue(this, 'DeliveryDeadLetterQueue');
    Validations.of(onlyResource(this.deliveryDeadLetterQueue)).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (the redrive target of the worker subscription, which cdk-nag only recognises on queues), so it needs no dead-letter queue of its own, and an alarm watches it.',
    });
  }

  /** Subscribes the worker: each notification starts it once; undeliverable ones go to the dead-letter queue. */
  subscribe(worker: IFunction): void {
    this.topic.addSubscription(
      new LambdaSubscription(worker, {
        deadLetterQueue: this.deliveryDeadLetterQueue,
      }),
    );
  }
}
