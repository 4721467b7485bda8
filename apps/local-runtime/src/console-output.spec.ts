import type { LocalPipeline } from '@fanout/runtime';
import { parseFaultSpec } from '@fanout/wire-proxy';
import type { CliOptions } from './cli-options.js';
import { banner, eventLine, faultsText, portsInUseLine, statusLine, stoppedLine } from './console-output.js';

const environment = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
  AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:4566',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
};

/** Only what the banner reads: where the API, the emulators and the resources are. */
const pipeline = {
  apiUrl: 'http://127.0.0.1:3000',
  emulators: {
    sqs: { name: 'fauxqs', port: 4566, endpoint: 'http://127.0.0.1:4566' },
    dynamodb: { name: 'DynamoDB (dynalite)', port: 8000, endpoint: 'http://127.0.0.1:8000' },
    environment,
  },
  resources: {
    queueUrl: 'http://127.0.0.1:4566/000000000000/test',
    queueArn: 'arn:aws:sqs:us-east-1:000000000000:test',
    deadLetterQueueUrl: 'http://127.0.0.1:4566/000000000000/test-dlq',
    topicArn: 'arn:aws:sns:us-east-1:000000000000:test-topic',
    tableName: 'test',
    runIndexName: 'byRun',
  },
  trigger: { trigger: 'fanout', batchSize: 10, batchingWindowSeconds: 0 },
} as unknown as LocalPipeline;

const esmPipeline = { ...pipeline, trigger: { trigger: 'esm', batchSize: 10, batchingWindowSeconds: 0 }, mappingMaxConcurrency: 2 } as unknown as LocalPipeline;

const options: CliOptions = {
  port: 3000,
  sqsPort: 4566,
  dynamodbPort: 8000,
  tickEveryMs: 10_000,
  rate: '10s',
  trigger: { trigger: 'fanout', batchSize: 10, batchingWindowSeconds: 0 },
  json: false,
  verbose: false,
};

describe('banner', () => {
  it('says where the API, the emulators and the resources are', () => {
    // Prepare
    const started = pipeline;

    // Act
    const text = banner(started, options);

    // Assess
    expect(text).toContain('http://127.0.0.1:3000');
    expect(text).toContain('http://127.0.0.1:4566');
    expect(text).toContain('http://127.0.0.1:8000');
    expect(text).toContain('http://127.0.0.1:4566/000000000000/test-dlq');
    expect(text).toContain('test-cron every 10s');
    expect(text).toContain('in memory');
  });

  it('gives the address of the live dashboard', () => {
    // Prepare
    const started = pipeline;

    // Act
    const lines = banner(started, options).split('\n').map((line) => line.trim());

    // Assess
    expect(lines.find((line) => line.startsWith('Dashboard'))).toMatch(/^Dashboard\s+http:\/\/127\.0\.0\.1:3000\/_local\/dashboard\s/);
  });

  it('prints an export line for every variable that points the AWS CLI at the emulators', () => {
    // Prepare
    const started = pipeline;

    // Act
    const lines = banner(started, options).split('\n').map((line) => line.trim());

    // Assess
    for (const [name, value] of Object.entries(environment)) expect(lines).toContain(`export ${name}=${value}`);
    expect(lines.filter((line) => line.startsWith('export '))).toHaveLength(Object.keys(environment).length);
  });

  it('gives curl lines that post a message and read its run', () => {
    // Prepare
    const started = pipeline;

    // Act
    const lines = banner(started, options).split('\n').map((line) => line.trim());

    // Assess
    const post = lines.find((line) => line.startsWith('curl -X POST'));
    expect(post).toContain('http://127.0.0.1:3000/messages');
    expect(post).toContain("-H 'Content-Type: application/json'");
    const sent = /-d '(.*)'$/.exec(post ?? '')?.[1];
    expect(JSON.parse(sent ?? '')).toMatchObject({ runId: 'demo' });
    expect(lines).toContain('curl http://127.0.0.1:3000/runs/demo');
    expect(lines.join('\n')).not.toContain('x-api-key');
  });

  it('adds the API key to both curl lines when the API requires one', () => {
    // Prepare
    const withKey: CliOptions = { ...options, apiKey: 'local-key' };

    // Act
    const lines = banner(pipeline, withKey).split('\n').map((line) => line.trim());

    // Assess
    const curls = lines.filter((line) => line.startsWith('curl '));
    expect(curls).toHaveLength(2);
    for (const curl of curls) expect(curl).toContain("-H 'x-api-key: local-key'");
  });

  it('prints the dashboard URL with the token a browser opens it with when the API requires a key', () => {
    // Prepare
    const withKey: CliOptions = { ...options, apiKey: 'local-key' };

    // Act
    const lines = banner(pipeline, withKey).split('\n').map((line) => line.trim());

    // Assess
    const dashboard = lines.find((line) => line.startsWith('Dashboard')) ?? '';
    expect(dashboard).toMatch(/^Dashboard\s+http:\/\/127\.0\.0\.1:3000\/_local\/dashboard\?token=[A-Za-z0-9_-]{43}\s/);
    expect(dashboard).not.toContain('local-key');
  });

  it('names the data folder and an unscheduled cron when asked for them', () => {
    // Prepare
    const custom: CliOptions = { ...options, dataDir: './local-data', rate: 'off', tickEveryMs: 0 };

    // Act
    const lines = banner(pipeline, custom).split('\n').map((line) => line.trim());

    // Assess
    expect(lines).toContain('Data             ./local-data   (queues and table kept across restarts)');
    expect(lines.join('\n')).not.toContain('in memory');
    expect(lines).toContain('Schedule         off: test-cron runs on POST /_local/tick only');
    expect(lines.join('\n')).not.toContain('every never');
  });

  it('says the fanout trigger runs test-cron on its schedule', () => {
    // Act
    const lines = banner(pipeline, options).split('\n').map((line) => line.trim());

    // Assess
    expect(lines.find((line) => line.startsWith('Trigger'))).toMatch(/^Trigger\s+fanout: test-cron/);
    expect(lines).toContain('Schedule         test-cron every 10s');
    expect(lines.find((line) => line.startsWith('API'))).toContain('POST /_local/tick');
  });

  it('says the esm trigger runs, with its batch size and most invocations at once, and that no schedule runs', () => {
    // Act
    const text = banner(esmPipeline, { ...options, trigger: esmPipeline.trigger, tickEveryMs: 0 });
    const lines = text.split('\n').map((line) => line.trim());

    // Assess
    expect(lines.find((line) => line.startsWith('Trigger'))).toMatch(/^Trigger\s+esm: an SQS event source mapping long-polls the queue/);
    expect(text).toContain('of up to 10 messages, at most 2 invocations at once');
    expect(lines.find((line) => line.startsWith('Schedule'))).toMatch(/^Schedule\s+none: no test-cron with --trigger esm/);
    expect(text).not.toContain('/_local/tick');
  });

  it('says the queues are in memory and lost on stop without a data folder', () => {
    // Act
    const lines = banner(pipeline, options).split('\n').map((line) => line.trim());

    // Assess
    expect(lines).toContain('Data             in memory   (queued messages are lost on stop; keep them with --data-dir)');
  });

  it('shows the active faults, as --faults writes them, and no faults line without --faults', () => {
    // Prepare
    const faulty: CliOptions = { ...options, faults: parseFaultSpec('throttle=0.1,latency=5-20,seed=4') };
    const countOnly: CliOptions = { ...options, faults: parseFaultSpec('') };

    // Act
    const faultyLines = banner(pipeline, faulty).split('\n').map((line) => line.trim());
    const countingLines = banner(pipeline, countOnly).split('\n').map((line) => line.trim());
    const plainLines = banner(pipeline, options).split('\n').map((line) => line.trim());

    // Assess
    expect(faultyLines.find((line) => line.startsWith('Faults'))).toMatch(/^Faults\s+throttle=0\.1,latency=5-20\s/);
    expect(countingLines.find((line) => line.startsWith('Faults'))).toMatch(/^Faults\s+none\s/);
    expect(plainLines.some((line) => line.startsWith('Faults'))).toBe(false);
  });
});

describe('statusLine', () => {
  it('shows the queue, the items written and the worker runs, with the rate in whole messages per second', () => {
    // Prepare
    const sample = {
      trigger: 'fanout' as const,
      mappingConcurrency: null,
      visible: 1_250,
      inFlight: 40,
      deadLetter: 2,
      written: 98_760,
      workerRuns: 57,
      workerRunsInProgress: 3,
      ticks: 12,
      ratePerSecond: 812.6666,
    };

    // Act
    const line = statusLine(sample);

    // Assess
    expect(line).toBe('fanout | queue 1250 visible / 40 in flight / 2 DLQ | written 98760 | worker runs 57 (+3 running) | 813 msg/s');
  });

  it('shows the functions’ own metrics once they have printed some, as the stack’s dashboard would', () => {
    // Prepare
    const sample = {
      trigger: 'fanout' as const,
      mappingConcurrency: null,
      visible: 0,
      inFlight: 0,
      deadLetter: 0,
      written: 30,
      workerRuns: 2,
      workerRunsInProgress: 0,
      ratePerSecond: 0,
      metrics: { MessagesEnqueued: 31, MessagesRejected: 1, MessagesWritten: 30, MessagesRetried: 2, MessagesUnwritten: 0, RunDuration: 812.5 },
    };

    // Act
    const line = statusLine(sample);

    // Assess
    expect(line).toBe(
      'fanout | queue 0 visible / 0 in flight / 0 DLQ | written 30 | worker runs 2 (+0 running) | 0 msg/s | ' +
        'metrics enqueued 31 rejected 1 written 30 retried 2 unwritten 0 invalid 0',
    );
  });

  it('ends with the active faults when there are some', () => {
    // Prepare
    const sample = { trigger: 'fanout' as const, mappingConcurrency: null, visible: 5, inFlight: 0, deadLetter: 0, written: 7, workerRuns: 1, workerRunsInProgress: 0, ticks: 1, ratePerSecond: 0 };
    const faults = faultsText({ faults: parseFaultSpec('resets=0.02,short-poll=aws') });

    // Act
    const line = statusLine(sample, faults);

    // Assess
    expect(line).toBe('fanout | queue 5 visible / 0 in flight / 0 DLQ | written 7 | worker runs 1 (+0 running) | 0 msg/s | faults resets=0.02,short-poll=aws');
  });

  it('says the esm trigger runs, with its batches, the invocations in progress and the concurrency the mapping allows now', () => {
    // Prepare
    const sample = { trigger: 'esm' as const, mappingConcurrency: 2, visible: 300, inFlight: 20, deadLetter: 0, written: 680, workerRuns: 68, workerRunsInProgress: 2, ticks: 0, ratePerSecond: 1_204.4 };

    // Act
    const line = statusLine(sample);

    // Assess
    expect(line).toBe('esm | queue 300 visible / 20 in flight / 0 DLQ | written 680 | batches 68 (+2 in progress, mapping concurrency 2) | 1204 msg/s');
  });

  it('shows an idle pipeline as zeros', () => {
    // Prepare
    const sample = { trigger: 'fanout' as const, mappingConcurrency: null, visible: 0, inFlight: 0, deadLetter: 0, written: 0, workerRuns: 0, workerRunsInProgress: 0, ticks: 0, ratePerSecond: 0 };

    // Act
    const line = statusLine(sample);

    // Assess
    expect(line).toBe('fanout | queue 0 visible / 0 in flight / 0 DLQ | written 0 | worker runs 0 (+0 running) | 0 msg/s');
  });
});

describe('eventLine', () => {
  it('describes a tick by what it saw and how many workers it started', () => {
    // Prepare
    const event = { type: 'tick', trigger: 'schedule', decision: { tickId: 't-1', visible: 25, inFlight: 5, workers: 3, published: 3 } } as const;

    // Act
    const line = eventLine(event);

    // Assess
    expect(line).toBe('tick (schedule): 25 visible, 5 in flight → 3 workers');
  });

  it('counts one worker in the singular', () => {
    // Prepare
    const event = { type: 'tick', trigger: 'manual', decision: { tickId: 't-2', visible: 4, inFlight: 0, workers: 1, published: 1 } } as const;

    // Act
    const line = eventLine(event);

    // Assess
    expect(line).toBe('tick (manual): 4 visible, 0 in flight → 1 worker');
  });

  it('describes a failed tick with its error', () => {
    // Prepare
    const event = { type: 'tick-failed', trigger: 'manual', error: 'test-cron timed out after 30000 ms' } as const;

    // Act
    const line = eventLine(event);

    // Assess
    expect(line).toBe('tick (manual) failed: test-cron timed out after 30000 ms');
  });

  it('says whether a failed invocation will be retried', () => {
    // Prepare
    const base = { type: 'invoke-failed', functionName: 'test-sqs2ddb', error: 'test-sqs2ddb failed: Error: boom' } as const;

    // Act
    const retrying = eventLine({ ...base, attempt: 1, willRetry: true });
    const final = eventLine({ ...base, attempt: 3, willRetry: false });

    // Assess
    expect(retrying).toBe('test-sqs2ddb invocation 1 failed (will retry): test-sqs2ddb failed: Error: boom');
    expect(final).toBe('test-sqs2ddb invocation 3 failed: test-sqs2ddb failed: Error: boom');
  });

  it('says a failed batch returns to the queue, and names an error of the mapping', () => {
    // Act
    const returned = eventLine({ type: 'batch-returned', messages: 10, error: 'test-sqs2ddb timed out after 6000 ms' });
    const polling = eventLine({ type: 'poller-error', error: 'socket hang up' });

    // Assess
    expect(returned).toBe('test-sqs2ddb batch of 10 messages failed: test-sqs2ddb timed out after 6000 ms (the messages return to the queue after its visibility timeout)');
    expect(polling).toBe('event source mapping: socket hang up');
  });

  it('describes an SNS bridge error', () => {
    // Prepare
    const event = { type: 'bridge-error', error: 'connect ECONNREFUSED 127.0.0.1:4566' } as const;

    // Act
    const line = eventLine(event);

    // Assess
    expect(line).toBe('SNS bridge: connect ECONNREFUSED 127.0.0.1:4566');
  });

  it('prints nothing for a worker run, which the status line counts', () => {
    // Prepare
    const event = { type: 'worker-run', attempts: 1, summary: { received: 10, written: 10, invalid: 0, deleted: 10 } } as const;

    // Act
    const line = eventLine(event);

    // Assess
    expect(line).toBeUndefined();
  });
});

describe('portsInUseLine', () => {
  it('names one busy port, its flag and a command to try', () => {
    // Act
    const line = portsInUseLine([{ service: 'API', port: 3000 }]);

    // Assess
    expect(line).toBe('Port 3000 (API) is already in use: choose another with --port, e.g. npm start -- --port 3001');
  });

  it('names every busy port in one line', () => {
    // Act
    const line = portsInUseLine([
      { service: 'API', port: 3000 },
      { service: 'SQS/SNS', port: 4566 },
      { service: 'DynamoDB', port: 8000 },
    ]);

    // Assess
    expect(line).toBe(
      'Ports 3000 (API), 4566 (SQS/SNS) and 8000 (DynamoDB) are already in use: choose others with --port, --sqs-port and --dynamodb-port, ' +
        'e.g. npm start -- --port 3001 --sqs-port 4567 --dynamodb-port 8001',
    );
  });
});

describe('stoppedLine', () => {
  it('says how many queued messages an in-memory stop lost, and how to keep them next time', () => {
    // Act
    const line = stoppedLine({ visible: 480, inFlight: 20, deadLetter: 1 }, undefined);

    // Assess
    expect(line).toBe(
      'Stopped. Lost with the in-memory queues: 500 messages (480 visible, 20 in flight) and 1 message in the dead-letter queue. ' +
        'To keep queued messages across restarts: npm start -- --data-dir .fanout-data',
    );
  });

  it('says where the queued messages are kept, and how to take them up again', () => {
    // Act
    const line = stoppedLine({ visible: 1, inFlight: 0, deadLetter: 0 }, './local-data');

    // Assess
    expect(line).toBe('Stopped. Kept in ./local-data: 1 message (1 visible, 0 in flight); npm start -- --data-dir ./local-data takes them up again.');
  });

  it('says nothing is lost when the queues were empty, and only "Stopped." when they could not be read', () => {
    // Act
    const empty = stoppedLine({ visible: 0, inFlight: 0, deadLetter: 0 }, undefined);
    const unread = stoppedLine(undefined, undefined);

    // Assess
    expect(empty).toBe('Stopped. The queues were empty.');
    expect(unread).toBe('Stopped.');
  });
});
