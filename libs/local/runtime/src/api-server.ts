import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { FunctionTimeoutError, type FunctionHost } from '@fanout/function-host';
import { matchRoute, type RouteTarget } from './gateway/routes.js';
import { readBody, sendJson, sendProxyResult, toProxyEvent } from './gateway/proxy-event.js';
import { localRuntimeConfig } from './local-runtime-config.js';
import type { TickTrigger } from './pipeline-events.js';

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
  /** When set, the API requires it in `x-api-key`, as API Gateway's usage plan does. */
  apiKey?: string;
  hosts: Record<'test-api' | 'run-status-api', Pick<FunctionHost, 'invoke'>>;
  /** POST /_local/tick; absent when no schedule runs (`--trigger esm`). */
  tick?: (trigger: TickTrigger) => Promise<unknown>;
  /** Answers requests before the API's routes; returns false to pass one on. */
  serveLocalRoute?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
  /** Sees each API request a function answered. */
  onApiRequest?: (request: ApiRequest) => void;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** POST /_local/tick's answer when the event source mapping starts the worker. */
export const noScheduleError =
  'No schedule runs with --trigger esm: the event source mapping polls the queue and invokes the worker by itself. Start npm start without --trigger esm to tick test-cron.';

/**
 * Answers one request as API Gateway would: the API's routes go to their function; /health and
 * POST /_local/tick are the runtime's own.
 */
export async function handleApiRequest(request: IncomingMessage, response: ServerResponse, options: ApiServerOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health' && request.method === 'GET') {
    sendJson(response, 200, { status: 'ok' });
    return;
  }
  if (url.pathname === '/_local/tick' && request.method === 'POST') {
    if (!options.tick) {
      sendJson(response, 409, { error: noScheduleError, details: [] });
      return;
    }
    try {
      sendJson(response, 200, await options.tick('manual'));
    } catch (error) {
      sendJson(response, 502, { message: 'test-cron failed', error: (error as Error).message });
    }
    return;
  }
  if (options.serveLocalRoute?.(request, response, url)) return;
  const route = matchRoute(url.pathname);
  if (!route) {
    sendJson(response, 404, { error: `No route for ${url.pathname}; post messages to /messages.`, details: [] });
    return;
  }
  if (options.apiKey !== undefined && request.headers['x-api-key'] !== options.apiKey) {
    sendJson(response, 403, { message: 'Forbidden' });
    return;
  }
  const body = await readBody(request, localRuntimeConfig.maxRequestBytes);
  if (body === 'too-large') {
    sendJson(response, 413, { message: 'Request Too Long' });
    return;
  }
  const functionHost = options.hosts[route.target === 'enqueue' ? 'test-api' : 'run-status-api'];
  try {
    const result = await functionHost.invoke<APIGatewayProxyResult>(toProxyEvent(request, body, route));
    sendProxyResult(response, result);
    options.onApiRequest?.({ target: route.target, body, statusCode: result.statusCode });
  } catch (error) {
    if (error instanceof FunctionTimeoutError) sendJson(response, 504, { message: 'Endpoint request timed out' });
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
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
