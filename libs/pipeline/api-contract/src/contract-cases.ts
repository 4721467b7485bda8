import { apiConfig } from '@fanout/config';
import { validateMessage } from '@fanout/message-schema';
import { bodyTooLargeError, gatewayAnswers, renderGatewayAnswer, type GatewayAnswer } from './gateway-answers.js';
import type { ApiFunctionName } from './routes.js';

/**
 * Requests and the answers the API owes them, on AWS and locally alike. The stack's spec answers
 * each from the synthesized template (routes, key, model, gateway responses), the local gateway's
 * spec over HTTP; both compare with the same expected answer, so the two sides answer alike.
 */
export interface ContractRequest {
  method: string;
  path: string;
  /** The key the API was given, another one, or no `x-api-key` at all. */
  apiKey: 'right' | 'wrong' | 'none';
  /** Sent as `application/json`. */
  body?: string;
  /** The request comes when the API is over its limit (the usage plan on AWS, the function's concurrency locally). */
  overLimit?: boolean;
}

export interface ComparableAnswer {
  statusCode: number;
  body: unknown;
}

export interface ContractCase {
  name: string;
  request: ContractRequest;
  expected: ComparableAnswer;
}

/** What a function behind the gateway answers in these cases when it takes the request: the proof it got there. */
export function reachedAnswer(functionName: ApiFunctionName): { statusCode: number; body: string } {
  return { statusCode: 200, body: JSON.stringify({ reached: functionName }) };
}

/** Stands for the validator's own words: API Gateway's and ajv's differ, their place in the answer does not. */
export const validatorMessage = '<the validator’s message>';
/** Stands for why the request was throttled: a usage plan on AWS, the function's concurrency locally. */
export const throttleReason = '<why it was throttled>';

/**
 * An answer as the cases compare it: the validator's message and the throttle's reason replaced
 * by placeholders, everything else as sent.
 */
export function comparableAnswer(statusCode: number, bodyText: string): ComparableAnswer {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return { statusCode, body: bodyText };
  }
  const shaped = body as { error?: unknown; details?: Array<{ path: string; message: string }> };
  if (shaped.error === gatewayAnswers.invalidBody.error && shaped.details?.length === 1) {
    return { statusCode, body: { ...shaped, details: [{ ...shaped.details[0], message: validatorMessage }] } };
  }
  if (statusCode === gatewayAnswers.throttled.statusCode && typeof shaped.error === 'string') {
    return { statusCode, body: { ...shaped, error: throttleReason } };
  }
  return { statusCode, body };
}

function gateway(answer: GatewayAnswer): ComparableAnswer {
  const rendered = renderGatewayAnswer(answer, { validationErrorString: validatorMessage });
  return comparableAnswer(rendered.statusCode, rendered.body);
}

function reached(functionName: ApiFunctionName): ComparableAnswer {
  const answer = reachedAnswer(functionName);
  return comparableAnswer(answer.statusCode, answer.body);
}

const message = { key1: 'a', key2: 'b', key3: 'c' };
const valid = JSON.stringify(message);
const overLimitBody = valid.padEnd(apiConfig.maxBodyBytes + 1, ' ');
const withNul = { ...message, key1: 'a\u0000b' };
const nulDetails = validateMessage(withNul);

export const contractCases: ContractCase[] = [
  { name: 'no API key', request: { method: 'POST', path: '/messages', apiKey: 'none', body: valid }, expected: gateway(gatewayAnswers.missingOrUnknownKey) },
  { name: 'a wrong API key', request: { method: 'POST', path: '/messages', apiKey: 'wrong', body: valid }, expected: gateway(gatewayAnswers.missingOrUnknownKey) },
  { name: 'no API key on a run', request: { method: 'GET', path: '/runs/r1', apiKey: 'none' }, expected: gateway(gatewayAnswers.missingOrUnknownKey) },
  { name: 'an unknown path', request: { method: 'POST', path: '/nowhere', apiKey: 'right', body: valid }, expected: gateway(gatewayAnswers.noRoute) },
  { name: 'an unknown path without a key', request: { method: 'GET', path: '/nowhere', apiKey: 'none' }, expected: gateway(gatewayAnswers.noRoute) },
  { name: 'GET on the enqueue route', request: { method: 'GET', path: '/messages', apiKey: 'right' }, expected: gateway(gatewayAnswers.noRoute) },
  { name: 'PUT on the root', request: { method: 'PUT', path: '/', apiKey: 'right', body: valid }, expected: gateway(gatewayAnswers.noRoute) },
  { name: 'DELETE on a run', request: { method: 'DELETE', path: '/runs/r1', apiKey: 'right' }, expected: gateway(gatewayAnswers.noRoute) },
  { name: 'a message without key3', request: { method: 'POST', path: '/messages', apiKey: 'right', body: '{"key1":"a","key2":"b"}' }, expected: gateway(gatewayAnswers.invalidBody) },
  { name: 'a body that is not JSON', request: { method: 'POST', path: '/messages', apiKey: 'right', body: '{"key1":' }, expected: gateway(gatewayAnswers.invalidBody) },
  { name: 'an unknown field', request: { method: 'POST', path: '/', apiKey: 'right', body: JSON.stringify({ ...message, extra: 1 }) }, expected: gateway(gatewayAnswers.invalidBody) },
  { name: 'an array of 11', request: { method: 'POST', path: '/messages', apiKey: 'right', body: JSON.stringify(Array(11).fill(message)) }, expected: gateway(gatewayAnswers.invalidBody) },
  { name: 'a runId with a space', request: { method: 'POST', path: '/messages', apiKey: 'right', body: JSON.stringify({ ...message, runId: 'a b' }) }, expected: gateway(gatewayAnswers.invalidBody) },
  { name: 'a key of 1,025 characters', request: { method: 'POST', path: '/messages', apiKey: 'right', body: JSON.stringify({ ...message, key2: 'x'.repeat(1025) }) }, expected: gateway(gatewayAnswers.invalidBody) },
  {
    // On AWS the gateway lets it through (under 10 MB, and the model holds) and test-api refuses it.
    name: 'a valid message padded past 256 KiB',
    request: { method: 'POST', path: '/messages', apiKey: 'right', body: overLimitBody },
    expected: { statusCode: 413, body: { error: bodyTooLargeError(Buffer.byteLength(overLimitBody)), details: [] } },
  },
  {
    // The model cannot say which characters SQS refuses: test-api answers on both sides.
    name: 'a NUL character in key1',
    request: { method: 'POST', path: '/messages', apiKey: 'right', body: JSON.stringify(withNul) },
    expected: { statusCode: 400, body: { error: 'The message is invalid; nothing was enqueued.', details: nulDetails.ok ? [] : nulDetails.details } },
  },
  { name: 'over the limit', request: { method: 'POST', path: '/messages', apiKey: 'right', body: valid, overLimit: true }, expected: gateway(gatewayAnswers.throttled) },
  { name: 'a valid message', request: { method: 'POST', path: '/messages', apiKey: 'right', body: valid }, expected: reached('test-api') },
  { name: 'a valid array on the root', request: { method: 'POST', path: '/', apiKey: 'right', body: JSON.stringify([message, message]) }, expected: reached('test-api') },
  { name: 'a run’s report', request: { method: 'GET', path: '/runs/r1', apiKey: 'right' }, expected: reached('run-status-api') },
];
