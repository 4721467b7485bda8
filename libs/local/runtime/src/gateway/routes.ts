/** The cloud API's routes, which the local gateway serves the same way. */
export type RouteTarget = 'enqueue' | 'run-status';

export interface MatchedRoute {
  target: RouteTarget;
  resource: string;
  pathParameters?: Record<string, string>;
}

/**
 * Maps a path to its function. Every method reaches the function, which answers 405 for the wrong
 * one, so that the local API and the function agree on what is allowed.
 */
export function matchRoute(pathname: string): MatchedRoute | undefined {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/' || path === '/messages') return { target: 'enqueue', resource: path };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) return { target: 'run-status', resource: '/runs/{runId}', pathParameters: { runId: decodeOrKeep(run[1]) } };
  return undefined;
}

function decodeOrKeep(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
