import { cloudConfig } from '@fanout/config';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '@fanout/config';

/** The newest Node.js runtime (cdk-nag AwsSolutions-L1); the bundles target it (node24 in nx.json). */
export const functionRuntime = Runtime.NODEJS_24_X;

export interface PipelineFunctionProps {
  /** The Nx project (and bundle) this function runs. */
  readonly project: FunctionName;
  /** Folder holding the project's esbuild output (`index.js` exporting `handler`). */
  readonly buildOutput: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Its variables, as libs/config's `functionEnvironments` builds them for every runtime. */
  readonly environment: Record<string, string>;
  readonly reservedConcurrency?: number;
}

/**
 * One function of the pipeline: the Nx build output of its project on arm64, its own log group with
 * a retention, and its own role that can write those logs and nothing else until `allow` grants more.
 */
export class PipelineFunction extends Construct {
  readonly function: Function;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: cloudConfig.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of the default one: the default attaches AWSLambdaBasicExecutionRole,
    // which may write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.project}: writes its own log group and does only what the stack allows it`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new Function(this, 'Function', {
      description: props.description,
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(props.buildOutput),
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      environment: props.environment,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
  }

  /** Lets the function call `actions` on `resources`; the stack lists every grant in one place. */
  allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
  }
}
