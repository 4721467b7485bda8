import * as ajvDraft04 from 'ajv-draft-04';
import type { JsonSchema } from '@valibot/to-json-schema';

type AjvDraft04 = typeof import('ajv-draft-04').default;

/**
 * ajv-draft-04 is CommonJS with its class on `exports.default`: Node's ESM loader hands over the whole
 * exports object as the default, a CommonJS transpiler (jest's) the class itself.
 */
function ajvClass(): AjvDraft04 {
  const exported = (ajvDraft04 as unknown as { default: AjvDraft04 | { default: AjvDraft04 } }).default;
  return 'default' in exported ? exported.default : exported;
}

export type RequestModelCheck = { valid: true } | { valid: false; message: string };

/**
 * Checks a JSON body against a request model as API Gateway's request validator does (JSON Schema
 * draft 4, lengths in characters). The message stands where the gateway's
 * `$context.error.validationErrorString` would: the words differ from API Gateway's validator, the
 * verdict does not. Compiling fails for a keyword draft 4 does not know.
 */
export function requestModelValidator(model: JsonSchema): (body: unknown) => RequestModelCheck {
  const Ajv = ajvClass();
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(model as object);
  return (body) => {
    if (validate(body)) return { valid: true };
    return { valid: false, message: `[${ajv.errorsText(validate.errors, { dataVar: 'body', separator: '; ' })}]` };
  };
}

/** A body's text checked against a model: text that is not JSON fails as the gateway's validator fails it. */
export function checkRequestBody(validator: (body: unknown) => RequestModelCheck, text: string): RequestModelCheck {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { valid: false, message: `[Invalid JSON: ${(error as Error).message}]` };
  }
  return validator(body);
}
