import type { APIGatewayProxyResult } from 'aws-lambda';

/** Where a request is wrong (`key2`, `[3].key1`) and why. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** The one error shape of the API: a sentence to read, and details a client can act on. */
export function errorResponse(
  statusCode: number,
  error: string,
  details: ErrorDetail[] = [],
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return jsonResponse(statusCode, { error, details }, headers);
}
