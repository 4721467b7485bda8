import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The built runtime, started exactly as `npm start` starts it, with its own flags. */
export const runtimeMain = resolve(__dirname, '../../../dist/apps/local-runtime/main.js');
const workspaceRoot = resolve(__dirname, '../../..');

export interface StartedEvent {
  apiUrl: string;
  dashboardUrl: string;
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  tableName: string;
}

export interface RuntimeProcess {
  child: ChildProcess;
  started: StartedEvent;
  /** Every JSON line the runtime printed so far. */
  lines: Record<string, unknown>[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the runtime with `args` to its end (for flags that must fail fast). */
export function runToExit(args: string[], timeoutMs = 30_000): Promise<Exited> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [runtimeMain, ...args], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runtime ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Starts the runtime in --json mode on free ports and waits for its `started` line. */
export function startRuntime(args: string[] = []): Promise<RuntimeProcess> {
  const child = spawn(
    process.execPath,
    [runtimeMain, '--json', '--port', '0', '--sqs-port', '0', '--dynamodb-port', '0', ...args],
    { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runtime did not start within 30 s: ${stderr}`));
    }, 30_000);
    child.on('exit', (code) => reject(new Error(`runtime exited with ${code} before starting: ${stderr}`)));
    child.stdout?.on('data', (chunk) => {
      buffer += String(chunk);
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        lines.push(record);
        if (record['event'] === 'started') {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolvePromise({
            child,
            started: record as unknown as StartedEvent,
            lines,
            stop: () =>
              new Promise((done) => {
                if (child.exitCode !== null) return done(child.exitCode);
                child.once('exit', (code) => done(code));
                child.kill('SIGTERM');
              }),
          });
        }
      }
    });
  });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls `probe` until it returns a value, at most `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
  }
}
