import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isRetryableError } from '@fanout/aws-clients/errors';
import { errorResponse, jsonResponse } from '@fanout/http-response';
import { gatewayAnswers } from '@fanout/api-contract';
import { runIdPattern } from '@fanout/message-schema';
import { readRunItems } from './read-run-items.js';
import { summarizeRun } from './run-report.js';

export interface RunStatusTarget {
  dynamo: DynamoDBDocumentClient;
  tableName: string;
  runIndexName: string;
  /** Where a failed read is logged with its cause (the function's Powertools Logger). */
  log: Pick<Logger, 'warn' | 'error'>;
}

const runPath = /^\/runs\/([^/]*)\/?$/;

/** A malformed escape (`%ZZ`) makes decodeURIComponent throw; it is an invalid runId, not a crash. */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `GET /runs/{runId}`: the drain report of one run, read from the table. */
export async function handleRunStatusRequest(
  event: APIGatewayProxyEvent,
  target: RunStatusTarget,
): Promise<APIGatewayProxyResult> {
  // API Gateway hands over path parameters decoded once; only the raw path is still encoded. Decoding
  // a parameter again would read /runs/%2541 as run "A".
  const fromParameters = event.pathParameters?.['runId'];
  const fromPath = runPath.exec(event.path ?? '')?.[1];
  // Any other route is the gateway's to refuse; a direct invocation gets the gateway's answer.
  if ((fromParameters === undefined && fromPath === undefined) || event.httpMethod !== 'GET') {
    return errorResponse(gatewayAnswers.noRoute.statusCode, gatewayAnswers.noRoute.error);
  }
  const decoded = fromParameters ?? decodePathSegment(fromPath as string);
  if (decoded === undefined || !runIdPattern.test(decoded)) {
    return errorResponse(400, 'The runId is invalid.', [
      { path: 'runId', message: 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' },
    ]);
  }
  try {
    const items = await readRunItems(target.dynamo, target.tableName, target.runIndexName, decoded);
    return jsonResponse(200, summarizeRun(decoded, items));
  } catch (error) {
    // Throttling or an outage passes: the client may retry. Anything else (access denied, a missing
    // table or index) fails every request until someone fixes it: a 500, which the API's 5XX alarm counts.
    if (isRetryableError(error)) {
      target.log.warn('run status read failed; the client may retry', { runId: decoded, error: error as Error });
      return errorResponse(503, 'The table is unavailable right now; retry the request.', [], { 'retry-after': '1' });
    }
    target.log.error('run status read failed; no retry fixes this', { runId: decoded, error: error as Error });
    return errorResponse(500, 'The run could not be read; the error is logged.');
  }
}
