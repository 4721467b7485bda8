import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createPipelineApp } from '../pipeline-app.js';
import type { PipelineStack } from '../pipeline-stack.js';
import { findWorkspaceRoot } from '../workspace-paths.js';

/** cdk.json's context, so that tests synthesize with the same feature flags and stage as the CLI. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(findWorkspaceRoot(), 'infra', 'cdk.json'), 'utf8'));
  return cdkJson.context;
}

export interface SynthesizedPipeline {
  app: App;
  stack: PipelineStack;
  template: Template;
}

/** The app as `cdk synth` builds it (optionally with more `-c` context), and its template. */
export function synthesizePipeline(context: Record<string, unknown> = {}): SynthesizedPipeline {
  const { app, stack } = createPipelineApp({ context: { ...cdkJsonContext(), ...context } });
  return { app, stack, template: Template.fromStack(stack) };
}

/** A piece of template JSON: CloudFormation has no static type worth spelling out in a test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TemplateJson = any;

type Resources = Record<string, { Type: string; Properties?: TemplateJson; Metadata?: TemplateJson }>;

/** The template's resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}
