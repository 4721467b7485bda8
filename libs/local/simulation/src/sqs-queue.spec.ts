import { createRandom } from './random.js';
import { InFlightLimitError, MessageState, SqsQueue, type QueueOptions } from './sqs-queue.js';

function queueOf(capacity: number, options: Partial<QueueOptions> = {}) {
  let now = 0;
  const queue = new SqsQueue({
    capacity,
    visibilityTimeoutMs: 30_000,
    maxReceiveCount: 3,
    inFlightLimit: 120_000,
    retentionMs: 4 * 86_400_000,
    shortPollSampleShare: 0.2,
    random: createRandom(7),
    now: () => now,
    bodyOf: (index) => `body-${index}`,
    ...options,
  });
  return { queue, advance: (ms: number) => (now += ms) };
}

describe('SqsQueue', () => {
  it('hides a received message for the visibility timeout, then hands it out again with its receive count up', () => {
    // Prepare
    const { queue, advance } = queueOf(1);
    queue.send(0, 1);
    // Act
    const first = queue.receive(10, false);
    advance(29_999);
    const whileHidden = queue.receive(10, false);
    advance(1);
    const again = queue.receive(10, false);
    // Assess
    expect(first.map((m) => m.receiveCount)).toEqual([1]);
    expect(whileHidden).toEqual([]);
    expect(again.map((m) => [m.messageId, m.receiveCount])).toEqual([['m-0', 2]]);
    expect(again[0]?.receiptHandle).not.toBe(first[0]?.receiptHandle);
  });

  it('moves a message to the dead-letter queue once it has been received maxReceiveCount times without a delete', () => {
    // Prepare
    const { queue, advance } = queueOf(1);
    queue.send(0, 1);
    // Act
    for (let receive = 0; receive < 3; receive++) {
      expect(queue.receive(10, false)).toHaveLength(1);
      advance(30_000);
    }
    // Assess
    expect(queue.receive(10, false)).toEqual([]);
    expect(queue.stateOf(0)).toBe(MessageState.deadLettered);
    expect(queue.counts).toMatchObject({ visible: 0, inFlight: 0, deadLettered: 1 });
  });

  it('deletes with the latest receipt handle only: an older one succeeds and leaves the message', () => {
    // Prepare
    const { queue, advance } = queueOf(1);
    queue.send(0, 1);
    const [old] = queue.receive(1, false);
    advance(30_000);
    const [latest] = queue.receive(1, false);
    // Act
    const staleDeleted = queue.delete(old?.receiptHandle ?? '');
    const deleted = queue.delete(latest?.receiptHandle ?? '');
    // Assess
    expect(staleDeleted).toBe(false);
    expect(deleted).toBe(true);
    expect(queue.stateOf(0)).toBe(MessageState.deleted);
  });

  it('gives a message back at once with a visibility timeout of 0, and later with a longer one', () => {
    // Prepare
    const { queue, advance } = queueOf(2);
    queue.send(0, 2);
    const [a, b] = queue.receive(2, false);
    // Act
    queue.changeVisibility(a?.receiptHandle ?? '', 0);
    queue.changeVisibility(b?.receiptHandle ?? '', 60_000);
    const atOnce = queue.receive(10, false).map((m) => m.messageId);
    advance(30_000);
    const afterTheTimeout = queue.receive(10, false).map((m) => m.messageId);
    advance(30_000);
    const afterTheLongerOne = queue.receive(10, false).map((m) => m.messageId);
    // Assess
    expect(atOnce).toEqual(['m-0']);
    expect(afterTheTimeout).toEqual(['m-0']);
    expect(afterTheLongerOne).toEqual(['m-1']);
  });

  it('fills a long poll from what is visible, but samples a short poll: fewer than asked below about 1,000 messages', () => {
    // Prepare
    const few = queueOf(100);
    few.queue.send(0, 100);
    const many = queueOf(5_000);
    many.queue.send(0, 5_000);
    // Act: ten short polls of each, every message given back after
    const sizes = (queue: SqsQueue) =>
      Array.from({ length: 10 }, () => {
        const got = queue.receive(10, true);
        for (const m of got) queue.changeVisibility(m.receiptHandle, 0);
        return got.length;
      });
    const fewSizes = sizes(few.queue);
    const manySizes = sizes(many.queue);
    const longPoll = few.queue.receive(10, false).length;
    // Assess
    expect(fewSizes.some((size) => size < 10)).toBe(true);
    expect(manySizes).toEqual(Array(10).fill(10));
    expect(longPoll).toBe(10);
  });

  it('refuses a receive past the in-flight limit, as SQS does with OverLimit', () => {
    // Prepare
    const { queue } = queueOf(30, { inFlightLimit: 20 });
    queue.send(0, 30);
    queue.receive(10, false);
    queue.receive(10, false);
    // Act / Assess
    expect(() => queue.receive(10, false)).toThrow(InFlightLimitError);
  });

  it('drops a message older than the retention period instead of handing it out', () => {
    // Prepare
    const { queue, advance } = queueOf(1, { retentionMs: 60_000 });
    queue.send(0, 1);
    advance(60_001);
    // Act
    const got = queue.receive(10, false);
    // Assess
    expect(got).toEqual([]);
    expect(queue.stateOf(0)).toBe(MessageState.expired);
  });
});
