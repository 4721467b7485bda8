import { createPipelineApp } from './pipeline-app.js';
import { TriggerSettingError } from '@fanout/config';
import { InvalidContextValueError } from './deployment-options.js';
import { InvalidStageNameError } from './stage-name.js';
import { FunctionBuildMissingError, WorkspaceRootNotFoundError } from './workspace-paths.js';

// Entry point of the CDK CLI (cdk.json "app" runs it through run-cdk-app.mjs); the CLI passes
// cdk.json's context and any `-c` values in through the environment.
try {
  createPipelineApp().app.synth();
} catch (error) {
  // These say what to do next; a stack trace would only bury that.
  if (
    error instanceof InvalidStageNameError ||
    error instanceof InvalidContextValueError ||
    error instanceof TriggerSettingError ||
    error instanceof FunctionBuildMissingError ||
    error instanceof WorkspaceRootNotFoundError
  ) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
