import type { Template } from 'aws-cdk-lib/assertions';
import { esmConfig, fanOutConfig } from '@fanout/config';
import { resourcesOfType, synthesizePipeline, type TemplateJson } from './testing/synthesized-pipeline.js';

type Properties = Record<string, TemplateJson>;

function resources(template: Template, type: string): Properties[] {
  return Object.values(resourcesOfType(template, type)).map((resource) => resource.Properties ?? {});
}

function workerOf(template: Template): [string, Properties] {
  const [entry] = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
    ([, resource]) => resource.Properties?.['Environment']?.Variables?.POWERTOOLS_SERVICE_NAME === 'test-sqs2ddb',
  );
  return [entry[0], entry[1].Properties ?? {}];
}

describe('-c trigger=esm: the worker on Lambda’s SQS event source mapping', () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synthesizePipeline({ trigger: 'esm' }));
  });

  it('maps the queue to the worker with partial batch responses, batches of 10 and the fan-out cap as its most', () => {
    // Prepare
    const [workerId] = workerOf(template);
    const [queueId] =
      Object.entries(resourcesOfType(template, 'AWS::SQS::Queue')).find(([, queue]) => queue.Properties?.['RedrivePolicy']) ?? [];
    // Act
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping');
    // Assess
    expect(mappings).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: workerId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: esmConfig.batchSize,
        ScalingConfig: { MaximumConcurrency: fanOutConfig.maxWorkers },
      }),
    ]);
    expect(mappings[0]['MaximumBatchingWindowInSeconds']).toBeUndefined();
    expect(mappings[0]['ProvisionedPollerConfig']).toBeUndefined();
  });

  it('deploys no cron, schedule or worker topic, and test-sqs2ddb is the only function that touches the queue’s messages', () => {
    expect(resources(template, 'AWS::Events::Rule')).toEqual([]);
    expect(resources(template, 'AWS::SNS::Subscription')).toEqual([]);
    const services = resources(template, 'AWS::Lambda::Function').map(
      (fn) => fn['Environment'].Variables.POWERTOOLS_SERVICE_NAME,
    );
    expect(services.sort()).toEqual(['run-status-api', 'test-api', 'test-sqs2ddb']);
    // The one topic left is the alarm topic: no KMS key, a display name.
    expect(resources(template, 'AWS::SNS::Topic')).toEqual([expect.objectContaining({ DisplayName: 'Fanout pipeline alarms' })]);
  });

  it('gives the worker’s role exactly what the mapping needs on the queue, and the write to the table', () => {
    // Prepare
    const [, worker] = workerOf(template);
    const roleId = worker['Role']['Fn::GetAtt'][0];
    // Act
    const actions = resources(template, 'AWS::IAM::Policy')
      .filter((policy) => (policy['Roles'] as TemplateJson[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy['PolicyDocument'].Statement as TemplateJson[])
      .flatMap((statement) => [statement.Action].flat());
    // Assess
    expect(actions.sort()).toEqual(
      [
        'dynamodb:BatchWriteItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
      ].sort(),
    );
  });

  it('alarms on the oldest message, the dead-letter queue, a stalled drain, and the worker’s errors and throttles, with no cron or delivery alarms', () => {
    const alarms = resources(template, 'AWS::CloudWatch::Alarm');
    const names = alarms.map((alarm) => alarm['MetricName'] ?? 'stalled-drain').sort();
    expect(names).toEqual(
      [
        '5XXError',
        'ApproximateAgeOfOldestMessage',
        'ApproximateNumberOfMessagesVisible',
        'Errors',
        'MessagesUnwritten',
        'Throttles',
        'stalled-drain',
      ].sort(),
    );
  });
});

describe('-c trigger=esm with a batching window and provisioned pollers', () => {
  it('takes batches up to the size given, waits up to the window, and runs provisioned mode without a maximum concurrency', () => {
    // Act
    const { template } = synthesizePipeline({
      trigger: 'esm',
      batchSize: '100',
      batchingWindow: '5',
      minimumPollers: 2,
      maximumPollers: '20',
    });
    // Assess: AWS takes MaximumConcurrency or provisioned pollers, never both.
    const [mapping] = resources(template, 'AWS::Lambda::EventSourceMapping');
    expect(mapping).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 20 },
    });
    expect(mapping['ScalingConfig']).toBeUndefined();
  });
});

describe('-c workerReservedConcurrency', () => {
  it('defaults to the fan-out cap, reserves what it is given, and 0 leaves the worker unreserved', () => {
    const reserved = (context: Record<string, unknown>) =>
      workerOf(synthesizePipeline(context).template)[1]['ReservedConcurrentExecutions'];
    expect(reserved({})).toBe(fanOutConfig.maxWorkers);
    expect(reserved({ workerReservedConcurrency: '20' })).toBe(20);
    expect(reserved({ workerReservedConcurrency: '0' })).toBeUndefined();
    expect(reserved({ workerReservedConcurrency: 0, trigger: 'esm' })).toBeUndefined();
  });
});

describe('context values the app refuses, each with one sentence naming the key and what it accepts', () => {
  it.each([
    [{ trigger: 'sns' }, '-c trigger must be fanout or esm, got "sns".'],
    [
      { trigger: 'esm', batchSize: '11' },
      '-c batchSize must be a whole number from 1 to 10000, and at most 10 without a batching window, got "11".',
    ],
    [
      { trigger: 'esm', batchSize: '0' },
      '-c batchSize must be a whole number from 1 to 10000, and at most 10 without a batching window, got "0".',
    ],
    [
      { trigger: 'esm', batchSize: 'ten' },
      '-c batchSize must be a whole number from 1 to 10000, and at most 10 without a batching window, got "ten".',
    ],
    [{ trigger: 'esm', batchingWindow: '301' }, '-c batchingWindow must be a whole number of seconds from 0 to 300, got "301".'],
    [
      { trigger: 'esm', minimumPollers: '1', maximumPollers: '5' },
      '-c minimumPollers must be a whole number from 2 to 200 (with -c maximumPollers), got "1".',
    ],
    [
      { trigger: 'esm', minimumPollers: '10', maximumPollers: '5' },
      '-c maximumPollers must be a whole number from -c minimumPollers (10) to 2000, got "5".',
    ],
    [
      { workerReservedConcurrency: '-1' },
      '-c workerReservedConcurrency must be a whole number of at least 0 (0 reserves none), got "-1".',
    ],
  ])('%j', (context, sentence) => {
    expect(() => synthesizePipeline(context)).toThrow(sentence);
  });
});
