import { dashboardUrl } from '@fanout/runtime';
import type { LocalPipeline, PipelineEvent, PipelineStatus } from '@fanout/runtime';
import type { CliOptions } from './cli-options.js';

/** The start-up banner: where everything is, and how to point the AWS CLI or SDK at it. */
export function banner(pipeline: LocalPipeline, options: CliOptions): string {
  const env = pipeline.emulators.environment;
  const keyHeader = options.apiKey ? ` -H 'x-api-key: ${options.apiKey}'` : '';
  return [
    '',
    'Fanout local pipeline is up.',
    '',
    `  API              ${pipeline.apiUrl}   (POST /messages, GET /runs/{runId}, POST /_local/tick${options.apiKey ? '; every route but /health needs x-api-key' : ''})`,
    `  Dashboard        ${dashboardUrl(pipeline.apiUrl, options.apiKey)}   (live: queue, written, worker runs, recent runs)`,
    `  SQS + SNS        ${pipeline.emulators.sqs.endpoint}   (fauxqs)`,
    `  DynamoDB         ${pipeline.emulators.dynamodb.endpoint}   (dynalite${options.dataDir ? `, data in ${options.dataDir}` : ', in memory'})`,
    `  Queue            ${pipeline.resources.queueUrl}`,
    `  Dead letters     ${pipeline.resources.deadLetterQueueUrl}`,
    `  Table            ${pipeline.resources.tableName} (index ${pipeline.resources.runIndexName})`,
    `  Schedule         test-cron every ${options.tickEveryMs > 0 ? options.rate : 'never (POST /_local/tick)'}`,
    '',
    'Point the AWS CLI or an SDK at the emulators:',
    ...Object.entries(env).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Post a message:',
    `  curl -X POST ${pipeline.apiUrl}/messages -H 'Content-Type: application/json'${keyHeader} -d '{"key1":"value1","key2":"value2","key3":"value3","runId":"demo"}'`,
    `  curl ${pipeline.apiUrl}/runs/demo${keyHeader ? keyHeader : ''}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

export interface StatusSample
  extends Pick<PipelineStatus, 'visible' | 'inFlight' | 'deadLetter' | 'written' | 'workerRuns' | 'workerRunsInProgress'> {
  /** Items written per second since the previous sample. */
  ratePerSecond: number;
}

export function statusLine(sample: StatusSample): string {
  return (
    `queue ${sample.visible} visible / ${sample.inFlight} in flight / ${sample.deadLetter} DLQ | ` +
    `written ${sample.written} | worker runs ${sample.workerRuns} (+${sample.workerRunsInProgress} running) | ` +
    `${sample.ratePerSecond.toFixed(0)} msg/s`
  );
}

export function eventLine(event: PipelineEvent): string | undefined {
  switch (event.type) {
    case 'tick': {
      const decision = event.decision as { visible: number; inFlight: number; workers: number };
      return `tick (${event.trigger}): ${decision.visible} visible, ${decision.inFlight} in flight → ${decision.workers} workers`;
    }
    case 'tick-failed':
      return `tick (${event.trigger}) failed: ${event.error}`;
    case 'invoke-failed':
      return `${event.functionName} invocation ${event.attempt} failed${event.willRetry ? ' (will retry)' : ''}: ${event.error}`;
    case 'bridge-error':
      return `SNS bridge: ${event.error}`;
    default:
      return undefined;
  }
}
