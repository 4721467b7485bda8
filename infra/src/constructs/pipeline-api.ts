import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKey,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
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
import { enqueueRequestSchema } from './enqueue-request-schema.js';
import { onlyResource } from './only-resource.js';

export interface PipelineApiProps {
  /** test-api: `POST /messages` and `POST /`. */
  readonly enqueue: IFunction;
  /** run-status-api: `GET /runs/{runId}`. */
  readonly runStatus: IFunction;
}

/** An error body in the API's one error shape (`{ error, details }`, as libs/http-response writes it). */
function errorTemplate(error: string, details = '[]'): Record<string, string> {
  return {
    'application/json': `{"error": ${JSON.stringify(error)}, "details": ${details}}`,
  };
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
    const enqueueModel = this.api.addModel('EnqueueRequest', {
      contentType: 'application/json',
      schema: enqueueRequestSchema(),
      description: 'One message or an array of messages, as test-api accepts them',
    });
    // allowTestInvoke false: no extra invoke permission for the console's test button.
    const enqueue = new LambdaIntegration(props.enqueue, {
      allowTestInvoke: false,
    });
    const enqueueOptions = {
      requestValidator: validator,
      requestModels: { 'application/json': enqueueModel },
    };
    const methods = [
      this.api.root.addMethod('POST', enqueue, enqueueOptions),
      this.api.root.addResource('messages').addMethod('POST', enqueue, enqueueOptions),
      this.api.root
        .addResource('runs')
        .addResource('{runId}')
        .addMethod('GET', new LambdaIntegration(props.runStatus, { allowTestInvoke: false }), {
          requestValidator: validator,
          requestParameters: { 'method.request.path.runId': true },
        }),
    ];
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

  /** API Gateway's own refusals, in the API's error shape and with a next step. */
  private addErrorResponses(): void {
    const { rateLimit, burstLimit, quotaPerDay } = apiConfig.throttle;
    this.api.addGatewayResponse('InvalidBody', {
      type: ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: errorTemplate(
        `The body must be one message or an array of 1 to ${apiConfig.maxMessagesPerRequest} messages, each with key1, key2 and key3 (1 to ${apiConfig.maxKeyLength} characters) and an optional runId; nothing was enqueued.`,
        // validationErrorString is substituted as bare text, so the template quotes it.
        '[{"path": "", "message": "$context.error.validationErrorString"}]',
      ),
    });
    this.api.addGatewayResponse('MissingApiKey', {
      type: ResponseType.INVALID_API_KEY,
      statusCode: '403',
      templates: errorTemplate(
        'Missing or unknown API key: send it in the x-api-key header (docs/deploy.md shows how to read it from the stack).',
      ),
    });
    this.api.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      templates: errorTemplate(
        `Too many requests: the usage plan allows ${rateLimit} requests per second with bursts of ${burstLimit}; retry with backoff.`,
      ),
    });
    this.api.addGatewayResponse('QuotaExceeded', {
      type: ResponseType.QUOTA_EXCEEDED,
      statusCode: '429',
      templates: errorTemplate(`The daily quota of ${quotaPerDay} requests is used up; it resets at 00:00 UTC.`),
    });
    this.api.addGatewayResponse('UnknownRoute', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: errorTemplate('No such route: use POST /messages, POST / or GET /runs/{runId}.'),
    });
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
