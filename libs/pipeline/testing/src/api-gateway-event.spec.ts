import { getRunEvent, postMessagesEvent } from './api-gateway-event.js';

describe('postMessagesEvent', () => {
  it.each([
    ['a string as it is', '{"key1":', '{"key1":'],
    ['null as no body', null, null],
    ['any other value as its JSON', [{ key1: 'a' }], '[{"key1":"a"}]'],
  ])('sends %s', (_, body, sent) => {
    // Prepare / Act
    const event = postMessagesEvent(body);

    // Assess
    expect(event).toMatchObject({ httpMethod: 'POST', path: '/messages', headers: { 'Content-Type': 'application/json' } });
    expect(event.body).toBe(sent);
  });
});

describe('getRunEvent', () => {
  it('asks for the path on the /runs/{runId} route, with what the test overrides', () => {
    // Prepare / Act
    const event = getRunEvent('/runs/load-7', { pathParameters: { runId: 'load-7' } });

    // Assess
    expect(event).toMatchObject({ httpMethod: 'GET', path: '/runs/load-7', resource: '/runs/{runId}', body: null });
    expect(event.pathParameters).toEqual({ runId: 'load-7' });
  });
});
