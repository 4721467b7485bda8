import * as v from 'valibot';
import { messageSchema, validateMessage } from '@fanout/message-schema';
import { enqueueRequestModel, generateEnqueueRequestModel, jsonSchemaDraft4 } from './request-model.js';
import { checkRequestBody, requestModelValidator } from './request-validator.js';

const message = { key1: 'a', key2: 'b', key3: 'c' };

/** What test-api's schema says of a body (one message or an array of messages). */
function valibotAccepts(body: unknown): boolean {
  const entries = Array.isArray(body) ? body : [body];
  return (Array.isArray(body) ? body.length >= 1 && body.length <= 10 : true) && entries.every((entry) => validateMessage(entry).ok);
}

describe('enqueueRequestModel', () => {
  it('is JSON Schema draft 4 with every keyword draft 4 knows (the validator compiles it in strict mode)', () => {
    // Prepare / Act
    const compile = () => requestModelValidator(enqueueRequestModel);

    // Assess
    expect(enqueueRequestModel.$schema).toBe(jsonSchemaDraft4);
    expect(compile).not.toThrow();
  });

  it('lists exactly the fields of the valibot message schema, the three keys required, nothing else allowed', () => {
    // Prepare
    const [single, array] = enqueueRequestModel.anyOf as Array<Record<string, unknown>>;

    // Act
    const fields = Object.keys(single['properties'] as object);

    // Assess
    expect(fields).toEqual(Object.keys(messageSchema.entries));
    expect(single['required']).toEqual(['key1', 'key2', 'key3']);
    expect(single['additionalProperties']).toBe(false);
    expect(array).toMatchObject({ type: 'array', minItems: 1, maxItems: 10, items: single });
  });

  it('accepts and refuses what test-api accepts and refuses, for every body the model can judge', () => {
    // Prepare
    const bodies: unknown[] = [
      message,
      { ...message, runId: 'run_1', idempotencyKey: 'k-1' },
      [message],
      Array(10).fill(message),
      Array(11).fill(message),
      [],
      { key1: 'a', key2: 'b' },
      { ...message, key3: '' },
      { ...message, key3: 'x'.repeat(1025) },
      { ...message, key3: 7 },
      { ...message, extra: 1 },
      { ...message, runId: 'has space' },
      { ...message, idempotencyKey: 'a'.repeat(65) },
      [message, { key1: 'a' }],
      'text',
      null,
    ];
    const validate = requestModelValidator(enqueueRequestModel);

    // Act
    const verdicts = bodies.map((body) => validate(body).valid);

    // Assess
    expect(verdicts).toEqual(bodies.map(valibotAccepts));
    expect(verdicts.filter(Boolean)).toHaveLength(4);
  });

  it('leaves to test-api what JSON Schema cannot say: characters SQS refuses, lengths in UTF-16 code units', () => {
    // Prepare
    const bodies = [{ ...message, key1: 'a\u0000b' }, { ...message, key1: '🚀'.repeat(1024) }];
    const validate = requestModelValidator(enqueueRequestModel);

    // Act
    const gateway = bodies.map((body) => validate(body).valid);
    const testApi = bodies.map(valibotAccepts);

    // Assess
    expect(gateway).toEqual([true, true]);
    expect(testApi).toEqual([false, false]);
  });

  it('follows the valibot schema: a field added there is in the model', () => {
    // Prepare
    const grown = v.object({ ...messageSchema.entries, priority: v.optional(v.string()) });

    // Act
    const model = generateEnqueueRequestModel(grown);

    // Assess
    expect(requestModelValidator(model)({ ...message, priority: 'high' })).toEqual({ valid: true });
    expect(requestModelValidator(enqueueRequestModel)({ ...message, priority: 'high' }).valid).toBe(false);
  });
});

describe('checkRequestBody', () => {
  it('fails text that is not JSON, and says where the model refused a body', () => {
    // Prepare
    const validate = requestModelValidator(enqueueRequestModel);

    // Act
    const notJson = checkRequestBody(validate, '{"key1":');
    const missing = checkRequestBody(validate, '{"key1":"a","key2":"b"}');

    // Assess
    expect(notJson).toMatchObject({ valid: false, message: expect.stringMatching(/^\[Invalid JSON: /) });
    expect(missing).toMatchObject({ valid: false, message: expect.stringContaining("must have required property 'key3'") });
  });
});
