import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handleEnqueueRequest } from '@fanout/enqueue';
import type { Logger } from '@aws-lambda-powertools/logger';

export interface ApiDependencies {
  sqs: SQSClient;
  queueUrl: string;
  log: Pick<Logger, 'info' | 'error'>;
}

/** API Gateway proxy event in → check and enqueue → proxy result out. */
export function createApiHandler({ sqs, queueUrl, log }: ApiDependencies) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const outcome = await handleEnqueueRequest(event, sqs, queueUrl);
    const decision = {
      method: event.httpMethod,
      path: event.path,
      statusCode: outcome.response.statusCode,
      enqueued: outcome.enqueued,
      failed: outcome.failed,
    };
    if (outcome.queueError) {
      const error = outcome.queueError as Error;
      log.error('SQS refused the request', { ...decision, errorName: error.name, errorMessage: error.message });
    } else {
      log.info('request handled', decision);
    }
    return outcome.response;
  };
}
