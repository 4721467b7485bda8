import { apiRoutes, describeApiRoutes, matchApiRoute } from './routes.js';

describe('matchApiRoute', () => {
  it.each([
    ['/', '/'],
    ['/messages', '/messages'],
    ['/messages/', '/messages'],
  ])('sends POST %s to test-api as resource %s', (pathname, resource) => {
    // Prepare / Act
    const matched = matchApiRoute('POST', pathname);

    // Assess
    expect(matched).toEqual({ route: { method: 'POST', resource, functionName: 'test-api', validatesBody: true } });
  });

  it('sends GET /runs/{runId} to run-status-api with the decoded run id, keeping a malformed encoding as it came', () => {
    // Prepare
    const paths = ['/runs/abc', '/runs/abc/', '/runs/night%20run%2F2', '/runs/%ZZ'];

    // Act
    const matched = paths.map((path) => matchApiRoute('GET', path));

    // Assess
    expect(matched.map((m) => m?.route.functionName)).toEqual(Array(4).fill('run-status-api'));
    expect(matched.map((m) => m?.pathParameters?.['runId'])).toEqual(['abc', 'abc', 'night run/2', '%ZZ']);
  });

  it.each([
    ['POST', '/runs'],
    ['GET', '/runs/'],
    ['GET', '/runs/abc/extra'],
    ['POST', '/messages/abc'],
    ['GET', '/health'],
    ['POST', '/message'],
  ])('has no route for %s %s', (method, pathname) => {
    expect(matchApiRoute(method, pathname)).toBeUndefined();
  });

  it.each([
    ['GET', '/messages'],
    ['PUT', '/'],
    ['DELETE', '/messages'],
    ['POST', '/runs/abc'],
    ['HEAD', '/runs/abc'],
  ])('has no route for a method the path does not define (%s %s), as API Gateway', (method, pathname) => {
    expect(matchApiRoute(method, pathname)).toBeUndefined();
  });
});

describe('describeApiRoutes', () => {
  it('names every route, so that a 404 says what to use', () => {
    expect(describeApiRoutes()).toBe('POST /messages, POST / or GET /runs/{runId}');
    expect(apiRoutes).toHaveLength(3);
  });
});
