import { apiConfig, awsLimits } from '@fanout/config';
import type { ErrorDetail } from '@fanout/http-response';
import { describeApiRoutes } from './routes.js';

/** API Gateway's gateway response types the API answers in its own error shape. */
export type GatewayResponseType =
  | 'INVALID_API_KEY'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'BAD_REQUEST_BODY'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE';

/** One of the gateway's own answers: sent before any function runs, in the API's one error shape. */
export interface GatewayAnswer {
  responseType: GatewayResponseType;
  statusCode: number;
  error: string;
  /** Details; a message may hold a `$context` variable the gateway substitutes (see renderGatewayAnswer). */
  details: ErrorDetail[];
}

/** What API Gateway's request validator says was wrong with a body, as its gateway response template names it. */
export const validationErrorVariable = '$context.error.validationErrorString';

const { rateLimit, burstLimit, quotaPerDay } = apiConfig.throttle;

/**
 * The gateway's own answers. The stack turns each into a gateway response (status and template);
 * the local gateway sends the same answer for the same request.
 */
export const gatewayAnswers = {
  /** No `x-api-key`, or one the usage plan does not know. */
  missingOrUnknownKey: {
    responseType: 'INVALID_API_KEY',
    statusCode: 403,
    error:
      'Missing or unknown API key: send it in the x-api-key header (on AWS docs/deploy.md shows how to read it from the stack; locally it is the key npm start was given with --api-key).',
    details: [],
  },
  /**
   * A path or a method the API does not define. API Gateway answers both as a missing authentication
   * token (403 by default); 404 says what a client can act on.
   */
  noRoute: {
    responseType: 'MISSING_AUTHENTICATION_TOKEN',
    statusCode: 404,
    error: `No such route: use ${describeApiRoutes()}.`,
    details: [],
  },
  /** A body the request model refuses; the detail is the validator's own message. */
  invalidBody: {
    responseType: 'BAD_REQUEST_BODY',
    statusCode: 400,
    error: `The body must be one message or an array of 1 to ${apiConfig.maxMessagesPerRequest} messages, each with key1, key2 and key3 (1 to ${apiConfig.maxKeyLength} characters) and optionally runId and idempotencyKey; nothing was enqueued.`,
    details: [{ path: '', message: validationErrorVariable }],
  },
  throttled: {
    responseType: 'THROTTLED',
    statusCode: 429,
    error: `Too many requests: the usage plan allows ${rateLimit} requests per second with bursts of ${burstLimit}; retry with backoff.`,
    details: [],
  },
  quotaExceeded: {
    responseType: 'QUOTA_EXCEEDED',
    statusCode: 429,
    error: `The daily quota of ${quotaPerDay} requests is used up; it resets at 00:00 UTC.`,
    details: [],
  },
  /** Over API Gateway's own payload limit; test-api's smaller one answers with bodyTooLargeError. */
  tooLarge: {
    responseType: 'REQUEST_TOO_LARGE',
    statusCode: 413,
    error: `The body is over ${awsLimits.apiGatewayMaxPayloadBytes} bytes (10 MB), API Gateway's limit; test-api takes at most ${apiConfig.maxBodyBytes} bytes (256 KiB).`,
    details: [],
  },
} as const satisfies Record<string, GatewayAnswer>;

/** The application/json template of a gateway response: the error shape, `$context` variables in place. */
export function gatewayResponseTemplate(answer: GatewayAnswer): string {
  const details = answer.details.map(
    // A variable is substituted as bare text, so the template quotes it.
    (detail) => `{"path": ${JSON.stringify(detail.path)}, "message": ${detail.message.includes('$context.') ? `"${detail.message}"` : JSON.stringify(detail.message)}}`,
  );
  return `{"error": ${JSON.stringify(answer.error)}, "details": [${details.join(', ')}]}`;
}

export interface RenderedAnswer {
  statusCode: number;
  body: string;
}

/**
 * The answer as the gateway sends it: its template with the validator's message in place of
 * `$context.error.validationErrorString`, escaped so that the body stays JSON.
 */
export function renderGatewayAnswer(answer: GatewayAnswer, context: { validationErrorString?: string } = {}): RenderedAnswer {
  const escaped = JSON.stringify(context.validationErrorString ?? '').slice(1, -1);
  return { statusCode: answer.statusCode, body: gatewayResponseTemplate(answer).replaceAll(validationErrorVariable, () => escaped) };
}

/**
 * test-api's answer to a body over its limit (the local gateway sends the same, without reading the
 * body): the size when the request declared it.
 */
export function bodyTooLargeError(bytes: number | undefined): string {
  const limit = `${apiConfig.maxBodyBytes} bytes (256 KiB)`;
  return bytes === undefined ? `The body is over ${limit}, the limit; the rest was not read.` : `The body is ${bytes} bytes; the limit is ${limit}.`;
}
