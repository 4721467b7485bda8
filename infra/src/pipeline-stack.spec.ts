import { Match, type Template } from 'aws-cdk-lib/assertions';
import { FileSystem } from 'aws-cdk-lib';
import {
  apiConfig,
  cronConfig,
  fanOutConfig,
  functionEnvironments,
  functionNames,
  queueConfig,
  readApiEnvironment,
  readCronEnvironment,
  readRunStatusEnvironment,
  readWorkerEnvironment,
  runStatusConfig,
  scheduleConfig,
  tableDesign,
  workerConfig,
  type FunctionName,
  cloudConfig,
  pipelineMetrics,
} from '@fanout/config';
import { messageFields } from '@fanout/message-schema';
import { gatewayAnswers, generateEnqueueRequestModel, renderGatewayAnswer } from '@fanout/api-contract';
import { resourcesOfType, synthesizePipeline, type TemplateJson } from './testing/synthesized-pipeline.js';
import { findWorkspaceRoot, functionBuildOutput } from './workspace-paths.js';

type Properties = Record<string, TemplateJson>;

let template: Template;

beforeAll(() => {
  ({ template } = synthesizePipeline());
});

function only(type: string): [string, Properties] {
  const entries = Object.entries(resourcesOfType(template, type));
  expect(entries).toHaveLength(1);
  return [entries[0][0], entries[0][1].Properties ?? {}];
}

function functionOf(name: FunctionName): [string, Properties] {
  const entries = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
    ([, resource]) => resource.Properties?.['Environment']?.Variables?.POWERTOOLS_SERVICE_NAME === name,
  );
  expect(entries).toHaveLength(1);
  return [entries[0][0], entries[0][1].Properties ?? {}];
}

function queues(): Record<string, Properties> {
  return Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::SQS::Queue')).map(([id, resource]) => [id, resource.Properties ?? {}]),
  );
}

/** The queue test-api fills: the one with a redrive policy. */
function mainQueue(): [string, Properties] {
  const entries = Object.entries(queues()).filter(([, properties]) => properties['RedrivePolicy']);
  expect(entries).toHaveLength(1);
  return entries[0];
}

/** API Gateway's execution log group: the one log group with a name, since API Gateway chooses it. */
function executionLogGroupId(): string {
  const ids = Object.entries(resourcesOfType(template, 'AWS::Logs::LogGroup'))
    .filter(([, resource]) => resource.Properties?.['LogGroupName'] !== undefined)
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/**
 * What API Gateway validation reports when key1 is missing. A gateway response template is not
 * VTL: API Gateway substitutes `$context.error.validationErrorString` as text, escaped for a JSON
 * string but without quotes of its own, so the template must quote it.
 */
const realisticValidationError = '[object has missing required properties (["key1"])]';

function renderGatewayTemplate(template: string): string {
  return template.replaceAll('$context.error.validationErrorString', JSON.stringify(realisticValidationError).slice(1, -1));
}

function workerTopicId(): string {
  const ids = Object.entries(resourcesOfType(template, 'AWS::SNS::Topic'))
    .filter(([, resource]) => resource.Properties?.['KmsMasterKeyId'])
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The names a read*Environment() function reads, found by handing it an environment that records reads. */
function variablesReadBy(read: (env: Record<string, string | undefined>) => unknown): string[] {
  const names = new Set<string>();
  read(
    new Proxy({} as Record<string, string>, {
      get: (_target, key) => {
        if (typeof key === 'string') names.add(key);
        return '1';
      },
    }),
  );
  return [...names];
}

/** A function's variables as a process would see them, CloudFormation references standing for their values. */
function environmentOf(name: FunctionName): Record<string, string> {
  const variables = functionOf(name)[1]['Environment'].Variables as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : 'resolved-by-cloudformation']),
  );
}

const readers = {
  'test-api': readApiEnvironment,
  'test-cron': readCronEnvironment,
  'test-sqs2ddb': readWorkerEnvironment,
  'run-status-api': readRunStatusEnvironment,
} satisfies Record<FunctionName, (env: Record<string, string | undefined>) => unknown>;

describe('the Lambda functions', () => {
  const sizes: Record<FunctionName, { memoryMb: number; timeoutSeconds: number }> = {
    'test-api': apiConfig,
    'test-cron': cronConfig,
    'test-sqs2ddb': workerConfig,
    'run-status-api': runStatusConfig,
  };

  it.each(functionNames)('%s runs its Nx build output on Node 22+ arm64 with the memory and timeout from the config', (name) => {
    const [, properties] = functionOf(name);
    expect(properties['Handler']).toBe('index.handler');
    expect(properties['Architectures']).toEqual(['arm64']);
    expect(Number(/^nodejs(\d+)\.x$/.exec(properties['Runtime'])?.[1])).toBeGreaterThanOrEqual(22);
    expect(properties['MemorySize']).toBe(sizes[name].memoryMb);
    expect(properties['Timeout']).toBe(sizes[name].timeoutSeconds);
    // The asset is the folder @nx/esbuild wrote: its content hash names the uploaded zip.
    const fingerprint = FileSystem.fingerprint(functionBuildOutput(findWorkspaceRoot(), name));
    expect(properties['Code'].S3Key).toBe(`${fingerprint}.zip`);
  });

  it.each(functionNames)('%s logs to its own log group, kept for the configured number of days', (name) => {
    const logGroupId = functionOf(name)[1]['LoggingConfig'].LogGroup.Ref as string;
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId]).toMatchObject({
      Properties: { RetentionInDays: cloudConfig.logRetentionDays },
    });
    const sharing = functionNames.filter((other) => functionOf(other)[1]['LoggingConfig'].LogGroup.Ref === logGroupId);
    expect(sharing).toEqual([name]);
  });

  it.each(functionNames)('%s gets the variables the shared functionEnvironments() gives it, nothing else', (name) => {
    const shared = functionEnvironments({
      queueUrl: 'q',
      topicArn: 't',
      tableName: 'd',
      runIndexName: 'i',
    })[name];
    expect(Object.keys(environmentOf(name)).sort()).toEqual(Object.keys(shared).sort());
    expect(environmentOf(name)['POWERTOOLS_SERVICE_NAME']).toBe(name);
  });

  it.each(functionNames)('%s reads every variable it is given, and starts with them', (name) => {
    const read = [...variablesReadBy(readers[name]), 'POWERTOOLS_SERVICE_NAME'];
    for (const variable of Object.keys(environmentOf(name))) expect(read).toContain(variable);
    // Throws MissingEnvironmentVariableError at cold start if a required one were missing.
    expect(() => readers[name](environmentOf(name))).not.toThrow();
  });

  it('points every function at the stack’s own queue, topic and table', () => {
    const [queueId] = mainQueue();
    const [tableId] = only('AWS::DynamoDB::Table');
    const variables = (name: FunctionName) => functionOf(name)[1]['Environment'].Variables;
    expect(variables('test-api')['QUEUE_URL']).toEqual({ Ref: queueId });
    expect(variables('test-cron')['QUEUE_URL']).toEqual({ Ref: queueId });
    expect(variables('test-cron')['TOPIC_ARN']).toEqual({
      Ref: workerTopicId(),
    });
    expect(variables('test-sqs2ddb')['QUEUE_URL']).toEqual({ Ref: queueId });
    expect(variables('test-sqs2ddb')['TABLE_NAME']).toEqual({ Ref: tableId });
    expect(variables('run-status-api')['TABLE_NAME']).toEqual({ Ref: tableId });
    expect(variables('run-status-api')['RUN_INDEX_NAME']).toBe(tableDesign.runIndex.name);
  });

  it('gives the worker the numbers of the shared config, and the queue’s real visibility timeout', () => {
    const worker = readWorkerEnvironment(environmentOf('test-sqs2ddb')).settings;
    expect(worker).toMatchObject({
      receiveWaitMs: workerConfig.receiveWaitSeconds * 1000,
      messageBudget: workerConfig.messageBudget,
      safetyMarginMs: workerConfig.safetyMarginMs,
      visibilityTimeoutMs: Number(mainQueue()[1]['VisibilityTimeout']) * 1000,
    });
  });

  it('reserves the worker’s concurrency up to the cron’s fan-out cap, and only the worker’s', () => {
    const maxWorkers = readCronEnvironment(environmentOf('test-cron')).maxWorkers;
    expect(maxWorkers).toBe(fanOutConfig.maxWorkers);
    expect(functionOf('test-sqs2ddb')[1]['ReservedConcurrentExecutions']).toBe(maxWorkers);
    for (const name of ['test-api', 'test-cron', 'run-status-api'] as const) {
      expect(functionOf(name)[1]['ReservedConcurrentExecutions']).toBeUndefined();
    }
  });
});

describe('the queue', () => {
  it('is encrypted, redrives to its dead-letter queue after the configured receives, and hides a message for 6 × the worker timeout', () => {
    const [, queue] = mainQueue();
    const deadLetterId = queue['RedrivePolicy'].deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(queue['SqsManagedSseEnabled']).toBe(true);
    expect(queue['RedrivePolicy'].maxReceiveCount).toBe(queueConfig.maxReceiveCount);
    expect(queue['MessageRetentionPeriod']).toBe(queueConfig.retentionDays * 86_400);
    expect(queue['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * functionOf('test-sqs2ddb')[1]['Timeout']);
    expect(queues()[deadLetterId]).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: queueConfig.deadLetterRetentionDays * 86_400,
    });
  });

  it('refuses every request that does not use TLS, on every queue', () => {
    const policies = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy'));
    for (const queueId of Object.keys(queues())) {
      const policy = policies.find((candidate) =>
        (candidate.Properties?.['Queues'] as unknown[]).some(
          (queue) => JSON.stringify(queue) === JSON.stringify({ Ref: queueId }),
        ),
      );
      expect(policy?.Properties?.['PolicyDocument'].Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('sets no physical names, so that stages never collide', () => {
    for (const [type, nameProperty] of [
      ['AWS::SQS::Queue', 'QueueName'],
      ['AWS::SNS::Topic', 'TopicName'],
      ['AWS::DynamoDB::Table', 'TableName'],
      ['AWS::Lambda::Function', 'FunctionName'],
      ['AWS::Logs::LogGroup', 'LogGroupName'],
      ['AWS::IAM::Role', 'RoleName'],
      ['AWS::ApiGateway::ApiKey', 'Name'],
    ] as const) {
      for (const [id, resource] of Object.entries(resourcesOfType(template, type))) {
        if (id === executionLogGroupId()) continue;
        expect(resource.Properties?.[nameProperty]).toBeUndefined();
      }
    }
  });
});

describe('the worker topic', () => {
  it('is encrypted, refuses plain HTTP and starts the worker, with a dead-letter queue for failed deliveries', () => {
    const topicId = workerTopicId();
    const [workerId] = functionOf('test-sqs2ddb');
    const [, subscription] = only('AWS::SNS::Subscription');
    expect(subscription).toMatchObject({
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [workerId, 'Arn'] },
    });
    const deliveryDeadLetterId = subscription['RedrivePolicy'].deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(queues()[deliveryDeadLetterId]).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: queueConfig.deadLetterRetentionDays * 86_400,
    });
    expect(deliveryDeadLetterId).not.toBe(mainQueue()[0]);
    // By alias name: SNS creates the AWS-managed key on first use, so no ARN of it need exist yet.
    expect(resourcesOfType(template, 'AWS::SNS::Topic')[topicId].Properties?.['KmsMasterKeyId']).toBe('alias/aws/sns');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [workerId, 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId },
    });
  });
});

describe('the schedule', () => {
  it(`starts test-cron at the configured rate (${scheduleConfig.rateMinutes} minutes)`, () => {
    const [cronId] = functionOf('test-cron');
    const [, rule] = only('AWS::Events::Rule');
    expect(rule['ScheduleExpression']).toBe(`rate(${scheduleConfig.rateMinutes} minutes)`);
    expect(rule['State']).toBe('ENABLED');
    expect(rule['Targets']).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [cronId, 'Arn'] } })]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [cronId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });
});

describe('the table', () => {
  it('is keyed by uuid, on demand, with point-in-time recovery and the run index', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    const index = tableDesign.runIndex;
    expect(table['KeySchema']).toEqual([{ AttributeName: tableDesign.partitionKey, KeyType: 'HASH' }]);
    expect(table['BillingMode']).toBe('PAY_PER_REQUEST');
    expect(table['PointInTimeRecoverySpecification']).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(table['AttributeDefinitions']).toEqual(
      expect.arrayContaining([
        { AttributeName: tableDesign.partitionKey, AttributeType: 'S' },
        { AttributeName: index.partitionKey, AttributeType: 'S' },
        { AttributeName: index.sortKey, AttributeType: 'N' },
      ]),
    );
    expect(table['GlobalSecondaryIndexes']).toEqual([
      {
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: 'INCLUDE',
          NonKeyAttributes: [...index.nonKeyAttributes],
        },
      },
    ]);
  });

  it('outlives cdk destroy, since it holds the written data', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('the REST API', () => {
  function methodsById(): Record<string, Properties> {
    return Object.fromEntries(
      Object.entries(resourcesOfType(template, 'AWS::ApiGateway::Method')).map(([id, resource]) => [
        id,
        resource.Properties ?? {},
      ]),
    );
  }

  /** "POST /messages" for each method, from the resource tree. */
  function routes(): Record<string, Properties> {
    const [apiId] = only('AWS::ApiGateway::RestApi');
    const resources = Object.fromEntries(
      Object.entries(resourcesOfType(template, 'AWS::ApiGateway::Resource')).map(([id, resource]) => [
        id,
        resource.Properties ?? {},
      ]),
    );
    const pathOf = (reference: TemplateJson): string => {
      if (reference?.['Fn::GetAtt']?.[0] === apiId) return '';
      const resource = resources[reference.Ref];
      return `${pathOf(resource['ParentId'])}/${resource['PathPart']}`;
    };
    return Object.fromEntries(
      Object.values(methodsById()).map((method) => [`${method['HttpMethod']} ${pathOf(method['ResourceId']) || '/'}`, method]),
    );
  }

  function integrationTarget(method: Properties): string {
    const uri = JSON.stringify(method['Integration'].Uri);
    const target = functionNames.find((name) => uri.includes(`"${functionOf(name)[0]}"`));
    if (!target) throw new Error(`Method integrates with no pipeline function: ${uri}`);
    return target;
  }

  it('routes POST /messages and POST / to test-api and GET /runs/{runId} to run-status-api, nothing else', () => {
    const table = Object.fromEntries(Object.entries(routes()).map(([route, method]) => [route, integrationTarget(method)]));
    expect(table).toEqual({
      'POST /': 'test-api',
      'POST /messages': 'test-api',
      'GET /runs/{runId}': 'run-status-api',
    });
    for (const method of Object.values(routes())) {
      expect(method['Integration'].Type).toBe('AWS_PROXY');
    }
  });

  it('requires an API key and request validation on every method', () => {
    const [validatorId, validator] = only('AWS::ApiGateway::RequestValidator');
    expect(validator).toMatchObject({
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    for (const method of Object.values(routes())) {
      expect(method['ApiKeyRequired']).toBe(true);
      expect(method['RequestValidatorId']).toEqual({ Ref: validatorId });
    }
    expect(routes()['GET /runs/{runId}']['RequestParameters']).toEqual({
      'method.request.path.runId': true,
    });
  });

  it('checks the enqueue body against the request model generated from the valibot message schema (fails when they drift)', () => {
    // Prepare
    const [modelId, model] = only('AWS::ApiGateway::Model');

    // Act
    const { $schema, ...keywords } = generateEnqueueRequestModel();

    // Assess
    for (const route of ['POST /', 'POST /messages']) {
      expect(routes()[route]['RequestModels']).toEqual({ 'application/json': { Ref: modelId } });
    }
    expect(model['Schema']).toEqual({ $schema, ...keywords });
    expect($schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(Object.keys(model['Schema'].anyOf[0].properties)).toEqual([...messageFields]);
  });

  it('throttles and caps the key through a usage plan with the configured rate, burst and daily quota', () => {
    const [planId, plan] = only('AWS::ApiGateway::UsagePlan');
    const [apiId] = only('AWS::ApiGateway::RestApi');
    const [keyId, key] = only('AWS::ApiGateway::ApiKey');
    const [stageId] = only('AWS::ApiGateway::Stage');
    expect(plan).toMatchObject({
      Throttle: {
        RateLimit: apiConfig.throttle.rateLimit,
        BurstLimit: apiConfig.throttle.burstLimit,
      },
      Quota: { Limit: apiConfig.throttle.quotaPerDay, Period: 'DAY' },
      ApiStages: [{ ApiId: { Ref: apiId }, Stage: { Ref: stageId } }],
    });
    expect(key['Enabled']).toBe(true);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
      KeyId: { Ref: keyId },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: planId },
    });
  });

  it('writes access logs and error logs, never request bodies', () => {
    const [, stage] = only('AWS::ApiGateway::Stage');
    expect(stage['StageName']).toBe(cloudConfig.apiStageName);
    expect(stage['AccessLogSetting'].DestinationArn).toBeDefined();
    expect(stage['MethodSettings']).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
      }),
    ]);
  });

  it('answers its own refusals as the API contract defines them, in the API’s error shape', () => {
    // Prepare
    const responses = Object.values(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')).map(
      (resource) => resource.Properties ?? {},
    );

    // Act
    const byType = Object.fromEntries(
      responses.map((response) => [
        response['ResponseType'],
        { statusCode: Number(response['StatusCode']), body: JSON.parse(renderGatewayTemplate(response['ResponseTemplates']['application/json'])) },
      ]),
    );

    // Assess
    expect(byType).toEqual(
      Object.fromEntries(
        Object.values(gatewayAnswers).map((answer) => [
          answer.responseType,
          { statusCode: answer.statusCode, body: JSON.parse(renderGatewayAnswer(answer, { validationErrorString: realisticValidationError }).body) },
        ]),
      ),
    );
    expect(byType['MISSING_AUTHENTICATION_TOKEN'].statusCode).toBe(404);
    expect(byType['INVALID_API_KEY'].statusCode).toBe(403);
  });

  it('passes API Gateway’s validation message on in the 400’s details, as a JSON string', () => {
    const [, response] = Object.entries(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')).find(
      ([, resource]) => resource.Properties?.['ResponseType'] === 'BAD_REQUEST_BODY',
    ) ?? ['', {}];
    const body = JSON.parse(renderGatewayTemplate(response.Properties?.['ResponseTemplates']['application/json']));
    expect(body.details).toEqual([{ path: '', message: realisticValidationError }]);
  });

  it('keeps API Gateway’s execution log group: named as API Gateway names it, with a retention, gone with the stage', () => {
    const [stageId] = only('AWS::ApiGateway::Stage');
    const [apiId] = only('AWS::ApiGateway::RestApi');
    const logGroup = resourcesOfType(template, 'AWS::Logs::LogGroup')[executionLogGroupId()];
    expect(logGroup.Properties?.['LogGroupName']).toEqual({
      'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, `/${cloudConfig.apiStageName}`]],
    });
    expect(logGroup.Properties?.['RetentionInDays']).toBe(cloudConfig.logRetentionDays);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: logGroup.Properties?.['LogGroupName'] },
      DeletionPolicy: 'Delete',
    });
    expect(JSON.stringify(resourcesOfType(template, 'AWS::ApiGateway::Stage')[stageId])).toContain(executionLogGroupId());
  });
});

describe('the alarms', () => {
  function alarms(): Properties[] {
    return Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((resource) => resource.Properties ?? {});
  }

  function alarmOn(metricName: string, dimensionRef: string): Properties {
    const found = alarms().filter(
      (alarm) => alarm['MetricName'] === metricName && JSON.stringify(alarm['Dimensions']).includes(`"${dimensionRef}"`),
    );
    expect(found).toHaveLength(1);
    return found[0];
  }

  it('notify one alarm topic, which CloudWatch may publish to for this account’s alarms only', () => {
    const alarmTopicIds = Object.keys(resourcesOfType(template, 'AWS::SNS::Topic')).filter((id) => id !== workerTopicId());
    expect(alarmTopicIds).toHaveLength(1);
    expect(alarms().length).toBeGreaterThanOrEqual(9);
    for (const alarm of alarms()) expect(alarm['AlarmActions']).toEqual([{ Ref: alarmTopicIds[0] }]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: alarmTopicIds[0] }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: alarmTopicIds[0] },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([':cloudwatch:', ':alarm:*'])],
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('go off on any message in either dead-letter queue', () => {
    const [, queue] = mainQueue();
    const deadLetterId = queue['RedrivePolicy'].deadLetterTargetArn['Fn::GetAtt'][0];
    const [, subscription] = only('AWS::SNS::Subscription');
    const deliveryDeadLetterId = subscription['RedrivePolicy'].deadLetterTargetArn['Fn::GetAtt'][0];
    for (const queueId of [deadLetterId, deliveryDeadLetterId]) {
      expect(alarmOn('ApproximateNumberOfMessagesVisible', queueId)).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('leave a poison message waiting out its redrives alone, and go off once a message waits longer', () => {
    const [queueId, queue] = mainQueue();
    const poisonWaitSeconds = queue['RedrivePolicy'].maxReceiveCount * queue['VisibilityTimeout'];
    const alarm = alarmOn('ApproximateAgeOfOldestMessage', queueId);
    expect(alarm).toMatchObject({
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm['Threshold']).toBeGreaterThan(poisonWaitSeconds);
    expect(alarm['Threshold']).toBe(
      poisonWaitSeconds + cloudConfig.alarms.oldestMessageAgeTicks * scheduleConfig.rateMinutes * 60,
    );
  });

  it('go off when messages stay visible and none is deleted for two periods', () => {
    const stalled = alarms().filter((alarm) => alarm['Metrics'] !== undefined);
    expect(stalled).toHaveLength(1);
    const metrics = stalled[0]['Metrics'] as Properties[];
    expect(metrics.find((metric) => metric['Expression'])?.['Expression']).toBe('IF(visible >= 1 AND deleted == 0, 1, 0)');
    expect(metrics.find((metric) => metric['Id'] === 'visible')?.['MetricStat']).toMatchObject({
      Metric: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Value: { 'Fn::GetAtt': [mainQueue()[0], 'QueueName'] } }],
      },
      Stat: 'Minimum',
    });
    expect(metrics.find((metric) => metric['Id'] === 'deleted')?.['MetricStat']).toMatchObject({
      Metric: { MetricName: 'NumberOfMessagesDeleted' },
      Stat: 'Sum',
    });
    expect(stalled[0]).toMatchObject({
      EvaluationPeriods: cloudConfig.alarms.stalledDrainPeriods,
      Threshold: 1,
    });
  });

  it('go off when the worker or the cron fails, or the worker is throttled', () => {
    const [workerId] = functionOf('test-sqs2ddb');
    const [cronId] = functionOf('test-cron');
    for (const [metric, functionId] of [
      ['Errors', workerId],
      ['Throttles', workerId],
      ['Errors', cronId],
    ]) {
      expect(alarmOn(metric, functionId)).toMatchObject({
        Namespace: 'AWS/Lambda',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('go off when a worker leaves valid messages unwritten, from the worker’s own metric', () => {
    const unwritten = alarms().filter((alarm) => alarm['MetricName'] === pipelineMetrics.messagesUnwritten);
    expect(unwritten).toEqual([
      expect.objectContaining({
        Namespace: pipelineMetrics.namespace,
        Dimensions: [{ Name: 'service', Value: 'test-sqs2ddb' }],
        Statistic: 'Sum',
        Threshold: 1,
      }),
    ]);
  });

  it('go off when the API answers 5XX', () => {
    const [, api] = only('AWS::ApiGateway::RestApi');
    expect(alarms().filter((alarm) => alarm['MetricName'] === '5XXError')).toEqual([
      expect.objectContaining({
        Namespace: 'AWS/ApiGateway',
        Dimensions: [{ Name: 'ApiName', Value: api['Name'] }],
        Threshold: 1,
      }),
    ]);
  });
});

describe('the dashboard', () => {
  it('shows the queue, the dead-letter queue, the writes, the worker’s concurrency and throttles and the API’s answers', () => {
    const [, dashboard] = only('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard['DashboardBody']);
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateAgeOfOldestMessage',
      pipelineMetrics.messagesWritten,
      pipelineMetrics.messagesUnwritten,
      'ConcurrentExecutions',
      'Throttles',
      '4XXError',
      '5XXError',
    ]) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
    const deadLetterId = mainQueue()[1]['RedrivePolicy'].deadLetterTargetArn['Fn::GetAtt'][0] as string;
    expect(body).toContain(`"${deadLetterId}"`);
  });
});

describe('the outputs', () => {
  it('give the API URL, the API key id, the queue URL and the table name', () => {
    const [apiId] = only('AWS::ApiGateway::RestApi');
    const [keyId] = only('AWS::ApiGateway::ApiKey');
    const [tableId] = only('AWS::DynamoDB::Table');
    const outputs = template.toJSON()['Outputs'];
    expect(JSON.stringify(outputs['ApiUrl'].Value)).toContain(`"${apiId}"`);
    expect(outputs['ApiKeyId'].Value).toEqual({ Ref: keyId });
    expect(outputs['QueueUrl'].Value).toEqual({ Ref: mainQueue()[0] });
    expect(outputs['TableName'].Value).toEqual({ Ref: tableId });
  });
});
