import type { Template } from 'aws-cdk-lib/assertions';
import { comparableAnswer, contractCases, reachedAnswer } from '@fanout/api-contract/contract-cases';
import { parseEnqueueRequest } from '@fanout/enqueue';
import { synthesizePipeline } from './testing/synthesized-pipeline.js';
import { answerAsApiGateway, type FunctionBehind } from './testing/rest-api-gateway.js';

let template: Template;

beforeAll(() => {
  ({ template } = synthesizePipeline());
});

/** test-api's checks (what it answers before it would enqueue), or proof that the request got through them. */
const testApi: FunctionBehind = (event) => {
  const parsed = parseEnqueueRequest(event);
  return parsed.ok ? reachedAnswer('test-api') : { statusCode: parsed.response.statusCode, body: parsed.response.body };
};

describe('the stack’s API answers as the API contract says (libs/local/runtime checks the local gateway against the same cases)', () => {
  it.each(contractCases.map((entry) => [entry.name, entry] as const))('%s', (_name, { request, expected }) => {
    // Prepare
    const functions = { 'test-api': testApi, 'run-status-api': () => reachedAnswer('run-status-api') };

    // Act
    const answer = answerAsApiGateway(template, request, functions);

    // Assess
    expect(comparableAnswer(answer.statusCode, answer.body)).toEqual(expected);
  });
});
