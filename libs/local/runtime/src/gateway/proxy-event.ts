import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An HTTP request as API Gateway's REST proxy integration hands it to Lambda. A body that is not
 * UTF-8 text arrives base64-encoded with `isBase64Encoded`, as API Gateway sends binary payloads.
 */
export function toProxyEvent(
  request: Pick<IncomingMessage, 'method' | 'url' | 'headers'>,
  body: Buffer,
  route: { resource: string; pathParameters?: Record<string, string> },
): APIGatewayProxyEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  let text: string | null = null;
  let isBase64Encoded = false;
  if (body.length > 0) {
    try {
      text = utf8.decode(body);
    } catch {
      text = body.toString('base64');
      isBase64Encoded = true;
    }
  }
  const requestId = randomUUID();
  return {
    resource: route.resource,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: route.pathParameters ?? null,
    stageVariables: null,
    body: text,
    isBase64Encoded,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: request.method ?? 'GET',
      identity: { sourceIp: '127.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: url.pathname,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.resource,
    },
  };
}

/** Sends a Lambda proxy result back unchanged, as API Gateway does. */
export function sendProxyResult(response: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : Buffer.from(result.body ?? '', 'utf8');
  response.writeHead(result.statusCode, headers);
  response.end(body);
}

export function sendJson(response: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

export type BodyRead = { kind: 'read'; body: Buffer } | { kind: 'too-large'; declaredBytes?: number } | { kind: 'timed-out' };

export interface BodyLimits {
  /** Most bytes read; a body that passes it is refused at once, with its Content-Length or not. */
  maxBytes: number;
  /** A body not complete this long after its headers is cut off. */
  timeoutMs: number;
}

/**
 * Reads a request body without ever holding more than `maxBytes` of it: a Content-Length over the
 * limit is refused before a byte is read, a body without one as soon as it passes the limit. A body
 * that stalls or drips is cut off after `timeoutMs`. After a refusal the rest is left unread: the
 * caller answers and closes the connection. Rejects when the client goes away mid-body.
 */
export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  const contentLength = request.headers['content-length'];
  if (contentLength !== undefined && Number(contentLength) > limits.maxBytes) {
    return Promise.resolve({ kind: 'too-large', declaredBytes: Number(contentLength) });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (outcome: BodyRead | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.off('data', onData);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timed-out' }), limits.timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.maxBytes) chunks.push(chunk);
      else {
        request.pause();
        finish({ kind: 'too-large' });
      }
    };
    request.on('data', onData);
    request.on('end', () => finish({ kind: 'read', body: Buffer.concat(chunks) }));
    request.on('error', (error) => finish(error));
    request.on('close', () => finish(new Error('the client closed the connection before its body was complete')));
  });
}
