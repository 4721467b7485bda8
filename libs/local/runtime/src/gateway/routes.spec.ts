import { matchRoute } from './routes.js';

describe('matchRoute', () => {
  it.each([
    ['/', '/'],
    ['/messages', '/messages'],
    ['/messages/', '/messages'],
  ])('sends %s to the enqueue function as resource %s', (pathname, resource) => {
    // Prepare
    const path = pathname;

    // Act
    const route = matchRoute(path);

    // Assess
    expect(route).toEqual({ target: 'enqueue', resource });
  });

  it('sends /runs/{runId} to the run-status function with the run id as a path parameter', () => {
    // Prepare
    const path = '/runs/abc';

    // Act
    const route = matchRoute(path);

    // Assess
    expect(route).toEqual({ target: 'run-status', resource: '/runs/{runId}', pathParameters: { runId: 'abc' } });
  });

  it('accepts a trailing slash after the run id', () => {
    // Prepare
    const path = '/runs/abc/';

    // Act
    const route = matchRoute(path);

    // Assess
    expect(route?.pathParameters).toEqual({ runId: 'abc' });
  });

  it('decodes a percent-encoded run id', () => {
    // Prepare
    const path = '/runs/night%20run%2F2';

    // Act
    const route = matchRoute(path);

    // Assess
    expect(route).toEqual({ target: 'run-status', resource: '/runs/{runId}', pathParameters: { runId: 'night run/2' } });
  });

  it('keeps a malformed percent-encoded run id as it came', () => {
    // Prepare
    const path = '/runs/%ZZ';

    // Act
    const route = matchRoute(path);

    // Assess
    expect(route).toEqual({ target: 'run-status', resource: '/runs/{runId}', pathParameters: { runId: '%ZZ' } });
  });

  it.each(['/runs', '/runs/', '/runs/abc/extra', '/messages/abc', '/health', '/message'])('has no route for %s', (pathname) => {
    // Prepare
    const path = pathname;

    // Act
    const route = matchRoute(path);

    // Assess
    expect(route).toBeUndefined();
  });
});
