import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { apiConfig } from '@fanout/config';
import { idempotencyKeyPattern, tokenRule, validateMessage, type Message, type ValidationDetail } from '@fanout/message-schema';
import { errorResponse } from '@fanout/http-response';
import { bodyTooLargeError, gatewayAnswers, matchApiRoute } from '@fanout/api-contract';

/** The header that names a single message for good (an array names each message in its `idempotencyKey`). */
export const idempotencyKeyHeader = 'Idempotency-Key';

export type EnqueueRequest = { kind: 'single'; message: Message } | { kind: 'batch'; messages: Message[] };

export type ParsedRequest = { ok: true; request: EnqueueRequest } | { ok: false; response: APIGatewayProxyResult };

function reject(statusCode: number, error: string, details: ValidationDetail[] = [], headers = {}): ParsedRequest {
  return { ok: false, response: errorResponse(statusCode, error, details, headers) };
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the body as text, refusing bytes that are not UTF-8 (API Gateway passes binary as base64). */
function bodyText(event: APIGatewayProxyEvent): { text: string; bytes: number } | 'invalid-utf8' {
  const raw = event.body ?? '';
  if (!event.isBase64Encoded) return { text: raw, bytes: Buffer.byteLength(raw, 'utf8') };
  const bytes = Buffer.from(raw, 'base64');
  try {
    return { text: utf8.decode(bytes), bytes: bytes.length };
  } catch {
    return 'invalid-utf8';
  }
}

/**
 * Checks an API Gateway request from route to field: 404 for any route but the API contract's
 * enqueue routes (as the gateway answers), 415 wrong content type, 413 too large, 400 anything
 * wrong with the JSON. Only a request that passes every check reaches the queue.
 */
export function parseEnqueueRequest(event: APIGatewayProxyEvent): ParsedRequest {
  if (matchApiRoute(event.httpMethod, event.path || '/')?.route.functionName !== 'test-api') {
    return reject(gatewayAnswers.noRoute.statusCode, gatewayAnswers.noRoute.error);
  }
  const contentType = header(event, 'content-type');
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return reject(415, `Content-Type must be application/json, got ${contentType ? JSON.stringify(contentType) : 'none'}.`);
  }
  const headerKey = header(event, idempotencyKeyHeader.toLowerCase());
  if (headerKey !== undefined && !idempotencyKeyPattern.test(headerKey)) {
    return reject(400, `The ${idempotencyKeyHeader} header ${tokenRule}, got ${JSON.stringify(headerKey)}; nothing was enqueued.`, [
      { path: idempotencyKeyHeader, message: tokenRule },
    ]);
  }
  const body = bodyText(event);
  if (body === 'invalid-utf8') return reject(400, 'The body is not valid UTF-8.');
  if (body.bytes > apiConfig.maxBodyBytes) {
    return reject(413, bodyTooLargeError(body.bytes));
  }
  if (body.text.trim() === '') return reject(400, 'The request has no body; send a JSON object with key1, key2 and key3.');

  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch (error) {
    return reject(400, `The body is not valid JSON: ${(error as Error).message}.`);
  }

  if (Array.isArray(json)) {
    if (json.length === 0 || json.length > apiConfig.maxMessagesPerRequest) {
      return reject(400, `An array must hold 1 to ${apiConfig.maxMessagesPerRequest} messages, got ${json.length}.`, [
        { path: '', message: `must hold 1 to ${apiConfig.maxMessagesPerRequest} messages` },
      ]);
    }
    const messages: Message[] = [];
    const details: ValidationDetail[] = [];
    json.forEach((entry, index) => {
      const result = validateMessage(entry, `[${index}]`);
      if (result.ok) messages.push(result.value);
      else details.push(...result.details);
    });
    if (details.length === 0) details.push(...repeatedKeys(messages));
    if (details.length > 0) return reject(400, 'Some messages in the array are invalid; nothing was enqueued.', details);
    if (headerKey !== undefined) {
      return reject(400, `The ${idempotencyKeyHeader} header names one message; give each message of an array its own idempotencyKey instead.`, [
        { path: idempotencyKeyHeader, message: 'is for a single message, not an array' },
      ]);
    }
    return { ok: true, request: { kind: 'batch', messages } };
  }

  if (typeof json !== 'object' || json === null) {
    return reject(400, `The body must be a JSON object or an array of 1 to ${apiConfig.maxMessagesPerRequest} objects.`);
  }
  const result = validateMessage(json);
  if (!result.ok) return reject(400, 'The message is invalid; nothing was enqueued.', result.details);
  const message = result.value;
  if (headerKey === undefined) return { ok: true, request: { kind: 'single', message } };
  if (message.idempotencyKey !== undefined && message.idempotencyKey !== headerKey) {
    return reject(400, `The ${idempotencyKeyHeader} header and the body's idempotencyKey differ; send the key once.`, [
      { path: 'idempotencyKey', message: `differs from the ${idempotencyKeyHeader} header` },
    ]);
  }
  return { ok: true, request: { kind: 'single', message: { ...message, idempotencyKey: headerKey } } };
}

/** Two messages of one array with one key would be one item, though the answer counts two. */
function repeatedKeys(messages: Message[]): ValidationDetail[] {
  const firstIndexOf = new Map<string, number>();
  const details: ValidationDetail[] = [];
  messages.forEach(({ idempotencyKey }, index) => {
    if (idempotencyKey === undefined) return;
    const first = firstIndexOf.get(idempotencyKey);
    if (first === undefined) firstIndexOf.set(idempotencyKey, index);
    else details.push({ path: `[${index}].idempotencyKey`, message: `repeats the key of [${first}]; each message of an array needs its own` });
  });
  return details;
}
