import { validateMessage } from './message.js';

describe('validateMessage', () => {
  it('accepts the original three keys, with or without a runId', () => {
    // Prepare
    const original = { key1: 'value1', key2: 'value2', key3: 'value3' };
    // Act
    const plain = validateMessage(original);
    const tagged = validateMessage({ ...original, runId: 'burst_2026-11-28' });
    // Assess
    expect(plain).toEqual({ ok: true, value: original });
    expect(tagged).toEqual({ ok: true, value: { ...original, runId: 'burst_2026-11-28' } });
  });

  it('accepts valid non-ASCII text unchanged', () => {
    const message = { key1: 'データ', key2: 'naïve café', key3: '🚀 launch' };
    expect(validateMessage(message)).toEqual({ ok: true, value: message });
  });

  it('says which key is missing, empty, of the wrong type or too long', () => {
    const result = validateMessage({ key1: '', key2: 7, key3: 'x'.repeat(1025) });
    expect(result).toEqual({
      ok: false,
      details: [
        { path: 'key1', message: 'must not be empty' },
        { path: 'key2', message: 'must be a string, got a number' },
        { path: 'key3', message: 'must be at most 1024 characters' },
      ],
    });
    expect(validateMessage({ key1: 'a', key3: 'c' })).toEqual({
      ok: false,
      details: [{ path: 'key2', message: 'is required' }],
    });
  });

  it('refuses characters SQS cannot carry (NUL, control characters, lone surrogates, U+FFFF), naming the first', () => {
    // Prepare
    const message = { key1: 'a\u0000b', key2: '\ud800', key3: 'ok\uffff' };
    // Act
    const result = validateMessage(message);
    // Assess
    expect(result.ok ? [] : result.details.map((d) => `${d.path} ${d.message.split(':')[0]}`)).toEqual([
      'key1 must not contain U+0000 (at index 1)',
      'key2 must not contain U+D800 (at index 0)',
      'key3 must not contain U+FFFF (at index 2)',
    ]);
    expect(validateMessage({ key1: 'tab\there', key2: 'line\r\nbreak', key3: '👩‍💻 \ud83d\ude80' }).ok).toBe(true);
  });

  it('rejects unknown fields, including __proto__ and constructor', () => {
    const body = JSON.parse('{"key1":"a","key2":"b","key3":"c","__proto__":{"x":1},"constructor":"y"}');
    const result = validateMessage(body);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.details.map((d) => d.path)).toEqual(['__proto__', 'constructor']);
  });

  it('rejects a runId outside 1–64 characters of [A-Za-z0-9_-]', () => {
    for (const runId of ['', 'a'.repeat(65), 'has space', 'slash/']) {
      const result = validateMessage({ key1: 'a', key2: 'b', key3: 'c', runId });
      expect(result.ok ? 'accepted' : result.details[0].path).toBe('runId');
    }
    expect(validateMessage({ key1: 'a', key2: 'b', key3: 'c', runId: 'a'.repeat(64) }).ok).toBe(true);
  });

  it('accepts an idempotencyKey of 1–64 characters of [A-Za-z0-9_-] and refuses any other, naming the field', () => {
    // Prepare
    const keys = ['k', 'a'.repeat(64), 'burst-2026_01-42', '', 'a'.repeat(65), 'has space', 'ключ', 'a/b'];

    // Act
    const results = keys.map((idempotencyKey) => validateMessage({ key1: 'a', key2: 'b', key3: 'c', idempotencyKey }));

    // Assess
    expect(results.map((result) => (result.ok ? 'accepted' : result.details.map((d) => `${d.path} ${d.message}`).join()))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      ...Array(5).fill('idempotencyKey must be 1–64 characters of A–Z, a–z, 0–9, _ or -'),
    ]);
  });

  it('places the details of a batch entry under its index', () => {
    const result = validateMessage({ key1: 'a', key2: 'b' }, '[3]');
    expect(result).toEqual({ ok: false, details: [{ path: '[3].key3', message: 'is required' }] });
  });

  it('describes a body that is not an object', () => {
    expect(validateMessage('text')).toEqual({
      ok: false,
      details: [{ path: '', message: 'must be an object with key1, key2, key3, runId, idempotencyKey, got a string' }],
    });
  });
});
