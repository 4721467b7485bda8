import { App } from 'aws-cdk-lib';
import { createPipelineApp } from './pipeline-app.js';
import { InvalidStageNameError, readStageName, stackNameFor } from './stage-name.js';
import { cdkJsonContext } from './testing/synthesized-pipeline.js';

describe('readStageName', () => {
  it('deploys the dev stage unless -c stage=… names another', () => {
    expect(readStageName(new App())).toBe('dev');
    expect(readStageName(new App({ context: cdkJsonContext() }))).toBe('dev');
    expect(readStageName(new App({ context: { stage: 'load-test-2' } }))).toBe('load-test-2');
  });

  it.each(['Prod', 'prod_1', '1prod', '', 'a'.repeat(21)])('refuses %j and says what a stage name may be', (stage) => {
    const read = () => readStageName(new App({ context: { stage } }));
    expect(read).toThrow(InvalidStageNameError);
    expect(read).toThrow(/1–20 characters of a–z, 0–9 and -/);
  });
});

describe('stages in one account', () => {
  it('get stacks of their own, so that they never collide', () => {
    const dev = createPipelineApp({ context: { ...cdkJsonContext(), stage: 'dev' } }).stack;
    const prod = createPipelineApp({ context: { ...cdkJsonContext(), stage: 'prod' } }).stack;
    expect(dev.stackName).toBe(stackNameFor('dev'));
    expect(prod.stackName).toBe(stackNameFor('prod'));
    expect(dev.stackName).not.toBe(prod.stackName);
  });
});
