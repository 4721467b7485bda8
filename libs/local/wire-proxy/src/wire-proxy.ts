import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { noFaults, seededRandom, type FaultSpec } from './fault-spec.js';
import { sampledReceiveCount, shortPollModel } from './short-poll-model.js';

/** What passed the proxy: requests by API operation, every fault it injected, and what callers sent again. */
export interface WireCounts {
  requests: Record<string, number>;
  faults: Record<string, number>;
  /**
   * Entries the proxy failed inside an otherwise successful answer (`UnprocessedItems`, a failed
   * `DeleteMessageBatch` entry) that came back in a later request unchanged: the caller's own retry.
   * A redelivered message is not counted: it comes with a new receipt handle, and its item is built
   * anew. Keyed by the fault's name.
   */
  resent: Record<string, number>;
}

export interface WireProxy {
  endpoint: string;
  counts(): WireCounts;
  resetCounts(): void;
  /** Replace the faults from now on (e.g. none while setting up, then the chaos mix). */
  setFaults(spec: FaultSpec): void;
  stop(): Promise<void>;
}

export interface WireProxyOptions {
  /** The emulator behind the proxy, e.g. http://127.0.0.1:4566. */
  target: string;
  faults?: FaultSpec;
  host?: string;
  port?: number;
  /**
   * Kills the execution environment that sent a request (its SDK user agent names it `app/<tag>`).
   * Returns whether one was killed; the `kill-after-write` fault needs it.
   */
  killEnvironment?: (tag: string) => boolean;
}

/** `app/<function>.<n>` in the SDK's user agent (Powertools may append `-PT-…` to it). */
export function environmentTag(headers: IncomingMessage['headers']): string | undefined {
  return /\bapp\/([A-Za-z0-9_-]+\.\d+)/.exec(String(headers['user-agent'] ?? ''))?.[1];
}

const jsonType = 'application/x-amz-json-1.0';

/** The API operation of a request: `x-amz-target` for JSON protocols (SQS, DynamoDB), `Action` for SNS's query protocol. */
export function operationOf(headers: IncomingMessage['headers'], body: Buffer): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const action = /(?:^|&)Action=([^&]+)/.exec(body.toString('utf8'));
  return action ? decodeURIComponent(action[1]) : 'Unknown';
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

interface Forwarded {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

// Connections to the emulator are reused, as the SDK reuses its own: a new one per request would
// make the proxy, not the pipeline, the bottleneck.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

function forward(target: URL, request: IncomingMessage, body: Buffer): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers, 'content-length': String(body.length) };
    delete headers.connection;
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent: keepAlive },
      (response) => {
        readAll(response).then((responseBody) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }), reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function reply(response: ServerResponse, status: number, headers: IncomingMessage['headers'], body: Buffer): void {
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

function replyJson(response: ServerResponse, status: number, body: unknown): void {
  reply(response, status, { 'content-type': jsonType }, Buffer.from(JSON.stringify(body)));
}

/**
 * A small HTTP proxy between the functions' SDK clients and an emulator: it counts every request by
 * API operation, and injects the faults the real services produce and the emulators never do.
 */
export async function startWireProxy(options: WireProxyOptions): Promise<WireProxy> {
  const target = new URL(options.target);
  let faults = options.faults ?? noFaults;
  let random = seededRandom(faults.seed);
  let counts: WireCounts = { requests: {}, faults: {}, resent: {} };
  // What the proxy failed and has not seen again yet: held items (as sent) and failed receipt handles.
  const heldItems = new Set<string>();
  const failedReceipts = new Set<string>();
  const countResent = (pending: Set<string>, sent: readonly string[], fault: string) => {
    const again = sent.filter((entry) => pending.delete(entry)).length;
    if (again > 0) bump(counts.resent, fault, again);
  };
  const bump = (table: Record<string, number>, key: string, by = 1) => (table[key] = (table[key] ?? 0) + by);
  const chance = (share: number) => share > 0 && random() < share;
  const failingSends = new Set<string>();

  const visibleDepth = async (queueUrl: string): Promise<number> => {
    const body = Buffer.from(JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const answer = await new Promise<Forwarded>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          agent: keepAlive,
          method: 'POST',
          path: '/',
          headers: { 'content-type': jsonType, 'x-amz-target': 'AmazonSQS.GetQueueAttributes', 'content-length': String(body.length) },
        },
        (response) => readAll(response).then((b) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: b }), reject),
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    return Number(JSON.parse(answer.body.toString('utf8')).Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  // A deep queue fills every short poll whatever its exact depth, so a depth read moments ago is
  // reused there instead of asking the emulator again on every short poll.
  const depthReads = new Map<string, { visible: number; at: number }>();
  const sampledDepth = async (queueUrl: string): Promise<number> => {
    const last = depthReads.get(queueUrl);
    if (last && last.visible >= shortPollModel.reuseDepthFrom && performance.now() - last.at <= shortPollModel.reuseDepthForMs) return last.visible;
    const visible = await visibleDepth(queueUrl);
    depthReads.set(queueUrl, { visible, at: performance.now() });
    return visible;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readAll(request);
    const operation = operationOf(request.headers, body);
    bump(counts.requests, operation);
    // The JSON body, parsed once for whichever checks below read it.
    let parsed: unknown;
    const requestJson = <T>() => (parsed ??= JSON.parse(body.toString('utf8'))) as T;
    if (operation === 'BatchWriteItem' && heldItems.size > 0) {
      const input = requestJson<{ RequestItems: Record<string, unknown[]> }>();
      countResent(heldItems, Object.values(input.RequestItems).flat().map((item) => JSON.stringify(item)), 'UnprocessedItems');
    }
    if (operation === 'DeleteMessageBatch' && failedReceipts.size > 0) {
      const input = requestJson<{ Entries: { ReceiptHandle: string }[] }>();
      countResent(failedReceipts, input.Entries.map((entry) => entry.ReceiptHandle), 'DeleteMessageBatch entry failed');
    }

    const [low, high] = faults.latencyMs;
    if (high > 0) await new Promise((resolve) => setTimeout(resolve, low + random() * (high - low)));
    if (chance(faults.resets)) {
      bump(counts.faults, 'reset');
      request.socket.destroy();
      return;
    }
    if (chance(faults.stall)) {
      // Held past the caller's timeout: the invocation is abandoned, the request never lands.
      bump(counts.faults, 'stalled past the timeout');
      await new Promise((resolve) => setTimeout(resolve, faults.stallMs));
      request.socket.destroy();
      return;
    }
    if ((operation === 'SendMessage' || operation === 'SendMessageBatch') && faults.sendFailures > 0) {
      // Decided once per SDK invocation (its retries share the id), so every attempt fails.
      const invocation = String(request.headers['amz-sdk-invocation-id'] ?? Math.random());
      if (!failingSends.has(invocation) && chance(faults.sendFailures)) failingSends.add(invocation);
      if (failingSends.has(invocation)) {
        bump(counts.faults, 'send failed');
        replyJson(response, 500, { __type: 'com.amazonaws.sqs#InternalError', message: 'Injected by the wire proxy.' });
        return;
      }
    }

    if (operation === 'BatchWriteItem' && chance(faults.throttle)) {
      const name = random() < 0.5 ? 'ProvisionedThroughputExceededException' : 'ThrottlingException';
      bump(counts.faults, name);
      replyJson(response, 400, {
        __type: `com.amazonaws.dynamodb.v20120810#${name}`,
        message: 'Injected by the wire proxy: the request rate is too high.',
      });
      return;
    }

    if (operation === 'BatchWriteItem' && chance(faults.unprocessed)) {
      const input = requestJson<{ RequestItems: Record<string, unknown[]> }>();
      const held: Record<string, unknown[]> = {};
      let heldCount = 0;
      for (const [table, requests] of Object.entries(input.RequestItems)) {
        const keep: unknown[] = [];
        for (const item of requests) {
          if (random() < 0.5) {
            (held[table] ??= []).push(item);
            heldItems.add(JSON.stringify(item));
            heldCount++;
          } else keep.push(item);
        }
        input.RequestItems[table] = keep;
        if (keep.length === 0) delete input.RequestItems[table];
      }
      bump(counts.faults, 'UnprocessedItems', heldCount);
      if (Object.keys(input.RequestItems).length === 0) {
        replyJson(response, 200, { UnprocessedItems: held });
        return;
      }
      const answer = await forward(target, request, Buffer.from(JSON.stringify(input)));
      if (answer.status !== 200) return reply(response, answer.status, answer.headers, answer.body);
      const output = JSON.parse(answer.body.toString('utf8')) as { UnprocessedItems?: Record<string, unknown[]> };
      const unprocessed = output.UnprocessedItems ?? {};
      for (const [table, requests] of Object.entries(held)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
      output.UnprocessedItems = unprocessed;
      return reply(response, 200, answer.headers, Buffer.from(JSON.stringify(output)));
    }

    if (operation === 'DeleteMessageBatch' && faults.deleteFailures > 0) {
      const input = requestJson<{ Entries: { Id: string; ReceiptHandle: string }[] }>();
      const failing = input.Entries.filter(() => chance(faults.deleteFailures));
      if (failing.length > 0) {
        bump(counts.faults, 'DeleteMessageBatch entry failed', failing.length);
        for (const entry of failing) failedReceipts.add(entry.ReceiptHandle);
        const failed = failing.map((entry) => ({ Id: entry.Id, SenderFault: false, Code: 'InternalError', Message: 'Injected by the wire proxy.' }));
        input.Entries = input.Entries.filter((entry) => !failing.includes(entry));
        if (input.Entries.length === 0) {
          replyJson(response, 200, { Successful: [], Failed: failed });
          return;
        }
        const answer = await forward(target, request, Buffer.from(JSON.stringify(input)));
        if (answer.status !== 200) return reply(response, answer.status, answer.headers, answer.body);
        const output = JSON.parse(answer.body.toString('utf8')) as { Successful?: unknown[]; Failed?: unknown[] };
        output.Failed = [...(output.Failed ?? []), ...failed];
        return reply(response, 200, answer.headers, Buffer.from(JSON.stringify(output)));
      }
    }

    if (operation === 'ReceiveMessage' && faults.shortPollSampling) {
      const input = requestJson<{ QueueUrl: string; MaxNumberOfMessages?: number; WaitTimeSeconds?: number }>();
      if (!input.WaitTimeSeconds) {
        const requested = input.MaxNumberOfMessages ?? 1;
        const sampled = sampledReceiveCount(await sampledDepth(input.QueueUrl), requested, random);
        if (sampled < requested) bump(counts.faults, 'short poll sampled', requested - sampled);
        if (sampled === 0) {
          replyJson(response, 200, {});
          return;
        }
        input.MaxNumberOfMessages = sampled;
        const answer = await forward(target, request, Buffer.from(JSON.stringify(input)));
        return reply(response, answer.status, answer.headers, answer.body);
      }
    }

    const answer = await forward(target, request, body);
    if (operation === 'BatchWriteItem' && answer.status === 200 && faults.killAfterWrite > 0 && options.killEnvironment) {
      const tag = environmentTag(request.headers);
      if (tag && chance(faults.killAfterWrite) && options.killEnvironment(tag)) {
        // The items are written; the worker dies before it can delete their messages.
        bump(counts.faults, 'environment killed after its write');
        request.socket.destroy();
        return;
      }
    }
    reply(response, answer.status, answer.headers, answer.body);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) replyJson(response, 502, { __type: 'WireProxyError', message: error.message });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://${host}:${port}`,
    counts: () => ({ requests: { ...counts.requests }, faults: { ...counts.faults }, resent: { ...counts.resent } }),
    resetCounts: () => {
      counts = { requests: {}, faults: {}, resent: {} };
      heldItems.clear();
      failedReceipts.clear();
    },
    setFaults: (spec) => {
      faults = spec;
      random = seededRandom(spec.seed);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
