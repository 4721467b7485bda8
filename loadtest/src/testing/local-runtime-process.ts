import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The built local runtime and the built runner as child processes, started the way `npm start` and
 * `npm run burst` start them (see apps/local-runtime-e2e/src/runtime-process.ts for the runtime's
 * own end-to-end tests).
 */
const workspaceRoot = resolve(__dirname, '../../..');
export const runtimeMain = resolve(workspaceRoot, 'dist/apps/local-runtime/main.js');
export const burstMain = resolve(workspaceRoot, 'dist/loadtest/burst.js');

export interface LocalRuntime {
  apiUrl: string;
  /** Sends SIGTERM and resolves once the runtime has exited. */
  stop(): Promise<void>;
}

/** Starts the runtime in --json mode on free ports and waits for its `started` line. */
export function startLocalRuntime(args: string[] = []): Promise<LocalRuntime> {
  const child: ChildProcess = spawn(
    process.execPath,
    [runtimeMain, '--json', '--port', '0', '--sqs-port', '0', '--dynamodb-port', '0', ...args],
    { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The local runtime did not start within 30 s: ${stderr}`));
    }, 30_000);
    child.on('exit', (code) => reject(new Error(`The local runtime exited with ${code} before starting: ${stderr}`)));
    child.stdout?.on('data', (chunk) => {
      buffer += String(chunk);
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record['event'] === 'started') {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolvePromise({ apiUrl: String(record['apiUrl']), stop });
        }
      }
    });
  });
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> …args` to its end. */
export function runNode(script: string, args: string[], timeoutMs: number): Promise<Exited> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${script} ${args.join(' ')} did not exit within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
