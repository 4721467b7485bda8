import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { localRuntimeConfig } from '@fanout/runtime';

/**
 * The longest a runtime may take to stop after SIGTERM: its running invocations get the shutdown
 * grace, then its function hosts get it again, plus the bridge's last long poll and the emulators.
 */
export const runtimeStopDeadlineMs = 2 * localRuntimeConfig.shutdownGraceMs + 5_000;

/** Where the built local runtime is (`dist/apps/local-runtime/main.js`) and where to run it from. */
export interface RuntimeLocation {
  /** Absolute path of the built runtime's main.js. */
  runtimeMain: string;
  /** The workspace root, where the emulator packages resolve; by default three folders above dist/apps/local-runtime. */
  cwd?: string;
}

/** The `started` line the runtime prints in --json mode. */
export interface StartedEvent {
  apiUrl: string;
  dashboardUrl: string;
  sqsEndpoint: string;
  dynamodbEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  tableName: string;
}

/** How a runtime ended: its exit code, or the signal that ended it. */
export interface RuntimeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RuntimeProcess {
  child: ChildProcess;
  started: StartedEvent;
  /** Every JSON line the runtime printed so far. */
  lines: Record<string, unknown>[];
  /** Resolves once the runtime has exited, however it was stopped. */
  exited: Promise<RuntimeExit>;
  /**
   * Sends SIGTERM and resolves with the exit code. A runtime still running `deadlineMs` later
   * (by default {@link runtimeStopDeadlineMs}) is killed, and the promise rejects saying so.
   */
  stop(deadlineMs?: number): Promise<number | null>;
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

function workspaceOf(location: RuntimeLocation): string {
  return location.cwd ?? resolve(dirname(location.runtimeMain), '../../..');
}

/** Runs `node <script> …args` to its end, e.g. the runtime with flags that must fail fast. */
export function runNodeToExit(script: string, args: string[], options: { cwd: string; timeoutMs?: number }): Promise<Exited> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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

export interface StartRuntimeOptions {
  /** How long the runtime may take to print its `started` line; default 30 s. */
  startTimeoutMs?: number;
  /** Sees each JSON line the runtime prints, as it comes (the `started` line included). */
  onLine?: (record: Record<string, unknown>) => void;
  /**
   * Start it as the leader of a process group of its own, as a terminal starts a command, so that a
   * test can signal the whole group (`process.kill(-child.pid, 'SIGINT')`) the way Ctrl-C does.
   */
  detached?: boolean;
}

/** How much of the runtime's stderr an error quotes: its end, where the reason is. */
const stderrTailChars = 4_000;

/** Runtimes this process started that have not exited yet. */
const liveRuntimes = new Set<ChildProcess>();

/** The runtimes this process started that are still running: an interrupted caller stops them before it exits. */
export function runningRuntimes(): ChildProcess[] {
  return [...liveRuntimes];
}

/** Calls `onLine` with each complete line of `stream`. */
function eachLine(stream: Readable | null, onLine: (line: string) => void): void {
  let buffer = '';
  stream?.on('data', (chunk) => {
    buffer += String(chunk);
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      onLine(line);
    }
  });
}

/**
 * Starts the built runtime as `npm start` does, in --json mode on free ports (plus `args`), and
 * resolves with its `started` line once every part is up.
 */
export function startRuntime(location: RuntimeLocation, args: string[] = [], options: StartRuntimeOptions = {}): Promise<RuntimeProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const child = spawn(
    process.execPath,
    [location.runtimeMain, '--json', '--port', '0', '--sqs-port', '0', '--dynamodb-port', '0', ...args],
    { cwd: workspaceOf(location), stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false },
  );
  liveRuntimes.add(child);
  const exited = new Promise<RuntimeExit>((resolveExit) =>
    child.once('exit', (code, signal) => {
      liveRuntimes.delete(child);
      resolveExit({ code, signal });
    }),
  );
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-stderrTailChars)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The local runtime did not start within ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    const exitedEarly = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`The local runtime exited with ${code} before starting: ${stderr}`));
    };
    child.once('exit', exitedEarly);
    eachLine(child.stdout, (line) => {
      if (!line.startsWith('{')) return;
      const record = JSON.parse(line) as Record<string, unknown>;
      lines.push(record);
      options.onLine?.(record);
      if (record['event'] !== 'started') return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolvePromise({
        child,
        started: record as unknown as StartedEvent,
        lines,
        exited,
        stop: (deadlineMs = runtimeStopDeadlineMs) => stopChild(child, deadlineMs, () => stderr),
      });
    });
  });
}

function stopChild(child: ChildProcess, deadlineMs: number, stderr: () => string): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise(child.exitCode);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (killed) reject(new Error(`The local runtime was still running ${deadlineMs} ms after SIGTERM, so it was killed: ${stderr()}`));
      else resolvePromise(code);
    });
    child.kill('SIGTERM');
  });
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
