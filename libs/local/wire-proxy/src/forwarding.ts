import { Agent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';

/** An emulator's answer, read whole so that a fault can rewrite it. */
export interface Forwarded {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

const jsonType = 'application/x-amz-json-1.0';

// Connections to the emulator are reused, as the SDK reuses its own: a new one per request would
// make the proxy, not the pipeline, the bottleneck.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function send(target: URL, request: { method?: string; path?: string; headers: OutgoingHttpHeaders }, body: Buffer): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: target.hostname, port: target.port, agent: keepAlive, ...request }, (response) => {
      readAll(response).then((responseBody) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }), reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Sends a caller's request on to the emulator with `body` (as received, or rewritten by a fault). */
export function forward(target: URL, request: IncomingMessage, body: Buffer): Promise<Forwarded> {
  const headers = { ...request.headers, 'content-length': String(body.length) };
  delete headers.connection;
  return send(target, { method: request.method, path: request.url, headers }, body);
}

/** Calls a JSON-protocol operation of the emulator itself, e.g. `AmazonSQS.GetQueueAttributes`. */
export async function callEmulator<T>(target: URL, amzTarget: string, input: unknown): Promise<T> {
  const body = Buffer.from(JSON.stringify(input));
  const answer = await send(
    target,
    { method: 'POST', path: '/', headers: { 'content-type': jsonType, 'x-amz-target': amzTarget, 'content-length': String(body.length) } },
    body,
  );
  return JSON.parse(answer.body.toString('utf8')) as T;
}

export function reply(response: ServerResponse, status: number, headers: IncomingMessage['headers'], body: Buffer): void {
  const clean: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    // The body may have been rewritten: its length and checksum are recomputed or dropped.
    if (value === undefined || name === 'content-length' || name === 'x-amz-crc32' || name === 'transfer-encoding') continue;
    clean[name] = value;
  }
  clean['content-length'] = String(body.length);
  response.writeHead(status, clean);
  response.end(body);
}

export function replyJson(response: ServerResponse, status: number, body: unknown): void {
  reply(response, status, { 'content-type': jsonType }, Buffer.from(JSON.stringify(body)));
}

/** The emulator's answer to a rewritten request, passed on with `rewrite` applied to a 200's JSON body. */
export async function forwardRewritten<T>(
  target: URL,
  request: IncomingMessage,
  response: ServerResponse,
  input: unknown,
  rewrite: (output: T) => T,
): Promise<void> {
  const answer = await forward(target, request, Buffer.from(JSON.stringify(input)));
  if (answer.status !== 200) return reply(response, answer.status, answer.headers, answer.body);
  const output = rewrite(JSON.parse(answer.body.toString('utf8')) as T);
  reply(response, 200, answer.headers, Buffer.from(JSON.stringify(output)));
}
