import { parseQueuedMessage } from './queued-message.js';

describe('parseQueuedMessage', () => {
  it('parses a valid body', () => {
    expect(parseQueuedMessage('{"key1":"a","key2":"b","key3":"c"}')).toEqual({
      ok: true,
      message: { key1: 'a', key2: 'b', key3: 'c' },
    });
  });

  it('gives a reason for poison bodies instead of throwing', () => {
    expect(parseQueuedMessage('not json')).toEqual({ ok: false, reason: 'the body is not valid JSON' });
    expect(parseQueuedMessage('{"key1":"a","key2":2}')).toEqual({
      ok: false,
      reason: 'key2 must be a string, got a number; key3 is required',
    });
    expect(parseQueuedMessage('[1]')).toEqual({
      ok: false,
      reason: 'must be an object with key1, key2, key3, runId, idempotencyKey, got an array',
    });
    expect(parseQueuedMessage(undefined)).toEqual({ ok: false, reason: 'the message has no body' });
  });
});
