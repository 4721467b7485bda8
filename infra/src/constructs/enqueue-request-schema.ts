import { JsonSchemaType, JsonSchemaVersion, type JsonSchema } from 'aws-cdk-lib/aws-apigateway';
import { apiConfig } from '@fanout/config';
import { idempotencyKeyPattern } from '@fanout/message-schema';

/**
 * One message: the three keys, an optional runId and idempotencyKey, nothing else, every string
 * bounded. A hand-kept copy of messageSchema in libs/message-schema: a field missing here is refused
 * by API Gateway with 400 before test-api sees it.
 */
function messageSchema(): JsonSchema {
  const text: JsonSchema = { type: JsonSchemaType.STRING, minLength: 1, maxLength: apiConfig.maxKeyLength };
  return {
    type: JsonSchemaType.OBJECT,
    required: ['key1', 'key2', 'key3'],
    properties: {
      key1: text,
      key2: text,
      key3: text,
      runId: text,
      idempotencyKey: { type: JsonSchemaType.STRING, pattern: idempotencyKeyPattern.source },
    },
    additionalProperties: false,
  };
}

/**
 * The body of `POST /messages` and `POST /`: one message or an array of 1 to
 * `apiConfig.maxMessagesPerRequest`. API Gateway checks it before any function runs, which bounds
 * what can reach test-api (a fixed set of fields, each string and the number of messages capped).
 * test-api still checks everything itself (byte size, UTF-8, the runId format), as it does locally.
 */
export function enqueueRequestSchema(): JsonSchema {
  return {
    schema: JsonSchemaVersion.DRAFT4,
    title: 'EnqueueRequest',
    oneOf: [
      messageSchema(),
      { type: JsonSchemaType.ARRAY, minItems: 1, maxItems: apiConfig.maxMessagesPerRequest, items: messageSchema() },
    ],
  };
}
