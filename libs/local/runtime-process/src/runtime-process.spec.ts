import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeToExit, runningRuntimes, startRuntime, waitFor } from './runtime-process.js';

// A stand-in for the built runtime: prints the --json `started` line (or fails), then waits for SIGTERM.
const fakeRuntime = `
const args = process.argv.slice(2);
process.on('SIGTERM', () => { if (!args.includes('--hang-on-stop')) process.exit(0); });
if (args.includes('--fail')) { process.stderr.write('Port 1 (API) is already in use'); process.exit(1); }
process.stdout.write('not json\\n' + JSON.stringify({ event: 'started', apiUrl: 'http://127.0.0.1:1', args }) + '\\n');
if (args.includes('--status')) setTimeout(() => process.stdout.write(JSON.stringify({ event: 'status', written: 3 }) + '\\n'), 50);
setInterval(() => undefined, 1000);
`;

describe('runtime-process', () => {
  let dir: string;
  let runtimeMain: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runtime-process-'));
    runtimeMain = join(dir, 'main.js');
    writeFileSync(runtimeMain, fakeRuntime);
    writeFileSync(join(dir, 'silent.js'), 'setInterval(() => undefined, 1000);');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the runtime on free ports in --json mode and stops it with SIGTERM', async () => {
    // Act
    const runtime = await startRuntime({ runtimeMain, cwd: dir }, ['--rate', 'off']);
    const exitCode = await runtime.stop();
    // Assess
    expect(runtime.started.apiUrl).toBe('http://127.0.0.1:1');
    expect(runtime.lines[0]['args']).toEqual(['--json', '--port', '0', '--sqs-port', '0', '--dynamodb-port', '0', '--rate', 'off']);
    expect(exitCode).toBe(0);
  });

  it('hands each JSON line to onLine as it comes, and counts the runtime as running until it exits', async () => {
    // Prepare
    const seen: unknown[] = [];
    // Act
    const runtime = await startRuntime({ runtimeMain, cwd: dir }, ['--status'], { onLine: (record) => seen.push(record['event']) });
    await waitFor(async () => (seen.length >= 2 ? true : undefined), 5_000, 'the status line');
    const whileRunning = runningRuntimes();
    await runtime.stop();
    // Assess
    expect(seen).toEqual(['started', 'status']);
    expect(runtime.lines.map((line) => line['event'])).toEqual(['started', 'status']);
    expect(whileRunning).toContain(runtime.child);
    expect(runningRuntimes()).not.toContain(runtime.child);
  });

  it('kills a runtime still running at the stop deadline, and says so', async () => {
    // Prepare
    const runtime = await startRuntime({ runtimeMain, cwd: dir }, ['--hang-on-stop']);
    // Act
    const stopped = runtime.stop(300);
    // Assess
    await expect(stopped).rejects.toThrow('The local runtime was still running 300 ms after SIGTERM, so it was killed');
    expect(runtime.child.signalCode).toBe('SIGKILL');
  });

  it('says why when the runtime exits before starting', async () => {
    await expect(startRuntime({ runtimeMain, cwd: dir }, ['--fail'])).rejects.toThrow(/exited with 1 before starting: Port 1 \(API\) is already in use/);
  });

  it('gives up on a runtime that does not start in time, and kills it', async () => {
    await expect(startRuntime({ runtimeMain: join(dir, 'silent.js'), cwd: dir }, [], { startTimeoutMs: 300 })).rejects.toThrow(
      'The local runtime did not start within 300 ms',
    );
    await expect(waitFor(async () => (runningRuntimes().length === 0 ? true : undefined), 5_000, 'the killed runtime to exit')).resolves.toBe(true);
  });

  it('runs a script to its end with its output', async () => {
    const exited = await runNodeToExit(runtimeMain, ['--fail'], { cwd: dir });
    expect(exited).toEqual({ code: 1, stdout: '', stderr: 'Port 1 (API) is already in use' });
  });

  it('waits for a probe, and names what it waited for when time runs out', async () => {
    let calls = 0;
    expect(await waitFor(async () => (++calls >= 2 ? 'ready' : undefined), 5_000, 'the second call')).toBe('ready');
    await expect(waitFor(async () => undefined, 300, 'nothing')).rejects.toThrow('Timed out after 300 ms waiting for nothing');
  });
});
