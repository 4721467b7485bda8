import type { APIGatewayProxyEvent } from 'aws-lambda';
import { postMessagesEvent, responseBody, type ErrorBody } from '@fanout/testing';
import { parseEnqueueRequest } from './parse-request.js';

const validBody = '{"key1":"a","key2":"b","key3":"c"}';

function entries(count: number): object[] {
  return Array.from({ length: count }, (_, i) => ({ key1: `a${i}`, key2: `b${i}`, key3: `c${i}` }));
}

/** The response a client gets for a rejected request, its body parsed. */
function rejection(event: APIGatewayProxyEvent) {
  const parsed = parseEnqueueRequest(event);
  if (parsed.ok) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.request)}`);
  return {
    statusCode: parsed.response.statusCode,
    headers: parsed.response.headers ?? {},
    body: responseBody<ErrorBody>(parsed.response),
  };
}

describe('parseEnqueueRequest', () => {
  describe('accepts', () => {
    it.each(['/messages', '/', '/messages/'])('one message posted to %s', (path) => {
      // Prepare
      const event = postMessagesEvent(validBody, { path });

      // Act
      const parsed = parseEnqueueRequest(event);

      // Assess
      expect(parsed).toEqual({ ok: true, request: { kind: 'single', message: { key1: 'a', key2: 'b', key3: 'c' } } });
    });

    it('an array of 1 to 10 messages as a batch', () => {
      // Prepare
      const event = postMessagesEvent(entries(10));

      // Act
      const parsed = parseEnqueueRequest(event);

      // Assess
      expect(parsed.ok && parsed.request.kind === 'batch' ? parsed.request.messages : []).toEqual(entries(10));
    });

    it('a runId that tags a load test', () => {
      // Prepare
      const event = postMessagesEvent('{"key1":"a","key2":"b","key3":"c","runId":"load_2024-01"}');

      // Act
      const parsed = parseEnqueueRequest(event);

      // Assess
      expect(parsed.ok && parsed.request.kind === 'single' ? parsed.request.message.runId : undefined).toBe('load_2024-01');
    });

    it.each([
      ['application/json; charset=utf-8'],
      ['APPLICATION/JSON'],
      [' application/json ;charset=UTF-8'],
    ])('the content type %j', (contentType) => {
      // Prepare
      const event = postMessagesEvent(validBody, { headers: { 'content-type': contentType } });

      // Act
      const parsed = parseEnqueueRequest(event);

      // Assess
      expect(parsed.ok).toBe(true);
    });

    it('a base64-encoded UTF-8 body', () => {
      // Prepare
      const body = Buffer.from('{"key1":"ä","key2":"ö","key3":"ü"}', 'utf8').toString('base64');

      // Act
      const parsed = parseEnqueueRequest(postMessagesEvent(body, { isBase64Encoded: true }));

      // Assess
      expect(parsed).toEqual({ ok: true, request: { kind: 'single', message: { key1: 'ä', key2: 'ö', key3: 'ü' } } });
    });

    it('a body of exactly 256 KiB', () => {
      // Prepare
      const body = validBody.padEnd(256 * 1024, ' ');

      // Act
      const parsed = parseEnqueueRequest(postMessagesEvent(body));

      // Assess
      expect(parsed.ok).toBe(true);
    });
  });

  describe('answers the one error shape', () => {
    it('{"error": "...", "details": [...]} as JSON', () => {
      // Prepare
      const event = postMessagesEvent('{"key1":"a","key2":"b","key3":5}');

      // Act
      const parsed = parseEnqueueRequest(event);

      // Assess
      expect(parsed.ok).toBe(false);
      const response = parsed.ok ? undefined : parsed.response;
      expect(response?.headers).toEqual({ 'content-type': 'application/json' });
      expect(JSON.parse(response?.body ?? '{}')).toEqual({
        error: 'The message is invalid; nothing was enqueued.',
        details: [{ path: 'key3', message: 'must be a string, got a number' }],
      });
    });
  });

  describe('rejects', () => {
    it.each([
      ['POST', '/message'],
      ['POST', '/messages/extra'],
      ['POST', '/runs/abc'],
      ['GET', '/messages'],
      ['PUT', '/messages'],
      ['DELETE', '/'],
    ])('%s %s with 404, as the gateway answers a route the API does not define', (httpMethod, path) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(validBody, { httpMethod, path }));

      // Assess
      expect(response.statusCode).toBe(404);
      expect(response.body).toEqual({ error: 'No such route: use POST /messages, POST / or GET /runs/{runId}.', details: [] });
    });

    it.each([
      [{ 'Content-Type': 'text/plain' }, 'Content-Type must be application/json, got "text/plain".'],
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 'Content-Type must be application/json, got "application/x-www-form-urlencoded".'],
      [{ 'Content-Type': 'application/jsonp' }, 'Content-Type must be application/json, got "application/jsonp".'],
      [{}, 'Content-Type must be application/json, got none.'],
    ])('the content type of %j with 415', (headers, error) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(validBody, { headers }));

      // Assess
      expect(response.statusCode).toBe(415);
      expect(response.body).toEqual({ error, details: [] });
    });

    it('a request without headers with 415', () => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(validBody, { headers: null as unknown as APIGatewayProxyEvent['headers'] }));

      // Assess
      expect(response.statusCode).toBe(415);
    });

    it('a body one byte over 256 KiB with 413', () => {
      // Prepare
      const body = validBody.padEnd(256 * 1024 + 1, ' ');

      // Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(413);
      expect(response.body.error).toBe('The body is 262145 bytes; the limit is 262144 bytes (256 KiB).');
    });

    it('a body over 256 KiB in bytes, though not in characters, with 413', () => {
      // Prepare: 131,073 two-byte characters
      const body = 'é'.repeat(128 * 1024 + 1);

      // Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(413);
    });

    it('a base64-encoded body over 256 KiB once decoded with 413', () => {
      // Prepare
      const body = Buffer.from(validBody.padEnd(256 * 1024 + 1, ' ')).toString('base64');

      // Act
      const response = rejection(postMessagesEvent(body, { isBase64Encoded: true }));

      // Assess
      expect(response.statusCode).toBe(413);
    });

    it('bytes that are not UTF-8 with 400', () => {
      // Prepare
      const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64');

      // Act
      const response = rejection(postMessagesEvent(body, { isBase64Encoded: true }));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body).toEqual({ error: 'The body is not valid UTF-8.', details: [] });
    });

    it.each([[''], ['   \n'], [null]])('an empty body %j with 400', (body) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.error).toBe('The request has no body; send a JSON object with key1, key2 and key3.');
    });

    it.each(['{"key1":', "{'key1':'a'}", '{"key1":"a",}', 'key1=a&key2=b'])('invalid JSON %s with 400', (body) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.error).toMatch(/^The body is not valid JSON: .+\.$/);
      expect(response.body.details).toEqual([]);
    });

    it.each(['42', '"text"', 'null', 'true'])('JSON %s that is neither an object nor an array with 400', (body) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.error).toBe('The body must be a JSON object or an array of 1 to 10 objects.');
    });

    it.each([0, 11])('an array of %i messages with 400', (count) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(entries(count)));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body).toEqual({
        error: `An array must hold 1 to 10 messages, got ${count}.`,
        details: [{ path: '', message: 'must hold 1 to 10 messages' }],
      });
    });

    it('an unknown field with 400, naming it and the allowed fields', () => {
      // Prepare / Act
      const response = rejection(postMessagesEvent('{"key1":"a","key2":"b","key3":"c","key4":"d"}'));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details).toEqual([
        { path: 'key4', message: 'is not an allowed field; allowed fields are key1, key2, key3, runId, idempotencyKey' },
      ]);
    });

    it.each(['constructor', '__proto__'])('a field named %s with 400', (field) => {
      // Prepare
      const body = `{"key1":"a","key2":"b","key3":"c","${field}":"x"}`;

      // Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details.map((detail) => detail.path)).toEqual([field]);
    });

    it('empty, non-string and too long keys with 400, one detail per key', () => {
      // Prepare
      const body = JSON.stringify({ key1: '', key2: ['b'], key3: 'c'.repeat(1_025) });

      // Act
      const response = rejection(postMessagesEvent(body));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details).toEqual([
        { path: 'key1', message: 'must not be empty' },
        { path: 'key2', message: 'must be a string, got an array' },
        { path: 'key3', message: 'must be at most 1024 characters' },
      ]);
    });

    it('a missing key with 400, naming it', () => {
      // Prepare / Act
      const response = rejection(postMessagesEvent('{"key1":"a","key3":"c"}'));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details).toEqual([{ path: 'key2', message: 'is required' }]);
    });

    it('an invalid runId with 400', () => {
      // Prepare / Act
      const response = rejection(postMessagesEvent('{"key1":"a","key2":"b","key3":"c","runId":"no spaces"}'));

      // Assess
      expect(response.body.details).toEqual([{ path: 'runId', message: 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' }]);
    });

    it('a batch with bad entries with 400, placing each detail under its index', () => {
      // Prepare
      const batch: unknown[] = entries(5);
      batch[1] = { key1: '', key2: 'b', key3: 'c' };
      batch[3] = { key1: 'a', key2: 7, key3: 'c' };
      batch[4] = 'not an object';

      // Act
      const response = rejection(postMessagesEvent(batch));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body).toEqual({
        error: 'Some messages in the array are invalid; nothing was enqueued.',
        details: [
          { path: '[1].key1', message: 'must not be empty' },
          { path: '[3].key2', message: 'must be a string, got a number' },
          { path: '[4]', message: 'must be an object with key1, key2, key3, runId, idempotencyKey, got a string' },
        ],
      });
    });

    it('a batch entry with a missing key with 400, under its index', () => {
      // Prepare
      const batch: object[] = entries(4);
      batch[3] = { key1: 'a', key3: 'c' };

      // Act
      const response = rejection(postMessagesEvent(batch));

      // Assess
      expect(response.body.details).toEqual([{ path: '[3].key2', message: 'is required' }]);
    });
  });

  describe('idempotency keys', () => {
    const withKey = (headers: Record<string, string>) => ({ headers: { 'Content-Type': 'application/json', ...headers } });

    it('takes the Idempotency-Key header as the key of a single message, whatever its case', () => {
      // Prepare
      const event = postMessagesEvent(validBody, withKey({ 'idempotency-key': 'order_17-a' }));

      // Act
      const parsed = parseEnqueueRequest(event);

      // Assess
      expect(parsed).toEqual({ ok: true, request: { kind: 'single', message: { key1: 'a', key2: 'b', key3: 'c', idempotencyKey: 'order_17-a' } } });
    });

    it('takes an idempotencyKey per message of an array, and one in a single message’s body', () => {
      // Prepare
      const batch = entries(3).map((entry, index) => ({ ...entry, idempotencyKey: `k${index}` }));

      // Act
      const parsedBatch = parseEnqueueRequest(postMessagesEvent(batch));
      const parsedSingle = parseEnqueueRequest(postMessagesEvent({ key1: 'a', key2: 'b', key3: 'c', idempotencyKey: 'k' }, withKey({ 'Idempotency-Key': 'k' })));

      // Assess
      expect(parsedBatch.ok && parsedBatch.request.kind === 'batch' ? parsedBatch.request.messages.map((m) => m.idempotencyKey) : []).toEqual(['k0', 'k1', 'k2']);
      expect(parsedSingle.ok && parsedSingle.request.kind === 'single' ? parsedSingle.request.message.idempotencyKey : undefined).toBe('k');
    });

    it.each(['', 'a'.repeat(65), 'has space', 'a,b', 'ключ'])('refuses the Idempotency-Key %j with 400 naming the header, enqueueing nothing', (key) => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(validBody, withKey({ 'Idempotency-Key': key })));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.error).toBe(`The Idempotency-Key header must be 1–64 characters of A–Z, a–z, 0–9, _ or -, got ${JSON.stringify(key)}; nothing was enqueued.`);
      expect(response.body.details).toEqual([{ path: 'Idempotency-Key', message: 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' }]);
    });

    it('refuses the header on an array, where each message carries its own key', () => {
      // Prepare / Act
      const response = rejection(postMessagesEvent(entries(2), withKey({ 'Idempotency-Key': 'k' })));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details).toEqual([{ path: 'Idempotency-Key', message: 'is for a single message, not an array' }]);
    });

    it('refuses a header and a body key that differ', () => {
      // Prepare / Act
      const response = rejection(postMessagesEvent({ key1: 'a', key2: 'b', key3: 'c', idempotencyKey: 'one' }, withKey({ 'Idempotency-Key': 'two' })));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details).toEqual([{ path: 'idempotencyKey', message: 'differs from the Idempotency-Key header' }]);
    });

    it('refuses an array that names one key twice, pointing at the repeat', () => {
      // Prepare
      const batch = entries(4).map((entry, index) => ({ ...entry, idempotencyKey: index === 3 ? 'k1' : `k${index}` }));

      // Act
      const response = rejection(postMessagesEvent(batch));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(response.body.details).toEqual([{ path: '[3].idempotencyKey', message: 'repeats the key of [1]; each message of an array needs its own' }]);
    });
  });
});
