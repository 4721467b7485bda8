import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handleEnqueueRequest } from '@fanout/enqueue';
import { pipelineMetrics } from '@fanout/config';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';

export interface ApiDependencies {
  sqs: SQSClient;
  queueUrl: string;
  log: Pick<Logger, 'info' | 'error' | 'addContext'>;
  metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

/**
 * API Gateway proxy event in → check and enqueue → proxy result out; one log line and the request's
 * metrics: messages enqueued, and messages rejected (each entry SQS refused; a request refused whole
 * before sending, 4xx, counts as one).
 */
export function createApiHandler({ sqs, queueUrl, log, metrics }: ApiDependencies) {
  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    log.addContext(context);
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
    const refusedWhole = outcome.enqueued + outcome.failed === 0 && outcome.response.statusCode >= 400 ? 1 : 0;
    metrics.addMetric(pipelineMetrics.messagesEnqueued, 'Count', outcome.enqueued);
    metrics.addMetric(pipelineMetrics.messagesRejected, 'Count', outcome.failed + refusedWhole);
    metrics.publishStoredMetrics();
    return outcome.response;
  };
}
