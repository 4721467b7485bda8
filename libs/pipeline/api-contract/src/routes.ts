/** The functions behind the API. */
export type ApiFunctionName = 'test-api' | 'run-status-api';

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** API Gateway's resource path; `{name}` is a path parameter (one segment). */
  resource: string;
  functionName: ApiFunctionName;
  /** Whether the gateway checks the JSON body against the enqueue request model before the function runs. */
  validatesBody: boolean;
}

/**
 * The API's routes: the stack defines exactly these resources and methods, and the local gateway
 * serves exactly these. Any other path or method is no route (404, see gatewayAnswers.noRoute).
 */
export const apiRoutes: readonly ApiRoute[] = [
  { method: 'POST', resource: '/messages', functionName: 'test-api', validatesBody: true },
  // `/` too, so that the original design's curl still works.
  { method: 'POST', resource: '/', functionName: 'test-api', validatesBody: true },
  { method: 'GET', resource: '/runs/{runId}', functionName: 'run-status-api', validatesBody: false },
];

export interface MatchedApiRoute {
  route: ApiRoute;
  pathParameters?: Record<string, string>;
}

function decodeOrKeep(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/**
 * The route a request takes, or undefined. A trailing slash is ignored; a path parameter is one
 * non-empty segment, percent-decoded (kept as it came when the encoding is malformed). A known path
 * with another method is no route, as on API Gateway, where a method not defined on a resource
 * answers like an unknown path.
 */
export function matchApiRoute(method: string, pathname: string): MatchedApiRoute | undefined {
  const requested = segmentsOf(pathname);
  for (const route of apiRoutes) {
    if (route.method !== method) continue;
    const template = segmentsOf(route.resource);
    if (template.length !== requested.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const parameter = /^\{(\w+)\}$/.exec(part);
      if (parameter) pathParameters[parameter[1]] = decodeOrKeep(requested[index]);
      return parameter !== null || part === requested[index];
    });
    if (matches) return Object.keys(pathParameters).length > 0 ? { route, pathParameters } : { route };
  }
  return undefined;
}

/** The routes in words, for answers that say what to use instead: `POST /messages, POST / or GET /runs/{runId}`. */
export function describeApiRoutes(): string {
  const named = apiRoutes.map((route) => `${route.method} ${route.resource}`);
  return `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
}
