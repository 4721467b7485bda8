import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createDynamoDocumentClient } from '@fanout/aws-clients/dynamodb';
import { readRunStatusEnvironment } from '@fanout/config';
import { handleRunStatusRequest } from '@fanout/run-status';

// Initialised once per execution environment and reused across invocations.
const log = new Logger({ serviceName: 'run-status-api' });
const target = { dynamo: createDynamoDocumentClient(), ...readRunStatusEnvironment(), log };

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  log.addContext(context);
  const response = await handleRunStatusRequest(event, target);
  log.info('run status read', { path: event.path, statusCode: response.statusCode });
  return response;
}
