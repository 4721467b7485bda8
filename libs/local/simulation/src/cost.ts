import type { SimulationParameters } from './parameters.js';
import type { ApiName } from './simulated-aws.js';

/** What a drain used, as the price list counts it. */
export interface Usage {
  lambdaInvocations: number;
  /** Σ billed ms × memory MB, over every invocation. */
  lambdaMbMs: number;
  requests: Record<ApiName, number>;
  snsPublishes: number;
  dynamodbWriteUnits: number;
}

const sqsApis: ApiName[] = ['ReceiveMessage', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch', 'GetQueueAttributes', 'SendMessageBatch'];

/**
 * The drain's cost in USD from list prices: Lambda requests and GB-seconds, SQS requests (the
 * producers' SendMessageBatch and the mapping's polls included), SNS publishes (deliveries to
 * Lambda are free), DynamoDB write units (the run index's included). The schedule's EventBridge rule
 * is free; provisioned pollers' own hourly charge is not included.
 */
export function costUsd(usage: Usage, p: SimulationParameters): number {
  const gbSeconds = usage.lambdaMbMs / 1024 / 1000;
  const sqsRequests = sqsApis.reduce((sum, api) => sum + usage.requests[api], 0);
  return (
    (usage.lambdaInvocations * p['price.lambdaRequestsUsdPerMillion']) / 1e6 +
    gbSeconds * p['price.lambdaGbSecondUsd'] +
    (sqsRequests * p['price.sqsRequestsUsdPerMillion']) / 1e6 +
    (usage.snsPublishes * p['price.snsPublishesUsdPerMillion']) / 1e6 +
    (usage.dynamodbWriteUnits * p['price.dynamodbWriteUnitsUsdPerMillion']) / 1e6
  );
}
