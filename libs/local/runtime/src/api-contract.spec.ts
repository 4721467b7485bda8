import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { comparableAnswer, contractCases, reachedAnswer, type ContractRequest } from '@fanout/api-contract/contract-cases';
import { parseEnqueueRequest } from '@fanout/enqueue';
import { FunctionThrottledError } from '@fanout/function-host';
import { startApiServer, type ApiServer } from './api-server.js';

const apiKey = 'contract-key';
/** Marks a request the test-api stand-in throttles, as a busy function with a full wait queue is. */
const overLimitHeader = 'x-contract-over-limit';

/** test-api's checks (what it answers before it would enqueue), or proof that the request got through them. */
function testApi(event: APIGatewayProxyEvent): APIGatewayProxyResult {
  if (event.headers[overLimitHeader] !== undefined) throw new FunctionThrottledError('test-api', 4, 16);
  const parsed = parseEnqueueRequest(event);
  return parsed.ok ? reachedAnswer('test-api') : parsed.response;
}

function send(url: string, request: ContractRequest): Promise<{ statusCode: number; body: string }> {
  const headers: Record<string, string> = {};
  if (request.apiKey !== 'none') headers['x-api-key'] = request.apiKey === 'right' ? apiKey : `${apiKey}-wrong`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.overLimit) headers[overLimitHeader] = '1';
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}${request.path}`, { method: request.method, headers, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += String(chunk)));
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    // The gateway refuses an oversized body before reading it: what it did not read may fail to send.
    outgoing.end(request.body, () => undefined);
  });
}

describe('the local gateway answers as the API contract says (infra checks the synthesized stack against the same cases)', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({
      port: 0,
      host: '127.0.0.1',
      apiKey,
      hosts: {
        'test-api': { invoke: async <T>(event: unknown) => testApi(event as APIGatewayProxyEvent) as T },
        'run-status-api': { invoke: async <T>() => reachedAnswer('run-status-api') as T },
      },
      tick: async () => ({}),
    });
  });

  afterAll(() => server.close());

  it.each(contractCases.map((entry) => [entry.name, entry] as const))('%s', async (_name, { request, expected }) => {
    // Prepare
    const { url } = server;

    // Act
    const answer = await send(url, request);

    // Assess
    expect(comparableAnswer(answer.statusCode, answer.body)).toEqual(expected);
  });
});
