import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { apiConfig } from '@fanout/config';
import { messageSchema } from '@fanout/message-schema';

/** The name of the enqueue body's model on API Gateway. */
export const enqueueRequestModelName = 'EnqueueRequest';

/** The content type whose bodies the gateway checks against the model. */
export const requestModelContentType = 'application/json';

/** API Gateway's request models are JSON Schema draft 4. */
export const jsonSchemaDraft4 = 'http://json-schema.org/draft-04/schema#';

/** The body of `POST /messages` and `POST /`: one message, or an array of 1 to maxMessagesPerRequest. */
export const enqueueBodySchema = v.union([
  messageSchema,
  v.pipe(v.array(messageSchema), v.minLength(1), v.maxLength(apiConfig.maxMessagesPerRequest)),
]);

/**
 * The enqueue body as JSON Schema draft 4, generated from the valibot schema: the model API Gateway
 * checks and the local gateway applies. Adapted from the converter's draft-07 output:
 * - `$schema` names draft 4 (every keyword used here means the same in both drafts);
 * - objects get `additionalProperties: false`, since test-api refuses unknown fields (validateMessage
 *   checks own keys itself, as valibot's object schema lets them through);
 * - valibot `check` refinements (the characters SQS refuses) have no JSON Schema form and are left
 *   to test-api;
 * - `minLength`/`maxLength` count characters (code points) in JSON Schema, and UTF-16 code units in
 *   valibot: a key of 1,024 emoji passes the gateway and test-api refuses it.
 */
export function generateEnqueueRequestModel(schema: v.GenericSchema = enqueueBodySchema): JsonSchema {
  const generated = toJsonSchema(schema, {
    ignoreActions: ['check'],
    overrideSchema: ({ valibotSchema, jsonSchema }) =>
      valibotSchema.type === 'object' ? { ...jsonSchema, additionalProperties: false } : undefined,
  });
  return { $schema: jsonSchemaDraft4, title: enqueueRequestModelName, ...withoutSchemaVersion(generated) };
}

function withoutSchemaVersion(schema: JsonSchema): JsonSchema {
  const rest: JsonSchema = { ...schema };
  delete rest.$schema;
  return rest;
}

/** The enqueue request model: one definition for the stack, the local gateway and the drift test. */
export const enqueueRequestModel: JsonSchema = /* @__PURE__ */ generateEnqueueRequestModel();
