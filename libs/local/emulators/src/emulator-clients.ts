import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messagingClientOptions } from '@fanout/aws-clients';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Where the clients send their requests: the emulators, or something in front of them (the wire proxy). */
export interface EmulatorEndpoints {
  sqs: { endpoint: string };
  dynamodb: { endpoint: string };
}

/** SDK clients on the emulators, for provisioning and for tests that count what is there. */
export function emulatorClients(emulators: EmulatorEndpoints) {
  const base = { region: 'us-east-1', credentials };
  const dynamodb = new DynamoDBClient({ ...base, endpoint: emulators.dynamodb.endpoint });
  return {
    sqs: new SQSClient({ ...base, ...messagingClientOptions, endpoint: emulators.sqs.endpoint }),
    sns: new SNSClient({ ...base, ...messagingClientOptions, endpoint: emulators.sqs.endpoint }),
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
  };
}
