import { resolve } from 'node:path';
import { runNodeToExit, startRuntime, type Exited } from '@fanout/runtime-process';

export type { Exited };

/** The built local runtime and the built runner, started the way `npm start` and `npm run burst` start them. */
const workspaceRoot = resolve(__dirname, '../../..');
export const runtimeMain = resolve(workspaceRoot, 'dist/apps/local-runtime/main.js');
export const burstMain = resolve(workspaceRoot, 'dist/loadtest/burst.js');
export const simulateMain = resolve(workspaceRoot, 'dist/loadtest/simulate.js');
/** The built function bundles and execution environment, as `npm run bench` runs them. */
export const builtRuntimeFiles = {
  functionsDir: resolve(workspaceRoot, 'dist/apps'),
  environmentScript: resolve(workspaceRoot, 'dist/apps/local-runtime/execution-environment.cjs'),
};

export interface LocalRuntime {
  apiUrl: string;
  /** Sends SIGTERM and resolves once the runtime has exited; rejects if it had to be killed at the stop deadline. */
  stop(): Promise<void>;
}

/** Starts the runtime in --json mode on free ports and waits for its `started` line. */
export async function startLocalRuntime(args: string[] = []): Promise<LocalRuntime> {
  const runtime = await startRuntime({ runtimeMain, cwd: workspaceRoot }, args);
  return {
    apiUrl: runtime.started.apiUrl,
    stop: async () => {
      await runtime.stop();
    },
  };
}

/** Runs `node <script> …args` to its end. */
export function runNode(script: string, args: string[], timeoutMs: number): Promise<Exited> {
  return runNodeToExit(script, args, { cwd: workspaceRoot, timeoutMs });
}
