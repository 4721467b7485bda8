import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKey,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type IResource,
  type JsonSchema,
  type Method,
  MethodLoggingLevel,
  Period,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiConfig, cloudConfig } from '@fanout/config';
import {
  apiRoutes,
  enqueueRequestModel,
  enqueueRequestModelName,
  gatewayAnswers,
  gatewayResponseTemplate,
  requestModelContentType,
  type ApiFunctionName,
} from '@fanout/api-contract';
import { onlyResource } from './only-resource.js';

export interface PipelineApiProps {
  /** test-api: `POST /messages` and `POST /`. */
  readonly enqueue: IFunction;
  /** run-status-api: `GET /runs/{runId}`. */
  readonly runStatus: IFunction;
}

/**
 * The contract's model in CDK's spelling: CDK writes `schema` out as `$schema` (and types the
 * keywords it knows); the keywords are the same.
 */
function toCdkJsonSchema(model: typeof enqueueRequestModel): JsonSchema {
  const { $schema, ...keywords } = model;
  return { schema: $schema, ...keywords } as JsonSchema;
}

/** A resource path's parameters as API Gateway's method request parameters: `{runId}` → required. */
function pathParametersOf(resourcePath: string): Record<string, boolean> {
  const names = [...resourcePath.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  return Object.fromEntries(names.map((name) => [`method.request.path.${name}`, true]));
}

/**
 * The REST API. Not open to the world: every method needs an API key, the key's usage plan throttles
 * and caps it, and the enqueue body is checked against the message schema before any function runs.
 */
export class PipelineApi extends Construct {
  readonly api: RestApi;
  readonly apiKey: ApiKey;

  constructor(scope: Construct, id: string, props: PipelineApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: cloudConfig.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Fanout pipeline: enqueue messages, read a run status',
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway writes access and execution logs through one account-wide role; keep it when a
      // stage is destroyed, since other stages in the account rely on the same setting.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      defaultMethodOptions: { apiKeyRequired: true },
      deployOptions: {
        stageName: cloudConfig.apiStageName,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        // Never log request bodies: they hold the clients' data.
        dataTraceEnabled: false,
        metricsEnabled: true,
      },
    });

    // API Gateway writes its execution (error) logs to a group of its own naming; created here, it
    // gets a retention and goes away with the stage instead of living on forever.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${cloudConfig.apiStageName}`,
      retention: cloudConfig.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);

    // One validator for every method: bodies against their model, path parameters as declared.
    const validator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const enqueueModel = this.api.addModel(enqueueRequestModelName, {
      contentType: requestModelContentType,
      schema: toCdkJsonSchema(enqueueRequestModel),
      description: 'One message or an array of messages, generated from the valibot message schema',
    });
    // allowTestInvoke false: no extra invoke permission for the console's test button.
    const integrations: Record<ApiFunctionName, LambdaIntegration> = {
      'test-api': new LambdaIntegration(props.enqueue, { allowTestInvoke: false }),
      'run-status-api': new LambdaIntegration(props.runStatus, { allowTestInvoke: false }),
    };
    const methods = apiRoutes.map((route) => {
      const resource = route.resource
        .split('/')
        .filter((part) => part !== '')
        .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), this.api.root);
      const parameters = pathParametersOf(route.resource);
      return resource.addMethod(route.method, integrations[route.functionName], {
        requestValidator: validator,
        ...(route.validatesBody ? { requestModels: { [requestModelContentType]: enqueueModel } } : {}),
        ...(Object.keys(parameters).length > 0 ? { requestParameters: parameters } : {}),
      });
    });
    // RestApi always adds an "Endpoint" output; the stack has its own ApiUrl output instead.
    this.api.node.tryRemoveChild('Endpoint');

    const { rateLimit, burstLimit, quotaPerDay } = apiConfig.throttle;
    const plan = this.api.addUsagePlan('UsagePlan', {
      description: 'Throttles and caps every client of the pipeline API',
      throttle: { rateLimit, burstLimit },
      quota: { limit: quotaPerDay, period: Period.DAY },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    this.apiKey = new ApiKey(this, 'ApiKey', {
      description: 'Key of the k6 burst and other pipeline clients',
    });
    plan.addApiKey(this.apiKey);

    this.addErrorResponses();
    this.acknowledgeFindings(methods);
  }

  /** API Gateway's own refusals, as the API contract defines them (the local gateway sends the same). */
  private addErrorResponses(): void {
    for (const [name, answer] of Object.entries(gatewayAnswers)) {
      this.api.addGatewayResponse(`${name[0].toUpperCase()}${name.slice(1)}`, {
        type: ResponseType.of(answer.responseType),
        statusCode: String(answer.statusCode),
        templates: { 'application/json': gatewayResponseTemplate(answer) },
      });
    }
  }

  private acknowledgeFindings(methods: Method[]): void {
    Validations.of(onlyResource(this.api.node.findChild('CloudWatchRole'))).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "This is API Gateway's account-level logging role, which must create and write log groups whose names API Gateway chooses at run time; AWS documents this managed policy for exactly that role.",
    });
    Validations.of(onlyResource(this.api.deploymentStage)).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'Every method requires an API key whose usage plan throttles and caps requests, and bodies are schema-checked at the gateway, so a WAF web ACL (a fixed monthly cost per stage) would add no control this machine-to-machine test API needs.',
    });
    for (const method of methods) {
      Validations.of(onlyResource(method)).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Callers are load-test clients, not end users, so access is controlled by a required API key bound to a throttled, quota-capped usage plan instead of an IAM or Cognito authorizer.',
        },
        {
          id: 'AwsSolutions-COG4',
          reason:
            'There are no end users to sign in and so no Cognito user pool; every method instead requires an API key bound to a throttled, quota-capped usage plan.',
        },
      );
    }
  }
}
