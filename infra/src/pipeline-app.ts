import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack } from './pipeline-stack.js';
import { readDeploymentOptions } from './deployment-options.js';
import { stackNameFor } from './stage-name.js';
import { findWorkspaceRoot, functionBuildOutput } from './workspace-paths.js';

export interface PipelineAppOptions {
  /** Context as cdk.json and `-c` give it to the CLI; the CLI passes it through the environment. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly workspaceRoot?: string;
}

/**
 * The CDK app: one pipeline stack for the stage named in the context, checked by cdk-nag's
 * AwsSolutions rules on every synth (a finding that is not acknowledged fails the synth).
 */
export function createPipelineApp(options: PipelineAppOptions = {}): { app: App; stack: PipelineStack } {
  const app = new App({ context: options.context, outdir: options.outdir });
  const deployment = readDeploymentOptions(app);
  const { stage } = deployment;
  const workspaceRoot = options.workspaceRoot ?? findWorkspaceRoot();
  const workers = deployment.trigger.trigger === 'esm' ? 'workers started by the SQS event source mapping' : 'fan-out workers';
  const stack = new PipelineStack(app, stackNameFor(stage), {
    ...deployment,
    description: `Fanout pipeline, stage ${stage}: API → SQS → ${workers} → DynamoDB`,
    buildOutputOf: (project) => functionBuildOutput(workspaceRoot, project),
  });
  Tags.of(stack).add('project', 'fanout');
  Tags.of(stack).add('stage', stage);
  // Acknowledged findings also go into the template's metadata, where reviewers can read the reasons.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
  return { app, stack };
}
