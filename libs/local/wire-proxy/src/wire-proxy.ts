import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { delayOrDrop } from './connection-faults.js';
import { holdUnprocessedItems, killAfterWrite, throttleWrites } from './dynamodb-faults.js';
import { FaultDice, type FaultContext, type FaultStep, type ProxiedCall } from './fault-step.js';
import { noFaults, type FaultSpec } from './fault-spec.js';
import { forward, readAll, reply, replyJson } from './forwarding.js';
import { operationOf } from './request-identity.js';
import { SampledDepth } from './sampled-depth.js';
import { failDeleteEntries, failSends, sampleShortPolls } from './sqs-faults.js';
import { WireTally, type WireCounts } from './wire-counts.js';

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

/** Reads a request whole, with its operation and a JSON body parsed on first use. */
async function readCall(request: IncomingMessage, response: ServerResponse): Promise<ProxiedCall> {
  const body = await readAll(request);
  let parsed: unknown;
  return {
    request,
    response,
    body,
    operation: operationOf(request.headers, body),
    json: <T>() => (parsed ??= JSON.parse(body.toString('utf8'))) as T,
  };
}

async function listen(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, host: string, port: number) {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) replyJson(response, 502, { __type: 'WireProxyError', message: error.message });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/**
 * A small HTTP proxy between the functions' SDK clients and an emulator: it counts every request by
 * API operation, and injects the faults the real services produce and the emulators never do.
 */
export async function startWireProxy(options: WireProxyOptions): Promise<WireProxy> {
  const target = new URL(options.target);
  const context: FaultContext = { dice: new FaultDice(options.faults ?? noFaults), tally: new WireTally(), target };
  // In this order, so that a seeded run draws its dice as it always has.
  const faultsBeforeForwarding: FaultStep[] = [
    delayOrDrop,
    failSends(),
    throttleWrites,
    holdUnprocessedItems,
    failDeleteEntries,
    sampleShortPolls(new SampledDepth(target)),
  ];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const call = await readCall(request, response);
    context.tally.request(call.operation);
    context.tally.countResent(call.operation, call.json);
    for (const fault of faultsBeforeForwarding) if (await fault(call, context)) return;
    const answer = await forward(target, request, call.body);
    if (killAfterWrite(call, answer, context, options.killEnvironment)) return;
    reply(response, answer.status, answer.headers, answer.body);
  };

  const host = options.host ?? '127.0.0.1';
  const server = await listen(handle, host, options.port ?? 0);
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://${host}:${port}`,
    counts: () => context.tally.snapshot(),
    resetCounts: () => context.tally.reset(),
    setFaults: (spec) => context.dice.set(spec),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
