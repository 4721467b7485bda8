import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDynamoDocumentClient } from '@fanout/aws-clients';
import { readRunStatusEnvironment } from '@fanout/config';
import { handleRunStatusRequest } from '@fanout/run-status';

// Initialised once per execution environment and reused across invocations.
const target = { dynamo: createDynamoDocumentClient(), ...readRunStatusEnvironment() };
const log = new Logger({ serviceName: 'run-status-api' });

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const response = await handleRunStatusRequest(event, target);
  log.info('run status read', { path: event.path, statusCode: response.statusCode });
  return response;
}
