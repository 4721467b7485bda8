import { gatewayAnswers } from '@fanout/api-contract';

/**
 * Malformed requests to the API (issue #6), each with the answer it must get. The spec sends every
 * one over real HTTP to the built runtime and checks that nothing reaches the queue. As on AWS, the
 * gateway answers what the API contract makes its own (no route, a body the request model refuses)
 * before test-api runs; test-api answers the rest.
 */

export type CorpusCategory =
  | 'broken JSON'
  | 'missing body'
  | 'top-level type'
  | 'wrong key type'
  | 'missing or empty key'
  | 'unknown key'
  | 'deep nesting'
  | 'huge number'
  | 'character SQS refuses'
  | 'invalid UTF-8'
  | 'key too long'
  | 'invalid runId'
  | 'array size'
  | 'bad array entry'
  | 'oversized body'
  | 'bad idempotency key'
  | 'content type'
  | 'method'
  | 'unknown path';

/** A detail the answer must list: where (`[2].key3`) and what its message says. */
export type ExpectedDetail = [path: string, message: RegExp];

export interface ExpectedAnswer {
  status: number;
  /** The one-sentence `error` of the answer. */
  error: RegExp;
  /** Exactly these details, in order; none when absent. */
  details?: ExpectedDetail[];
  /** Response headers the answer must carry. */
  headers?: Record<string, string>;
}

export interface BadRequest {
  category: CorpusCategory;
  name: string;
  /** POST when absent. */
  method?: string;
  /** `/messages` when absent. */
  path?: string;
  /** `application/json` when absent; null sends no Content-Type at all. */
  contentType?: string | null;
  /** Sent as is; absent sends no body (Content-Length: 0). */
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
  /** More headers to send. */
  headers?: Record<string, string>;
  expected: ExpectedAnswer;
}

type Request = Omit<BadRequest, 'category' | 'name' | 'expected'>;

/** Cases of one category that get the same answer: name → body (or the whole request). */
function sameAnswer(category: CorpusCategory, expected: ExpectedAnswer, cases: Record<string, string | Buffer | Request>) {
  return Object.entries(cases).map(
    ([name, request]): BadRequest => ({
      category,
      name,
      ...(typeof request === 'string' || Buffer.isBuffer(request) ? { body: request } : request),
      expected,
    }),
  );
}

/** Cases of one category refused for a field: name → [body, the details the answer must list]. */
function fieldErrors(category: CorpusCategory, error: RegExp, cases: Record<string, [body: string, details: ExpectedDetail[]]>) {
  return Object.entries(cases).map(
    ([name, [body, details]]): BadRequest => ({ category, name, body, expected: { status: 400, error, details } }),
  );
}

const valid = { key1: 'a', key2: 'b', key3: 'c' };
const json = (value: unknown) => JSON.stringify(value);
const withKeys = (overrides: Record<string, unknown>) => json({ ...valid, ...overrides });
/** A valid message with `field` set to JSON text that JSON.stringify cannot write (1e400, escapes, nesting). */
const withRaw = (field: string, rawJson: string) => withKeys({ [field]: '<raw>' }).replace('"<raw>"', () => rawJson);
/** A message whose key1 holds these raw bytes. */
const key1Bytes = (...bytes: number[]) =>
  Buffer.concat([Buffer.from('{"key1":"'), Buffer.from(bytes), Buffer.from('","key2":"b","key3":"c"}')]);
const nested = (depth: number, open: string, inner: string, close: string) => open.repeat(depth) + inner + close.repeat(depth);

const invalidMessage = /^The message is invalid; nothing was enqueued\.$/;
const invalidEntries = /^Some messages in the array are invalid; nothing was enqueued\.$/;
const notJsonType = (got: string) => new RegExp(`^Content-Type must be application/json, got ${got}\\.$`);
const exactly = (text: string) => new RegExp(`^${text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}$`);
/** The gateway's answer to a path or method the API does not define. */
const noRoute: ExpectedAnswer = { status: 404, error: exactly(gatewayAnswers.noRoute.error) };
/** The gateway's answer to a body the request model refuses: its sentence, and the validator's words as the one detail. */
const byModel = (validatorSays = /\S/): ExpectedAnswer => ({
  status: 400,
  error: exactly(gatewayAnswers.invalidBody.error),
  details: [['', validatorSays]],
});
const notJsonByModel = byModel(/^\[Invalid JSON: /);

const refused = (codePoint: string, index: number) => new RegExp(`^must not contain U\\+${codePoint} \\(at index ${index}\\): `);
const badRunId = /^must be 1–64 characters of A–Z, a–z, 0–9, _ or -$/;

/** Cases the request model refuses at the gateway: name → [body, what the validator's message names]. */
function modelErrors(category: CorpusCategory, cases: Record<string, [body: string, validatorSays: RegExp]>) {
  return Object.entries(cases).map(([name, [body, validatorSays]]): BadRequest => ({ category, name, body, expected: byModel(validatorSays) }));
}

/** ajv's words for a field of the single message (`body/key1 must be string`). */
const field = (path: string, says: string) => new RegExp(`body/${path} ${says}`);
const requiredField = (name: string) => new RegExp(`body must have required property '${name}'`);
const noOtherField = /body must NOT have additional properties/;
const notObjectOrArray = /body must be object; body must be array/;

export const badInputCorpus: BadRequest[] = [
  // JSON.parse refuses these: the gateway's model check answers, before test-api runs.
  ...sameAnswer('broken JSON', notJsonByModel, {
    'truncated object': '{"key1": "a", "key2": ',
    'truncated string': '{"key1": "a',
    'trailing comma in an object': '{"key1":"a","key2":"b","key3":"c",}',
    'trailing comma in an array': `[${json(valid)},]`,
    'single quotes': "{'key1':'a','key2':'b','key3':'c'}",
    'unquoted keys': '{key1:"a",key2:"b",key3:"c"}',
    'a line comment': `// three keys\n${json(valid)}`,
    'a block comment': '{"key1":"a" /* first */,"key2":"b","key3":"c"}',
    'NaN as a value': withRaw('key1', 'NaN'),
    'Infinity as a value': withRaw('key1', 'Infinity'),
    'undefined as a value': withRaw('key1', 'undefined'),
    'a hex number': withRaw('key1', '0x1F'),
    'a bare word': 'hello',
    'bare NaN': 'NaN',
    'two objects back to back': json(valid) + json(valid),
    'an invalid escape': withRaw('key1', '"\\x41"'),
    'a short \\u escape': withRaw('key1', '"\\u12"'),
    'a raw NUL byte inside a string': withRaw('key1', '"a\u0000b"'),
    'a raw NUL byte after the object': `${json(valid)}\u0000`,
    'a raw newline inside a string': withRaw('key1', '"line\nbreak"'),
    '10,000 unclosed arrays': '['.repeat(10_000),
    'whitespace only': ' \n\t\r\n ',
  }),
  // An empty body is not checked against the model: test-api says what to send.
  ...sameAnswer('missing body', { status: 400, error: /^The request has no body; send a JSON object with key1, key2 and key3\.$/ }, {
    'no body at all': {},
    'an empty chunked body': { body: '', chunked: true },
    'an empty string': '',
  }),
  // Valid JSON that is neither an object nor an array.
  ...sameAnswer('top-level type', byModel(notObjectOrArray), {
    'a number': '42',
    'a string': '"key1"',
    'the empty JSON string': '""',
    null: 'null',
    true: 'true',
    false: 'false',
  }),
  ...modelErrors('wrong key type', {
    'key1 a number': [withKeys({ key1: 1 }), field('key1', 'must be string')],
    'key2 a boolean': [withKeys({ key2: true }), field('key2', 'must be string')],
    'key3 null': [withKeys({ key3: null }), field('key3', 'must be string')],
    'key1 an array': [withKeys({ key1: ['a'] }), field('key1', 'must be string')],
    'key2 an object': [withKeys({ key2: { value: 'b' } }), field('key2', 'must be string')],
    'runId a number': [withKeys({ runId: 7 }), field('runId', 'must be string')],
    'all three keys wrong at once': [json({ key1: 0, key2: false, key3: [] }), /body\/key1 must be string; body\/key2 must be string; body\/key3 must be string/],
  }),
  ...modelErrors('missing or empty key', {
    'an empty object': ['{}', /body must have required property 'key1'; body must have required property 'key2'; body must have required property 'key3'/],
    'key3 missing': [json({ key1: 'a', key2: 'b' }), requiredField('key3')],
    'key1 empty': [withKeys({ key1: '' }), field('key1', 'must NOT have fewer than 1 characters')],
    'only a runId': [json({ runId: 'lonely' }), requiredField('key1')],
  }),
  // Fields the API does not know, including the ones that reach prototypes.
  ...modelErrors('unknown key', {
    'an extra field': [withKeys({ extra: 1 }), noOtherField],
    // Written out: an object spread (Object.assign, once compiled) would set a prototype, not send the key.
    '__proto__ holding a runId': [`{"key1":"a","key2":"b","key3":"c","__proto__":{"runId":"polluted"}}`, noOtherField],
    'constructor holding a prototype': [withKeys({ constructor: { prototype: { polluted: true } } }), noOtherField],
    prototype: [withKeys({ prototype: 'x' }), noOtherField],
    'KEY1 in capitals instead of key1': [json({ KEY1: 'a', key2: 'b', key3: 'c' }), requiredField('key1')],
    'runid in lower case': [withKeys({ runid: 'r1' }), noOtherField],
  }),
  // Parsed or refused, never a crash.
  ...modelErrors('deep nesting', {
    '10,000 nested arrays': [nested(10_000, '[', '', ']'), /body\/0 must be object/],
    '100,000 nested arrays': [nested(100_000, '[', '', ']'), /body\/0 must be object/],
    '10,000 nested objects': [nested(10_000, '{"a":', '1', '}'), requiredField('key1')],
    'key1 10,000 arrays deep': [withRaw('key1', nested(10_000, '[', '"a"', ']')), field('key1', 'must be string')],
  }),
  // Beyond a double: JSON.parse makes these Infinity or rounds them; they are still not strings.
  ...modelErrors('huge number', {
    'key1 1e400': [withRaw('key1', '1e400'), field('key1', 'must be string')],
    'key2 -1e400': [withRaw('key2', '-1e400'), field('key2', 'must be string')],
    'key3 a 10,000-digit integer': [withRaw('key3', '9'.repeat(10_000)), field('key3', 'must be string')],
    'a top-level 1e400': ['1e400', notObjectOrArray],
  }),
  // Valid JSON strings holding what SQS refuses (#x0, other controls, lone surrogates, U+FFFE,
  // U+FFFF): JSON Schema cannot say it, so the model lets them through and test-api refuses them.
  ...fieldErrors('character SQS refuses', invalidMessage, {
    'a NUL inside key1': [withRaw('key1', '"a\\u0000b"'), [['key1', refused('0000', 1)]]],
    'key2 only a NUL': [withRaw('key2', '"\\u0000"'), [['key2', refused('0000', 0)]]],
    'a bell character': [withRaw('key3', '"ding\\u0007"'), [['key3', refused('0007', 4)]]],
    'a lone high surrogate': [withRaw('key1', '"\\ud83d"'), [['key1', refused('D83D', 0)]]],
    'a lone low surrogate': [withRaw('key2', '"x\\ude80"'), [['key2', refused('DE80', 1)]]],
    'U+FFFF (SQS refused it: a 503 "retry")': [withRaw('key3', '"\\uffff"'), [['key3', refused('FFFF', 0)]]],
    'U+FFFE': [withRaw('key1', '"\\ufffe"'), [['key1', refused('FFFE', 0)]]],
  }),
  ...modelErrors('character SQS refuses', {
    'a NUL in the runId': [withRaw('runId', '"run\\u0000"'), field('runId', 'must match pattern')],
  }),
  ...fieldErrors('character SQS refuses', invalidEntries, {
    'U+FFFF in the second of two messages (was half enqueued: 207)': [
      `[${json(valid)},${withRaw('key2', '"\\uffff"')}]`,
      [['[1].key2', refused('FFFF', 0)]],
    ],
  }),
  // Bytes that are not UTF-8 (the gateway hands them on base64-encoded); read as UTF-8 with
  // replacement characters they are JSON the model accepts, so test-api answers.
  ...sameAnswer('invalid UTF-8', { status: 400, error: /^The body is not valid UTF-8\.$/ }, {
    'a 0xFF byte': key1Bytes(0xff),
    'a lone continuation byte': key1Bytes(0x80),
    'an overlong "/"': key1Bytes(0xc0, 0xaf),
    'a truncated 3-byte sequence': key1Bytes(0xe3, 0x81),
    'an encoded surrogate (CESU-8)': key1Bytes(0xed, 0xa0, 0xbd),
    'a code point above U+10FFFF': key1Bytes(0xf4, 0x90, 0x80, 0x80),
    'Latin-1 "café"': Buffer.from(withKeys({ key1: 'café' }), 'latin1'),
  }),
  // Not JSON once read as UTF-8: the model check refuses it first.
  ...sameAnswer('invalid UTF-8', notJsonByModel, {
    'UTF-16LE with its BOM': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json(valid), 'utf16le')]),
  }),
  ...modelErrors('key too long', {
    'key1 of 1,025 ASCII characters': [withKeys({ key1: 'k'.repeat(1025) }), field('key1', 'must NOT have more than 1024 characters')],
    'key3 of 1,025 "é"': [withKeys({ key3: 'é'.repeat(1025) }), field('key3', 'must NOT have more than 1024 characters')],
    'key2 of 200,000 characters': [withKeys({ key2: 'x'.repeat(200_000) }), field('key2', 'must NOT have more than 1024 characters')],
  }),
  // Outside 1–64 characters of [A-Za-z0-9_-].
  ...modelErrors('invalid runId', {
    'a space': [withKeys({ runId: 'load test' }), field('runId', 'must match pattern')],
    'a slash': [withKeys({ runId: 'runs/1' }), field('runId', 'must match pattern')],
    '65 characters': [withKeys({ runId: 'r'.repeat(65) }), field('runId', 'must match pattern')],
    empty: [withKeys({ runId: '' }), field('runId', 'must match pattern')],
    'a dot': [withKeys({ runId: 'v1.2' }), field('runId', 'must match pattern')],
    'non-ASCII letters': [withKeys({ runId: 'ラン' }), field('runId', 'must match pattern')],
  }),
  ...sameAnswer('invalid runId', { status: 400, error: /^The runId is invalid\.$/, details: [['runId', badRunId]] }, {
    'in GET /runs/{runId}: a space': { method: 'GET', path: '/runs/load%20test', contentType: null },
    // Decoded once, as API Gateway does, it is "%41": decoded twice it would pass as run "A".
    'in GET /runs/{runId}: an encoded percent sign': { method: 'GET', path: '/runs/%2541', contentType: null },
  }),
  ...modelErrors('array size', {
    'an empty array': ['[]', /body must NOT have fewer than 1 items/],
    '11 valid messages': [json(Array(11).fill(valid)), /body must NOT have more than 10 items/],
    '1,000 valid messages': [json(Array(1000).fill(valid)), /body must NOT have more than 10 items/],
  }),
  // Any bad entry refuses the whole array, none of the good ones enqueued.
  ...modelErrors('bad array entry', {
    'one entry without key3': [json([valid, valid, { key1: 'a', key2: 'b' }, valid]), /body\/2 must have required property 'key3'/],
    'two bad entries': [json([{ ...valid, key1: 5 }, valid, valid, { ...valid, extra: true }]), /body\/0\/key1 must be string; body\/3 must NOT have additional properties/],
    'a null entry': [json([valid, null]), /body\/1 must be object/],
    'a string entry': [json(['key1']), /body\/0 must be object/],
    'an array nested in the array': [json([[valid]]), /body\/0 must be object/],
    'a bad runId in the last entry': [json([valid, { ...valid, runId: 'no spaces' }]), /body\/1\/runId must match pattern/],
  }),
  // Over test-api's 256 KiB (counted in bytes, not characters), which the gateway itself refuses
  // unread; a chunked body it cannot measure first is refused as soon as it passes the limit.
  ...modelErrors('oversized body', {
    'exactly 256 KiB is read (and refused for what it says)': ['{}'.padEnd(256 * 1024, ' '), requiredField('key1')],
  }),
  ...sameAnswer('oversized body', { status: 413, error: /^The body is 262145 bytes; the limit is 262144 bytes \(256 KiB\)\.$/ }, {
    'one byte over 256 KiB': json(valid).padEnd(256 * 1024 + 1, ' '),
  }),
  ...sameAnswer('oversized body', { status: 413, error: /^The body is 300033 bytes; the limit is 262144 bytes/ }, {
    '100,000 "あ": under 256 Ki characters, over 256 KiB': withKeys({ key1: 'あ'.repeat(100_000) }),
  }),
  ...sameAnswer('oversized body', { status: 413, error: /^The body is 10485761 bytes; the limit is 262144 bytes \(256 KiB\)\.$/ }, {
    'just over 10 MB': json(valid).padEnd(10 * 1024 * 1024 + 1, ' '),
  }),
  ...sameAnswer('oversized body', { status: 413, error: /^The body is over 262144 bytes \(256 KiB\), the limit; the rest was not read\.$/ }, {
    '300 KB, chunked (no Content-Length)': { body: json(valid).padEnd(300 * 1024, ' '), chunked: true },
  }),
  // An idempotency key the API cannot take: 400 naming the header, nothing enqueued.
  ...[
    ['an empty Idempotency-Key', ''],
    ['an Idempotency-Key of 65 characters', 'k'.repeat(65)],
    ['an Idempotency-Key with a space', 'order 17'],
    ['two Idempotency-Key values', 'a, b'],
  ].map(
    ([name, key]): BadRequest => ({
      category: 'bad idempotency key',
      name,
      headers: { 'idempotency-key': key },
      body: json(valid),
      expected: {
        status: 400,
        error: /^The Idempotency-Key header must be 1–64 characters of A–Z, a–z, 0–9, _ or -, got .*; nothing was enqueued\.$/,
        details: [['Idempotency-Key', /^must be 1–64 characters of A–Z, a–z, 0–9, _ or -$/]],
      },
    }),
  ),
  ...sameAnswer(
    'bad idempotency key',
    { status: 400, error: /^The Idempotency-Key header names one message; give each message of an array its own idempotencyKey instead\.$/, details: [['Idempotency-Key', /^is for a single message, not an array$/]] },
    { 'an Idempotency-Key on an array': { headers: { 'idempotency-key': 'k1' }, body: json([valid, valid]) } },
  ),
  // The model cannot say that keys repeat: test-api does.
  ...fieldErrors('bad idempotency key', invalidEntries, {
    'one idempotencyKey twice in an array': [
      json([{ ...valid, idempotencyKey: 'k1' }, { ...valid, idempotencyKey: 'k1' }]),
      [['[1].idempotencyKey', /^repeats the key of \[0\]; each message of an array needs its own$/]],
    ],
  }),
  ...modelErrors('bad idempotency key', {
    'an idempotencyKey with a slash': [json({ ...valid, idempotencyKey: 'a/b' }), field('idempotencyKey', 'must match pattern')],
  }),
  ...Object.entries({
    'text/plain': '"text/plain"',
    'application/x-www-form-urlencoded': '"application/x-www-form-urlencoded"',
    'application/json-patch+json': '"application/json-patch\\+json"',
    'multipart/form-data; boundary=x': '"multipart/form-data; boundary=x"',
    'text/json': '"text/json"',
    '': 'none',
  }).map(
    ([contentType, got]): BadRequest => ({
      category: 'content type',
      name: contentType ? contentType : 'an empty Content-Type',
      contentType,
      body: contentType === 'application/x-www-form-urlencoded' ? 'key1=a&key2=b&key3=c' : json(valid),
      expected: { status: 415, error: notJsonType(got) },
    }),
  ),
  ...sameAnswer('content type', { status: 415, error: notJsonType('none') }, {
    'no Content-Type': { contentType: null, body: json(valid) },
  }),

  // Methods a route does not define are no route, as on API Gateway.
  ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map(
    (method): BadRequest => ({
      category: 'method',
      name: `${method} /messages`,
      method,
      body: method === 'GET' || method === 'OPTIONS' ? undefined : json(valid),
      expected: noRoute,
    }),
  ),
  ...sameAnswer('method', noRoute, {
    'GET /': { method: 'GET', path: '/' },
    'PUT / with a valid message': { method: 'PUT', path: '/', body: json(valid) },
    'POST /runs/{runId}': { path: '/runs/r1', body: json(valid) },
  }),
  ...['/nowhere', '/message', '/messages/extra', '/MESSAGES', '/messages%00', '/runs', '/runs/a/b'].map(
    (path): BadRequest => ({ category: 'unknown path', name: `POST ${path}`, path, body: json(valid), expected: noRoute }),
  ),
  ...sameAnswer('unknown path', noRoute, {
    'GET /runs/a/b': { method: 'GET', path: '/runs/a/b', contentType: null },
  }),
];
