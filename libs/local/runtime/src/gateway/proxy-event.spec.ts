import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { readBody, sendJson, sendProxyResult, toProxyEvent } from './proxy-event.js';

const servers: Server[] = [];

/** A real HTTP server on a free loopback port, answering every request with `handle`. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void> | void): Promise<string> {
  const server = createServer((request, response) => {
    Promise.resolve(handle(request, response)).catch((error: Error) => sendJson(response, 500, { error: error.message }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

describe('toProxyEvent', () => {
  it('builds the REST proxy event API Gateway hands to Lambda', () => {
    // Prepare
    const request = {
      method: 'POST',
      url: '/messages?runId=r1&tag=a&tag=b',
      headers: { 'content-type': 'application/json', 'x-api-key': 'secret', 'set-cookie': ['a=1', 'b=2'] },
    };
    const body = Buffer.from('{"key1":"v1"}', 'utf8');

    // Act
    const event = toProxyEvent(request, body, { resource: '/messages' });

    // Assess
    expect(event).toMatchObject({
      httpMethod: 'POST',
      path: '/messages',
      resource: '/messages',
      body: '{"key1":"v1"}',
      isBase64Encoded: false,
      pathParameters: null,
      stageVariables: null,
      queryStringParameters: { runId: 'r1', tag: 'b' },
      multiValueQueryStringParameters: { runId: ['r1'], tag: ['a', 'b'] },
      requestContext: { httpMethod: 'POST', path: '/messages', resourcePath: '/messages', stage: 'local' },
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['x-api-key']).toBe('secret');
    expect(event.multiValueHeaders).toEqual({
      'content-type': ['application/json'],
      'x-api-key': ['secret'],
      'set-cookie': ['a=1', 'b=2'],
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the route resource and path parameters', () => {
    // Prepare
    const request = { method: 'GET', url: '/runs/night%20run', headers: {} };

    // Act
    const event = toProxyEvent(request, Buffer.alloc(0), { resource: '/runs/{runId}', pathParameters: { runId: 'night run' } });

    // Assess
    expect(event.resource).toBe('/runs/{runId}');
    expect(event.path).toBe('/runs/night%20run');
    expect(event.pathParameters).toEqual({ runId: 'night run' });
  });

  it('decodes query string values, keeping empty ones', () => {
    // Prepare
    const request = { method: 'GET', url: '/runs/r1?filter=a%20b&empty=', headers: {} };

    // Act
    const event = toProxyEvent(request, Buffer.alloc(0), { resource: '/runs/{runId}' });

    // Assess
    expect(event.queryStringParameters).toEqual({ filter: 'a b', empty: '' });
  });

  it('gives null query parameters and a null body when the request has neither', () => {
    // Prepare
    const request = { method: 'GET', url: '/messages', headers: {} };

    // Act
    const event = toProxyEvent(request, Buffer.alloc(0), { resource: '/messages' });

    // Assess
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a UTF-8 body as text, multi-byte characters included', () => {
    // Prepare
    const text = '{"key1":"héllo ✓ 日本"}';

    // Act
    const event = toProxyEvent({ method: 'POST', url: '/messages', headers: {} }, Buffer.from(text, 'utf8'), { resource: '/messages' });

    // Assess
    expect(event.body).toBe(text);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a body that is not UTF-8 as base64 with isBase64Encoded', () => {
    // Prepare
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x41]);

    // Act
    const event = toProxyEvent({ method: 'POST', url: '/messages', headers: {} }, bytes, { resource: '/messages' });

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('builds the event from a real HTTP request and its body', async () => {
    // Prepare
    const url = await serve(async (request, response) => {
      const read = await readBody(request, { maxBytes: 1_024, timeoutMs: 5_000 });
      if (read.kind !== 'read') throw new Error(`unexpected ${read.kind}`);
      sendJson(response, 200, toProxyEvent(request, read.body, { resource: '/messages' }));
    });
    const bytes = Buffer.from([0x00, 0xc3, 0x28, 0xa0, 0xa1]);

    // Act
    const response = await fetch(`${url}/messages?runId=r9`, { method: 'PUT', headers: { 'x-api-key': 'k' }, body: bytes });
    const event = (await response.json()) as APIGatewayProxyEvent;

    // Assess
    expect(event).toMatchObject({ httpMethod: 'PUT', path: '/messages', queryStringParameters: { runId: 'r9' }, isBase64Encoded: true });
    expect(event.headers['x-api-key']).toBe('k');
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });
});

describe('sendProxyResult', () => {
  it('writes the status, headers and body back unchanged', async () => {
    // Prepare
    const body = JSON.stringify({ runId: 'r1', note: 'héllo ✓' });
    const url = await serve((_request, response) =>
      sendProxyResult(response, {
        statusCode: 201,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-run-id': 'r1', 'x-count': 3, 'x-cached': false },
        multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
        body,
      }),
    );

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-run-id')).toBe('r1');
    expect(response.headers.get('x-count')).toBe('3');
    expect(response.headers.get('x-cached')).toBe('false');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe(body);
  });

  it('decodes a base64 result body to the original bytes', async () => {
    // Prepare
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const url = await serve((_request, response) =>
      sendProxyResult(response, { statusCode: 200, headers: { 'content-type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true }),
    );

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('sends an empty body when the result has none', async () => {
    // Prepare
    const url = await serve((_request, response) => sendProxyResult(response, { statusCode: 404, body: '' }));

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });
});

describe('readBody', () => {
  /** Sends `body` (chunked when `chunked`), and says what readBody made of it. */
  async function postTo(maxBytes: number, body: Buffer, chunked = false): Promise<{ kind: string; received?: string; declaredBytes?: number }> {
    const url = await serve(async (request, response) => {
      const read = await readBody(request, { maxBytes, timeoutMs: 5_000 });
      sendJson(response, 200, read.kind === 'read' ? { kind: 'read', received: read.body.toString('base64') } : read, { connection: 'close' });
    });
    const response = await new Promise<string>((resolve, reject) => {
      const headers: Record<string, string> = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) };
      const outgoing = request(url, { method: 'POST', headers }, (answer) => {
        let text = '';
        answer.on('data', (chunk) => (text += String(chunk)));
        answer.on('end', () => resolve(text));
      });
      outgoing.on('error', reject);
      // The server answers before it has read a refused body: what it did not read may fail to send.
      outgoing.end(body, () => undefined);
    });
    return JSON.parse(response) as { kind: string; received?: string };
  }

  it('reads a body up to the limit whole', async () => {
    // Prepare
    const body = Buffer.from('0123456789abcdef');

    // Act
    const read = await postTo(16, body);

    // Assess
    expect(read).toEqual({ kind: 'read', received: body.toString('base64') });
  });

  it('refuses a Content-Length one byte over the limit before reading any of it', async () => {
    // Prepare
    const body = Buffer.from('0123456789abcdefg');

    // Act
    const read = await postTo(16, body);

    // Assess
    expect(read).toEqual({ kind: 'too-large', declaredBytes: 17 });
  });

  it('refuses a chunked body as soon as it passes the limit', async () => {
    // Prepare
    const body = Buffer.alloc(512 * 1024, 'x');

    // Act
    const read = await postTo(256 * 1024, body, true);

    // Assess
    expect(read).toEqual({ kind: 'too-large' });
  });

  it('cuts off a body that stalls after the timeout', async () => {
    // Prepare: half a body, then nothing
    const url = await serve(async (request, response) => {
      const read = await readBody(request, { maxBytes: 1_024, timeoutMs: 300 });
      sendJson(response, 200, read, { connection: 'close' });
    });
    const { port } = new URL(url);

    // Act
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"key1":');
      });
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('close', () => resolve(text));
    });

    // Assess
    expect(answer).toContain('{"kind":"timed-out"}');
  });

  it('rejects when the request fails while being read', async () => {
    // Prepare
    const stream = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    }) as unknown as IncomingMessage;
    stream.headers = {};

    // Act
    const reading = readBody(stream, { maxBytes: 1_024, timeoutMs: 5_000 });

    // Assess
    await expect(reading).rejects.toThrow('socket hang up');
  });
});
