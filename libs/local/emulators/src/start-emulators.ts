import { spawn, type ChildProcess } from 'node:child_process';

export interface EmulatorOptions {
  /** SQS + SNS (fauxqs) port; 0 picks a free one. */
  sqsPort?: number;
  /** DynamoDB (dynalite) port; 0 picks a free one. */
  dynamodbPort?: number;
  /** Keep DynamoDB data in this folder across restarts; in memory when absent. */
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
// its port on stdout once listening, and exits when its stdin closes, so it never outlives us.
const exitWithParent = `process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));`;

const fauxqsScript = `${exitWithParent}
const { startFauxqs } = await import('fauxqs');
const server = await startFauxqs({ port: Number(process.env.EMULATOR_PORT), host: undefined, listenHost: process.env.EMULATOR_HOST, logger: false });
process.stdout.write(JSON.stringify({ port: server.port }) + '\\n');`;

const dynaliteScript = `${exitWithParent}
const dynalite = require('dynalite');
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
if (process.env.EMULATOR_DATA_DIR) options.path = process.env.EMULATOR_DATA_DIR;
const server = dynalite(options);
server.on('error', (error) => { process.stderr.write(error.code === 'EADDRINUSE' ? 'EADDRINUSE' : String(error)); process.exit(3); });
server.listen(Number(process.env.EMULATOR_PORT), process.env.EMULATOR_HOST, () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n');
});`;

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
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onExit = (code: number | null) => {
      if (/EADDRINUSE/.test(stderr)) reject(new PortInUseError(name, requestedPort));
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
  const started = await Promise.allSettled([
    launch('SQS/SNS (fauxqs)', ['--input-type=module', '-e', fauxqsScript], { FAUXQS_LOGGER: 'false' }, options.sqsPort ?? 0, host, options.cwd),
    launch(
      'DynamoDB (dynalite)',
      ['-e', dynaliteScript],
      options.dataDir ? { EMULATOR_DATA_DIR: options.dataDir } : {},
      options.dynamodbPort ?? 0,
      host,
      options.cwd,
    ),
  ]);
  const [sqs, dynamodb] = started;
  if (sqs.status === 'rejected' || dynamodb.status === 'rejected') {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw sqs.status === 'rejected' ? sqs.reason : (dynamodb as PromiseRejectedResult).reason;
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
