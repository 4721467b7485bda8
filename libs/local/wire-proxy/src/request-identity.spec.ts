import { environmentTag, operationOf } from './request-identity.js';

describe('operationOf', () => {
  it('reads the operation of a JSON-protocol request from x-amz-target', () => {
    // Prepare
    const sqs = { 'x-amz-target': 'AmazonSQS.SendMessageBatch' };
    const dynamodb = { 'x-amz-target': 'DynamoDB_20120810.BatchWriteItem' };
    const body = Buffer.from('{"QueueUrl":"http://127.0.0.1/000000000000/test","Action":"NotThis"}');
    // Act
    const operations = [operationOf(sqs, body), operationOf(dynamodb, body)];
    // Assess
    expect(operations).toEqual(['SendMessageBatch', 'BatchWriteItem']);
  });

  it('reads the Action of an SNS query-protocol form body, wherever it sits', () => {
    // Prepare
    const first = Buffer.from('Action=PublishBatch&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Atest');
    const later = Buffer.from('Version=2010-03-31&Action=Publish&Message=TransientAction%3DNo');
    // Act
    const operations = [operationOf({}, first), operationOf({ 'content-type': 'application/x-www-form-urlencoded' }, later)];
    // Assess
    expect(operations).toEqual(['PublishBatch', 'Publish']);
  });

  it('does not take a parameter that merely ends in "Action" for the action', () => {
    expect(operationOf({}, Buffer.from('MessageAction=Delete&Version=1'))).toBe('Unknown');
  });

  it('calls a request with neither Unknown', () => {
    expect(operationOf({}, Buffer.alloc(0))).toBe('Unknown');
    expect(operationOf({}, Buffer.from('{"TableName":"Test"}'))).toBe('Unknown');
  });
});

describe('environmentTag', () => {
  it('finds the execution environment in the SDK user agent, without what Powertools appends', () => {
    // Prepare
    const userAgent =
      'aws-sdk-js/3.700.0 ua/2.1 os/linux#6.8.0 lang/js md/nodejs#20.19.0 api/dynamodb#3.700.0 m/E,N ' +
      'app/test-sqs2ddb.3-PT-NO-OP-2.35.0-PTEnv-NA';
    // Act
    const tag = environmentTag({ 'user-agent': userAgent });
    // Assess
    expect(tag).toBe('test-sqs2ddb.3');
  });

  it('reads a plain tag at the end of the user agent', () => {
    expect(environmentTag({ 'user-agent': 'aws-sdk-js/3.700.0 m/E app/run-status-api.12' })).toBe('run-status-api.12');
  });

  it('has no tag for a client without an app id, or an app id that names no environment', () => {
    expect(environmentTag({ 'user-agent': 'aws-sdk-js/3.700.0 ua/2.1 api/sqs#3.700.0' })).toBeUndefined();
    expect(environmentTag({ 'user-agent': 'aws-sdk-js/3.700.0 app/local-runtime' })).toBeUndefined();
    expect(environmentTag({})).toBeUndefined();
  });
});
