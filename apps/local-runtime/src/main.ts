import { join } from 'node:path';
import { DataDirError, emulatorClients, PortInUseError } from '@fanout/emulators';
import { Dashboard, dashboardUrl } from '@fanout/runtime';
import { ApiPortInUseError, PortsInUseError, startLocalPipeline, type LocalPipeline, type PortClaim } from '@fanout/runtime';
import { readRunItems, summarizeRun } from '@fanout/run-status';
import { CliUsageError, parseCliOptions, usage, type CliOptions } from './cli-options.js';
import { banner, eventLine, faultsText, portsInUseLine, statusLine, stoppedLine, type StatusSample } from './console-output.js';

// The bundles sit beside this one in dist/apps; the execution environment script is copied here.
const functionsDir = join(__dirname, '..');
const environmentScript = join(__dirname, 'execution-environment.cjs');
// The dashboard's page files are copied to dashboard/ beside the bundle.
const dashboardPageDir = join(__dirname, 'dashboard');

/** The ports a failed start found taken: all of them when checked up front, one when taken in between. */
function busyPorts(error: unknown): PortClaim[] | undefined {
  if (error instanceof PortsInUseError) return error.busy;
  if (error instanceof ApiPortInUseError) return [{ service: 'API', port: error.port }];
  if (error instanceof PortInUseError) return [{ service: error.emulator.startsWith('DynamoDB') ? 'DynamoDB' : 'SQS/SNS', port: error.port }];
  return undefined;
}

async function run(options: CliOptions): Promise<void> {
  const out = process.stdout;
  const live = out.isTTY === true && !options.json;
  let statusShown = false;
  const print = (line: string) => {
    if (live && statusShown) out.write('\r\x1b[2K');
    out.write(`${line}\n`);
    statusShown = false;
  };
  const printJson = (record: Record<string, unknown>) => out.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);

  let pipeline: LocalPipeline;
  let documents: ReturnType<typeof emulatorClients>['documents'] | undefined;
  let dashboard: Dashboard;
  try {
    dashboard = new Dashboard({
      pageDir: dashboardPageDir,
      // Runs are only posted once the pipeline is up. The reports read the emulator directly, never
      // through the wire proxy, so --faults does not touch them.
      readRunReport: async (runId) => {
        documents ??= emulatorClients(pipeline.emulators).documents;
        const { tableName, runIndexName } = pipeline.resources;
        return summarizeRun(runId, await readRunItems(documents, tableName, runIndexName, runId));
      },
    });
    pipeline = await startLocalPipeline({
      ...options,
      functionsDir,
      environmentScript,
      serveLocalRoute: (request, response, url) => dashboard.serve(request, response, url),
      onApiRequest: (request) => dashboard.recordApiRequest(request),
      onLog: (line, functionName) => {
        if (options.verbose || /"level":"(WARN|ERROR|CRITICAL)"/.test(line) || !line.startsWith('{')) {
          if (options.json) printJson({ event: 'function-log', functionName, line });
          else print(`[${functionName}] ${line}`);
        }
      },
      onEvent: (event) => {
        dashboard.recordEvent(event);
        if (options.json) printJson({ event: event.type, ...event });
        else {
          const line = eventLine(event);
          if (line) print(line);
        }
      },
    });
  } catch (error) {
    // A data folder it cannot use is a wrong flag, like any other: exit code 2.
    if (error instanceof DataDirError) {
      process.stderr.write(`--data-dir: ${error.message}\n`);
      process.exit(2);
    }
    const busy = busyPorts(error);
    process.stderr.write(`${busy ? portsInUseLine(busy) : `Could not start the local pipeline: ${(error as Error).message}`}\n`);
    process.exit(1);
  }

  if (options.json) {
    printJson({
      event: 'started',
      apiUrl: pipeline.apiUrl,
      dashboardUrl: dashboardUrl(pipeline.apiUrl, options.apiKey),
      sqsEndpoint: pipeline.emulators.sqs.endpoint,
      dynamodbEndpoint: pipeline.emulators.dynamodb.endpoint,
      queueUrl: pipeline.resources.queueUrl,
      deadLetterQueueUrl: pipeline.resources.deadLetterQueueUrl,
      topicArn: pipeline.resources.topicArn,
      tableName: pipeline.resources.tableName,
      trigger: pipeline.trigger.trigger,
      ...(pipeline.trigger.trigger === 'esm'
        ? {
            batchSize: pipeline.trigger.batchSize,
            batchingWindowSeconds: pipeline.trigger.batchingWindowSeconds,
            mappingMaxConcurrency: pipeline.mappingMaxConcurrency,
          }
        : { schedule: options.tickEveryMs > 0 ? options.rate : 'off' }),
      environment: pipeline.emulators.environment,
    });
  } else {
    out.write(banner(pipeline, options));
  }

  const faults = faultsText(options);
  let previous: { written: number; at: number } | undefined;
  let lastLine = '';
  const sample = async () => {
    const status = await pipeline.status();
    const now = Date.now();
    const ratePerSecond = previous ? ((status.written - previous.written) * 1000) / Math.max(1, now - previous.at) : 0;
    previous = { written: status.written, at: now };
    const line: StatusSample = { ...status, ratePerSecond };
    void dashboard.publishStatus({ ...status, ratePerSecond });
    if (options.json) printJson({ event: 'status', ...line });
    else if (live) {
      out.write(`\r\x1b[2K${statusLine(line, faults)}`);
      statusShown = true;
    } else {
      // Without a terminal, a line only when something changed.
      const text = statusLine({ ...line, ratePerSecond: Math.round(ratePerSecond) }, faults);
      if (text !== lastLine) print(text);
      lastLine = text;
    }
  };
  const statusTimer = setInterval(() => void sample().catch(() => undefined), 1_000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // The emulators exit with us (their stdin closes); messages in flight come back after the
      // visibility timeout when the queues are kept, and are lost when they are not.
      process.stderr.write(`${signal} again: stopped at once, cutting the running invocations short.\n`);
      process.exit(1);
    }
    stopping = true;
    clearInterval(statusTimer);
    dashboard.close();
    if (options.json) printJson({ event: 'stopping', signal });
    else {
      const starts = pipeline.trigger.trigger === 'esm' ? 'the event source mapping' : 'the schedule';
      print(`${signal}: stopping ${starts}, letting running invocations finish, then the emulators… (Ctrl-C again to stop at once)`);
    }
    const left = await pipeline.stop();
    if (options.json) printJson({ event: 'stopped', left: left ?? null, kept: options.dataDir !== undefined });
    else print(stoppedLine(left, options.dataDir));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

let options: CliOptions | 'help';
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliUsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${usage}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${usage}\n`);
} else {
  void run(options);
}
