import { esmConfig, pipelineMetrics } from '@fanout/config';
import { dashboardUrl, localRuntimeConfig } from '@fanout/runtime';
import type { LocalPipeline, PipelineEvent, PipelineStatus, PortClaim, QueueDepths } from '@fanout/runtime';
import { describeFaults } from '@fanout/wire-proxy';
import type { CliOptions } from './cli-options.js';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The active faults as --faults writes them; 'none' when the proxy only counts. */
export function faultsText(options: Pick<CliOptions, 'faults'>): string | undefined {
  if (!options.faults) return undefined;
  return describeFaults(options.faults) || 'none';
}

/** What starts the worker, in the banner's words: the trigger and, for esm, its batches and concurrency. */
export function triggerLines(pipeline: Pick<LocalPipeline, 'trigger' | 'mappingMaxConcurrency'>, options: Pick<CliOptions, 'tickEveryMs' | 'rate'>): string[] {
  const { trigger, batchSize, batchingWindowSeconds } = pipeline.trigger;
  if (trigger === 'esm') {
    const most = pipeline.mappingMaxConcurrency ?? 0;
    return [
      `  Trigger          esm: an SQS event source mapping long-polls the queue and invokes test-sqs2ddb with batches`,
      `                   of up to ${plural(batchSize, 'message')}${batchingWindowSeconds > 0 ? ` gathered for up to ${batchingWindowSeconds} s` : ''}, at most ${plural(most, 'invocation')} at once ` +
        `(its MaximumConcurrency ${esmConfig.maxConcurrency}, held to the ${most} worker environments here)`,
      `  Schedule         none: no test-cron with --trigger esm (the mapping scales from ${esmConfig.standardScaling.initialConcurrency} by up to ${esmConfig.standardScaling.scaleUpPerMinute} a minute, as on AWS)`,
    ];
  }
  return [
    `  Trigger          fanout: test-cron reads the queue depth and publishes worker starts to SNS (--trigger esm: the event source mapping)`,
    `  Schedule         ${options.tickEveryMs > 0 ? `test-cron every ${options.rate}` : 'off: test-cron runs on POST /_local/tick only'}`,
  ];
}

/** The start-up banner: where everything is, and how to point the AWS CLI or SDK at it. */
export function banner(pipeline: LocalPipeline, options: CliOptions): string {
  const env = pipeline.emulators.environment;
  const keyHeader = options.apiKey ? ` -H 'x-api-key: ${options.apiKey}'` : '';
  const routes = pipeline.trigger.trigger === 'esm' ? 'POST /messages, GET /runs/{runId}' : 'POST /messages, GET /runs/{runId}, POST /_local/tick';
  return [
    '',
    'Fanout local pipeline is up.',
    '',
    `  API              ${pipeline.apiUrl}   (${routes}${options.apiKey ? '; every route but /health needs x-api-key' : ''})`,
    `  Dashboard        ${dashboardUrl(pipeline.apiUrl, options.apiKey)}   (live: queue, written, worker invocations, recent runs)`,
    `  SQS + SNS        ${pipeline.emulators.sqs.endpoint}   (fauxqs)`,
    `  DynamoDB         ${pipeline.emulators.dynamodb.endpoint}   (dynalite)`,
    options.dataDir
      ? `  Data             ${options.dataDir}   (queues and table kept across restarts)`
      : `  Data             in memory   (queued messages are lost on stop; keep them with --data-dir)`,
    `  Queue            ${pipeline.resources.queueUrl}`,
    `  Dead letters     ${pipeline.resources.deadLetterQueueUrl}`,
    `  Table            ${pipeline.resources.tableName} (index ${pipeline.resources.runIndexName})`,
    ...triggerLines(pipeline, options),
    ...(options.faults
      ? [`  Faults           ${faultsText(options)}   (the fault proxy sits between the functions and the emulators)`]
      : []),
    '',
    'Point the AWS CLI or an SDK at the emulators:',
    ...Object.entries(env).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Post a message:',
    `  curl -X POST ${pipeline.apiUrl}/messages -H 'Content-Type: application/json'${keyHeader} -d '{"key1":"value1","key2":"value2","key3":"value3","runId":"demo"}'`,
    `  curl ${pipeline.apiUrl}/runs/demo${keyHeader ? keyHeader : ''}`,
    '',
    'Ctrl-C lets running invocations finish, then stops the emulators; a second Ctrl-C stops at once.',
    '',
  ].join('\n');
}

export interface StatusSample
  extends Pick<
      PipelineStatus,
      'trigger' | 'visible' | 'inFlight' | 'deadLetter' | 'written' | 'workerRuns' | 'workerRunsInProgress' | 'mappingConcurrency'
    >,
    Partial<Pick<PipelineStatus, 'metrics'>> {
  /** Items written per second since the previous sample. */
  ratePerSecond: number;
}

/** The functions' own metrics (their EMF log lines, added up), as the stack's dashboard would show them; empty before any. */
export function metricsText(metrics: PipelineStatus['metrics'] | undefined): string {
  if (metrics === undefined || Object.keys(metrics).length === 0) return '';
  const figure = (name: string) => Math.round(metrics[name] ?? 0);
  return (
    `metrics enqueued ${figure(pipelineMetrics.messagesEnqueued)} rejected ${figure(pipelineMetrics.messagesRejected)} ` +
    `written ${figure(pipelineMetrics.messagesWritten)} retried ${figure(pipelineMetrics.messagesRetried)} ` +
    `unwritten ${figure(pipelineMetrics.messagesUnwritten)} invalid ${figure(pipelineMetrics.messagesInvalid)}`
  );
}

/** The worker's invocations: fan-out runs, or the mapping's batches with the concurrency it allows itself now. */
function invocationsText(sample: StatusSample): string {
  if (sample.trigger === 'esm') {
    return `batches ${sample.workerRuns} (+${sample.workerRunsInProgress} in progress, mapping concurrency ${sample.mappingConcurrency ?? 0})`;
  }
  return `worker runs ${sample.workerRuns} (+${sample.workerRunsInProgress} running)`;
}

/** `faults`: the active faults (faultsText), shown on every line so that nobody reads a faulty run as a slow one. */
export function statusLine(sample: StatusSample, faults?: string): string {
  return (
    `${sample.trigger} | queue ${sample.visible} visible / ${sample.inFlight} in flight / ${sample.deadLetter} DLQ | ` +
    `written ${sample.written} | ${invocationsText(sample)} | ` +
    `${sample.ratePerSecond.toFixed(0)} msg/s` +
    (metricsText(sample.metrics) ? ` | ${metricsText(sample.metrics)}` : '') +
    (faults ? ` | faults ${faults}` : '')
  );
}

const portFlags: Record<PortClaim['service'], string> = { API: '--port', 'SQS/SNS': '--sqs-port', DynamoDB: '--dynamodb-port' };

/** One line naming every busy port, the flag that moves each, and a command that would start. */
export function portsInUseLine(busy: PortClaim[]): string {
  const list = busy.map(({ service, port }) => `${port} (${service})`);
  const named = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  const flags = busy.map(({ service }) => portFlags[service]);
  const example = busy.map(({ service, port }) => `${portFlags[service]} ${port + 1}`).join(' ');
  return busy.length === 1
    ? `Port ${named} is already in use: choose another with ${flags[0]}, e.g. npm start -- ${example}`
    : `Ports ${named} are already in use: choose others with ${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]}, e.g. npm start -- ${example}`;
}

/** What stopping left on the queues: lost without a data folder (and how to keep it next time), kept with one. */
export function stoppedLine(left: QueueDepths | undefined, dataDir: string | undefined): string {
  if (left === undefined) return 'Stopped.';
  const queued = left.visible + left.inFlight;
  if (queued + left.deadLetter === 0) return 'Stopped. The queues were empty.';
  const held =
    `${plural(queued, 'message')} (${left.visible} visible, ${left.inFlight} in flight)` +
    (left.deadLetter > 0 ? ` and ${plural(left.deadLetter, 'message')} in the dead-letter queue` : '');
  if (dataDir !== undefined) return `Stopped. Kept in ${dataDir}: ${held}; npm start -- --data-dir ${dataDir} takes them up again.`;
  return (
    `Stopped. Lost with the in-memory queues: ${held}. ` +
    `To keep queued messages across restarts: npm start -- --data-dir ${localRuntimeConfig.suggestedDataDir}`
  );
}

export function eventLine(event: PipelineEvent): string | undefined {
  switch (event.type) {
    case 'tick': {
      const decision = event.decision as { visible: number; inFlight: number; workers: number };
      return `tick (${event.trigger}): ${decision.visible} visible, ${decision.inFlight} in flight → ${plural(decision.workers, 'worker')}`;
    }
    case 'tick-failed':
      return `tick (${event.trigger}) failed: ${event.error}`;
    case 'invoke-failed':
      return `${event.functionName} invocation ${event.attempt} failed${event.willRetry ? ' (will retry)' : ''}: ${event.error}`;
    case 'bridge-error':
      return `SNS bridge: ${event.error}`;
    case 'batch-returned':
      return `test-sqs2ddb batch of ${plural(event.messages, 'message')} failed: ${event.error} (the messages return to the queue after its visibility timeout)`;
    case 'poller-error':
      return `event source mapping: ${event.error}`;
    default:
      return undefined;
  }
}
