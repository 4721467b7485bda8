import type { App } from 'aws-cdk-lib';

/** Context key that names the stage: `cdk deploy -c stage=prod`. */
export const stageContextKey = 'stage';
export const defaultStageName = 'dev';

/** Lower case, starts with a letter, short enough to keep generated resource names readable. */
export const stageNamePattern = /^[a-z][a-z0-9-]{0,19}$/;

export class InvalidStageNameError extends Error {
  constructor(readonly stage: unknown) {
    super(
      `Stage ${JSON.stringify(stage)} is not a valid stage name: use 1–20 characters of a–z, 0–9 and -, ` +
        'starting with a letter (for example `-c stage=dev`).',
    );
    this.name = 'InvalidStageNameError';
  }
}

/** The stage this app deploys, from `-c stage=…` (cdk.json sets the default). */
export function readStageName(app: App): string {
  const stage: unknown = app.node.tryGetContext(stageContextKey) ?? defaultStageName;
  if (typeof stage !== 'string' || !stageNamePattern.test(stage)) throw new InvalidStageNameError(stage);
  return stage;
}

/** One CloudFormation stack per stage, so that several stages can live in one account. */
export function stackNameFor(stage: string): string {
  return `fanout-${stage}`;
}
