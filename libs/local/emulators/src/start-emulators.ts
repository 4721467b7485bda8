import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { DataDirError, prepareDataDir } from './data-dir.js';

export interface EmulatorOptions {
  /** SQS + SNS (fauxqs) port; 0 picks a free one. */
  sqsPort?: number;
  /** DynamoDB (dynalite) port; 0 picks a free one. */
  dynamodbPort?: number;
  /**
   * Keep the queues (messages visible and in flight, with their receive counts), the topic and the
   * table in this folder across restarts, even a kill -9; in memory when absent.
   */
  dataDir?: string;
  /** Where the emulators listen: loopback, so nothing outside this machine can reach them. */
  host?: string;
  /** Folder the emulator packages resolve from; the current one by default. */
  cwd?: string;
}

export interface RunningEmulator {
  name: string;
  port: number;
  endpoint: string;
  stop(): Promise<void>;
}

export interface RunningEmulators {
  sqs: RunningEmulator;
  dynamodb: RunningEmulator;
  /** The variables that point the AWS CLI and SDKs at the emulators. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

/** An emulator could not take its port: says which and what to change. */
export class PortInUseError extends Error {
  constructor(readonly emulator: string, readonly port: number) {
    super(`Port ${port} for ${emulator} is already in use.`);
    this.name = 'PortInUseError';
  }
}

export class EmulatorStartError extends Error {
  constructor(readonly emulator: string, detail: string) {
    super(`${emulator} did not start: ${detail}`);
    this.name = 'EmulatorStartError';
  }
}

// Each emulator runs in a child process of its own (its own core, and no ESM/CJS friction), reports
// its port on stdout once listening, and exits when its stdin closes, so it never outlives us. It
// leads a process group of its own: a terminal's Ctrl-C, sent to the whole foreground group, reaches
// only the runtime, which stops the emulators once its running invocations are done with them.
const exitWithParent = `process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));`;

/** Exit code of an emulator that could not open its data folder; its stderr then holds the reason. */
const unreadableDataExitCode = 4;
const refuseData = `(error) => { process.stderr.write(String(error.cause?.message ?? error.message)); process.exit(${unreadableDataExitCode}); }`;

const fauxqsScript = `${exitWithParent}
const { startFauxqs } = await import('fauxqs');
const dataDir = process.env.EMULATOR_DATA_DIR || undefined;
if (dataDir) {
  // Read here first, so that a file that is not a database is told apart from a busy port.
  const { DatabaseSync } = await import('node:sqlite');
  try {
    const db = new DatabaseSync(dataDir + '/fauxqs.db');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.close();
  } catch (error) { (${refuseData})(error); }
}
const server = await startFauxqs({ port: Number(process.env.EMULATOR_PORT), host: undefined, listenHost: process.env.EMULATOR_HOST, dataDir, logger: false });
process.stdout.write(JSON.stringify({ port: server.port }) + '\\n');`;

const dynaliteScript = `${exitWithParent}
const dynalite = require('dynalite');
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
if (process.env.EMULATOR_DATA_DIR) options.path = process.env.EMULATOR_DATA_DIR;
function listen() {
  const server = dynalite(options);
  server.on('error', (error) => { process.stderr.write(error.code === 'EADDRINUSE' ? 'EADDRINUSE' : String(error)); process.exit(3); });
  server.listen(Number(process.env.EMULATOR_PORT), process.env.EMULATOR_HOST, () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n');
  });
}
if (options.path) {
  // dynalite opens its LevelDB on the first request and dies if it cannot (locked by another
  // runtime, or not LevelDB): open it once here to say so before listening.
  const { Level } = require('level');
  const check = new Level(options.path);
  check.open().then(() => check.close()).then(listen, ${refuseData});
} else listen();`;

/** An emulator could not open its data folder: locked by another runtime, or not its format. */
class UnreadableDataError extends Error {
  constructor(
    readonly emulator: string,
    readonly detail: string,
  ) {
    super(`${emulator} cannot open its data: ${detail}`);
  }
}

function dataDirProblem(dir: string, error: UnreadableDataError): DataDirError {
  if (/\block\b/i.test(error.detail)) {
    return new DataDirError(dir, `is in use by another local runtime (${error.emulator}: ${error.detail}). Stop that one first, or choose another folder.`);
  }
  return new DataDirError(dir, `holds data ${error.emulator} cannot read (${error.detail}). Move it aside, or choose an empty or new folder.`);
}

function launch(
  name: string,
  args: string[],
  env: Record<string, string>,
  requestedPort: number,
  host: string,
  cwd: string | undefined,
): Promise<RunningEmulator> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, EMULATOR_PORT: String(requestedPort), EMULATOR_HOST: host },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onExit = (code: number | null) => {
      if (/EADDRINUSE/.test(stderr)) reject(new PortInUseError(name, requestedPort));
      else if (code === unreadableDataExitCode) reject(new UnreadableDataError(name, stderr.trim().split('\n').pop() ?? ''));
      else reject(new EmulatorStartError(name, `exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    };
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n')) return;
      child.off('exit', onExit);
      child.stdout?.removeAllListeners('data');
      const port = Number(JSON.parse(line).port);
      resolve({
        name,
        port,
        endpoint: `http://${host}:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.stdin?.end();
            setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
          }),
      });
    });
  });
}

/** Starts fauxqs (SQS + SNS) and dynalite (DynamoDB) on loopback and waits until both listen. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<RunningEmulators> {
  const host = options.host ?? '127.0.0.1';
  const layout = options.dataDir === undefined ? undefined : prepareDataDir(options.dataDir);
  const dataIn = (folder: string | undefined): Record<string, string> => (folder ? { EMULATOR_DATA_DIR: folder } : {});
  const started = await Promise.allSettled([
    launch(
      'SQS/SNS (fauxqs)',
      ['--input-type=module', '-e', fauxqsScript],
      { FAUXQS_LOGGER: 'false', ...dataIn(layout?.sqsDir) },
      options.sqsPort ?? 0,
      host,
      options.cwd,
    ),
    launch('DynamoDB (dynalite)', ['-e', dynaliteScript], dataIn(layout?.dynamodbDir), options.dynamodbPort ?? 0, host, options.cwd),
  ]);
  const [sqs, dynamodb] = started;
  if (sqs.status === 'rejected' || dynamodb.status === 'rejected') {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    const reason: unknown = sqs.status === 'rejected' ? sqs.reason : (dynamodb as PromiseRejectedResult).reason;
    throw reason instanceof UnreadableDataError && options.dataDir !== undefined ? dataDirProblem(resolve(options.dataDir), reason) : reason;
  }
  return {
    sqs: sqs.value,
    dynamodb: dynamodb.value,
    environment: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SQS: sqs.value.endpoint,
      AWS_ENDPOINT_URL_SNS: sqs.value.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.value.endpoint,
    },
    stop: async () => {
      await Promise.all([sqs.value.stop(), dynamodb.value.stop()]);
    },
  };
}
