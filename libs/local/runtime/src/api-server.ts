import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { apiConfig } from '@fanout/config';
import {
  bodyTooLargeError,
  gatewayAnswers,
  matchApiRoute,
  renderGatewayAnswer,
  requestModelContentType,
  enqueueRequestModel,
  type ApiFunctionName,
  type GatewayAnswer,
} from '@fanout/api-contract';
import { checkRequestBody, requestModelValidator } from '@fanout/api-contract/request-validator';
import {
  FunctionThrottledError,
  FunctionTimeoutError,
  HostClosedError,
  InvocationAbandonedError,
  type FunctionHost,
} from '@fanout/function-host';
import { cookieValue, dashboardCookieName, dashboardTokenFor, isLoopbackHost, sameSecret } from './gateway/access.js';
import { readBody, sendJson, sendProxyResult, toProxyEvent } from './gateway/proxy-event.js';
import { localRuntimeConfig } from './local-runtime-config.js';
import type { TickTrigger } from './pipeline-events.js';

/** Which function a request went to: `enqueue` (test-api) or `run-status` (run-status-api). */
export type RouteTarget = 'enqueue' | 'run-status';

const targetOf: Record<ApiFunctionName, RouteTarget> = { 'test-api': 'enqueue', 'run-status-api': 'run-status' };

export interface ApiRequest {
  target: RouteTarget;
  body: Buffer;
  statusCode: number;
}

export class ApiPortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} for the API is already in use.`);
    this.name = 'ApiPortInUseError';
  }
}

export interface ApiServerOptions {
  /** 0 picks a free one. */
  port: number;
  host: string;
  /**
   * When set, every route but /health requires it in `x-api-key`, as API Gateway's usage plan does;
   * the dashboard's GET routes also take the cookie its URL's token sets (see dashboardTokenFor).
   */
  apiKey?: string;
  hosts: Record<'test-api' | 'run-status-api', Pick<FunctionHost, 'invoke'>>;
  /** POST /_local/tick; absent when no schedule runs (`--trigger esm`). */
  tick?: (trigger: TickTrigger) => Promise<unknown>;
  /** Answers requests before the API's routes; returns false to pass one on. */
  serveLocalRoute?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
  /** Sees each API request a function answered. */
  onApiRequest?: (request: ApiRequest) => void;
  /** How long a request body may take to arrive; localRuntimeConfig.requestBodyTimeoutMs unless a test says otherwise. */
  requestBodyTimeoutMs?: number;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** POST /_local/tick's answer when the event source mapping starts the worker. */
export const noScheduleError =
  'No schedule runs with --trigger esm: the event source mapping polls the queue and invokes the worker by itself. Start npm start without --trigger esm to tick test-cron.';

/** The local gateway's own refusals, in the API's one error shape. */
function refuse(response: ServerResponse, statusCode: number, error: string, headers: Record<string, string> = {}): void {
  sendJson(response, statusCode, { error, details: [] }, headers);
}

/**
 * Refuses a request whose body is left unread, and closes its connection: once the answer is out the
 * runtime stops sending, discards whatever the client still sends for a while (so that a client busy
 * sending reads the answer rather than a reset), then cuts the connection. Nothing of the body is kept.
 */
function refuseAndClose(request: IncomingMessage, response: ServerResponse, statusCode: number, error: string): void {
  const { socket } = request;
  // Node destroys a `Connection: close` socket as soon as the answer is written, with the body still
  // arriving: the reset can reach the client before it reads the answer. Only end it here.
  socket.destroySoon = () => socket.end();
  response.once('finish', () => {
    request.resume();
    setTimeout(() => socket.destroy(), localRuntimeConfig.refusedBodyLingerMs).unref();
  });
  refuse(response, statusCode, error, { connection: 'close' });
}

/** One of the gateway's own answers, exactly as the stack's gateway response sends it. */
function answer(response: ServerResponse, gatewayAnswer: GatewayAnswer, validationErrorString?: string): void {
  const rendered = renderGatewayAnswer(gatewayAnswer, { validationErrorString });
  response.writeHead(rendered.statusCode, { 'content-type': 'application/json' });
  response.end(rendered.body);
}

const checkEnqueueModel = requestModelValidator(enqueueRequestModel);

/** Whether the gateway checks this body against the route's model: only bodies of the model's content type. */
function hasModelContentType(request: IncomingMessage): boolean {
  return request.headers['content-type']?.split(';')[0].trim().toLowerCase() === requestModelContentType;
}

type Access = 'allowed' | 'refused' | 'redirected';

/**
 * The API key check, in constant time. A GET under /_local/ (the dashboard's page, files and event
 * stream) also passes with the cookie that the dashboard URL's `token` sets: a browser cannot send
 * `x-api-key` on a page load or an EventSource.
 */
function checkApiKey(request: IncomingMessage, response: ServerResponse, url: URL, apiKey: string): Access {
  const header = request.headers['x-api-key'];
  if (sameSecret(Array.isArray(header) ? header.join(',') : header, apiKey)) return 'allowed';
  const dashboardGet = request.method === 'GET' && url.pathname.startsWith('/_local/');
  if (dashboardGet) {
    const token = dashboardTokenFor(apiKey);
    const cookieName = dashboardCookieName(request.socket.localPort ?? 0);
    const fromUrl = url.searchParams.get('token');
    if (fromUrl !== null && sameSecret(fromUrl, token)) {
      // The token leaves the address bar (and the history) at once; the cookie carries it from here on.
      url.searchParams.delete('token');
      response.writeHead(303, {
        location: `${url.pathname}${url.search}`,
        'set-cookie': `${cookieName}=${token}; Path=/_local/; HttpOnly; SameSite=Strict`,
        'cache-control': 'no-store',
      });
      response.end();
      return 'redirected';
    }
    if (sameSecret(cookieValue(request.headers.cookie, cookieName), token)) return 'allowed';
    refuse(
      response,
      403,
      'The dashboard needs the API key: open the dashboard URL npm start printed (it carries a token), or send the key in the x-api-key header.',
    );
    return 'refused';
  }
  answer(response, gatewayAnswers.missingOrUnknownKey);
  return 'refused';
}

/**
 * Answers one request as API Gateway would: the API's routes go to their function; /health and
 * /_local/ are the runtime's own. Only loopback Host names are served. In API Gateway's order: a
 * path or method the API does not define is no route (whatever the key); then, with an API key,
 * every route but /health needs it; a body is read up to test-api's limit and within a timeout,
 * and checked against the route's request model; a busy function with a full wait queue is
 * answered 429, as Lambda throttles.
 */
export async function handleApiRequest(request: IncomingMessage, response: ServerResponse, options: ApiServerOptions): Promise<void> {
  const host = request.headers.host;
  if (!isLoopbackHost(host)) {
    refuse(
      response,
      403,
      `The Host header ${host === undefined ? 'is missing' : JSON.stringify(host)}: the local API answers only localhost, 127.0.0.1 or [::1], so that no other site's page can reach it.`,
    );
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health' && request.method === 'GET') {
    sendJson(response, 200, { status: 'ok' });
    return;
  }
  if (url.pathname.startsWith('/_local/')) {
    if (options.apiKey !== undefined && checkApiKey(request, response, url, options.apiKey) !== 'allowed') return;
    if (url.pathname === '/_local/tick' && request.method === 'POST') {
      if (!options.tick) {
        refuse(response, 409, noScheduleError);
        return;
      }
      try {
        sendJson(response, 200, await options.tick('manual'));
      } catch (error) {
        refuse(response, 502, `test-cron failed, so this tick started no workers: ${(error as Error).message}`);
      }
      return;
    }
    if (options.serveLocalRoute?.(request, response, url)) return;
  }
  const matched = matchApiRoute(request.method ?? 'GET', url.pathname);
  if (!matched) {
    answer(response, gatewayAnswers.noRoute);
    return;
  }
  if (options.apiKey !== undefined && checkApiKey(request, response, url, options.apiKey) !== 'allowed') return;
  const read = await readBody(request, {
    maxBytes: apiConfig.maxBodyBytes,
    timeoutMs: options.requestBodyTimeoutMs ?? localRuntimeConfig.requestBodyTimeoutMs,
  });
  if (read.kind === 'too-large') {
    refuseAndClose(request, response, 413, bodyTooLargeError(read.declaredBytes));
    return;
  }
  if (read.kind === 'timed-out') {
    const seconds = (options.requestBodyTimeoutMs ?? localRuntimeConfig.requestBodyTimeoutMs) / 1000;
    refuseAndClose(request, response, 408, `The body did not arrive within ${seconds} s; send the whole request at once.`);
    return;
  }
  // An empty body is left to test-api, which says what to send.
  if (matched.route.validatesBody && hasModelContentType(request) && read.body.length > 0) {
    const check = checkRequestBody(checkEnqueueModel, read.body.toString('utf8'));
    if (!check.valid) {
      answer(response, gatewayAnswers.invalidBody, check.message);
      return;
    }
  }
  const route = { target: targetOf[matched.route.functionName], resource: matched.route.resource, pathParameters: matched.pathParameters };
  const body = read.body;
  // A client that leaves before its invocation starts is not invoked (its answer could go nowhere).
  const clientGone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) clientGone.abort();
  });
  const functionName = matched.route.functionName;
  try {
    const result = await options.hosts[functionName].invoke<APIGatewayProxyResult>(toProxyEvent(request, body, route), { signal: clientGone.signal });
    sendProxyResult(response, result);
    options.onApiRequest?.({ target: route.target, body, statusCode: result.statusCode });
  } catch (error) {
    if (error instanceof InvocationAbandonedError) return;
    if (error instanceof FunctionThrottledError) {
      refuse(
        response,
        429,
        `Too many requests: ${functionName}'s ${error.concurrency} execution environments are busy and ${error.maxWaiting} requests wait; retry after ${localRuntimeConfig.retryAfterSeconds} s.`,
        { 'retry-after': String(localRuntimeConfig.retryAfterSeconds) },
      );
    } else if (error instanceof HostClosedError) {
      refuse(response, 503, 'The local runtime is stopping; nothing was done. Retry once it is started again.');
    } else if (error instanceof FunctionTimeoutError) sendJson(response, 504, { message: 'Endpoint request timed out' });
    else sendJson(response, 502, { message: 'Internal server error' });
  }
}

/** The local API Gateway: an HTTP server on `host:port` answering with handleApiRequest. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const server = createServer((request, response) => {
    handleApiRequest(request, response, options).catch((error: Error) => {
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal server error', error: error.message });
      else response.destroy();
    });
  });
  await listen(server, options.port, options.host);
  const { port } = server.address() as { port: number };
  return { url: `http://${options.host}:${port}`, close: () => closeServer(server) };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new ApiPortInUseError(port) : error));
    // A flood of connections waits in the kernel's accept queue rather than being dropped (and
    // retried by the client a second or more later); Linux caps it at net.core.somaxconn.
    server.listen({ port, host, backlog: localRuntimeConfig.apiConnectionBacklog }, () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
