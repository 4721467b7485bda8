/**
 * Malformed requests to the API (issue #6), each with the answer it must get. The spec sends every
 * one over real HTTP to the built runtime and checks that nothing reaches the queue.
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
  /** Response headers the answer must carry (`allow` on a 405). */
  headers?: Record<string, string>;
  /** Answered by the gateway in front of the functions, in API Gateway's own shape (`{"message"}`). */
  fromGateway?: boolean;
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

const invalidJson = /^The body is not valid JSON: .+\.$/;
const invalidMessage = /^The message is invalid; nothing was enqueued\.$/;
const invalidEntries = /^Some messages in the array are invalid; nothing was enqueued\.$/;
const notJsonType = (got: string) => new RegExp(`^Content-Type must be application/json, got ${got}\\.$`);
const escape = (text: string) => text.replace(/[/.+{}]/g, '\\$&');
const notAllowedOn = (method: string, path: string, use: string) =>
  new RegExp(`^Method ${method} is not allowed on ${escape(path)}; use ${use}\\.$`);
const noRoute = (path: string) => new RegExp(`^No route for ${escape(path)}; `);

const required = /^is required$/;
const notString = (got: string) => new RegExp(`^must be a string, got ${got}$`);
const notAllowed = /^is not an allowed field; allowed fields are key1, key2, key3, runId, idempotencyKey$/;
const notObject = (got: string) => new RegExp(`^must be an object with key1, key2, key3, runId, idempotencyKey, got ${got}$`);
const tooLong = /^must be at most 1024 characters$/;
const badRunId = /^must be 1–64 characters of A–Z, a–z, 0–9, _ or -$/;
const refused = (codePoint: string, index: number) => new RegExp(`^must not contain U\\+${codePoint} \\(at index ${index}\\): `);
const allKeysRequired: ExpectedDetail[] = [
  ['key1', required],
  ['key2', required],
  ['key3', required],
];
const arraySize = (got: number) => ({
  status: 400,
  error: new RegExp(`^An array must hold 1 to 10 messages, got ${got}\\.$`),
  details: [['', /^must hold 1 to 10 messages$/]] as ExpectedDetail[],
});

export const badInputCorpus: BadRequest[] = [
  // JSON.parse refuses these, and the answer says where.
  ...sameAnswer('broken JSON', { status: 400, error: invalidJson }, {
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
  }),

  ...sameAnswer('missing body', { status: 400, error: /^The request has no body; send a JSON object with key1, key2 and key3\.$/ }, {
    'no body at all': {},
    'an empty chunked body': { body: '', chunked: true },
    'an empty string': '',
    'whitespace only': ' \n\t\r\n ',
  }),

  // Valid JSON that is neither an object nor an array.
  ...sameAnswer('top-level type', { status: 400, error: /^The body must be a JSON object or an array of 1 to 10 objects\.$/ }, {
    'a number': '42',
    'a string': '"key1"',
    'the empty JSON string': '""',
    null: 'null',
    true: 'true',
    false: 'false',
  }),

  ...fieldErrors('wrong key type', invalidMessage, {
    'key1 a number': [withKeys({ key1: 1 }), [['key1', notString('a number')]]],
    'key2 a boolean': [withKeys({ key2: true }), [['key2', notString('a boolean')]]],
    'key3 null': [withKeys({ key3: null }), [['key3', notString('null')]]],
    'key1 an array': [withKeys({ key1: ['a'] }), [['key1', notString('an array')]]],
    'key2 an object': [withKeys({ key2: { value: 'b' } }), [['key2', notString('an object')]]],
    'runId a number': [withKeys({ runId: 7 }), [['runId', notString('a number')]]],
    'all three keys wrong at once': [
      json({ key1: 0, key2: false, key3: [] }),
      [
        ['key1', notString('a number')],
        ['key2', notString('a boolean')],
        ['key3', notString('an array')],
      ],
    ],
  }),

  ...fieldErrors('missing or empty key', invalidMessage, {
    'an empty object': ['{}', allKeysRequired],
    'key3 missing': [json({ key1: 'a', key2: 'b' }), [['key3', required]]],
    'key1 empty': [withKeys({ key1: '' }), [['key1', /^must not be empty$/]]],
    'only a runId': [json({ runId: 'lonely' }), allKeysRequired],
  }),

  // Fields the API does not know, including the ones that reach prototypes.
  ...fieldErrors('unknown key', invalidMessage, {
    'an extra field': [withKeys({ extra: 1 }), [['extra', notAllowed]]],
    // Written out: an object spread (Object.assign, once compiled) would set a prototype, not send the key.
    '__proto__ holding a runId': [`{"key1":"a","key2":"b","key3":"c","__proto__":{"runId":"polluted"}}`, [['__proto__', notAllowed]]],
    'constructor holding a prototype': [withKeys({ constructor: { prototype: { polluted: true } } }), [['constructor', notAllowed]]],
    prototype: [withKeys({ prototype: 'x' }), [['prototype', notAllowed]]],
    'KEY1 in capitals instead of key1': [
      json({ KEY1: 'a', key2: 'b', key3: 'c' }),
      [
        ['key1', required],
        ['KEY1', notAllowed],
      ],
    ],
    'runid in lower case': [withKeys({ runid: 'r1' }), [['runid', notAllowed]]],
  }),

  // Parsed or refused, never a crash.
  ...fieldErrors('deep nesting', invalidEntries, {
    '10,000 nested arrays': [nested(10_000, '[', '', ']'), [['[0]', notObject('an array')]]],
    '100,000 nested arrays': [nested(100_000, '[', '', ']'), [['[0]', notObject('an array')]]],
  }),
  ...fieldErrors('deep nesting', invalidMessage, {
    '10,000 nested objects': [nested(10_000, '{"a":', '1', '}'), [...allKeysRequired, ['a', notAllowed]]],
    'key1 10,000 arrays deep': [withRaw('key1', nested(10_000, '[', '"a"', ']')), [['key1', notString('an array')]]],
  }),

  // Beyond a double: JSON.parse makes these Infinity or rounds them; they are still not strings.
  ...fieldErrors('huge number', invalidMessage, {
    'key1 1e400': [withRaw('key1', '1e400'), [['key1', notString('a number')]]],
    'key2 -1e400': [withRaw('key2', '-1e400'), [['key2', notString('a number')]]],
    'key3 a 10,000-digit integer': [withRaw('key3', '9'.repeat(10_000)), [['key3', notString('a number')]]],
  }),
  ...sameAnswer('huge number', { status: 400, error: /^The body must be a JSON object or an array/ }, { 'a top-level 1e400': '1e400' }),

  // Valid JSON strings holding what SQS refuses (#x0, other controls, lone surrogates, U+FFFE, U+FFFF).
  ...fieldErrors('character SQS refuses', invalidMessage, {
    'a NUL inside key1': [withRaw('key1', '"a\\u0000b"'), [['key1', refused('0000', 1)]]],
    'key2 only a NUL': [withRaw('key2', '"\\u0000"'), [['key2', refused('0000', 0)]]],
    'a NUL in the runId': [withRaw('runId', '"run\\u0000"'), [['runId', badRunId]]],
    'a bell character': [withRaw('key3', '"ding\\u0007"'), [['key3', refused('0007', 4)]]],
    'a lone high surrogate': [withRaw('key1', '"\\ud83d"'), [['key1', refused('D83D', 0)]]],
    'a lone low surrogate': [withRaw('key2', '"x\\ude80"'), [['key2', refused('DE80', 1)]]],
    'U+FFFF (SQS refused it: a 503 "retry")': [withRaw('key3', '"\\uffff"'), [['key3', refused('FFFF', 0)]]],
    'U+FFFE': [withRaw('key1', '"\\ufffe"'), [['key1', refused('FFFE', 0)]]],
  }),
  ...fieldErrors('character SQS refuses', invalidEntries, {
    'U+FFFF in the second of two messages (was half enqueued: 207)': [
      `[${json(valid)},${withRaw('key2', '"\\uffff"')}]`,
      [['[1].key2', refused('FFFF', 0)]],
    ],
  }),

  // Bytes that are not UTF-8 (the gateway hands them on base64-encoded).
  ...sameAnswer('invalid UTF-8', { status: 400, error: /^The body is not valid UTF-8\.$/ }, {
    'a 0xFF byte': key1Bytes(0xff),
    'a lone continuation byte': key1Bytes(0x80),
    'an overlong "/"': key1Bytes(0xc0, 0xaf),
    'a truncated 3-byte sequence': key1Bytes(0xe3, 0x81),
    'an encoded surrogate (CESU-8)': key1Bytes(0xed, 0xa0, 0xbd),
    'a code point above U+10FFFF': key1Bytes(0xf4, 0x90, 0x80, 0x80),
    'Latin-1 "café"': Buffer.from(withKeys({ key1: 'café' }), 'latin1'),
    'UTF-16LE with its BOM': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json(valid), 'utf16le')]),
  }),

  ...fieldErrors('key too long', invalidMessage, {
    'key1 of 1,025 ASCII characters': [withKeys({ key1: 'k'.repeat(1025) }), [['key1', tooLong]]],
    'key3 of 1,025 "é"': [withKeys({ key3: 'é'.repeat(1025) }), [['key3', tooLong]]],
    'key2 of 200,000 characters': [withKeys({ key2: 'x'.repeat(200_000) }), [['key2', tooLong]]],
  }),

  // Outside 1–64 characters of [A-Za-z0-9_-].
  ...fieldErrors('invalid runId', invalidMessage, {
    'a space': [withKeys({ runId: 'load test' }), [['runId', badRunId]]],
    'a slash': [withKeys({ runId: 'runs/1' }), [['runId', badRunId]]],
    '65 characters': [withKeys({ runId: 'r'.repeat(65) }), [['runId', badRunId]]],
    empty: [withKeys({ runId: '' }), [['runId', badRunId]]],
    'a dot': [withKeys({ runId: 'v1.2' }), [['runId', badRunId]]],
    'non-ASCII letters': [withKeys({ runId: 'ラン' }), [['runId', badRunId]]],
  }),
  ...sameAnswer('invalid runId', { status: 400, error: /^The runId is invalid\.$/, details: [['runId', badRunId]] }, {
    'in GET /runs/{runId}: a space': { method: 'GET', path: '/runs/load%20test', contentType: null },
    // Decoded once, as API Gateway does, it is "%41": decoded twice it would pass as run "A".
    'in GET /runs/{runId}: an encoded percent sign': { method: 'GET', path: '/runs/%2541', contentType: null },
  }),

  ...sameAnswer('array size', arraySize(0), { 'an empty array': '[]' }),
  ...sameAnswer('array size', arraySize(11), { '11 valid messages': json(Array(11).fill(valid)) }),
  ...sameAnswer('array size', arraySize(1000), { '1,000 valid messages': json(Array(1000).fill(valid)) }),

  // Each bad entry named by its index, and none of the good ones enqueued.
  ...fieldErrors('bad array entry', invalidEntries, {
    'one entry without key3': [json([valid, valid, { key1: 'a', key2: 'b' }, valid]), [['[2].key3', required]]],
    'two bad entries': [
      json([{ ...valid, key1: 5 }, valid, valid, { ...valid, extra: true }]),
      [
        ['[0].key1', notString('a number')],
        ['[3].extra', notAllowed],
      ],
    ],
    'a null entry': [json([valid, null]), [['[1]', notObject('null')]]],
    'a string entry': [json(['key1']), [['[0]', notObject('a string')]]],
    'an array nested in the array': [json([[valid]]), [['[0]', notObject('an array')]]],
    'a bad runId in the last entry': [json([valid, { ...valid, runId: 'no spaces' }]), [['[1].runId', badRunId]]],
  }),

  // Over test-api's 256 KiB (counted in bytes, not characters), which the gateway itself refuses
  // unread; a chunked body it cannot measure first is refused as soon as it passes the limit.
  ...fieldErrors('oversized body', invalidMessage, {
    'exactly 256 KiB is read (and refused for what it says)': ['{}'.padEnd(256 * 1024, ' '), allKeysRequired],
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
  ...fieldErrors('bad idempotency key', invalidEntries, {
    'one idempotencyKey twice in an array': [
      json([{ ...valid, idempotencyKey: 'k1' }, { ...valid, idempotencyKey: 'k1' }]),
      [['[1].idempotencyKey', /^repeats the key of \[0\]; each message of an array needs its own$/]],
    ],
  }),
  ...fieldErrors('bad idempotency key', invalidMessage, {
    'an idempotencyKey with a slash': [json({ ...valid, idempotencyKey: 'a/b' }), [['idempotencyKey', /^must be 1–64 characters/]]],
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

  // Methods other than POST on the enqueue routes, and other than GET on a run.
  ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map(
    (method): BadRequest => ({
      category: 'method',
      name: `${method} /messages`,
      method,
      body: method === 'GET' || method === 'OPTIONS' ? undefined : json(valid),
      expected: { status: 405, error: notAllowedOn(method, '/messages', 'POST'), headers: { allow: 'POST' } },
    }),
  ),
  ...sameAnswer('method', { status: 405, error: notAllowedOn('GET', '/', 'POST'), headers: { allow: 'POST' } }, {
    'GET /': { method: 'GET', path: '/' },
  }),
  ...sameAnswer('method', { status: 405, error: notAllowedOn('PUT', '/', 'POST'), headers: { allow: 'POST' } }, {
    'PUT / with a valid message': { method: 'PUT', path: '/', body: json(valid) },
  }),
  ...sameAnswer('method', { status: 405, error: notAllowedOn('POST', '/runs/{runId}', 'GET'), headers: { allow: 'GET' } }, {
    'POST /runs/{runId}': { path: '/runs/r1', body: json(valid) },
  }),

  ...['/nowhere', '/message', '/messages/extra', '/MESSAGES', '/messages%00', '/runs', '/runs/a/b'].map(
    (path): BadRequest => ({
      category: 'unknown path',
      name: `POST ${path}`,
      path,
      body: json(valid),
      expected: { status: 404, error: noRoute(path) },
    }),
  ),
  ...sameAnswer('unknown path', { status: 404, error: noRoute('/runs/a/b') }, {
    'GET /runs/a/b': { method: 'GET', path: '/runs/a/b', contentType: null },
  }),
];
