import { resolve } from 'node:path';
import { emulatorClients } from '@fanout/emulators';
import {
  runNodeToExit,
  startRuntime as startRuntimeAt,
  waitFor,
  type Exited,
  type RuntimeProcess,
  type StartedEvent,
  type StartRuntimeOptions,
} from '@fanout/runtime-process';

export { waitFor, type Exited, type RuntimeProcess, type StartedEvent };

export const workspaceRoot = resolve(__dirname, '../../..');
/** The built runtime, started exactly as `npm start` starts it, with its own flags. */
export const runtimeMain = resolve(workspaceRoot, 'dist/apps/local-runtime/main.js');

/** Runs the runtime with `args` to its end (for flags that must fail fast). */
export function runToExit(args: string[], timeoutMs = 30_000): Promise<Exited> {
  return runNodeToExit(runtimeMain, args, { cwd: workspaceRoot, timeoutMs });
}

/** Starts the runtime in --json mode on free ports and waits for its `started` line. */
export function startRuntime(args: string[] = [], options: StartRuntimeOptions = {}): Promise<RuntimeProcess> {
  return startRuntimeAt({ runtimeMain, cwd: workspaceRoot }, args, options);
}

/** SDK clients on the started runtime's emulators, to count what is on its queues and in its table. */
export function emulatorClientsOf(started: StartedEvent) {
  return emulatorClients({ sqs: { endpoint: started.sqsEndpoint }, dynamodb: { endpoint: started.dynamodbEndpoint } });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
