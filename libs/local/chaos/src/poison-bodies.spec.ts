import { parseQueuedMessage } from '@fanout/message-schema';
import { poisonBodies } from './poison-bodies.js';

/** The largest message body SQS accepts. */
const sqsMaxBodyBytes = 256 * 1024;

describe('poisonBodies', () => {
  it('makes as many bodies as asked for', () => {
    expect(poisonBodies(0)).toEqual([]);
    expect(poisonBodies(1)).toHaveLength(1);
    expect(poisonBodies(13)).toHaveLength(13);
  });

  it('makes bodies the worker refuses, each kind for a different reason', () => {
    // Act
    const parsed = poisonBodies(12).map((body) => parseQueuedMessage(body));
    // Assess
    const reasons = parsed.map((result) => (result.ok ? 'accepted' : result.reason));
    expect(reasons).not.toContain('accepted');
    expect(reasons.slice(0, 6)).toEqual([
      'the body is not valid JSON',
      'key3 is required',
      'key2 must be a string, got a number; key3 must be a string, got a boolean',
      'extra is not an allowed field; allowed fields are key1, key2, key3, runId, idempotencyKey',
      'key3 must be at most 1024 characters',
      'must be an object with key1, key2, key3, runId, idempotencyKey, got an array',
    ]);
    // The second round repeats the kinds.
    expect(reasons.slice(6)).toEqual(reasons.slice(0, 6));
  });

  it('never repeats a body, so each can be found in the dead-letter queue', () => {
    // Act
    const bodies = poisonBodies(60);
    // Assess
    expect(new Set(bodies).size).toBe(60);
  });

  it('makes bodies SQS accepts, so they reach the queue', () => {
    for (const body of poisonBodies(6)) {
      expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(sqsMaxBodyBytes);
    }
  });
});
