import { sdkClientConfig } from '@fanout/config';

/**
 * What every function's SDK client shares, whichever service it talks to. Each service's factory has
 * its own module (./sqs, ./sns, ./dynamodb) so that a function's bundle holds only the clients it uses.
 */

export type Env = Record<string, string | undefined>;

/** Options a caller may change: `maxAttempts` for a caller whose own policy retries (see sdkClientConfig.maxAttempts). */
export interface ClientOptions {
  maxAttempts?: number;
}

/**
 * The endpoint for one service: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, as the SDK
 * reads them. Passed explicitly because fauxqs builds queue URLs whose host does not resolve.
 */
export function endpointFor(service: 'SQS' | 'SNS' | 'DYNAMODB', env: Env = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env['AWS_ENDPOINT_URL'] || undefined;
}

/**
 * Connection and request timeouts of every function's clients (sdkClientConfig): a call that hangs
 * throws a TimeoutError, which the SDK retries, instead of holding the invocation to its end.
 */
export const functionRequestHandler = {
  connectionTimeout: sdkClientConfig.connectionTimeoutMs,
  requestTimeout: sdkClientConfig.requestTimeoutMs,
  throwOnRequestTimeout: true,
} as const;

/**
 * Region, endpoint, timeouts and attempts of one service's client. Every client makes
 * sdkClientConfig.maxAttempts attempts a call unless its caller retries on its own and asks for fewer.
 */
export function baseConfig(service: 'SQS' | 'SNS' | 'DYNAMODB', env: Env, options: ClientOptions = {}) {
  const endpoint = endpointFor(service, env);
  return {
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    requestHandler: functionRequestHandler,
    maxAttempts: options.maxAttempts ?? sdkClientConfig.maxAttempts,
  };
}

/**
 * What the SQS and SNS clients are given besides region and endpoint, here and wherever the local
 * runtime or the benchmark drains with the SDK. The handler stack of a command is resolved once and
 * reused (the SDK's cacheMiddleware): nothing adds middleware after a client is made, and a cold
 * send costs about 8 % less CPU. DynamoDB's document client refuses the option.
 */
export const messagingClientOptions = { cacheMiddleware: true } as const;
