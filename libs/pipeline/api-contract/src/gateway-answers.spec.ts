import { bodyTooLargeError, gatewayAnswers, gatewayResponseTemplate, renderGatewayAnswer } from './gateway-answers.js';

describe('gatewayResponseTemplate', () => {
  it('writes each answer in the API error shape, with the validator message as a template variable', () => {
    // Prepare / Act
    const template = gatewayResponseTemplate(gatewayAnswers.invalidBody);

    // Assess
    expect(template).toContain('"details": [{"path": "", "message": "$context.error.validationErrorString"}]');
    expect(JSON.parse(gatewayResponseTemplate(gatewayAnswers.missingOrUnknownKey))).toEqual({
      error: gatewayAnswers.missingOrUnknownKey.error,
      details: [],
    });
  });
});

describe('renderGatewayAnswer', () => {
  it('puts the validator message in place, escaped so that the body stays JSON', () => {
    // Prepare
    const message = '[object has missing required properties (["key3"])]';

    // Act
    const answer = renderGatewayAnswer(gatewayAnswers.invalidBody, { validationErrorString: message });

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: gatewayAnswers.invalidBody.error, details: [{ path: '', message }] });
  });

  it('answers every gateway refusal with a status a client can act on and a sentence', () => {
    // Prepare / Act
    const answers = Object.values(gatewayAnswers).map((answer) => [answer.responseType, renderGatewayAnswer(answer).statusCode]);

    // Assess
    expect(Object.fromEntries(answers)).toEqual({
      INVALID_API_KEY: 403,
      MISSING_AUTHENTICATION_TOKEN: 404,
      BAD_REQUEST_BODY: 400,
      THROTTLED: 429,
      QUOTA_EXCEEDED: 429,
      REQUEST_TOO_LARGE: 413,
    });
  });
});

describe('bodyTooLargeError', () => {
  it('names the size when the request declared it, and the limit either way', () => {
    expect(bodyTooLargeError(300_000)).toBe('The body is 300000 bytes; the limit is 262144 bytes (256 KiB).');
    expect(bodyTooLargeError(undefined)).toBe('The body is over 262144 bytes (256 KiB), the limit; the rest was not read.');
  });
});
