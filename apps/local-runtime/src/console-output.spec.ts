import type { LocalPipeline } from '@fanout/runtime';
import type { CliOptions } from './cli-options.js';
import { banner, eventLine, statusLine } from './console-output.js';

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
} as unknown as LocalPipeline;

const options: CliOptions = {
  port: 3000,
  sqsPort: 4566,
  dynamodbPort: 8000,
  tickEveryMs: 10_000,
  rate: '10s',
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
    const text = banner(pipeline, custom);

    // Assess
    expect(text).toContain('data in ./local-data');
    expect(text).not.toContain('in memory');
    expect(text).toContain('test-cron every never (POST /_local/tick)');
  });
});

describe('statusLine', () => {
  it('shows the queue, the items written and the worker runs, with the rate in whole messages per second', () => {
    // Prepare
    const sample = {
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
    expect(line).toBe('queue 1250 visible / 40 in flight / 2 DLQ | written 98760 | worker runs 57 (+3 running) | 813 msg/s');
  });

  it('shows an idle pipeline as zeros', () => {
    // Prepare
    const sample = { visible: 0, inFlight: 0, deadLetter: 0, written: 0, workerRuns: 0, workerRunsInProgress: 0, ticks: 0, ratePerSecond: 0 };

    // Act
    const line = statusLine(sample);

    // Assess
    expect(line).toBe('queue 0 visible / 0 in flight / 0 DLQ | written 0 | worker runs 0 (+0 running) | 0 msg/s');
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
