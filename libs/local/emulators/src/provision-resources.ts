import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { queueConfig, resourceNames, tableDesign } from '@fanout/config';

export interface ResourceOverrides {
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

export interface ProvisionedResources {
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
  topicArn: string;
  tableName: string;
  runIndexName: string;
}

export interface ProvisionClients {
  sqs: SQSClient;
  sns: SNSClient;
  dynamodb: DynamoDBClient;
}

async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`Queue ${queueUrl} has no QueueArn attribute.`);
  return Attributes.QueueArn;
}

/**
 * Creates the queue, or gives an existing one (kept in a `--data-dir`) these attributes: a restart
 * with another `--visibility-timeout` or `--max-receive-count` applies them to the messages kept.
 */
async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  try {
    return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl as string;
  } catch (error) {
    // fauxqs names it AWS.SimpleQueueService.QueueNameExists, which the SDK does not map to its class.
    if (!/QueueNameExists$/.test((error as Error).name)) throw error;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
    return QueueUrl as string;
  }
}

/** Creates the table and its run index unless they exist (a `--data-dir` keeps them across restarts). */
async function ensureTable(dynamodb: DynamoDBClient): Promise<void> {
  const index = tableDesign.runIndex;
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: resourceNames.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: tableDesign.partitionKey, AttributeType: 'S' },
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: tableDesign.partitionKey, KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 }, { TableName: resourceNames.table });
  await dynamodb.send(new DescribeTableCommand({ TableName: resourceNames.table }));
}

/**
 * Creates what the CDK stack creates in the cloud, with the same names and settings from the shared
 * config: queue `test` redriving to `test-dlq`, topic `test`, table `Test` with its run index.
 */
export async function provisionResources(
  clients: ProvisionClients,
  overrides: ResourceOverrides = {},
): Promise<ProvisionedResources> {
  const { sqs, sns, dynamodb } = clients;
  const deadLetterQueueUrl = await ensureQueue(sqs, resourceNames.deadLetterQueue, {
    MessageRetentionPeriod: String(queueConfig.deadLetterRetentionDays * 86_400),
  });
  const deadLetterArn = await queueArnOf(sqs, deadLetterQueueUrl);
  const queueUrl = await ensureQueue(sqs, resourceNames.queue, {
    VisibilityTimeout: String(overrides.visibilityTimeoutSeconds ?? queueConfig.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(queueConfig.retentionDays * 86_400),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetterArn,
      maxReceiveCount: overrides.maxReceiveCount ?? queueConfig.maxReceiveCount,
    }),
  });
  const topic = await sns.send(new CreateTopicCommand({ Name: resourceNames.topic }));
  await ensureTable(dynamodb);
  return {
    queueUrl,
    queueArn: await queueArnOf(sqs, queueUrl),
    deadLetterQueueUrl,
    topicArn: topic.TopicArn as string,
    tableName: resourceNames.table,
    runIndexName: resourceNames.runIndex,
  };
}

/** Empties the table as a fresh emulator would hold it: deleted, then created again with its run index. */
export async function emptyTable(dynamodb: DynamoDBClient): Promise<void> {
  await dynamodb.send(new DeleteTableCommand({ TableName: resourceNames.table }));
  await waitUntilTableNotExists({ client: dynamodb, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 }, { TableName: resourceNames.table });
  await ensureTable(dynamodb);
}

/**
 * fauxqs never delivers SNS to a function: subscribe a queue instead (raw delivery off, so each
 * message keeps the SNS envelope the local runtime needs to build a real SNSEvent).
 */
export async function subscribeQueueToTopic(
  clients: Pick<ProvisionClients, 'sqs' | 'sns'>,
  topicArn: string,
  queueName: string,
): Promise<{ queueUrl: string; subscriptionArn: string }> {
  const queue = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const queueUrl = queue.QueueUrl as string;
  const subscription = await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await queueArnOf(clients.sqs, queueUrl) }),
  );
  return { queueUrl, subscriptionArn: subscription.SubscriptionArn as string };
}
