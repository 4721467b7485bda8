import { idempotentItemKeyFor, itemKeyFor, toItem, uuidV5 } from './item.js';

describe('uuidV5', () => {
  it('matches the RFC test vector (www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('itemKeyFor', () => {
  it('gives a redelivered message the same key, and different messages different keys', () => {
    const id = '5fea7756-0ea4-451a-a703-a558b933e274';
    expect(itemKeyFor(id)).toBe(itemKeyFor(id));
    expect(itemKeyFor(id)).not.toBe(itemKeyFor('5fea7756-0ea4-451a-a703-a558b933e275'));
    expect(itemKeyFor(id)).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('toItem', () => {
  it('maps a message and its delivery to the table row', () => {
    const item = toItem(
      { key1: 'a', key2: 'b', key3: 'c', runId: 'r1' },
      { messageId: 'm-1', sentTimestamp: 1_700_000_000_000 },
      1_700_000_000_250,
    );
    expect(item).toEqual({
      uuid: itemKeyFor('m-1'),
      key1: 'a',
      key2: 'b',
      key3: 'c',
      runId: 'r1',
      messageId: 'm-1',
      enqueuedAt: 1_700_000_000_000,
      writtenAt: 1_700_000_000_250,
    });
  });

  it('leaves runId out when the message has none', () => {
    const item = toItem({ key1: 'a', key2: 'b', key3: 'c' }, { messageId: 'm', sentTimestamp: 1 }, 2);
    expect('runId' in item).toBe(false);
  });
});

describe('toItem with an idempotency key', () => {
  it('keys the item by the idempotency key, so the same message queued twice (two MessageIds) is one item', () => {
    // Prepare
    const message = { key1: 'a', key2: 'b', key3: 'c', runId: 'r1', idempotencyKey: 'order-17' };

    // Act
    const first = toItem(message, { messageId: 'm-1', sentTimestamp: 1 }, 2);
    const retried = toItem(message, { messageId: 'm-2', sentTimestamp: 3 }, 4);

    // Assess
    expect(first.uuid).toBe(retried.uuid);
    expect(first.uuid).toBe(idempotentItemKeyFor('order-17'));
    expect(first).toMatchObject({ idempotencyKey: 'order-17', messageId: 'm-1' });
  });

  it('gives different keys different items, and never the item of a MessageId spelled like the key', () => {
    // Prepare
    const keys = ['order-17', 'order-18'];

    // Act
    const items = keys.map((idempotencyKey) => toItem({ key1: 'a', key2: 'b', key3: 'c', idempotencyKey }, { messageId: idempotencyKey, sentTimestamp: 1 }, 2));

    // Assess
    expect(items[0].uuid).not.toBe(items[1].uuid);
    expect(items[0].uuid).not.toBe(itemKeyFor('order-17'));
  });
});
