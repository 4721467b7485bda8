import { errorResponse, jsonResponse } from './http-response.js';

describe('jsonResponse', () => {
  it('serialises the body as JSON with its status and content type', () => {
    // Prepare
    const body = { messageId: 'abc', count: 3, nested: { ok: true } };

    // Act
    const response = jsonResponse(202, body);

    // Assess
    expect(response.statusCode).toBe(202);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(response.body)).toEqual(body);
  });

  it('adds the headers it is given, keeping the JSON content type', () => {
    // Prepare / Act
    const response = jsonResponse(503, {}, { 'retry-after': '1' });

    // Assess
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '1' });
  });
});

describe('errorResponse', () => {
  it('answers with the one error shape: {"error": "...", "details": [...]}', () => {
    // Prepare
    const details = [{ path: '[3].key2', message: 'must not be empty' }];

    // Act
    const response = errorResponse(400, 'Some messages in the array are invalid; nothing was enqueued.', details);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'Some messages in the array are invalid; nothing was enqueued.',
      details: [{ path: '[3].key2', message: 'must not be empty' }],
    });
  });

  it('gives an empty details list when there is nothing to point at', () => {
    // Prepare / Act
    const response = errorResponse(405, 'Method GET is not allowed on /messages; use POST.', [], { allow: 'POST' });

    // Assess
    expect(JSON.parse(response.body)).toEqual({ error: 'Method GET is not allowed on /messages; use POST.', details: [] });
    expect(response.headers?.['allow']).toBe('POST');
  });
});
