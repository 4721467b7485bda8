import type { Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { awsLimits, functionNames, type FunctionName } from '@fanout/config';
import type { ContractRequest } from '@fanout/api-contract/contract-cases';
import { checkRequestBody, requestModelValidator } from '@fanout/api-contract/request-validator';
import { apiGatewayEvent } from '@fanout/testing';
import { resourcesOfType, type TemplateJson } from './synthesized-pipeline.js';

export interface GatewayAnswerSent {
  statusCode: number;
  body: string;
}

export type FunctionBehind = (event: APIGatewayProxyEvent) => GatewayAnswerSent;

/** What API Gateway's validator says of a body the model refuses (its words; ajv finds the verdict). */
const realisticValidationError = '[object has missing required properties (["key3"])]';

interface TemplateMethod {
  httpMethod: string;
  resourcePath: string;
  apiKeyRequired: boolean;
  requestModelSchema: TemplateJson | undefined;
  functionName: FunctionName;
}

function propertiesOf(template: Template, type: string): Array<[string, TemplateJson]> {
  return Object.entries(resourcesOfType(template, type)).map(([id, resource]) => [id, resource.Properties ?? {}]);
}

/** The methods of the synthesized REST API: path, method, key, model and the function they integrate with. */
function methodsOf(template: Template): TemplateMethod[] {
  const resources = Object.fromEntries(propertiesOf(template, 'AWS::ApiGateway::Resource'));
  const models = Object.fromEntries(propertiesOf(template, 'AWS::ApiGateway::Model'));
  const functions = propertiesOf(template, 'AWS::Lambda::Function');
  const pathOf = (reference: TemplateJson): string => {
    const resource = reference?.Ref === undefined ? undefined : resources[reference.Ref];
    return resource === undefined ? '' : `${pathOf(resource['ParentId'])}/${resource['PathPart']}`;
  };
  return propertiesOf(template, 'AWS::ApiGateway::Method').map(([, method]) => {
    const uri = JSON.stringify(method['Integration'].Uri);
    const target = functions.find(([id]) => uri.includes(`"${id}"`));
    const functionName = target?.[1]['Environment']?.Variables?.POWERTOOLS_SERVICE_NAME;
    if (!functionNames.includes(functionName)) throw new Error(`Method integrates with no pipeline function: ${uri}`);
    const modelRef = method['RequestModels']?.['application/json']?.Ref;
    return {
      httpMethod: method['HttpMethod'],
      resourcePath: pathOf(method['ResourceId']) || '/',
      apiKeyRequired: method['ApiKeyRequired'] === true,
      requestModelSchema: modelRef === undefined ? undefined : models[modelRef]['Schema'],
      functionName,
    };
  });
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function pathParametersIfMatches(resourcePath: string, path: string): Record<string, string> | undefined {
  const template = segmentsOf(resourcePath);
  const requested = segmentsOf(path);
  if (template.length !== requested.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const parameter = /^\{(\w+)\}$/.exec(part);
    if (parameter) parameters[parameter[1]] = decodeURIComponent(requested[index]);
    else if (part !== requested[index]) return undefined;
  }
  return parameters;
}

/**
 * What the synthesized stack's API Gateway would answer, in its order: the route (an undefined path
 * or method is MISSING_AUTHENTICATION_TOKEN), the API key (INVALID_API_KEY), the usage plan
 * (THROTTLED), the payload limit (REQUEST_TOO_LARGE), the request model (BAD_REQUEST_BODY,
 * rendered with a realistic validator message), and else the function behind the method.
 */
export function answerAsApiGateway(template: Template, request: ContractRequest, functions: Partial<Record<FunctionName, FunctionBehind>>): GatewayAnswerSent {
  const responses = Object.fromEntries(propertiesOf(template, 'AWS::ApiGateway::GatewayResponse').map(([, response]) => [response['ResponseType'], response]));
  const respond = (type: string): GatewayAnswerSent => {
    const response = responses[type];
    if (response === undefined) throw new Error(`The stack has no gateway response ${type}`);
    const body = (response['ResponseTemplates']['application/json'] as string).replaceAll(
      '$context.error.validationErrorString',
      JSON.stringify(realisticValidationError).slice(1, -1),
    );
    return { statusCode: Number(response['StatusCode']), body };
  };
  let matched: { method: TemplateMethod; pathParameters: Record<string, string> } | undefined;
  for (const method of methodsOf(template)) {
    const pathParameters = pathParametersIfMatches(method.resourcePath, request.path);
    if (method.httpMethod === request.method && pathParameters !== undefined) matched = { method, pathParameters };
  }
  if (!matched) return respond('MISSING_AUTHENTICATION_TOKEN');
  const { method, pathParameters } = matched;
  if (method.apiKeyRequired && request.apiKey !== 'right') return respond('INVALID_API_KEY');
  if (request.overLimit) return respond('THROTTLED');
  if (Buffer.byteLength(request.body ?? '') > awsLimits.apiGatewayMaxPayloadBytes) return respond('REQUEST_TOO_LARGE');
  if (method.requestModelSchema !== undefined && request.body !== undefined && request.body !== '') {
    if (!checkRequestBody(requestModelValidator(method.requestModelSchema), request.body).valid) return respond('BAD_REQUEST_BODY');
  }
  const run = functions[method.functionName];
  if (!run) throw new Error(`No stand-in for ${method.functionName}`);
  return run(
    apiGatewayEvent({
      httpMethod: request.method,
      path: request.path,
      resource: method.resourcePath,
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      body: request.body ?? null,
      pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    }),
  );
}
