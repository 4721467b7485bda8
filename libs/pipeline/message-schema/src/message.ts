import * as v from 'valibot';
import { apiConfig } from '@fanout/config';

/** The fields a client may send, in the order the original design used (then the idempotency key). */
export const messageFields = ['key1', 'key2', 'key3', 'runId', 'idempotencyKey'] as const;

/**
 * Characters outside the set SQS accepts in a message body (#x9 | #xA | #xD | #x20–#xD7FF |
 * #xE000–#xFFFD | #x10000–#x10FFFF): NUL and other control characters, lone surrogates, U+FFFE and
 * U+FFFF. Refused up front so that a key is text every hop can carry unchanged, and so that SQS never
 * refuses a message the API accepted (that surfaced as a 503 "retry", which no retry could fix).
 */
const characterSqsRefuses = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function describeRefusedCharacter(text: string): string {
  const match = characterSqsRefuses.exec(text);
  const codePoint = match?.[0].codePointAt(0) ?? 0;
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return `must not contain ${name} (at index ${match?.index ?? 0}): control characters other than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF are not allowed`;
}

const keyValue = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(apiConfig.maxKeyLength, `must be at most ${apiConfig.maxKeyLength} characters`),
  v.check((text) => !characterSqsRefuses.test(text), (issue) => describeRefusedCharacter(String(issue.input))),
);

/** A run id tags a load test's messages so it can find its own items later. */
export const runIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An idempotency key names one message for good: a message sent again with the same key becomes the
 * same item (see idempotentItemKeyFor), so a client that timed out can retry without a duplicate.
 */
export const idempotencyKeyPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** What a run id or an idempotency key may hold, in words. */
export const tokenRule = 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -';

/**
 * One message as a client posts it and as it travels through the queue. Unknown fields are refused
 * by validateMessage, which checks own keys (valibot's strict check lets `constructor` through).
 */
export const messageSchema = v.object({
  key1: keyValue,
  key2: keyValue,
  key3: keyValue,
  runId: v.optional(v.pipe(v.string(), v.regex(runIdPattern, tokenRule))),
  idempotencyKey: v.optional(v.pipe(v.string(), v.regex(idempotencyKeyPattern, tokenRule))),
});

export type Message = v.InferOutput<typeof messageSchema>;

/** Where a value is wrong (`key2`, `[3].key1`) and why, in words a client can act on. */
export interface ValidationDetail {
  path: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; details: ValidationDetail[] };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function pathOf(issue: v.BaseIssue<unknown>, prefix: string): string {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const dotted = keys.join('.');
  if (!prefix) return dotted;
  return dotted ? `${prefix}.${dotted}` : prefix;
}

function detailOf(issue: v.BaseIssue<unknown>, prefix: string): ValidationDetail {
  const path = pathOf(issue, prefix);
  if (issue.type === 'object') return { path, message: 'is required' };
  if (issue.type === 'string') {
    return issue.input === undefined
      ? { path, message: 'is required' }
      : { path, message: `must be a string, got ${describe(issue.input)}` };
  }
  return { path, message: issue.message };
}

/** Validates one message; `prefix` places its details inside a batch (`[3]`). */
export function validateMessage(input: unknown, prefix = ''): Validation<Message> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      details: [{ path: prefix, message: `must be an object with ${messageFields.join(', ')}, got ${describe(input)}` }],
    };
  }
  const result = v.safeParse(messageSchema, input);
  const details = result.success ? [] : result.issues.map((issue) => detailOf(issue, prefix));
  for (const key of Object.keys(input)) {
    if (!(messageFields as readonly string[]).includes(key)) {
      details.push({
        path: prefix ? `${prefix}.${key}` : key,
        message: `is not an allowed field; allowed fields are ${messageFields.join(', ')}`,
      });
    }
  }
  if (result.success && details.length === 0) return { ok: true, value: result.output };
  return { ok: false, details };
}
