import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * An API Gateway proxy event as Lambda receives it: GET / with no headers and no body, unless
 * `overrides` says otherwise.
 */
export function apiGatewayEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    path: '/',
    resource: '/',
    headers: {},
    multiValueHeaders: {},
    body: null,
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

/**
 * POST /messages with Content-Type application/json, as a client of the enqueue API sends it. `body` is
 * the raw body (a string, or null for none); any other value is sent as its JSON.
 */
export function postMessagesEvent(body: unknown, overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return apiGatewayEvent({
    httpMethod: 'POST',
    path: '/messages',
    resource: '/messages',
    headers: { 'Content-Type': 'application/json' },
    body: body === null || typeof body === 'string' ? body : JSON.stringify(body),
    ...overrides,
  });
}

/** A GET of `path` on the run status API's route, /runs/{runId}. */
export function getRunEvent(path: string, overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return apiGatewayEvent({ path, resource: '/runs/{runId}', ...overrides });
}
