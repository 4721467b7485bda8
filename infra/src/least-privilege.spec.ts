import type { Template } from 'aws-cdk-lib/assertions';
import { functionNames, tableDesign, type FunctionName } from '@fanout/config';
import { resourcesOfType, synthesizePipeline, type TemplateJson as Json } from './testing/synthesized-pipeline.js';

let template: Template;

beforeAll(() => {
  ({ template } = synthesizePipeline());
});

function resourceIds(type: string, where: (properties: Json) => boolean = () => true): string[] {
  return Object.entries(resourcesOfType(template, type))
    .filter(([, resource]) => where(resource.Properties ?? {}))
    .map(([id]) => id);
}

function single(ids: string[]): string {
  expect(ids).toHaveLength(1);
  return ids[0];
}

function functionProperties(name: FunctionName): Json {
  const id = single(
    resourceIds('AWS::Lambda::Function', (properties) => properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name),
  );
  return resourcesOfType(template, 'AWS::Lambda::Function')[id].Properties;
}

function roleOf(name: FunctionName): string {
  return functionProperties(name).Role['Fn::GetAtt'][0];
}

/** Every statement of every identity policy attached to a role, one action per line: "sqs:SendMessage on <resource>". */
function grantsOf(roleId: string): string[] {
  const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties?.['Roles'] as Json[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties?.['PolicyDocument'].Statement as Json[]);
  return statements.flatMap((statement) => {
    expect(statement.Effect).toBe('Allow');
    expect(statement.Condition).toBeUndefined();
    const actions = [statement.Action].flat() as string[];
    const resources = [statement.Resource].flat();
    return actions.flatMap((action) => resources.map((resource) => `${action} on ${reference(resource)}`));
  });
}

/** A resource reference in words: the logical id it points at, and any path after it. */
function reference(resource: Json): string {
  if (typeof resource === 'string') return resource;
  if (resource['Fn::GetAtt']) return `${resource['Fn::GetAtt'][0]}.${resource['Fn::GetAtt'][1]}`;
  if (resource.Ref) return resource.Ref;
  if (resource['Fn::Join']) return (resource['Fn::Join'][1] as Json[]).map(reference).join('');
  throw new Error(`Unexpected resource ${JSON.stringify(resource)}`);
}

function logGroupOf(name: FunctionName): string {
  return functionProperties(name).LoggingConfig.LogGroup.Ref;
}

const mainQueue = () => single(resourceIds('AWS::SQS::Queue', (properties) => properties.RedrivePolicy !== undefined));
const table = () => single(resourceIds('AWS::DynamoDB::Table'));
const workerTopic = () => single(resourceIds('AWS::SNS::Topic', (properties) => properties.KmsMasterKeyId !== undefined));
const writesOwnLogs = (name: FunctionName) => [
  `logs:CreateLogStream on ${logGroupOf(name)}.Arn`,
  `logs:PutLogEvents on ${logGroupOf(name)}.Arn`,
];

describe('each function can do exactly what it needs', () => {
  it('test-api: send to the queue', () => {
    expect(grantsOf(roleOf('test-api')).sort()).toEqual(
      [...writesOwnLogs('test-api'), `sqs:SendMessage on ${mainQueue()}.Arn`].sort(),
    );
  });

  it('test-cron: read the queue attributes and publish to the worker topic', () => {
    expect(grantsOf(roleOf('test-cron')).sort()).toEqual(
      [
        ...writesOwnLogs('test-cron'),
        `sqs:GetQueueAttributes on ${mainQueue()}.Arn`,
        `sns:Publish on ${workerTopic()}`,
      ].sort(),
    );
  });

  it('the worker: receive, delete and give back on the queue, batch-write the table, start its successor through the worker topic', () => {
    expect(grantsOf(roleOf('test-sqs2ddb')).sort()).toEqual(
      [
        ...writesOwnLogs('test-sqs2ddb'),
        `sqs:ReceiveMessage on ${mainQueue()}.Arn`,
        `sqs:DeleteMessage on ${mainQueue()}.Arn`,
        `sqs:ChangeMessageVisibility on ${mainQueue()}.Arn`,
        `sns:Publish on ${workerTopic()}`,
        `dynamodb:BatchWriteItem on ${table()}.Arn`,
      ].sort(),
    );
  });

  it('drain status: query the run index, nothing else of the table', () => {
    expect(grantsOf(roleOf('run-status-api')).sort()).toEqual(
      [...writesOwnLogs('run-status-api'), `dynamodb:Query on ${table()}.Arn/index/${tableDesign.runIndex.name}`].sort(),
    );
  });

  it.each(functionNames)('%s has a role of its own with no managed policy', (name) => {
    const role = resourcesOfType(template, 'AWS::IAM::Role')[roleOf(name)].Properties ?? {};
    expect(role['ManagedPolicyArns']).toBeUndefined();
    expect(role['Policies']).toBeUndefined();
    expect(role['AssumeRolePolicyDocument'].Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const others = functionNames.filter((other) => other !== name).map(roleOf);
    expect(others).not.toContain(roleOf(name));
  });
});

describe('no statement a reviewer would question', () => {
  function allowStatements(): Json[] {
    const documents = [
      ...Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).map((p) => p.Properties?.['PolicyDocument']),
      ...Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')).map((p) => p.Properties?.['PolicyDocument']),
      ...Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy')).map((p) => p.Properties?.['PolicyDocument']),
    ];
    return documents.flatMap((document) => document.Statement as Json[]).filter((statement) => statement.Effect === 'Allow');
  }

  it('allows no wildcard action, and only on resources of this stack', () => {
    const statements = allowStatements();
    const logicalIds = Object.keys(template.toJSON()['Resources']);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const action of [statement.Action].flat() as string[]) expect(action).not.toContain('*');
      for (const resource of [statement.Resource].flat()) {
        const target = reference(resource);
        expect(logicalIds.filter((id) => target.startsWith(`${id}.`) || target === id)).toHaveLength(1);
      }
    }
  });

  it('lets SNS send only this topic’s undeliverable notifications to the delivery dead-letter queue', () => {
    const queuePolicyAllows = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy'))
      .flatMap((policy) => policy.Properties?.['PolicyDocument'].Statement as Json[])
      .filter((statement) => statement.Effect === 'Allow');
    expect(queuePolicyAllows).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: workerTopic() } } },
      }),
    ]);
  });

  it('lets API Gateway invoke the API functions only through this API’s stage, route by route', () => {
    const apiId = single(resourceIds('AWS::ApiGateway::RestApi'));
    const stageId = single(resourceIds('AWS::ApiGateway::Stage'));
    const sourceArns = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'))
      .map((permission) => permission.Properties ?? {})
      .filter((permission) => permission['Principal'] === 'apigateway.amazonaws.com')
      .map((permission) => reference(permission['SourceArn']));
    const prefix = `arn:AWS::Partition:execute-api:AWS::Region:AWS::AccountId:${apiId}/${stageId}`;
    // {runId} is the one wildcard: a path parameter, as API Gateway writes it in a source ARN.
    expect(sourceArns.sort()).toEqual([`${prefix}/GET/runs/*`, `${prefix}/POST/`, `${prefix}/POST/messages`]);
  });
});
